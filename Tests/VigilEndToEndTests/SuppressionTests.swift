import Foundation
import Testing
import VigilTestSupport

/// Inline allows, the ignore file and the baseline, end to end.
@Suite struct SuppressionTests {
  @Test func inlineAllowSilencesOnlyItsLineAndOnlyItsRuleWhenNamed() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 71)
    try tree.write(
      "src/app.py",
      """
      a = "\(tokens.githubToken())"  # vigil:allow revoked test token
      b = "\(tokens.githubToken())"
      c = "\(tokens.githubToken())"  # vigil:allow rust-unwrap wrong rule named
      d = "\(tokens.githubToken())"  # vigil:allow github-token fixture
      e = "\(tokens.githubToken())"  # gitleaks:allow

      """)
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1)
    #expect(try findings(output).map { $0["line"] as? Int } == [2, 3])

    let all = try VigilBinary.run(["scan", "--format", "json", "--include-suppressed", tree.path])
    let suppressed = try findings(all).filter { $0["suppression"] != nil }
    #expect(suppressed.map { $0["line"] as? Int } == [1, 4, 5])
    let first = try #require(suppressed.first?["suppression"] as? [String: Any])
    #expect(first["kind"] as? String == "inSource")
    #expect(first["justification"] as? String == "revoked test token")
  }

  /// No marker counts where git shows the file as binary, so that a review of the
  /// change does not see it: text with a NUL where git looks, UTF-16 (with a byte-order
  /// mark), and a text file the repository's attributes mark `-diff`. A marker in a
  /// plain text file beside them still counts. In the tree, staged, a range and history.
  @Test func aMarkerInAFileGitShowsAsBinaryAllowsNothing() throws {
    let tree = try Git.repository()
    try Git.run(["branch", "base"], in: tree.path)
    var tokens = TestTokens(seed: 0xB1D)
    let allowed = "  # vigil:allow reviewed\n"
    try tree.write("nul.py", bytes: Array("x = 1\n\u{0}\ntoken = \"\(tokens.githubToken())\"\(allowed)".utf8))
    try tree.write(
      "wide.py",
      bytes: [0xFF, 0xFE]
        + "token = \"\(tokens.githubToken())\"\(allowed)".utf16.flatMap {
          [UInt8($0 & 0xFF), UInt8($0 >> 8)]
        })
    try tree.write(".gitattributes", "hidden.py -diff\n")
    try tree.write("hidden.py", "token = \"\(tokens.githubToken())\"\(allowed)")
    try tree.write("shown.py", "token = \"\(tokens.githubToken())\"\(allowed)")
    // A NUL only past git's 8,000-byte probe: git shows text, and the marker counts.
    try tree.write(
      "late.py",
      bytes: Array(
        ("token = \"\(tokens.githubToken())\"\(allowed)" + String(repeating: "# notes\n", count: 1_100)).utf8)
        + [0] + Array("\n".utf8))
    try Git.run(["add", "."], in: tree.path)
    let reported = ["hidden.py", "nul.py", "wide.py"]
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json"] + arguments, in: tree.path)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      return try findings(output).compactMap { $0["path"] as? String }.sorted()
    }
    #expect(try paths(["."]) == reported)
    #expect(try paths(["--staged"]) == reported)
    try Git.run(["commit", "-qm", "add"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == reported)
    #expect(try paths(["--history", "--no-cache"]) == reported)
    // A file named from outside its repository, and beside a path in another one: each
    // is asked about in its own repository.
    let parent = (tree.path as NSString).deletingLastPathComponent
    let name = (tree.path as NSString).lastPathComponent
    // (The temporary directory's name reads as a test path there: a note, not an error.)
    let outside = try VigilBinary.run(["scan", "--format", "json", name + "/hidden.py"], in: parent)
    #expect(try findings(outside).count == 1, "\(outside.stderr)")
    let other = try TemporaryTree()
    try other.write("o.py", "token = \"\(tokens.githubToken())\"\(allowed)")
    let beside = try VigilBinary.run(["scan", "--format", "json", ".", other.path + "/o.py"], in: tree.path)
    #expect(
      try findings(beside).compactMap { $0["path"] as? String }.filter { $0.hasSuffix(".py") }.count == 3)
  }

  @Test func baselineKeepsOldFindingsSilentWhereverTheyMoveAndFailsOnNewOnes() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 72)
    let old = tokens.githubToken()
    try tree.write("app/config.py", "TOKEN = '\(old)'\n")
    let baseline = tree.path + "/../vigil-baseline-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: baseline) }
    let write = try VigilBinary.run(["scan", "--write-baseline", baseline, tree.path])
    #expect(write.status == 1)
    let text = try String(contentsOfFile: baseline, encoding: .utf8)
    #expect(!text.contains(old) && !text.contains(String(old.prefix(5))))
    #expect(!text.contains("\"line\""))

    // The same secret further down the file: still silent.
    try tree.write("app/config.py", "import os\n\n\nTOKEN = '\(old)'\n")
    let moved = try VigilBinary.run(["scan", "--baseline", baseline, tree.path])
    #expect(moved.status == 0, "\(moved.stdout)")

    // A new secret fails.
    try tree.write("app/config.py", "import os\n\n\nTOKEN = '\(old)'\nOTHER = '\(tokens.githubToken())'\n")
    let added = try VigilBinary.run(["scan", "--baseline", baseline, "--format", "json", tree.path])
    #expect(added.status == 1)
    #expect(try findings(added).map { $0["line"] as? Int } == [5])
  }

  /// A secret file found by what it holds is one finding per secret: a credential added
  /// to a `.env` a baseline knows is new, however the file began, and a secret the file's
  /// rule does not name (an AWS key under any name) is reported by its own rule; lines
  /// moved or removed make nothing new, in a tree scan or a staged change.
  @Test func aSecretAddedToABaselinedSecretFileIsNew() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 73)
    let password = "DB_PASSWORD=" + tokens.string(16, from: TestTokens.base64) + "\n"
    try tree.write(".env", password)
    let baseline = tree.path + "/../vigil-baseline-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: baseline) }
    #expect(try VigilBinary.run(["scan", "--write-baseline", baseline, "."], in: tree.path).status == 1)
    let token = "API_TOKEN=" + tokens.string(20, from: TestTokens.base64) + "\n"
    let key = "SOMETHING=" + tokens.awsAccessKeyID() + "\n"
    try tree.write(".env", password + token + key)
    let added = try VigilBinary.run(["scan", "--baseline", baseline, "--format", "json", "."], in: tree.path)
    #expect(added.status == 1)
    let reported = try findings(added).map { "\($0["ruleId"] ?? "") \($0["line"] ?? "")" }
    #expect(reported.sorted() == ["aws-access-key-id 3", "dotenv-file 2"], "\(added.stdout)")
    // Each secret is one finding, not the file once.
    let all = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(try findings(all).count == 3)

    // Moved, or the first removed: nothing new to a baseline; the first removed is
    // nothing new to a staged change either.
    try Git.run(["add", ".env"], in: tree.path)
    try Git.run(["commit", "-qm", "env"], in: tree.path)
    let base = try VigilBinary.run(["scan", "--write-baseline", baseline, "."], in: tree.path)
    #expect(base.status == 1)
    for content in [key + token + password, token + key] {
      try tree.write(".env", content)
      let again = try VigilBinary.run(["scan", "--baseline", baseline, "."], in: tree.path)
      #expect(again.status == 0, "\(again.stdout)")
    }
    try Git.run(["add", ".env"], in: tree.path)
    let staged = try VigilBinary.run(["scan", "--staged"], in: tree.path)
    #expect(staged.status == 0, "\(staged.stdout)")
  }

  /// What a secret file's finding stands for is in its fingerprint: a key block a `.env`
  /// value opens, replaced, and a credential added to a `.git-credentials`, are new to a
  /// baseline of the file as it was; a quoted value is masked whole, spaces and all.
  @Test func replacingWhatASecretFileFindingStandsForIsNew() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 74)
    let marker = "RSA " + "PRIVATE KEY"
    func key() -> String {
      "-----BEGIN \(marker)-----\n"
        + (0..<6).map { _ in tokens.string(64, from: TestTokens.base64) }.joined(separator: "\n")
        + "\n-----END \(marker)-----"
    }
    func credential() -> String {
      "https://deploy:" + tokens.string(20, from: TestTokens.alphanumeric) + "@git.corp.example.net\n"
    }
    let spaced = "correct horse " + tokens.string(6, from: TestTokens.alphanumeric) + " staple"
    let first = credential()
    try tree.write(".env", "PRIVATE_KEY=\"\(key())\"\nDB_PASSWORD=\"\(spaced)\"\n")
    try tree.write(".git-credentials", first)
    let baseline = tree.path + "/../vigil-baseline-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: baseline) }
    let written = try VigilBinary.run(["scan", "--write-baseline", baseline, "."], in: tree.path)
    #expect(written.status == 1)
    #expect(!written.stdout.contains("horse") && !written.stdout.contains("staple"), "\(written.stdout)")
    try tree.write(".env", "PRIVATE_KEY=\"\(key())\"\nDB_PASSWORD=\"\(spaced)\"\n")
    try tree.write(".git-credentials", first + credential())
    let changed = try VigilBinary.run(
      ["scan", "--baseline", baseline, "--format", "json", "."], in: tree.path)
    #expect(changed.status == 1)
    let reported = try findings(changed).map { "\($0["ruleId"] ?? "") \($0["path"] ?? "")" }
    #expect(
      reported.sorted() == ["dotenv-file .env", "git-credentials-file .git-credentials"], "\(changed.stdout)")
  }

  @Test func twoBaselinesOfOneTreeAreIdenticalBytes() throws {
    let tree = try TemporaryTree()
    try SampleTree.write(into: tree)
    let first = tree.path + "/../b1-\(UUID().uuidString).json"
    let second = tree.path + "/../b2-\(UUID().uuidString).json"
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    _ = try VigilBinary.run(["scan", "--jobs", "1", "--write-baseline", first, tree.path])
    _ = try VigilBinary.run(["scan", "--jobs", "2", "--write-baseline", second, tree.path])
    let a = try Data(contentsOf: URL(fileURLWithPath: first))
    let b = try Data(contentsOf: URL(fileURLWithPath: second))
    #expect(a == b)
    #expect(a.count > 100)
  }

  /// A scan of part of the tree (`--staged`, some paths) that writes the baseline it read
  /// adds its findings and keeps the rest: accepting one new finding does not drop the
  /// others. A baseline of another version is refused.
  @Test func aPartialScanAddsToTheBaselineItRead() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 31)
    try tree.write("old/a.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("old/b.py", "t = '\(tokens.githubToken())'\n")
    let baseline = ".git/vigil-baseline.json"
    #expect(
      try VigilBinary.run(["scan", "-q", "--write-baseline", baseline, "."], in: tree.path).status == 1)
    try tree.write("new.py", "t = '\(tokens.githubToken())'\n")
    try Git.run(["add", "new.py"], in: tree.path)
    let accepted = try VigilBinary.run(
      ["scan", "-q", "--staged", "--baseline", baseline, "--write-baseline", baseline], in: tree.path)
    #expect(accepted.status == 1, "\(accepted.stderr)")
    let whole = try VigilBinary.run(["scan", "-q", "--baseline", baseline, "."], in: tree.path)
    #expect(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
    try tree.write(baseline, "{\"version\": 99, \"findings\": []}\n")
    let future = try VigilBinary.run(["scan", "-q", "--baseline", baseline, "."], in: tree.path)
    #expect(future.status == 2 && future.stderr.contains("version 99"), "\(future.stderr)")
  }

  @Test func ignoreFileEntriesNeedAReasonAndReportExpiryAndStaleness() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 73)
    try tree.write("a.txt", "k = \(tokens.githubToken())\n")
    try tree.write("b.txt", "k = \(tokens.githubToken())\n")
    let listed = try findings(try VigilBinary.run(["scan", "--format", "json", tree.path]))
    let fingerprints = listed.compactMap { $0["fingerprint"] as? String }
    #expect(fingerprints.count == 2)
    let pasted = tokens.string(24, from: TestTokens.base64)
    try tree.write(
      ".vigilignore",
      """
      [[ignore]]
      fingerprint = "\(fingerprints[0])"
      reason = "Revoked fixture token"

      [[ignore]]
      fingerprint = "\(fingerprints[1])"
      reason = "Expired exception"
      Expires = 2020-01-01

      [[ignore]]
      fingerprint = "0000000000000000000000000000000000000000000000000000000000000000"
      reason = "A finding that was fixed"

      [[ignore]]
      fingerprint = "\(pasted)"
      reason = "A secret pasted where its fingerprint goes"

      """)
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1)
    #expect(try findings(output).map { $0["path"] as? String } == ["b.txt"])
    #expect(output.stderr.contains("expired on 2020-01-01"))
    #expect(output.stderr.contains("the entry for 000000000000… matches no finding any more"))
    // An entry that is no hash is quoted redacted, as a secret is.
    #expect(!output.stderr.contains(String(pasted.prefix(8))), "\(output.stderr)")

    // Stale entries fail the scan only when asked.
    try tree.write("b.txt", "fixed\n")
    #expect(try VigilBinary.run(["scan", tree.path]).status == 0)
    #expect(try VigilBinary.run(["scan", "--fail-on-stale", tree.path]).status == 1)

    try tree.write(".vigilignore", "[[ignore]]\nfingerprint = \"abc\"\n")
    let missingReason = try VigilBinary.run(["scan", tree.path])
    #expect(missingReason.status == 2)
    #expect(missingReason.stderr.contains("has no reason"))
  }

  /// Only a scan of the whole tree or history calls an entry stale: a range, the staged
  /// changes or some paths see part of what the entries are about (following a stale
  /// warning there would bring the finding back).
  @Test func onlyAWholeScanCallsAnEntryStale() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x57A)
    try tree.write("legacy.py", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "legacy"], in: tree.path)
    let scanned = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let fingerprint = try #require(try findings(scanned).first?["fingerprint"] as? String)
    try tree.write(".vigilignore", "[[ignore]]\nfingerprint = \"\(fingerprint)\"\nreason = \"rotated\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "ignore"], in: tree.path)
    try Git.run(["branch", "base"], in: tree.path)
    try tree.write("other.py", "x = 1\n")
    try Git.run(["add", "."], in: tree.path)
    for arguments in [["--staged"], ["other.py"], ["."], ["--history", "--no-cache"]] {
      let output = try VigilBinary.run(["scan", "--fail-on-stale"] + arguments, in: tree.path)
      #expect(output.status == 0, "\(arguments): \(output.stderr)")
      #expect(!output.stderr.contains("matches no finding"), "\(arguments)")
    }
    try Git.run(["commit", "-qm", "other"], in: tree.path)
    let range = try VigilBinary.run(["scan", "--fail-on-stale", "--range", "base..HEAD"], in: tree.path)
    #expect(range.status == 0, "\(range.stderr)")
    #expect(!range.stderr.contains("matches no finding"))
    // The whole tree still judges: with the secret gone, the entry is stale.
    try tree.write("legacy.py", "token = None\n")
    #expect(try VigilBinary.run(["scan", "--fail-on-stale", "."], in: tree.path).status == 1)
  }

  @Test func sarifWithSuppressedFindingsIsValid() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 74)
    try tree.write(
      "a.py", "t = '\(tokens.githubToken())'  # vigil:allow fixture\nu = '\(tokens.githubToken())'\n")
    let output = try VigilBinary.run(["scan", "--format", "sarif", "--include-suppressed", tree.path])
    #expect(output.status == 1)
    #expect(output.stdout.contains("\"suppressions\""))
    #expect(output.stdout.contains("\"inSource\""))
    #expect(try SARIFValidator.errors(in: output.stdout) == [])
    let defaultOutput = try VigilBinary.run(["scan", "--format", "sarif", tree.path])
    #expect(!defaultOutput.stdout.contains("\"suppressions\""))
  }
}

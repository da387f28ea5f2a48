import Foundation
import Testing
import VigilTestSupport

/// Hostile input, end to end: each case sits in a tree with a secret elsewhere that must
/// still be found, and the scan must finish with a clear account of what it skipped.
@Suite struct HostileInputTests {
  private func scan(_ tree: TemporaryTree, _ extra: [String] = []) throws -> (ProcessOutput, [[String: Any]])
  {
    let output = try VigilBinary.run(["scan", "--format", "json"] + extra + [tree.path])
    let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    return (output, (object?["findings"] as? [[String: Any]]) ?? [])
  }

  private func located(_ findings: [[String: Any]]) -> [String] {
    findings.map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0):\($0["column"] as? Int ?? 0)" }
  }

  @Test func encodingsAndLineEnds() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 111)
    let key = tokens.awsAccessKeyID()
    try tree.write(
      "utf16le.txt",
      bytes: [0xFF, 0xFE]
        + Array("x = 1\r\nk = \(key)\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    try tree.write(
      "utf16be.txt",
      bytes: [0xFE, 0xFF] + Array("k = \(key)\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    try tree.write("crlf.txt", "a\r\nb\r\nk = \(key)\r\n")
    try tree.write("cr.txt", "a\rb\rk = \(key)\r")
    try tree.write(
      "invalid.txt", bytes: [0xFF, 0xC3, 0x28, 0x20] + Array("k=\(key) ".utf8) + [0xFE, 0x80, 0x0A])
    try tree.write("empty.txt", "")
    let (output, findings) = try scan(tree)
    #expect(output.status == 1)
    #expect(
      located(findings) == [
        "cr.txt:3:5", "crlf.txt:3:5", "invalid.txt:1:7", "utf16be.txt:1:5", "utf16le.txt:2:5",
      ])
    #expect(!output.stdout.contains(key))
  }

  /// A NUL in the first 8,000 bytes makes a file binary, as git decides; a binary file
  /// is read for secrets in its runs of text, so that one NUL cannot hide a script's
  /// token or a `.env` (shells and dotenv loaders still read them). In a program or an
  /// image only rules with a format of their own run there: a generic assignment in one
  /// is not reported.
  @Test func binaryFilesAreReadForSecretsAndEmptyFilesScanned() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 116)
    try tree.write("found.py", "t = '\(tokens.githubToken())'\n")
    try tree.write(
      "image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00] + Array("t=\(tokens.githubToken())\n".utf8))
    try tree.write(
      "deploy.sh",
      bytes: Array("#!/bin/sh\n# ".utf8) + [0] + Array("\nexport GH=\(tokens.githubToken())\n".utf8))
    try tree.write(".env", bytes: Array("A=1".utf8) + [0] + Array("\nDB_PASSWORD=Zq8vLw2mXk4R\n".utf8))
    var random = SeededGenerator(seed: 5)
    var program: [UInt8] = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
    program += Array(("pass" + "word = \"" + tokens.string(16, from: TestTokens.base64) + "\"").utf8) + [0]
    program += (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
    try tree.write("tool.bin", bytes: program)
    // A NUL inside a key block (openssl and shells still read it), and one in a file of
    // UTF-8 text: text with a few NUL bytes, read as text.
    let body = (0..<4).map { _ in tokens.string(64, from: TestTokens.base64) }.joined(separator: "\n")
    try tree.write(
      "install.sh",
      bytes: Array("cat > key <<EOF\n-----BEGIN RSA PRIVATE KEY-----".utf8) + [0]
        + Array("\n\(body)\n-----END RSA PRIVATE KEY-----\nEOF\n".utf8))
    try tree.write(
      "notes.py",
      bytes: Array((String(repeating: "# 注释: 部署说明\n", count: 40) + "pass" + "word = \"").utf8) + [0]
        + Array("\(tokens.string(16, from: TestTokens.base64))\"\n".utf8))
    try tree.write("empty.txt", "")
    try tree.write("late-nul.txt", bytes: Array(repeating: UInt8(ascii: "a"), count: 9000) + [0])
    let (output, findings) = try scan(tree)
    #expect(output.status == 1)
    #expect(
      findings.map { "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")" } == [
        "dotenv-file .env", "github-token deploy.sh", "github-token found.py", "github-token image.png",
        "private-key install.sh", "generic-secret-assignment notes.py",
      ])
    #expect(output.stderr.contains("in 9 files"), "\(output.stderr)")
    #expect(!output.stderr.contains("skipped"))
  }

  /// A warning quoting the tree's own config or ignore file (an unknown key, an expired
  /// entry's reason) masks a key there as findings do: never in full on standard error
  /// or in the report's warnings.
  @Test func warningsQuotingTheTreeShowNoKeyInFull() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x3A5)
    let key = tokens.string(40, from: TestTokens.alphanumeric)
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n[scan]\n\"\(key)\" = 1\n")
    try tree.write(
      ".vigilignore",
      "[[ignore]]\nfingerprint = \"\(String(repeating: "0", count: 64))\"\nreason = \"rotated \(key)\"\n"
        + "expires = 2020-01-01\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.stderr.contains("unknown key") && output.stderr.contains("expired"), "\(output.stderr)")
    #expect(!output.stderr.contains(key) && !output.stdout.contains(key))
    #expect(output.stderr.contains(String(key.prefix(4)) + "*****"))
  }

  /// Two bytes of UTF-16 byte-order mark on an ASCII script (every line then decodes to
  /// CJK) hide nothing: such a file is read as bytes too, in the tree and in git inputs.
  @Test func aByteOrderMarkHidesNothing() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0xB0E)
    let token = tokens.githubToken()
    // An even length: it decodes as UTF-16 whole.
    try tree.write("deploy.sh", bytes: [0xFF, 0xFE] + Array("\nexport GH=\(token)\n\n\n".utf8))
    try tree.write("odd.sh", bytes: [0xFE, 0xFF] + Array("\nexport GH=\(tokens.githubToken())\n".utf8))
    // A real UTF-16 file is still read as UTF-16.
    try tree.write(
      "real.ps1",
      bytes: [0xFF, 0xFE]
        + Array("$t = '\(tokens.githubToken())'\n".utf16).flatMap {
          [UInt8($0 & 0xFF), UInt8($0 >> 8)]
        })
    let expected = ["deploy.sh", "odd.sh", "real.ps1"]
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return try findings(output).compactMap { $0["path"] as? String }.sorted()
    }
    #expect(try paths(["."]) == expected)
    try Git.run(["add", "."], in: tree.path)
    #expect(try paths(["--staged"]) == expected)
    try Git.run(["commit", "-qm", "marks"], in: tree.path)
    #expect(try paths(["--history"]) == expected)
  }

  /// UTF-16 without a byte-order mark (a PowerShell script as a checkout writes it, also
  /// after 8 KB of CJK, which reads as text) and UTF-32 with or without one (PowerShell's `Out-File -Encoding utf32`) are read
  /// decoded: a byte search finds nothing but NULs between their letters. And a
  /// `working-tree-encoding` of UTF-16 on an ASCII `.env` (git keeps it as CJK in every
  /// blob, and every checkout gives the ASCII file back) hides nothing from git inputs.
  @Test func utf16WithoutAMarkAndUTF16WorkingTreeEncodingsHideNothing() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x16E)
    func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
      text.utf16.flatMap {
        bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)]
      }
    }
    try tree.write("deploy.ps1", bytes: utf16("$t = '\(tokens.githubToken())'\r\n", bigEndian: false))
    try tree.write("tool.ps1", bytes: utf16("# tool\n$t = '\(tokens.githubToken())'\n", bigEndian: true))
    func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
      text.unicodeScalars.flatMap { scalar in
        (bigEndian ? [24, 16, 8, 0] : [0, 8, 16, 24]).map { UInt8((scalar.value >> $0) & 0xFF) }
      }
    }
    try tree.write(
      "wide.ps1", bytes: [0xFF, 0xFE, 0, 0] + utf32("$t = '\(tokens.githubToken())'\n", bigEndian: false))
    try tree.write("wide-be.ps1", bytes: utf32("$t = '\(tokens.githubToken())'\n", bigEndian: true))
    try tree.write(
      "config/.env", bytes: [0, 0, 0xFE, 0xFF] + utf32("DB_PASSWORD=Zq8vT3mW9xLpQ7\n", bigEndian: true))
    // UTF-16 whose first 8,000 bytes hold no NUL (CJK) reads as text.
    try tree.write(
      "cjk.ps1",
      bytes: utf16(
        "# " + String(repeating: "漢字", count: 2_100) + "\n$t = '\(tokens.githubToken())'\n", bigEndian: false)
    )
    // ...and its credentials are read decoded, by the generic rules too: NULs all in one
    // half of their units.
    let password = tokens.string(12, from: "abcdefghkmnpqrstuvwxyz") + tokens.string(4, from: "23456789")
    try tree.write(
      "cjk-password.ps1",
      bytes: utf16(
        "# " + String(repeating: "漢字", count: 2_100) + "\n$password = \"\(password)\"\n", bigEndian: false))
    let wide = [
      "cjk-password.ps1", "cjk.ps1", "config/.env", "deploy.ps1", "tool.ps1", "wide-be.ps1", "wide.ps1",
    ]
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      return Set(try findings(output).compactMap { $0["path"] as? String }).sorted()
    }
    #expect(try paths(["."]) == wide)
    try Git.run(["add", "."], in: tree.path)
    #expect(try paths(["--staged"]) == wide)
    try Git.run(["commit", "-qm", "scripts"], in: tree.path)
    #expect(try paths(["--history"]) == wide)
    try Git.run(["branch", "base"], in: tree.path)
    for order in ["UTF-16LE", "UTF-16BE"] {
      try tree.write(".gitattributes", ".env working-tree-encoding=\(order)\n")
      // An even number of bytes: git takes the file as UTF-16 whole.
      // A NUL pair in it becomes U+0000 in the blob, which then looks binary to git.
      let env = "#\u{0}\u{0}\u{0}\u{0}\nDB_PASSWORD=Zq8vT3mW9xLpQ7\nGITHUB_TOKEN=\(tokens.githubToken())\n\n"
      try tree.write(".env", env.utf8.count % 2 == 0 ? env : env + "\n")
      try Git.run(["add", "."], in: tree.path)
      let blob = try Git.run(["cat-file", "-p", ":.env"], in: tree.path)
      #expect(!blob.contains("DB_PASSWORD"), "git keeps the file as CJK")
      #expect(try paths(["--staged"]) == [".env"], "\(order)")
      try Git.run(["commit", "-qm", order], in: tree.path)
      #expect(try paths(["--range", "base..HEAD"]) == [".env"], "\(order)")
      #expect(try paths(["--history"]).contains(".env"), "\(order)")
      try Git.run(["rm", "-q", "--cached", ".env", ".gitattributes"], in: tree.path)
      try Git.run(["commit", "-qm", "out"], in: tree.path)
      try Git.run(["branch", "-f", "base"], in: tree.path)
    }
  }

  /// A symbolic link is never followed out of the tree, but what it holds is text git
  /// keeps (a key fits in a link's target); and a link named as a secret file (`.env` →
  /// `docs/notes.txt`, which dotenv follows) is read through to the file it names inside
  /// the tree, under its own name, in every mode. Other links add no duplicate findings.
  @Test func linksAreReadForWhatTheyHoldAndSecretFileNamesThrough() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x11C)
    try tree.write("outside/secret.txt", "DB_PASSWORD=\(tokens.string(16, from: TestTokens.base64))\n")
    let repository = tree.path + "/repo"
    try tree.write("repo/README", "readme\n")
    try Git.run(["init", "-q", repository], in: tree.path)
    try Git.run(["add", "."], in: repository)
    try Git.run(["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "base"], in: repository)
    try Git.run(["branch", "base"], in: repository)
    let password = tokens.string(14, from: TestTokens.base64)
    try tree.write("repo/docs/notes.txt", "DB_PASSWORD=\(password)\n")
    #expect(symlink("docs/notes.txt", repository + "/.env") == 0)
    // Never followed: out of the tree, or through another link.
    #expect(symlink("../outside/secret.txt", repository + "/prod.env") == 0)
    #expect(symlink("/etc/hostname", repository + "/abs.env") == 0)
    #expect(symlink("prod.env", repository + "/chain.env") == 0)
    // Nor into the repository's own files: its config holds a checkout's credentials.
    let configured = tokens.string(16, from: TestTokens.alphanumeric)
    try Git.run(["config", "user.password", configured], in: repository)
    #expect(symlink(".git/config", repository + "/.env.git") == 0)
    #expect(symlink("docs/../.GIT/config", repository + "/ci.env") == 0)
    // Followed as the kernel would, inside the tree: a chain of links, a directory link
    // on the way, and `..` above the top that comes back down by the top's own name.
    #expect(symlink("notes.txt", repository + "/docs/alias") == 0)
    #expect(symlink("docs/alias", repository + "/.env.staging") == 0)
    #expect(symlink("docs", repository + "/cfg") == 0)
    #expect(symlink("cfg/notes.txt", repository + "/.env.prod") == 0)
    #expect(symlink("../repo/docs/notes.txt", repository + "/.env.local") == 0)
    // An absolute name, as where the tree is deployed (`COPY . /app`): the end of it
    // that names a file of the tree.
    #expect(symlink("/app/docs/notes.txt", repository + "/.env.docker") == 0)
    // A key kept as a link's target.
    let (begin, end) = ("-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----")
    let key = ([begin] + (0..<6).map { _ in tokens.string(64, from: TestTokens.base64) } + [end])
      .joined(separator: "\n")
    #expect(symlink(key, repository + "/deploy_key") == 0)
    // A link by any other name adds nothing of its target's.
    try tree.write("repo/settings.py", "token = \"\(tokens.githubToken())\"\n")
    #expect(symlink("settings.py", repository + "/config.py") == 0)
    func found(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(
        ["scan", "--format", "json", "--no-cache"] + arguments, in: repository)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      #expect(!output.stdout.contains(password), "\(arguments)")
      #expect(!output.stdout.contains(configured.dropFirst(4)), "\(arguments)")
      return try findings(output).compactMap { finding in
        (finding["path"] as? String).map { "\($0) \(finding["ruleId"] as? String ?? "")" }
      }.sorted()
    }
    let expected = [
      ".env dotenv-file", ".env.docker dotenv-file", ".env.local dotenv-file", ".env.prod dotenv-file",
      ".env.staging dotenv-file", "deploy_key private-key", "settings.py github-token",
    ]
    #expect(try found(["."]) == expected)
    try Git.run(["add", "."], in: repository)
    #expect(try found(["--staged"]) == expected)
    try Git.run(["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "links"], in: repository)
    #expect(try found(["--range", "base..HEAD"]) == expected)
    #expect(try found(["--history"]) == expected)
  }

  /// The file a secret-file link names, edited after the link was made, is read under
  /// the link's name in every git input (and a history that read it so leaves no cache,
  /// which keeps changes by their own paths: the next scan finds it again).
  @Test func aLinkedFileEditedLaterIsReadUnderTheLinksName() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    try tree.write("docs/notes.txt", "nothing here\n")
    #expect(symlink("docs/notes.txt", tree.path + "/.env") == 0)
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "link"], in: tree.path)
    try Git.run(["branch", "base"], in: tree.path)
    var tokens = TestTokens(seed: 0x1E7)
    try tree.write("docs/notes.txt", "DB_PASSWORD=\(tokens.string(14, from: TestTokens.base64))\n")
    try Git.run(["add", "."], in: tree.path)
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(
        ["scan", "--format", "json"] + arguments, in: tree.path, environment: ["XDG_CACHE_HOME": cache.path])
      return try findings(output).compactMap { $0["path"] as? String }
    }
    #expect(try paths(["--staged"]) == [".env"])
    try Git.run(["commit", "-qm", "password"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == [".env"])
    for _ in 0..<2 { #expect(try paths(["--history"]) == [".env"]) }
  }

  /// A link blob whose text runs on past a NUL is the link before the NUL once checked
  /// out (`symlink` stops there): read through as that; and a file a secret-file link
  /// names that is too large to read fails `--strict` as any unread file does.
  @Test func aLinkBlobWithANulAndATooLargeTargetHideNothing() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x4C1)
    let password = tokens.string(14, from: TestTokens.base64)
    try tree.write("docs/notes.txt", "DB_PASSWORD=\(password)\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "notes"], in: tree.path)
    try Git.run(["branch", "base"], in: tree.path)
    try tree.write("blob.tmp", bytes: Array("docs/notes.txt".utf8) + [0] + Array("zzz".utf8))
    let sha = try Git.run(["hash-object", "-w", "blob.tmp"], in: tree.path)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(atPath: tree.path + "/blob.tmp")
    try Git.run(["update-index", "--add", "--cacheinfo", "120000,\(sha),.env"], in: tree.path)
    func status(_ arguments: [String]) throws -> ProcessOutput {
      try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
    }
    for arguments in [["--staged"], ["--staged", "--strict", "--max-file-size", "16"]] {
      let output = try status(arguments)
      #expect(output.status == (arguments.contains("--strict") ? 2 : 1), "\(arguments): \(output.stderr)")
    }
    #expect(try findings(status(["--staged"])).compactMap { $0["path"] as? String } == [".env"])
    try Git.run(["commit", "-qm", "link"], in: tree.path)
    for arguments in [["--range", "base..HEAD"], ["--history"]] {
      let output = try status(arguments)
      #expect(try findings(output).compactMap { $0["path"] as? String } == [".env"], "\(arguments)")
      #expect(try status(arguments + ["--strict", "--max-file-size", "16"]).status == 2, "\(arguments)")
    }
  }

  /// Any `working-tree-encoding` git can write out (EBCDIC's `IBM037` keeps an ASCII
  /// `.env` as Latin letters in its blobs): git inputs read the blob as it is checked out.
  @Test func anEBCDICWorkingTreeEncodingHidesNothing() throws {
    let tree = try Git.repository()
    try Git.run(["branch", "base"], in: tree.path)
    try tree.write(".gitattributes", ".env working-tree-encoding=IBM037\n")
    var tokens = TestTokens(seed: 0xEBC)
    try tree.write(".env", "DB_PASSWORD=\(tokens.string(14, from: TestTokens.base64))\n")
    try Git.run(["add", "."], in: tree.path)
    #expect(!(try Git.run(["cat-file", "-p", ":.env"], in: tree.path)).contains("DB_PASSWORD"))
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return Set(try findings(output).compactMap { $0["path"] as? String }).sorted()
    }
    #expect(try paths(["--staged"]) == [".env"])
    try Git.run(["commit", "-qm", "ebcdic"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == [".env"])
    #expect(try paths(["--history"]) == [".env"])
    // A later commit that drops the attribute (and the file) leaves the work tree with
    // none: the history's own `.gitattributes` still say how the commit was checked out.
    try Git.run(["rm", "-q", ".gitattributes", ".env"], in: tree.path)
    try Git.run(["commit", "-qm", "cleanup"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == [".env"])
    #expect(try paths(["--history"]) == [".env"])
    // An attribute in a subdirectory's file, declared before the range.
    try tree.write("conf/.gitattributes", "*.env working-tree-encoding=IBM037\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "attributes"], in: tree.path)
    try Git.run(["branch", "-f", "base"], in: tree.path)
    try tree.write("conf/prod.env", "DB_PASSWORD=\(tokens.string(14, from: TestTokens.base64))\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "prod"], in: tree.path)
    try Git.run(["rm", "-q", "conf/.gitattributes", "conf/prod.env"], in: tree.path)
    try Git.run(["commit", "-qm", "cleanup"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == ["conf/prod.env"])
    // Declared through a macro for a quoted pattern, then dropped.
    try Git.run(["branch", "-f", "base"], in: tree.path)
    try tree.write(".gitattributes", "[attr]legacy working-tree-encoding=IBM037\n\"app.env\" legacy\n")
    try tree.write("app.env", "DB_PASSWORD=\(tokens.string(14, from: TestTokens.base64))\n")
    try Git.run(["add", "."], in: tree.path)
    #expect(!(try Git.run(["cat-file", "-p", ":app.env"], in: tree.path)).contains("DB_PASSWORD"))
    try Git.run(["commit", "-qm", "legacy"], in: tree.path)
    try Git.run(["rm", "-q", ".gitattributes", "app.env"], in: tree.path)
    try Git.run(["commit", "-qm", "cleanup"], in: tree.path)
    #expect(try paths(["--range", "base..HEAD"]) == ["app.env"])
    // Made-up names ahead of the real one take none of the places a history tries; past
    // those places, real ones left out are a warning that --strict fails on.
    let decoys = (1...16).map { String(format: "working-tree-encoding=0X%02d", $0) }.joined(separator: " ")
    try tree.write(".gitattributes", "# \(decoys)\nsecrets.env working-tree-encoding=IBM037\n")
    try tree.write("secrets.env", "DB_PASSWORD=\(tokens.string(14, from: TestTokens.base64))\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "decoys"], in: tree.path)
    try Git.run(["rm", "-q", ".gitattributes", "secrets.env"], in: tree.path)
    try Git.run(["commit", "-qm", "cleanup"], in: tree.path)
    #expect(try paths(["--history"]).contains("secrets.env"))
    let real = [
      "CP1250", "CP1251", "CP1252", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257", "CP1258", "CP437",
      "CP850", "CP852", "CP855", "CP857", "CP860", "CP861", "CP862",
    ]
    try tree.write(".gitattributes", real.map { "*.txt working-tree-encoding=\($0)\n" }.joined())
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "many"], in: tree.path)
    // A scan that left some out leaves no cache a later --strict scan would resume from.
    let cache = try TemporaryTree()
    _ = try VigilBinary.run(
      ["scan", "--history", "-q"], in: tree.path, environment: ["XDG_CACHE_HOME": cache.path])
    let strict = try VigilBinary.run(
      ["scan", "--history", "--strict", "-q"], in: tree.path, environment: ["XDG_CACHE_HOME": cache.path])
    #expect(strict.status == 2, "\(strict.stderr)")
    #expect(strict.stderr.contains("working-tree encoding"), "\(strict.stderr)")
  }

  /// A file written in EBCDIC or UTF-7 where `.gitattributes` declare it so is kept as
  /// plain UTF-8, which `git show` and a web view show, and checked out in its encoding
  /// (a clone in CI): a scan of the tree reads it as the repository keeps it.
  @Test func aFileCheckedOutInItsOwnEncodingIsReadAsTheRepositoryKeepsIt() throws {
    let tree = try Git.repository()
    try tree.write(
      ".gitattributes", "*.cfg working-tree-encoding=IBM037\n*.ini working-tree-encoding=UTF-7\n")
    var tokens = TestTokens(seed: 1210)
    let password = tokens.string(14, from: TestTokens.base64)
    let written = try ProcessRunner.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "text = 'API_PASSWORD=\(password)\\n'; open('app.cfg', 'wb').write(text.encode('cp037'));"
          + " open('app.ini', 'wb').write(text.encode('utf-7'))",
      ], in: tree.path)
    #expect(written.status == 0, "\(written.stderr)")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "encoded"], in: tree.path)
    #expect(try Git.run(["show", "HEAD:app.cfg"], in: tree.path).contains("API_PASSWORD"))
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let found = Set(try findings(output).compactMap { $0["path"] as? String })
    #expect(found == ["app.cfg", "app.ini"], "\(output.stderr)")
  }

  /// In a program, a finding shows its secret masked and nothing around it (the bytes
  /// around may hold it again, as UTF-16, which no mask finds), and an allow marker
  /// somewhere in the program does not silence it.
  @Test func aProgramsFindingShowsNoSurroundingBytesAndTakesNoInlineAllow() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x9E0)
    let token = tokens.githubToken()
    var random = SeededGenerator(seed: 9)
    var program: [UInt8] = (0..<2048).map { _ in UInt8.random(in: 0...255, using: &random) }
    program += [0, 1] + Array(token.utf8) + [0, 0] + token.utf16.flatMap { [UInt8($0 & 0xFF), 0] }
    program += [2, 3] + Array("put gitleaks:allow on the line to allow it".utf8) + [0]
    program += (0..<2048).map { _ in UInt8.random(in: 0...255, using: &random) }
    try tree.write("tool.dll", bytes: program)
    for format in ["json", "text", "sarif", "csv", "html", "junit"] {
      let output = try VigilBinary.run(["scan", "--format", format, tree.path])
      #expect(output.status == 1, "\(format): \(output.stderr)")
      let shown = output.stdout.replacingOccurrences(of: "\\u0000", with: "")
        .replacingOccurrences(of: "\\x00", with: "").replacingOccurrences(of: "\u{0}", with: "")
      #expect(!shown.contains(token), "\(format) shows the secret")
      // The UTF-16 copy is shown as its characters, not with a NUL after each.
      if format == "json" {
        let secrets = try findings(output).compactMap { $0["secret"] as? String }
        #expect(secrets == ["ghp_*****", "ghp_*****"], "\(secrets)")
        #expect(output.stdout.contains("(decoded from UTF-16)"))
      }
    }
  }

  /// A path named on the command line that goes through a link in the tree (a pull
  /// request replacing `src` by a link to the runner's home) is not followed, as the
  /// walk follows none; one outside the tree is the user's own. When every path named
  /// is such a link the scan would read nothing and pass: an error, as a missing path is.
  @Test func aPathArgumentThroughALinkInTheTreeIsNotFollowed() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x5EC)
    try tree.write("outside/creds.py", "tok = \"\(tokens.githubToken())\"\n")
    try tree.write("repo/app.py", "x = 1\n")
    let repository = tree.path + "/repo"
    try Git.run(["init", "-q"], in: repository)
    #expect(symlink("../outside", repository + "/src") == 0)
    #expect(symlink("../outside/creds.py", repository + "/config.py") == 0)
    for arguments in [["src"], ["src/creds.py"], ["config.py"], ["sub/../src"]] {
      let output = try VigilBinary.run(["scan"] + arguments, in: repository)
      #expect(output.status == 2, "\(arguments): \(output.stdout)")
      #expect(
        output.stderr.contains("symbolic link inside the scanned tree"), "\(arguments): \(output.stderr)")
      #expect(!output.stdout.contains("creds.py"))
    }
    // Beside a path that is scanned: not scanned as asked, counted as unread, and
    // `--strict` fails.
    let mixed = try VigilBinary.run(["scan", "app.py", "src"], in: repository)
    #expect(mixed.status == 0 && mixed.stderr.contains("skipped: 1 unreadable"), "\(mixed.stderr)")
    #expect(try VigilBinary.run(["scan", "--strict", "app.py", "src"], in: repository).status == 2)
    let listed = try VigilBinary.run(["files", "src"], in: repository)
    #expect(!listed.stdout.contains("creds.py"))
    #expect(
      listed.status == 2 && listed.stderr.contains("symbolic link inside the scanned tree"),
      "\(listed.stderr)")
    // From elsewhere too: the link is in a git work tree.
    let elsewhere = try VigilBinary.run(["scan", repository + "/src"], in: tree.path + "/outside")
    #expect(elsewhere.status == 2, "\(elsewhere.stderr)")
    // A link in no work tree, outside the working directory, is the user's own: followed.
    #expect(symlink("outside", tree.path + "/mine") == 0)
    let own = try VigilBinary.run(["scan", tree.path + "/mine"], in: repository)
    #expect(own.status == 1, "\(own.stderr)")
  }

  /// A directory shaped like a bare repository (`HEAD`, `objects/`, `refs/`: an unpacked
  /// archive can be) is no repository to a tree scan: its ignore files hide nothing.
  @Test func aTreeShapedLikeABareRepositoryIsScannedWhole() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xBA5E)
    try tree.write("HEAD", "ref: refs/heads/main\n")
    try tree.write("objects/.keep", "")
    try tree.write("refs/.keep", "")
    try tree.write(".gitignore", "*\n")
    try tree.write("info/exclude", "*\n")
    try tree.write("app.py", "t = '\(tokens.githubToken())'\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).compactMap { $0["path"] as? String } == ["app.py"])
  }

  @Test func linksFIFOsDeepTreesAndOddNames() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 112)
    let token = tokens.githubToken()
    try tree.write("found.txt", "t = \(token)\n")
    try FileManager.default.createSymbolicLink(atPath: tree.path + "/loop", withDestinationPath: tree.path)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/dangling", withDestinationPath: tree.path + "/nowhere")
    try FileManager.default.createDirectory(atPath: tree.path + "/cycle", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: tree.path + "/cycle/up", withDestinationPath: "..")
    #expect(mkfifo(tree.path + "/pipe", 0o600) == 0)
    let deep = (0..<300).map { "d\($0 % 10)" }.joined(separator: "/")
    try tree.write(deep + "/deep.txt", "t = \(tokens.githubToken())\n")
    // A file name that is not UTF-8: opened by its bytes, reported escaped.
    let odd: [UInt8] = Array((tree.path + "/caf").utf8) + [0xE9] + Array(".txt".utf8)
    let handle = (odd + [0]).withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
    }
    #expect(handle >= 0)
    _ = Array("t = \(tokens.githubToken())\n".utf8).withUnsafeBytes {
      write(handle, $0.baseAddress, $0.count)
    }
    close(handle)

    let (output, findings) = try scan(tree)
    #expect(output.status == 1, "\(output.stderr)")
    let paths = findings.compactMap { $0["path"] as? String }
    #expect(paths.contains("found.txt"))
    #expect(paths.contains(deep + "/deep.txt"))
    #expect(paths.contains("caf\\xE9.txt"))
    #expect(paths.count == 3)
    #expect(output.stderr.contains("3 symlink"))
    #expect(output.stderr.contains("1 not a regular file"))
  }

  @Test func aFileDeletedOrTruncatedDuringTheScanDoesNotStopIt() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 113)
    try tree.write("kept.txt", "t = \(tokens.githubToken())\n")
    for index in 0..<400 { try tree.write("churn/f\(index).txt", String(repeating: "x", count: 2000) + "\n") }
    let root = tree.path
    let deleter = Thread {
      for index in 0..<400 where index % 2 == 0 {
        try? FileManager.default.removeItem(atPath: root + "/churn/f\(index).txt")
        _ = truncate(root + "/churn/f\(index + 1).txt", 0)
      }
    }
    deleter.start()
    let (output, findings) = try scan(tree)
    while !deleter.isFinished { usleep(1000) }
    #expect(output.status == 1, "\(output.stderr)")
    #expect(findings.compactMap { $0["path"] as? String } == ["kept.txt"])
  }

  /// vigil run as nobody when the tests run as root: permissions do not stop root.
  private func runAsNobody(_ arguments: [String], in directory: String? = nil) throws -> ProcessOutput {
    getuid() == 0
      ? try ProcessRunner.run(
        "/usr/bin/setpriv",
        ["--reuid=65534", "--regid=65534", "--clear-groups", VigilBinary.path] + arguments,
        in: directory, environment: ["PATH": "/usr/bin:/bin"])
      : try VigilBinary.run(arguments, in: directory)
  }

  @Test func anUnreadableDirectoryIsReportedAndTheRestScanned() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 115)
    try tree.write("found.txt", "t = \(tokens.githubToken())\n")
    try tree.write("locked/inside.txt", "t = \(tokens.githubToken())\n")
    #expect(chmod(tree.path, 0o755) == 0 && chmod(tree.path + "/locked", 0) == 0)
    defer { chmod(tree.path + "/locked", 0o755) }
    func run(_ extra: [String]) throws -> ProcessOutput {
      try runAsNobody(["scan", "--format", "json"] + extra + [tree.path])
    }
    let output = try run([])
    #expect(output.status == 1, "\(output.stderr)")
    // --strict: a scan that could not read everything does not pass.
    let strict = try run(["--strict"])
    #expect(strict.status == 2, "\(strict.stderr)")
    #expect(strict.stderr.contains("--strict: 1 file or directory could not be read"), "\(strict.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    #expect((object?["findings"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["found.txt"])
    #expect(output.stderr.contains("locked: warning: cannot read directory (Permission denied)"))
    #expect(output.stderr.contains("1 unreadable"))
  }

  /// One NUL byte in a comment makes a file binary to git, and node and rustc still take
  /// it: text with a few such bytes is read by every rule, the code rules too; a script
  /// or a settings file with thousands, by the code and the generic secret rules.
  @Test func aNulInACommentHidesNoCodeFinding() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/api.js",
      bytes: Array(
        "const https = require('https');\nconst agent = new https.Agent({ rejectUnauthorized: false });\n"
          .utf8) + Array("// ".utf8) + [0] + [0x0A])
    try tree.write(
      "src/main.rs",
      bytes: Array("fn main() { let v = std::env::var(\"X\").unwrap(); }\n// ".utf8) + [0, 0x0A])
    // Dozens of them (the file then looks like a program): still source code.
    try tree.write(
      "src/many.js",
      bytes: Array("const agent = new https.Agent({ rejectUnauthorized: false });\n// ".utf8)
        + [UInt8](repeating: 0, count: 60) + [0x0A])
    // Thousands: a password in a script or a settings file is read by the generic rules.
    var tokens = TestTokens(seed: 1206)
    let password = tokens.string(12, from: "abcdefghkmnpqrstuvwxyz") + tokens.string(4, from: "23456789")
    let nuls = [UInt8](repeating: 0, count: 2_000)
    try tree.write(
      "src/config.js", bytes: Array("//".utf8) + nuls + Array("\nconst password = \"\(password)\";\n".utf8))
    try tree.write(
      "conf/app.properties", bytes: Array("#".utf8) + nuls + Array("\ndb.password=\(password)\n".utf8))
    let found = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let rules = try findings(found).map { "\($0["path"] as? String ?? ""):\($0["ruleId"] as? String ?? "")" }
    #expect(rules.contains("src/api.js:tls-reject-unauthorized-node"), "\(rules)")
    #expect(rules.contains("src/main.rs:rust-unwrap"), "\(rules)")
    #expect(rules.contains("src/many.js:tls-reject-unauthorized-node"), "\(rules)")
    #expect(rules.contains("src/config.js:generic-secret-assignment"), "\(rules)")
    #expect(rules.contains("conf/app.properties:generic-secret-config"), "\(rules)")
  }

  /// A path named on the command line that vigil may not read is an error (exit 2), as a
  /// missing one is: a scan of nothing must not pass.
  @Test func aNamedPathThatCannotBeReadIsAnError() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 116)
    try tree.write("locked/inside.txt", "t = \(tokens.githubToken())\n")
    try tree.write("unread.py", "t = '\(tokens.githubToken())'\n")
    #expect(chmod(tree.path, 0o755) == 0 && chmod(tree.path + "/locked", 0) == 0)
    #expect(chmod(tree.path + "/unread.py", 0) == 0)
    defer { chmod(tree.path + "/locked", 0o755) }
    for name in ["locked", "unread.py"] {
      let output = try runAsNobody(["scan", name], in: tree.path)
      #expect(output.status == 2, "\(name): \(output.stderr)")
      #expect(output.stderr.contains("\(name): cannot read it (Permission denied)"), "\(output.stderr)")
    }
    #expect(mkfifo(tree.path + "/pipe", 0o644) == 0)
    let fifo = try VigilBinary.run(["scan", "pipe"], in: tree.path, timeout: 20)
    #expect(
      fifo.status == 2 && fifo.stderr.contains("pipe: cannot read it (not a regular file"), "\(fifo.stderr)")
  }

  /// A file past `--max-file-size` is not read (said in the summary); `--strict` does not
  /// pass a scan that left one unread, in the tree and in git inputs.
  @Test func strictFailsOnAFileTooLargeToRead() throws {
    let tree = try Git.repository()
    try tree.write(".env", "DB_PASSWORD=Zq8vT3mW9xLpQ7\n" + String(repeating: "# ......\n", count: 1_000))
    try Git.run(["add", "."], in: tree.path)
    for mode in [["."], ["--staged"]] {
      let lenient = try VigilBinary.run(["scan", "--max-file-size", "4096"] + mode, in: tree.path)
      #expect(lenient.status == 0, "\(mode): \(lenient.stderr)")
      let strict = try VigilBinary.run(["scan", "--max-file-size", "4096", "--strict"] + mode, in: tree.path)
      #expect(strict.status == 2, "\(mode): \(strict.stderr)")
      #expect(strict.stderr.contains("--strict: 1 file was larger than --max-file-size"), "\(strict.stderr)")
    }
  }

  /// A line built to make a rule's pattern backtrack past PCRE2's limit (`password =
  /// String` and 700 spaces, which the generic rule took cubic time over) loses that
  /// rule only the window of that keyword: a password later on the line is still found,
  /// the built-in rule no longer gives up at all, and a rule that does fails `--strict`.
  @Test func aPatternThatGivesUpLosesOnlyItsKeywordsWindowAndFailsStrict() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x5ACE)
    let password = tokens.string(19, from: TestTokens.alphanumeric) + "7"
    let name = "pass" + "word"
    try tree.write(
      "settings.py",
      "DEFAULTS = 1; \(name) = String" + String(repeating: " ", count: 700)
        + "x; DB_\(name.uppercased()) = \"\(password)\"\n")
    // A rule of the user's in the generic rule's old shape: three `\s*` over the spaces.
    try tree.write(
      "rules.toml",
      """
      [[rules]]
      id = "catastrophic"
      description = "x"
      regex = '''(?i)\(name)\\s*=\\s*(?:String\\??\\s*=?\\s*\\(?\\s*)?\\\\?"(\\w{12,})"'''
      keywords = ["\(name)"]
      windowed = true
      windowStart = "name"

      """)
    try Git.run(["add", "settings.py"], in: tree.path)
    for mode in [["."], ["--staged"]] {
      let builtIn = try VigilBinary.run(["scan", "--strict", "--format", "json"] + mode, in: tree.path)
      #expect(builtIn.status == 1, "\(mode): \(builtIn.stderr)")
      #expect(builtIn.stdout.contains("generic-secret-assignment"), "\(mode)")
      #expect(!builtIn.stderr.contains("gave up"), "\(mode): \(builtIn.stderr)")
      let custom = try VigilBinary.run(
        ["scan", "--config", "rules.toml", "--format", "json"] + mode, in: tree.path)
      #expect(custom.status == 1, "\(mode): \(custom.stderr)")
      #expect(custom.stderr.contains("rule 'catastrophic': the pattern gave up"), "\(mode): \(custom.stderr)")
      #expect(custom.stdout.contains(String(password.prefix(4))), "\(mode)")
      let strict = try VigilBinary.run(["scan", "--config", "rules.toml", "--strict"] + mode, in: tree.path)
      #expect(strict.status == 2, "\(mode): \(strict.stderr)")
      #expect(
        strict.stderr.contains("--strict: a rule's pattern gave up on part of 1 file"), "\(strict.stderr)")
    }
  }

  /// A SQL string that never closes, holding thousands of interpolations (`"select a
  /// from b #{c} …`): each language's rule once scanned from every hole to the end of
  /// the line (a 0.8 MB C# line took 12 s, Java's 0.4 MB 6 s); the closing quote is
  /// looked for once, and holes are bounded. Seconds apart, not a benchmark.
  @Test func unclosedSQLStringsFullOfHolesCostTheirLength() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x5A1)
    let holes = 20_000
    let files = [
      ("a.cs", "x = $\"", "select a from b {c} "), ("b.java", "x = String.format(\"", "select a from b %s "),
      ("c.kt", "val x = \"", "select a from b ${c} "), ("d.rb", "x = \"", "select a from b #{c} "),
      ("e.rs", "let x = format!(\"", "select a from b {:c "),
    ]
    for (name, head, hole) in files {
      try tree.write(name, head + String(repeating: hole, count: holes) + "\n")
    }
    try tree.write("creds.py", "token = \"\(tokens.githubToken())\"\n")
    let started = Date()
    let (output, findings) = try scan(tree)
    let elapsed = Date().timeIntervalSince(started)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(
      findings.contains { $0["ruleId"] as? String == "github-token" && $0["path"] as? String == "creds.py" })
    #expect(elapsed < 6, "\(elapsed) s")
  }

  /// A CloudFormation resource named for a credential, its properties nested deeper
  /// than twelve lines down: the parameter rule once tried every split of each line's
  /// indentation (a 1 KB template passed PCRE2's match limit, 18 KB ones took seconds).
  /// The template's real parameter default is still reported.
  @Test func deeplyNestedTemplateLinesCostTheirLength() throws {
    let tree = try TemporaryTree()
    var template = """
      AWSTemplateFormatVersion: '2010-09-09'
      Parameters:
        AdminPassword:
          Type: String
          NoEcho: true
          Default: Kq7vTz2mXw9
      Resources:
        ServiceSecret:
          Type: AWS::SecretsManager::Secret
          Properties:

      """
    for index in 0..<14 {
      template += "      Tags:\n        - Key: team\n          Value: platform-\(index)\n"
    }
    try tree.write("stack.yaml", template)
    let (output, findings) = try scan(tree)
    #expect(!output.stderr.contains("gave up"), "\(output.stderr)")
    #expect(findings.map { $0["ruleId"] as? String } == ["cloudformation-parameter-default-secret"])
  }

  @Test func aHugeMinifiedLineIsCutAroundTheMatch() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 114)
    let line =
      String(repeating: "var a=function(b){return b};", count: 720_000) + " t=\"\(tokens.githubToken())\";"
    try tree.write("bundle.min.js", line)
    #expect(line.utf8.count > 20_000_000)
    let (output, findings) = try scan(tree)
    #expect(output.status == 1)
    let snippet = try #require(findings.first?["snippet"] as? String)
    #expect(snippet.utf8.count < 300)
    #expect(snippet.hasPrefix("…"))
  }
}

/// Nothing outside the scanned root is read, however the tree is arranged.
@Suite struct ConfinementTests {
  /// A tracked file that an ignore file also lists is scanned through git's list; once
  /// its directory was swapped for a link to a directory outside, the file outside was
  /// read and its content reported.
  @Test func aTrackedIgnoredFileBehindASwappedDirectoryIsNotRead() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x0_5A9)
    let outsideSecret = tokens.githubToken()
    try tree.write("outside/credentials", "token = \(outsideSecret)\n")
    let repository = tree.path + "/repo"
    try tree.write("repo/.gitignore", "link/\n")
    try tree.write("repo/link/credentials", "nothing here\n")
    try tree.write("repo/found.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try Git.run(["init", "-q"], in: repository)
    try Git.run(["add", "-f", "."], in: repository)
    try Git.run(["commit", "-qm", "one"], in: repository)
    try FileManager.default.removeItem(atPath: repository + "/link")
    try FileManager.default.createSymbolicLink(
      atPath: repository + "/link", withDestinationPath: "../outside")
    // The control: the tracked path now leads outside.
    #expect(
      (try? String(contentsOfFile: repository + "/link/credentials", encoding: .utf8))?.contains(
        outsideSecret)
        == true)

    let output = try VigilBinary.run(["scan", "--format", "json", "--no-redact", repository])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(!output.stdout.contains(outsideSecret) && !output.stderr.contains(outsideSecret))
    #expect(try findings(output).compactMap { $0["path"] as? String } == ["found.py"])
  }
}

/// A name the scanned tree controls reaches the terminal escaped: it cannot move the
/// cursor, rewrite a line, or draw a fake "vigil: 0 findings".
@Suite struct TerminalEscapingTests {
  @Test func fileNamesAndWarningsAreEscaped() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xE5C)
    let hostile = "evil\u{1B}[2K\rvigil: 0 findings\u{9B}x\u{7F}\n.py"
    try tree.write(hostile, "TOKEN = \"\(tokens.githubToken())\"\n")
    try tree.write("odd\u{1B}]0;title\u{07}dir/.vigil.toml", "[extend]\nuseDefault = true\nunknownKey = 1\n")
    let scan = try VigilBinary.run(["scan", tree.path])
    #expect(scan.status == 1, "\(scan.stderr)")
    let files = try VigilBinary.run(["files", tree.path])
    for (name, output) in [("scan", scan), ("files", files)] {
      for control in ["\u{1B}", "\r", "\u{9B}", "\u{7F}", "\u{07}"] {
        #expect(!output.stdout.contains(control), "\(name) stdout holds a raw control character")
        #expect(!output.stderr.contains(control), "\(name) stderr holds a raw control character")
      }
    }
    #expect(scan.stdout.contains("evil\\x1B[2K\\x0Dvigil: 0 findings\\x9Bx\\x7F\\x0A.py"), "\(scan.stdout)")
    #expect(files.stdout.contains("evil\\x1B[2K\\x0D"), "\(files.stdout)")
    #expect(scan.stderr.contains("odd\\x1B]0;title\\x07dir"), "\(scan.stderr)")
  }

  /// Characters that show text in another order than it is read (a right-to-left
  /// override) or break a line without a line feed, in a file name: escaped in the text
  /// report and in CSV, as control characters are.
  @Test func bidirectionalOverridesAndLineSeparatorsAreEscaped() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xB1D)
    try tree.write("a\u{202E}yp.exe\u{2028}\u{1B}x.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    for format in ["text", "csv"] {
      let output = try VigilBinary.run(["scan", "--format", format, tree.path])
      #expect(output.status == 1, "\(output.stderr)")
      for raw in ["\u{202E}", "\u{2028}", "\u{1B}"] { #expect(!output.stdout.contains(raw), "\(format)") }
      #expect(output.stdout.contains("a\\u{202E}yp.exe\\u{2028}\\x1Bx.py"), "\(format): \(output.stdout)")
    }
  }

  /// `vigil rules` and `rules explain` print rule text from the `.vigil.toml` of the
  /// directory they run in, which a cloned repository wrote: escaped too.
  @Test func ruleTextFromARepositorysConfigIsEscaped() throws {
    let tree = try TemporaryTree()
    try tree.write(
      ".vigil.toml",
      """
      [extend]
      useDefault = true
      [[rules]]
      id = "acme-key"
      description = "Acme \\u001b]0;pwned\\u0007 key"
      remediation = "Rotate it \\u001b[2J now"
      category = "secret"
      severity = "error"
      regex = "acme_[a-z0-9]{16}"
      keywords = ["acme_"]
      [rules.examples]
      match = ["k = «acme_0123456789abcdef»"]

      """)
    for arguments in [["rules"], ["rules", "explain", "acme-key"], ["rules", "--markdown"]] {
      let output = try VigilBinary.run(arguments, in: tree.path)
      #expect(output.status == 0, "\(arguments): \(output.stderr)")
      #expect(output.stdout.contains("Acme \\x1B]0;pwned\\x07 key"), "\(arguments): \(output.stdout)")
      #expect(!output.stdout.contains("\u{1B}") && !output.stdout.contains("\u{07}"), "\(arguments)")
    }
  }
}

/// An ignore file that is a FIFO (a read of it never ends) once hung the walk: it is
/// skipped with a warning, and the scan finds what it would have found, at once (not
/// after git's listing times out: git opens a `.gitignore` beside a tracked file with a
/// blocking read).
@Suite struct SpecialIgnoreFileTests {
  @Test(arguments: ["info/exclude", "core.excludesFile", "sub/.gitignore"])
  func aFIFOAsAnIgnoreFileIsSkippedWithAWarning(place: String) throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xF1F0)
    let repository = tree.path + "/repo"
    try tree.write("repo/sub/found.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try tree.write("repo/sub/tracked.txt", "nothing\n")
    try Git.run(["init", "-q"], in: repository)
    try Git.run(["add", "sub/tracked.txt"], in: repository)
    try Git.run(["commit", "-qm", "one"], in: repository)
    let home = tree.path + "/home"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let fifo: String
    switch place {
    case "info/exclude": fifo = repository + "/.git/info/exclude"
    case "core.excludesFile":
      fifo = tree.path + "/global-ignore"
      try tree.write("home/.gitconfig", "[core]\n\texcludesFile = \(fifo)\n")
    default: fifo = repository + "/sub/.gitignore"
    }
    try? FileManager.default.removeItem(atPath: fifo)
    #expect(mkfifo(fifo, 0o600) == 0)
    let output = try VigilBinary.run(
      ["scan", "--format", "json", repository], environment: ["HOME": home], timeout: 20)
    #expect(!output.timedOut, "the scan blocked on the FIFO")
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).compactMap { $0["path"] as? String } == ["sub/found.py"])
    #expect(output.stderr.contains("ignore file is not a regular file"), "\(output.stderr)")
  }
}

/// Which tracked files the ignore files list is vigil's to judge, not git's: a pattern
/// git takes minutes over (eight `**/a/` groups beside a directory 59 deep) once ran
/// `git ls-files --ignored` past its time limit, and a committed `.env` the same
/// `.gitignore` lists was never read.
@Suite struct TrackedIgnoredFileTests {
  /// A committed link the ignore files list is read as a link is: a `.env` naming a
  /// file of the tree is read through to it.
  @Test func aTrackedLinkIsReadThroughWhateverIgnoresIt() throws {
    let tree = try Git.repository()
    try tree.write("notes.txt", "DB_PASSWORD=Zq8vT3mW9xLpQ7\n")
    #expect(symlink("notes.txt", tree.path + "/.env") == 0)
    try tree.write(".gitignore", ".env\n")
    try Git.run(["add", "-f", "."], in: tree.path)
    try Git.run(["commit", "-qm", "tracked link"], in: tree.path)
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).compactMap { $0["path"] as? String }.contains(".env"))
  }

  /// A submodule under a directory the ignore files list is walked as its own repository
  /// (git tracks its top): a scan from the root reads it too.
  @Test func aTrackedSubmoduleUnderAnIgnoredDirectoryIsWalked() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x5B)
    let module = tree.path + "/module"
    try Git.run(["init", "-q", module], in: tree.path)
    try tree.write("module/settings.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: module)
    try Git.run(["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "module"], in: module)
    let repository = tree.path + "/repo"
    try Git.run(["init", "-q", repository], in: tree.path)
    try Git.run(
      ["-c", "protocol.file.allow=always", "submodule", "add", "-q", module, "libs/module"], in: repository)
    try tree.write("repo/.gitignore", "libs/\n")
    try Git.run(["add", "-f", ".gitignore"], in: repository)
    try Git.run(["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "submodule"], in: repository)
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: repository)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).compactMap { $0["path"] as? String } == ["libs/module/settings.py"])
  }

  @Test func aTrackedFileIsReadWhateverThePatternsBesideIt() throws {
    let tree = try Git.repository()
    let deep = Array(repeating: "a", count: 59).joined(separator: "/")
    try tree.write(deep + "/c.py", "x = 1\n")
    try tree.write(".env", "DB_PASSWORD=Zq8vT3mW9xLpQ7\n")
    try Git.run(["add", "-A"], in: tree.path)
    // Written after `git add -A`, which would itself take git those minutes.
    try tree.write(".gitignore", ".env\n" + String(repeating: "**/a/", count: 8) + "b\n")
    try Git.run(["add", ".gitignore"], in: tree.path)
    try Git.run(["commit", "-qm", "tracked"], in: tree.path)
    let output = try VigilBinary.run(
      ["scan", "--strict", "--format", "json", "."], in: tree.path, timeout: 20)
    #expect(!output.timedOut)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).compactMap { $0["path"] as? String } == [".env"])
  }
}

/// The smaller cases of a hostile tree.
@Suite struct HostileTreeSmallCasesTests {
  /// A secret file is one finding for the secrets in it; each of them is masked where the
  /// finding shows it (a Docker config's second registry's login, on the line of the
  /// first, was shown in full).
  @Test func aSecretFilesOtherSecretsAreMaskedInItsSnippet() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xD0C)
    func auth(_ login: String) -> String { Data(login.utf8).base64EncodedString() }
    let second = auth("deploy:" + tokens.string(18, from: TestTokens.alphanumeric))
    try tree.write(
      ".docker/config.json",
      "{\"auths\":{\"registry.example\":{\"auth\":\"\(auth("ci:" + tokens.string(18, from: TestTokens.alphanumeric)))\"},"
        + "\"ghcr.io\":{\"auth\":\"\(second)\"}}}\n")
    for format in ["text", "json", "sarif"] {
      let output = try VigilBinary.run(["scan", "--format", format, "."], in: tree.path)
      #expect(output.status == 1, "\(output.stderr)")
      #expect(!output.stdout.contains(second), "\(format)")
    }
  }

  /// A config for settings alone once replaced every built-in rule with none, exit 0.
  @Test func aConfigWithoutRulesIsAnError() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xC0F)
    try tree.write("app.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try tree.write(".vigil.toml", "title = \"x\"\n")
    let output = try VigilBinary.run(["scan", tree.path])
    #expect(output.status == 2, "\(output.stdout)\(output.stderr)")
    #expect(output.stderr.contains("has no rules"), "\(output.stderr)")
    // The control: the same file building on the built-in rules finds the token.
    try tree.write(".vigil.toml", "title = \"x\"\n[extend]\nuseDefault = true\n")
    #expect(try VigilBinary.run(["scan", tree.path]).status == 1)
  }

  /// `.git` as a link to another repository: the scan says whose history it read.
  @Test func historyNamesTheRepositoryADotGitLinkPointsTo() throws {
    let other = try Git.repository()
    var tokens = TestTokens(seed: 0x61E)
    try other.write("secret.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: other.path)
    try Git.run(["commit", "-qm", "secret"], in: other.path)
    let tree = try TemporaryTree()
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/.git", withDestinationPath: other.path + "/.git")
    let output = try VigilBinary.run(["scan", "--history"], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(output.stderr.contains("the history scanned is that of the repository at \(other.path)/.git"))
    // A repository's own .git says nothing.
    let plain = try VigilBinary.run(["scan", "--history"], in: other.path)
    #expect(!plain.stderr.contains("the history scanned is that of"))
  }

  /// A path longer than PATH_MAX (4,096 bytes) once was skipped with a warning and exit
  /// 0 although `--history` found the same file.
  @Test func aFileDeeperThanPathMaxIsScanned() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xDEE9)
    #expect(tree.writeDeep("deep.py", "TOKEN = \"\(tokens.githubToken())\"\n") != nil)
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).count == 1)
  }
}

/// A file of many thousands of findings: each report format is written as it is made,
/// so none needs much more memory than the findings themselves. JSON once needed about
/// twice what text did (the whole document was built, then encoded, then copied).
@Suite struct ReportMemoryTests {
  /// Peak resident memory of one run, in KiB, as the kernel counts it for a child.
  private func peakMemory(_ arguments: [String]) throws -> Int {
    let script = """
      import resource, subprocess, sys
      subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
      print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      """
    let output = try ProcessRunner.run(
      "/usr/bin/env", ["python3", "-c", script, VigilBinary.path] + arguments, timeout: 300)
    return try #require(
      Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(output.stderr)")
  }

  @Test func everyFormatNeedsAboutTheMemoryOfTheFindings() throws {
    let tree = try TemporaryTree()
    let key = "pass" + "word"  // split so that this file does not scan as a finding itself
    let line = (0..<1000).map { "var \(key) = \"Xk\(String(format: "%06d", $0))Qz9vLmR4tZ8pW\";" }.joined()
    try tree.write("bundle.js", Array(repeating: line, count: 4).joined(separator: "\n") + "\n")
    let text = try peakMemory(["scan", "-q", "--format", "text", tree.path])
    for format in ["json", "sarif", "html"] {
      let peak = try peakMemory(["scan", "-q", "--format", format, tree.path])
      #expect(Double(peak) < Double(text) * 1.25, "\(format): \(peak) KiB, text: \(text) KiB")
    }
  }
}

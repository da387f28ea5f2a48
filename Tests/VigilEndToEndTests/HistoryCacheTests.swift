import Foundation
import Testing
import VigilTestSupport

/// `vigil scan --history` resumes from the cache of the last history scan: only new
/// commits are read, every finding is still reported, and nothing the scanned
/// repository holds or does can make a cache hide one.
@Suite struct HistoryCacheTests {
  private struct Scan {
    var findings: [[String: Any]]
    var filesScanned: Int
    var stderr: String
  }

  private func scan(_ tree: TemporaryTree, cache: TemporaryTree, _ extra: [String] = []) throws -> Scan {
    let output = try VigilBinary.run(
      ["scan", "--history", "--format", "json"] + extra, in: tree.path,
      environment: ["XDG_CACHE_HOME": cache.path])
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let findings = try #require(document?["findings"] as? [[String: Any]], "\(output.stderr)")
    let summary = document?["summary"] as? [String: Any]
    return Scan(
      findings: findings, filesScanned: summary?["filesScanned"] as? Int ?? -1, stderr: output.stderr)
  }

  /// What identifies a finding and where history puts it.
  private func located(_ scan: Scan) -> [String] {
    scan.findings.map {
      let commit = ($0["commit"] as? [String: Any])?["sha"] as? String ?? ""
      return
        "\($0["ruleId"] ?? "") \($0["path"] ?? ""):\($0["line"] ?? "") \($0["fingerprint"] ?? "") @\(commit)"
    }.sorted()
  }

  private func commit(_ tree: TemporaryTree, _ message: String) throws {
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", message], in: tree.path)
  }

  /// A cache directory inside the scanned tree (a CI job's `XDG_CACHE_HOME` or `HOME` set
  /// to its checkout) is neither read nor written: a repository could ship one that
  /// hides its blobs or a keyword set that matches nothing. The scan says so.
  @Test func aCacheInsideTheScannedTreeIsNotUsed() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0xCAC5)
    try tree.write("app.txt", "token = \"\(tokens.githubToken())\"\n")
    try commit(tree, "a secret")
    for arguments in [["scan", "--history", "--format", "json"], ["scan", "--format", "json", "."]] {
      for home in [["XDG_CACHE_HOME": tree.path + "/.cache"], ["HOME": tree.path, "XDG_CACHE_HOME": ""]] {
        let output = try VigilBinary.run(arguments, in: tree.path, environment: home)
        #expect(output.status == 1, "\(arguments) \(home): \(output.stderr)")
        #expect(output.stderr.contains("cache is not used"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.path + "/.cache/vigil"))
      }
    }
  }

  /// A fixture renamed into the code with an edit is read whole there (its secret is an
  /// error at the new path); the cache replays it the same way, so later runs resume
  /// instead of finding the cache wrong. An archive that could not be read whole is not
  /// remembered as read: --strict fails again on the next run.
  @Test func movedContentAndDamagedArchivesResumeAsTheyWereRead() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 0xCAC4)
    try tree.write(
      "tests/fixtures/t.txt", "token = \"\(tokens.githubToken())\"\n" + (1...20).map { "\($0)\n" }.joined())
    try commit(tree, "fixture")
    try FileManager.default.createDirectory(atPath: tree.path + "/src", withIntermediateDirectories: true)
    try Git.run(["mv", "tests/fixtures/t.txt", "src/t.txt"], in: tree.path)
    try tree.write(
      "src/t.txt", try String(contentsOfFile: tree.path + "/src/t.txt", encoding: .utf8) + "21\n")
    try commit(tree, "into the code, edited")
    let first = try scan(tree, cache: cache)
    #expect(
      first.findings.contains { $0["path"] as? String == "src/t.txt" && $0["severity"] as? String == "error" }
    )
    try tree.write("z.txt", "z\n")
    try commit(tree, "more")
    let second = try scan(tree, cache: cache)
    #expect(!second.stderr.contains("disagreed"), "\(second.stderr)")
    #expect(second.stderr.contains("resumed from the history cache"), "\(second.stderr)")
    #expect(located(second) == located(first))

    // Content an earlier scan read where it is not reported (documentation) and later
    // copied into the code is reported by the resumed scan, as by a full one.
    try tree.write(
      "docs/call.md", "curl -H \"Authorization: Basic ZGVwbG95OlpxOHZUM21XeDlMcDI=\" https://x.test/\n")
    try commit(tree, "docs")
    #expect(
      try scan(tree, cache: cache).findings.allSatisfy {
        ($0["path"] as? String)?.hasPrefix("docs/") == false
      })
    try tree.write("src/call.sh", try String(contentsOfFile: tree.path + "/docs/call.md", encoding: .utf8))
    try commit(tree, "copied into the code")
    let resumed = try scan(tree, cache: cache)
    #expect(resumed.stderr.contains("resumed from the history cache"), "\(resumed.stderr)")
    #expect(resumed.findings.contains { $0["path"] as? String == "src/call.sh" }, "\(located(resumed))")
    #expect(located(resumed) == located(try scan(tree, cache: cache, ["--no-cache"])))

    let damaged = try Git.repository()
    let script =
      "import io, zipfile\nbuffer = io.BytesIO()\nwith zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z:\n"
      + "    z.writestr('big.txt', ''.join('%d\\n' % i for i in range(2000)))\n"
      + "open('bad.zip', 'wb').write(buffer.getvalue()[:300])\n"
    #expect(try ProcessRunner.python(script, in: damaged.path).status == 0)
    try commit(damaged, "a damaged zip")
    for _ in 0..<2 {
      let output = try VigilBinary.run(
        ["scan", "--history", "--strict"], in: damaged.path, environment: ["XDG_CACHE_HOME": cache.path])
      #expect(output.status == 2, "\(output.stderr)")
    }
  }

  @Test func aSecondScanReadsOnlyNewCommitsAndReportsEveryFinding() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 71)
    let firstToken = tokens.githubToken()
    try tree.write("app/settings.py", "name = 'app'\ntoken = \"\(firstToken)\"\n")
    try tree.write(".env", "DATABASE_PASSWORD=\(tokens.string(16, from: TestTokens.alphanumeric))\n")
    try commit(tree, "settings")
    for number in 0..<20 {
      try tree.write("docs/page\(number).md", "page \(number)\n")
      try commit(tree, "page \(number)")
    }
    let first = try scan(tree, cache: cache)
    #expect(first.findings.count == 2)

    // New commits: one more secret, and a copy of a file already read (its blob adds
    // nothing).
    try tree.write(
      "app/settings.py", "name = 'app'\ntoken = \"\(firstToken)\"\nother = \"\(tokens.githubToken())\"\n")
    try commit(tree, "another token")
    try tree.write("app/copy.py", "name = 'app'\ntoken = \"\(firstToken)\"\n")
    try commit(tree, "copy")
    let second = try scan(tree, cache: cache)
    let full = try scan(tree, cache: cache, ["--no-cache"])
    #expect(located(second) == located(full))
    #expect(second.findings.count == 3)
    #expect(
      second.stderr.contains("resumed from the history cache (22 commits read before, 2 new;"),
      "\(second.stderr)")
    #expect(!full.stderr.contains("resumed"))
    // Read again: the two new commits' blobs and the changes holding the findings.
    #expect(second.filesScanned < full.filesScanned / 3, "\(second.filesScanned) of \(full.filesScanned)")

    // The cache sits in the cache directory, holds no secret, and is the user's alone.
    let files = try FileManager.default.subpathsOfDirectory(atPath: cache.path).filter {
      $0.hasSuffix(".json")
    }
    #expect(files.count == 1)
    let cacheFile = cache.path + "/" + files[0]
    let text = try String(contentsOfFile: cacheFile, encoding: .utf8)
    #expect(!text.contains(firstToken) && !text.contains(String(firstToken.dropFirst(4).prefix(12))))
    let mode = try FileManager.default.attributesOfItem(atPath: cacheFile)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(
      try FileManager.default.subpathsOfDirectory(atPath: tree.path).allSatisfy { !$0.hasSuffix(".json") })

    // Nothing committed since: the same findings, and the cache is left as it was.
    let before = try FileManager.default.attributesOfItem(atPath: cacheFile)
    let third = try scan(tree, cache: cache)
    #expect(located(third) == located(full))
    #expect(third.stderr.contains("(24 commits read before, 0 new;"), "\(third.stderr)")
    let after = try FileManager.default.attributesOfItem(atPath: cacheFile)
    #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int)
    #expect(try String(contentsOfFile: cacheFile, encoding: .utf8) == text)
  }

  @Test func aRepositoryKeepsItsFourMostRecentlyUsedCaches() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    try tree.write("a.py", "print('hello')\n")
    try commit(tree, "one")
    _ = try scan(tree, cache: cache)
    let directory = cache.path + "/vigil/history"
    let current = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
    let repository = current.prefix { $0 != "-" }
    // Caches of this repository for other builds or rules, used a day ago and earlier,
    // and one of another repository, older still.
    var stale: [String] = []
    for age in 1...5 {
      let name = "\(repository)-\(String(repeating: String(age), count: 32)).json"
      stale.append(name)
      try cache.write("vigil/history/" + name, "{}")
      var times = [timeval(tv_sec: time(nil) - age * 86_400, tv_usec: 0), timeval()]
      times[1] = times[0]
      #expect(utimes(directory + "/" + name, &times) == 0)
    }
    try cache.write("vigil/history/" + String(repeating: "f", count: 32) + "-0.json", "{}")
    try tree.write("b.py", "print('again')\n")
    try commit(tree, "two")
    _ = try scan(tree, cache: cache)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
    #expect(left == Set([current] + stale.prefix(3) + [String(repeating: "f", count: 32) + "-0.json"]))
  }

  @Test func aRewrittenHistoryIsScannedAgainInFull() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 72)
    try tree.write("a.py", "token = \"\(tokens.githubToken())\"\n")
    try commit(tree, "a secret")
    #expect(try scan(tree, cache: cache).findings.count == 1)
    // The commit is rewritten away: its finding must go, and the new one must come.
    try tree.write("a.py", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-q", "--amend", "-m", "another secret"], in: tree.path)
    let after = try scan(tree, cache: cache)
    #expect(located(after) == located(try scan(tree, cache: cache, ["--no-cache"])))
    #expect(after.findings.count == 1)
    #expect((after.findings.first?["commit"] as? [String: Any])?["message"] as? String == "another secret")
  }

  /// A shallow clone's history is cut short: the cache of its scan must not be resumed
  /// once `git fetch --unshallow` (what the scan's warning advises) brings the commits
  /// before the boundary, one of which added a secret.
  @Test func aShallowClonesScanLeavesNoCache() throws {
    let full = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 74)
    try full.write("old.py", "token = \"\(tokens.githubToken())\"\n")
    try commit(full, "a secret")
    try Git.run(["rm", "-q", "old.py"], in: full.path)
    try full.write("new.py", "x = 1\n")
    try commit(full, "removed")
    let clone = try TemporaryTree()
    try Git.run(["clone", "-q", "--depth", "1", "file://" + full.path, "."], in: clone.path)
    let shallow = try scan(clone, cache: cache)
    #expect(shallow.findings.isEmpty && shallow.stderr.contains("shallow"), "\(shallow.stderr)")
    try Git.run(["fetch", "-q", "--unshallow"], in: clone.path)
    let after = try scan(clone, cache: cache)
    #expect(after.findings.count == 1, "\(after.stderr)")
    #expect(located(after) == located(try scan(clone, cache: cache, ["--no-cache"])))
  }

  /// What changes how blobs are read changes the cache: a scan that did not open
  /// archives leaves no cache a default scan uses; and a `.gitattributes` committed since
  /// may name the encoding an older blob is checked out in (stored from EBCDIC, its token
  /// is plain in every checkout once the attribute is there): the history is read again.
  @Test func archiveDepthAndANewAttributeAreNotResumedPast() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 1207)
    let token = tokens.githubToken()
    let python = try ProcessRunner.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import zipfile; zipfile.ZipFile('bundle.zip', 'w', zipfile.ZIP_DEFLATED).writestr('cfg.py', 'token = \"\(token)\"\\n')",
      ], in: tree.path)
    #expect(python.status == 0, "\(python.stderr)")
    try commit(tree, "a bundle")
    #expect(try scan(tree, cache: cache, ["--max-archive-depth", "0"]).findings.isEmpty)
    let opened = try scan(tree, cache: cache)
    #expect(opened.findings.map { $0["path"] as? String } == ["bundle.zip!cfg.py"], "\(opened.stderr)")

    let encoded = try Git.repository()
    try encoded.write(".git/info/attributes", "*.env working-tree-encoding=IBM037\n")
    try encoded.write("prod.env", "GITHUB_TOKEN=\(tokens.githubToken())\n")
    try commit(encoded, "stored from EBCDIC")
    try FileManager.default.removeItem(atPath: encoded.path + "/.git/info/attributes")
    #expect(try scan(encoded, cache: cache).findings.isEmpty)
    // The attribute comes in by a merge whose own change it is (no side branch had it).
    try Git.run(["checkout", "-qb", "side"], in: encoded.path)
    try encoded.write("side.txt", "side\n")
    try commit(encoded, "side")
    try Git.run(["checkout", "-q", "-"], in: encoded.path)
    try Git.run(["merge", "-q", "--no-ff", "--no-commit", "side"], in: encoded.path)
    try encoded.write(".gitattributes", "*.env working-tree-encoding=IBM037\n")
    try commit(encoded, "the attribute, in a merge")
    let after = try scan(encoded, cache: cache)
    #expect(located(after) == located(try scan(encoded, cache: cache, ["--no-cache"])))
    #expect(after.findings.map { $0["path"] as? String } == ["prod.env"], "\(after.stderr)")
  }

  @Test func aCacheOthersCanWriteOrThatDisagreesIsNotUsed() throws {
    let tree = try Git.repository()
    let cache = try TemporaryTree()
    var tokens = TestTokens(seed: 73)
    try tree.write("a.py", "token = \"\(tokens.githubToken())\"\n")
    try commit(tree, "a secret")
    let first = try scan(tree, cache: cache)
    let directory = cache.path + "/vigil/history"
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
    let path = directory + "/" + file

    #expect(chmod(path, 0o666) == 0)
    let open = try scan(tree, cache: cache)
    #expect(open.stderr.contains("can be written by others"))
    #expect(located(open) == located(first))

    // A cache whose changes no longer give its fingerprints: the scan starts over.
    var text = try String(contentsOfFile: path, encoding: .utf8)
    let fingerprint = try #require(first.findings.first?["fingerprint"] as? String)
    text = text.replacingOccurrences(of: fingerprint, with: String(repeating: "0", count: fingerprint.count))
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(chmod(path, 0o600) == 0)
    let disagreeing = try scan(tree, cache: cache)
    #expect(disagreeing.stderr.contains("disagreed"))
    #expect(located(disagreeing) == located(first))

    // Rubbish in the file: a warning, a full scan, and a good cache written again.
    try "{not json".write(toFile: path, atomically: true, encoding: .utf8)
    let rubbish = try scan(tree, cache: cache)
    #expect(rubbish.stderr.contains("cannot be read"))
    #expect(located(rubbish) == located(first))
    let again = try scan(tree, cache: cache).stderr
    #expect(again.contains("resumed from the history cache") && !again.contains("warning"), "\(again)")
  }
}

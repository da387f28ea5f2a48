import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// The blob-level history scan against the patch-based one it replaced, on real git
/// repositories with renames, merges, deletions and secrets added, removed and
/// re-added: the same findings, each at the same commit. (Compared without reading
/// moved content again or lines around the added ones, which the patches cannot do:
/// with them, the blob reading finds all the patches find and more.)
@Suite struct HistoryReadingTests {
  /// The rules a history scan runs by default: secrets and secret files.
  static let pack: RulePack = {
    var pack = (try? DefaultRulePack.load().0) ?? RulePack()
    pack.rules.removeAll { !$0.category.isSensitive }
    return pack
  }()

  /// What must agree: rule, path, fingerprint (which holds a hash of the secret and
  /// its occurrence) and the commit that introduced it.
  struct Key: Hashable, CustomStringConvertible {
    var rule: String
    var path: String
    var fingerprint: String
    var commit: String
    var line: Int
    var description: String { "\(rule) \(path):\(line) @\(commit.prefix(7))" }
  }

  private func keys(
    _ tree: TemporaryTree, range: String? = nil, reading: VigilKit.Scanner.HistoryReading,
    rereadingMovedContent: Bool = false
  ) throws -> Set<Key> {
    var options = ScanOptions(paths: [tree.path], jobs: 2)
    options.rereadsMovedContent = rereadingMovedContent
    options.readsContext = rereadingMovedContent
    let scanner = VigilKit.Scanner(pack: Self.pack, options: options)
    let result = try scanner.scanHistory(in: tree.path, range: range, reading: reading)
    return Set(
      result.findings.map {
        Key(
          rule: $0.ruleID, path: $0.path, fingerprint: $0.fingerprint, commit: $0.commit?.sha ?? "",
          line: $0.start.line)
      })
  }

  private func move(_ tree: TemporaryTree, _ path: String, to target: String) throws {
    let directory = (tree.path + "/" + target as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Git.run(["mv", path, target], in: tree.path)
  }

  private func commit(_ tree: TemporaryTree, _ message: String) throws {
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", message, "--allow-empty"], in: tree.path)
  }

  /// A history written by hand: each case the blob reading must get right.
  @Test func aHandWrittenHistoryGivesTheSameFindingsAtTheSameCommits() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 61)
    let first = "github = \"\(tokens.githubToken())\""
    let second = "github = \"\(tokens.githubToken())\""
    let filler = (1...40).map { "line \($0) of the settings" }
    func settings(_ extra: [Int: String]) -> String {
      filler.enumerated().map { index, line in (extra[index].map { $0 + "\n" } ?? "") + line + "\n" }.joined()
    }
    try tree.write("config/settings.py", settings([10: first]))
    try tree.write(".env", "DATABASE_PASSWORD=hunter2-\(tokens.string(12, from: TestTokens.alphanumeric))\n")
    try commit(tree, "add settings")
    // Another secret in the middle of a changed file, and an unrelated edit below it.
    try tree.write(
      "config/settings.py",
      settings([10: first, 30: second]).replacingOccurrences(of: "line 39", with: "line 39b"))
    try commit(tree, "second key")
    // Removed, then re-added: reported once, at the first commit.
    try tree.write("config/settings.py", settings([30: second]))
    try commit(tree, "remove first key")
    try tree.write("config/settings.py", settings([10: first, 30: second]))
    try commit(tree, "re-add first key")
    // A pure rename adds nothing; a rename with an edit adds only the edited line.
    try move(tree, "config/settings.py", to: "app/settings.py")
    try commit(tree, "rename")
    let third = "github = \"\(tokens.githubToken())\""
    try move(tree, "app/settings.py", to: "app/base_settings.py")
    try tree.write("app/base_settings.py", settings([10: first, 30: second, 35: third]))
    try commit(tree, "rename and edit")
    // Deleted, then the same content added back at another path.
    try Git.run(["rm", "-q", ".env"], in: tree.path)
    try commit(tree, "delete env")
    // A branch with its own secret, merged, and a secret only the merge adds.
    try Git.run(["checkout", "-qb", "feature"], in: tree.path)
    try tree.write("feature/keys.txt", "k \(tokens.githubToken())\nother line\n")
    try commit(tree, "feature key")
    try tree.write("feature/keys.txt", "k2 \(tokens.githubToken())\nother line\n")
    try commit(tree, "feature key replaced")
    try Git.run(["checkout", "-q", "main"], in: tree.path)
    try tree.write("main.txt", "aws_secret_access_key = \(tokens.awsSecretKey())\n")
    try commit(tree, "main work")
    try Git.run(["merge", "-q", "--no-ff", "--no-commit", "feature"], in: tree.path)
    try tree.write("merge-only.txt", "k \(tokens.githubToken())\n")
    try commit(tree, "merge feature")

    let patches = try keys(tree, reading: .patches)
    let blobs = try keys(tree, reading: .blobs)
    #expect(
      blobs == patches,
      "only by patches: \(patches.subtracting(blobs)); only by blobs: \(blobs.subtracting(patches))")
    // Eight: three keys in the settings (the re-added one counts once), the .env file,
    // two on the branch, one on main, one in the merge.
    #expect(patches.count == 8)
    #expect(
      Set(blobs.map(\.path)) == [
        "config/settings.py", "app/base_settings.py", ".env", "feature/keys.txt", "main.txt",
        "merge-only.txt",
      ])
    for range in ["HEAD~3..HEAD", "feature~1..feature", "HEAD~6..HEAD~4"] {
      let ranged = try keys(tree, range: range, reading: .blobs)
      #expect(ranged == (try keys(tree, range: range, reading: .patches)), "range \(range)")
    }
  }

  /// Histories drawn at random (seeded): files added, changed, renamed with and
  /// without edits, deleted and restored, secrets added, removed and re-added, on
  /// branches merged back.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func randomHistoriesGiveTheSameFindingsAtTheSameCommits(seed: UInt64) throws {
    let tree = try Git.repository()
    var random = SeededGenerator(seed: seed)
    var tokens = TestTokens(seed: 1000 + seed)
    var files: [String: [String]] = [:]
    var removed: [(path: String, line: String)] = []
    var names = 0
    func newName() -> String {
      names += 1
      return ["src", "config", "deploy"][names % 3] + "/file\(names)"
        + [".py", ".txt", ".yaml", ".env"][names % 4]
    }
    func secretLine() -> String {
      Bool.random(using: &random)
        ? "token = \"\(tokens.githubToken())\"" : "aws_secret_access_key = \(tokens.awsSecretKey())"
    }
    func write(_ path: String) throws {
      try tree.write(path, files[path, default: []].map { $0 + "\n" }.joined())
    }
    func anyFile() -> String? { files.keys.sorted().randomElement(using: &random) }

    func step(_ number: Int) throws {
      switch Int.random(in: 0..<9, using: &random) {
      case 0, 1:
        let path = newName()
        files[path] = (0..<Int.random(in: 3...20, using: &random)).map { "\(path) filler \($0)" }
        if Bool.random(using: &random) { files[path]?.insert(secretLine(), at: 1) }
        try write(path)
      case 2:
        guard let path = anyFile(), let count = files[path]?.count else { return }
        files[path]?.insert(secretLine(), at: Int.random(in: 0...count, using: &random))
        try write(path)
      case 3:
        guard let path = anyFile(), let lines = files[path], !lines.isEmpty else { return }
        let index = Int.random(in: 0..<lines.count, using: &random)
        removed.append((path, lines[index]))
        files[path]?.remove(at: index)
        try write(path)
      case 4:
        guard let (path, line) = removed.randomElement(using: &random), let count = files[path]?.count else {
          return
        }
        files[path]?.insert(line, at: Int.random(in: 0...count, using: &random))
        try write(path)
      case 5, 6:
        guard let path = anyFile(), let lines = files[path], lines.count >= 6 else { return }
        let target = newName()
        try move(tree, path, to: target)
        files[target] = lines
        files[path] = nil
        removed = removed.map { $0.path == path ? (target, $0.line) : $0 }
        if number % 2 == 0 {
          files[target]?.insert(secretLine(), at: lines.count / 2)
          try write(target)
        }
      case 7:
        guard let path = anyFile() else { return }
        try Git.run(["rm", "-q", path], in: tree.path)
        files[path] = nil
      default:
        // A branch adding its own files, merged back with --no-ff.
        try Git.run(["checkout", "-qb", "branch\(number)"], in: tree.path)
        let path = newName()
        files[path] = ["\(path) filler", secretLine()]
        try write(path)
        try commit(tree, "branch \(number)")
        try Git.run(["checkout", "-q", "main"], in: tree.path)
        try Git.run(["merge", "-q", "--no-ff", "--no-commit", "branch\(number)"], in: tree.path)
      }
      try commit(tree, "step \(number)")
    }
    for number in 0..<40 { try step(number) }

    let patches = try keys(tree, reading: .patches)
    let blobs = try keys(tree, reading: .blobs)
    #expect(patches.count >= 10)
    #expect(
      blobs == patches,
      "only by patches: \(patches.subtracting(blobs)); only by blobs: \(blobs.subtracting(patches))")
    let ranged = try keys(tree, range: "HEAD~10..HEAD", reading: .blobs)
    #expect(ranged == (try keys(tree, range: "HEAD~10..HEAD", reading: .patches)))
    // What a scan does: renames here cross directories and extensions, so moved content
    // is read again, and lines around the added ones are read too (an AWS secret key
    // added next to an earlier line counts); every finding of the patches is still
    // there, at its commit.
    func places(_ keys: Set<Key>) -> Set<String> { Set(keys.map(\.description)) }
    let rereading = places(try keys(tree, reading: .blobs, rereadingMovedContent: true))
    #expect(rereading.isSuperset(of: places(patches)), "missing: \(places(patches).subtracting(rereading))")
    #expect(rereading.count > places(patches).count)
  }
}

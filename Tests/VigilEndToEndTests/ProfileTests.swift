import Foundation
import Testing
import VigilTestSupport

/// `vigil scan --profile`, end to end: the per-rule counts after a tree scan and a
/// history scan, and a report on standard output that profiling leaves unchanged.
@Suite struct ProfileTests {
  /// The profile's counts for one rule, by column.
  struct Row: Equatable {
    var keywordHits: Int
    var files: Int
    var calls: Int
    var matches: Int
    var kept: Int
  }

  /// The row of `rule` in a profile printed on standard error; nil if it has none.
  static func row(_ rule: String, in stderr: String) -> Row? {
    for line in stderr.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.first.map(String.init) == rule, fields.count == 10 else { continue }
      let counts = fields.suffix(5).compactMap { Int($0) }
      guard counts.count == 5 else { return nil }
      return Row(
        keywordHits: counts[0], files: counts[1], calls: counts[2], matches: counts[3], kept: counts[4])
    }
    return nil
  }

  @Test func aTreeScanCountsEachRulesKeywordHitsRegexCallsAndMatches() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 77)
    // Two keys in one file, a third in another file; the GitHub token's keyword
    // (`ghp_`) occurs once, in a file with no token (a truncated one).
    try tree.write("deploy/keys.py", "A = '\(tokens.awsAccessKeyID())'\nB = '\(tokens.awsAccessKeyID())'\n")
    try tree.write("deploy/other.sh", "export KEY=\(tokens.awsAccessKeyID())\n")
    try tree.write("notes.md", "a token starts with ghp_ and then 36 characters\n")
    try tree.write("main.go", "package main\n")
    let plain = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let profiled = try VigilBinary.run(["scan", "--profile", "--format", "json", "."], in: tree.path)
    #expect(profiled.status == 1, "\(profiled.stderr)")
    #expect(profiled.stdout == plain.stdout, "profiling changed the report")
    #expect(!plain.stderr.contains("vigil profile"))
    #expect(profiled.stderr.contains("vigil profile: "))
    #expect(profiled.stderr.contains(" in 4 files"))

    let aws = try #require(Self.row("aws-access-key-id", in: profiled.stderr), "\(profiled.stderr)")
    #expect(aws.files == 2)
    #expect(aws.matches == 3)
    // Over the whole file (the rule is not windowed): one call per match, and one more
    // per file that finds nothing.
    #expect(aws.calls == 5)
    #expect(aws.kept == 3)
    #expect(aws.keywordHits >= 3)
    let github = try #require(Self.row("github-token", in: profiled.stderr), "\(profiled.stderr)")
    #expect(github == Row(keywordHits: 1, files: 1, calls: 1, matches: 0, kept: 0))
    // A rule whose keywords occur nowhere never runs and has no row.
    #expect(Self.row("stripe-secret-key", in: profiled.stderr) == nil)
    // The stages that are not one rule's.
    #expect(profiled.stderr.contains("(keyword pass)"))
    #expect(profiled.stderr.contains("(flow: SQL values, assignments)"))
  }

  @Test func aHistoryScanIsProfiledToo() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 78)
    try tree.write("app/settings.py", "KEY = '\(tokens.awsAccessKeyID())'\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add a key"], in: tree.path)
    let output = try VigilBinary.run(["scan", "--history", "--profile", "--format", "json"], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let aws = try #require(Self.row("aws-access-key-id", in: output.stderr), "\(output.stderr)")
    #expect(aws.kept == 1)
    #expect(aws.files == 1)
  }

  /// A history scan resumed from its cache with nothing to read (no new commit, no
  /// finding to report again) still prints its (empty) profile.
  @Test func aResumedHistoryScanWithNothingToReadIsProfiledToo() throws {
    let tree = try Git.repository()
    try tree.write("app/main.py", "print('hello')\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "nothing secret"], in: tree.path)
    let cache = try TemporaryTree()
    let first = try VigilBinary.run(
      ["scan", "--history", "--profile"], in: tree.path, environment: ["XDG_CACHE_HOME": cache.path])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(!first.stderr.contains(" in 0 files"), "\(first.stderr)")
    let again = try VigilBinary.run(
      ["scan", "--history", "--profile"], in: tree.path, environment: ["XDG_CACHE_HOME": cache.path])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("resumed from the history cache"), "\(again.stderr)")
    #expect(again.stderr.contains("vigil profile: 0 ms of detection"), "\(again.stderr)")
    #expect(again.stderr.contains(" in 0 files"), "\(again.stderr)")
  }

  @Test func aRuleThatTakesMostOfTheTimeIsNamed() throws {
    let tree = try TemporaryTree()
    // One rule whose keyword starts every line and whose pattern backtracks at every
    // position (no literal that PCRE2 could require first): nearly all of the time.
    try tree.write(
      "slow.toml",
      """
      [[rules]]
      id = "slow-rule"
      description = "a pattern that backtracks"
      severity = "warning"
      category = "secret"
      keywords = ["k"]
      regex = '''(?:a|aa)+(?:x|y|!|=)'''

      [[rules]]
      id = "quick-rule"
      description = "a literal"
      severity = "warning"
      category = "secret"
      keywords = ["zz"]
      regex = '''zzz'''

      """)
    try tree.write("data.txt", String(repeating: "k" + String(repeating: "a", count: 16) + "\n", count: 2000))
    let output = try VigilBinary.run(
      ["scan", "--config", "slow.toml", "--profile", "data.txt"], in: tree.path)
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stderr.contains("warning: rule slow-rule took "), "\(output.stderr)")
    #expect(!output.stderr.contains("warning: rule quick-rule"))
  }
}

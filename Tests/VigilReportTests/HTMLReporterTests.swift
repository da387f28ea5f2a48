import Testing
import VigilKit

@testable import VigilReport

/// The HTML audit's header, commit columns, timeline and escaping, on results built by
/// hand: a history scan's commits as a hostile repository could write them.
@Suite struct HTMLReporterTests {
  static let hostileSubject = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>"
  static let hostileAuthor = "Eve \"><img src=x onerror=alert(3)> & Co"

  static let leak = CommitInfo(
    sha: "0123456789abcdef0123456789abcdef01234567", author: hostileAuthor, email: "eve@example.invalid",
    date: "2025-03-05T10:00:00+01:00", message: hostileSubject)
  static let later = CommitInfo(
    sha: "fedcba9876543210fedcba9876543210fedcba98", author: "Bob", email: "bob@example.invalid",
    date: "2025-06-20T10:00:00Z", message: "add client")

  static func finding(_ path: String, rule: String, snippet: String, commit: CommitInfo?) -> Finding {
    Finding(
      ruleID: rule, ruleIndex: 0, category: snippet.isEmpty ? .secretFile : .secret, severity: .error,
      path: path, start: TextPosition(line: 1, column: 1), end: TextPosition(line: 1, column: 5),
      fingerprint: path, snippet: snippet, secret: snippet.isEmpty ? nil : "ghp_*****",
      message: "a finding", commit: commit, contextBefore: snippet.isEmpty ? [] : ["# before"])
  }

  static func history(range: String? = nil, repository: String = "file:///home/alice/secret-project/")
    -> ScanResult
  {
    var result = ScanResult(
      findings: [
        finding(".env", rule: "dotenv-file", snippet: "", commit: leak),
        finding("a.py", rule: "github-token", snippet: "TOKEN = 'ghp_*****'", commit: leak),
        finding("b.py", rule: "github-token", snippet: "K = 'ghp_*****'", commit: later),
      ], diagnostics: [], summary: ScanSummary(), root: "/home/alice/secret-project",
      versionControl: VersionControlInfo(
        repositoryURI: repository, revision: later.sha, branch: "main"))
    result.kind = .history(range: range)
    result.startedAt = "2026-01-02T03:04:05Z"
    return result
  }

  @Test func theHeaderSaysWhatWasScannedHowAndWhen() throws {
    let page = try HTMLReporter().render(Self.history(range: "main..HEAD"), rules: [RuleInfo]())
    #expect(page.contains("<dt>Scanned</dt><dd>secret-project</dd>"))
    #expect(!page.contains("/home/alice"), "the auditor's own path stays off the page")
    #expect(page.contains("<dt>Scan</dt><dd>history: the commits in main..HEAD</dd>"))
    #expect(page.contains("<dt>Revision</dt><dd>main at fedcba987654</dd>"))
    #expect(page.contains("<dt>Started</dt><dd>2026-01-02T03:04:05Z</dd>"))
    #expect(page.contains("<dt>vigil</dt><dd>\(ToolInfo.version)</dd>"))
    #expect(page.contains("<title>vigil report: secret-project</title>"))

    let remote = try HTMLReporter().render(
      Self.history(repository: "https://example.com/org/repo.git"), rules: [RuleInfo]())
    #expect(remote.contains("<dt>Scanned</dt><dd>https://example.com/org/repo.git</dd>"))
    #expect(remote.contains("<dd>history: every commit reachable from HEAD</dd>"))
  }

  @Test func eachFindingShowsItsCommitEscaped() throws {
    let page = try HTMLReporter().render(Self.history(), rules: [RuleInfo]())
    #expect(page.contains(">0123456789ab</code>"))
    #expect(page.contains(">2025-03-05</time>"))
    #expect(page.contains("data-commit=\"\(Self.leak.sha)\""))
    #expect(
      page.contains(
        "<div class=\"subject\">&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;</div>"
      ))
    #expect(page.contains("Eve &quot;&gt;&lt;img src=x onerror=alert(3)&gt; &amp; Co"))
    for raw in ["<script>alert", "<img", "\"><img"] { #expect(!page.contains(raw), "\(raw) unescaped") }
    // One option a commit, oldest first, with how many findings it brought.
    let values = page.components(separatedBy: "<option value=\"").dropFirst().map {
      String($0.prefix { $0 != "\"" })
    }
    #expect(values == ["", Self.leak.sha, Self.later.sha])
    #expect(page.contains("add client (1)</option>"))
  }

  /// A name that reorders its own text (a right-to-left override makes
  /// `config_\u{202E}yp.tset` read `config_test.py`) is shown as it is, the override named.
  @Test func invisibleCharactersThatReorderTextAreShown() throws {
    var result = Self.history()
    result.findings = [
      Self.finding(
        "config_\u{202E}yp.tset", rule: "github-token", snippet: "K = 1 \u{2066}x\u{2069}", commit: nil)
    ]
    let page = try HTMLReporter().render(result, rules: [RuleInfo]())
    #expect(page.contains("config_\\u{202E}yp.tset"))
    #expect(page.contains("K = 1 \\u{2066}x\\u{2069}"))
    for scalar in ["\u{202E}", "\u{2066}", "\u{2069}"] { #expect(!page.contains(scalar)) }
  }

  @Test func aFindingWithoutASnippetHasNoEmptyBox() throws {
    let page = try HTMLReporter().render(Self.history(), rules: [RuleInfo]())
    #expect(page.components(separatedBy: "<pre>").count - 1 == 2)
    #expect(!page.contains("<mark></mark>"))
    #expect(!page.contains("<pre></pre>"))
  }

  @Test func onlyAHistoryScanHasATimelineAndACommitColumn() throws {
    let history = try HTMLReporter().render(Self.history(), rules: [RuleInfo]())
    #expect(history.contains("<svg id=\"timeline\""))
    #expect(history.contains("<title>2025-03: 2 findings</title>"))
    #expect(history.contains("<title>2025-04: 0 findings</title>"))
    #expect(history.contains("<th data-key=\"date\">commit</th>"))

    var tree = Self.history()
    tree.kind = .tree
    tree.versionControl = nil
    tree.findings = tree.findings.map {
      var finding = $0
      finding.commit = nil
      return finding
    }
    let page = try HTMLReporter().render(tree, rules: [RuleInfo]())
    #expect(!page.contains("id=\"timeline\""))
    #expect(!page.contains("commit-filter\""))
    #expect(!page.contains(">commit</th>"))
    #expect(page.contains("<dd>files on disk</dd>"))
    #expect(!page.contains("<dt>Revision</dt>"))
  }

  @Test func theTimelineCountsMonthsThenYearsAndSurvivesForgedDates() {
    let months = HTMLTimeline(dates: [
      "2025-01-31T23:00:00-05:00", "2025-03-01T00:00:00Z", "2025-03-09T00:00:00Z",
    ])
    #expect(
      months.bars == [
        .init(label: "2025-01", count: 1), .init(label: "2025-02", count: 0),
        .init(label: "2025-03", count: 2),
      ])
    let years = HTMLTimeline(dates: ["2019-05-01T00:00:00Z", "2023-02-01T00:00:00Z", "not a date"])
    #expect(years.bars.map(\.label) == ["2019", "2020", "2021", "2022", "2023"])
    #expect(years.bars.map(\.count) == [1, 0, 0, 0, 1])
    let forged = HTMLTimeline(dates: ["1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z", "2099-01-01T00:00:00Z"])
    #expect(forged.bars == [.init(label: "1970", count: 1), .init(label: "2099", count: 2)])
    #expect(HTMLTimeline(dates: ["", "2025-13-01T00:00:00Z"]).bars.isEmpty)
    #expect(HTMLTimeline(dates: []).svg.isEmpty)
  }
}

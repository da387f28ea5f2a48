import Digest
import Foundation
import VigilModel
import VigilSupport

/// One self-contained page for an audit: what was scanned and when, totals by category
/// and severity with an inline SVG chart, for a history scan a timeline of when the
/// findings entered the history, a findings table that sorts and filters (by commit
/// too), redacted snippets with context, and each rule's explanation and fix.
///
/// Nothing is fetched: no external script, style, font or image, and a Content
/// Security Policy that allows only this page's own style and (by hash) script.
/// Everything from the scanned tree or its history is HTML-escaped; commit fields come
/// masked from the scan, as in every other report.
public struct HTMLReporter: Reporter {
  /// How many characters of a commit's SHA the table shows (as the text report does).
  static let shortSHALength = 12

  public init() {}

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    let script = Self.script
    let scriptHash = Data(SHA256.hash(script.utf8)).base64EncodedString()
    try stream.write(
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      \(WrittenByVigil.htmlGeneratorTag)
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(escape("vigil report: " + Self.scannedName(result)))</title>
      <style>\(Self.style)</style>
      </head>
      <body>

      """)
    try stream.write(header(result))
    try stream.write(summary(result))
    if case .history = result.kind { try stream.write(timeline(result)) }
    try findingsTable(result, to: stream)
    try stream.write(ruleSection(result, rules: rules))
    try stream.write("<script>\(script)</script>\n</body>\n</html>\n")
  }

  /// What the page is an audit of: the repository or directory, the kind of scan, the
  /// revision, when it ran and with which vigil. Rows the result does not know (a
  /// result made without a session has no start time) are left out.
  private func header(_ result: ScanResult) -> String {
    var rows: [(String, String)] = [("Scanned", Self.scannedName(result))]
    if let kind = result.kind { rows.append(("Scan", Self.describe(kind))) }
    if let control = result.versionControl, let revision = control.revision {
      let short = String(revision.prefix(Self.shortSHALength))
      rows.append(("Revision", control.branch.map { "\($0) at \(short)" } ?? short))
    }
    if let startedAt = result.startedAt { rows.append(("Started", startedAt)) }
    rows.append(("vigil", ToolInfo.version))
    let items = rows.map { "<div><dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd></div>" }.joined()
    let counts =
      "\(result.findings.count) findings in \(result.summary.filesScanned) files (\(result.summary.bytesScanned) bytes)"
    // What was not read, and a scan that failed for it (`--strict`): an audit says so.
    let skipped = result.summary.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }
    let notRead =
      skipped.isEmpty ? "" : "<p class=\"meta\">\(escape("skipped: " + skipped.joined(separator: ", ")))</p>"
    let failed = result.failure.map { "<p class=\"failed\">\(escape("The scan failed: " + $0))</p>" } ?? ""
    return "<header><h1>vigil report</h1><dl id=\"scan\" class=\"scan\">\(items)</dl>"
      + "<p class=\"meta\">\(escape(counts))</p>\(notRead)\(failed)</header>\n"
  }

  /// The repository or directory the header names: the remote the SARIF provenance
  /// names (its credentials removed and the rest masked by the scan) when there is one,
  /// else only the directory's name. The page is made to be handed on, and where the
  /// auditor's machine keeps the checkout is none of its readers' business.
  static func scannedName(_ result: ScanResult) -> String {
    if result.kind == .standardInput { return "standard input" }
    if let uri = result.versionControl?.repositoryURI, !uri.isEmpty, !uri.hasPrefix("file:") { return uri }
    let name = (result.root as NSString).lastPathComponent
    return name.isEmpty ? result.root : name
  }

  static func describe(_ kind: ScanKind) -> String {
    switch kind {
    case .tree: "files on disk"
    case .standardInput: "standard input"
    case .staged: "staged changes (git's index)"
    case .history(let range?): "history: the commits in \(range)"
    case .history(nil): "history: every commit reachable from HEAD"
    }
  }

  /// Findings per month of their commit: where in the history the leaks came in.
  private func timeline(_ result: ScanResult) -> String {
    let chart = HTMLTimeline(dates: result.findings.compactMap { $0.commit?.date })
    guard !chart.bars.isEmpty else { return "" }
    return "<section id=\"history\"><h2>When the findings entered the history</h2>\(chart.svg)</section>\n"
  }

  private func summary(_ result: ScanResult) -> String {
    var counts: [RuleCategory: [Severity: Int]] = [:]
    for finding in result.findings {
      counts[finding.category, default: [:]][finding.severity, default: 0] += 1
    }
    let maximum = max(1, counts.values.map { $0.values.reduce(0, +) }.max() ?? 1)
    var svg =
      "<svg id=\"chart\" role=\"img\" aria-label=\"Findings by category and severity\" width=\"560\" height=\"\(RuleCategory.allCases.count * 28 + 10)\" xmlns=\"http://www.w3.org/2000/svg\">"
    var table =
      "<table class=\"totals\"><thead><tr><th>category</th>"
      + Severity.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "<th>total</th></tr></thead><tbody>"
    for (row, category) in RuleCategory.allCases.enumerated() {
      let bySeverity = counts[category] ?? [:]
      var x = 130.0
      svg += "<text x=\"0\" y=\"\(row * 28 + 20)\">\(category.rawValue)</text>"
      for severity in Severity.allCases {
        let count = bySeverity[severity] ?? 0
        guard count > 0 else { continue }
        let width = Double(count) / Double(maximum) * 400
        svg += String(
          format:
            "<rect class=\"%@\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\"><title>%@ %@: %d</title></rect>",
          severity.rawValue, x, row * 28 + 6, width, category.rawValue, severity.rawValue, count)
        x += width
      }
      let total = bySeverity.values.reduce(0, +)
      svg += String(format: "<text x=\"%.1f\" y=\"%d\">%d</text>", x + 6, row * 28 + 20, total)
      table +=
        "<tr><td>\(category.rawValue)</td>"
        + Severity.allCases.map { "<td>\(bySeverity[$0] ?? 0)</td>" }.joined() + "<td>\(total)</td></tr>"
    }
    return "<section id=\"summary\"><h2>Summary</h2>" + svg + "</svg>" + table
      + "</tbody></table></section>\n"
  }

  private func findingsTable(_ result: ScanResult, to stream: ReportStream) throws {
    let commits = Self.commits(result.findings)
    let commitHeader = commits.isEmpty ? "" : "<th data-key=\"date\">commit</th>"
    try stream.write(
      """
      <section id="findings"><h2>Findings</h2>
      <p><input id="filter" type="search" placeholder="Filter by path, rule, category, severity or commit" aria-label="Filter findings"> \(commitFilter(commits))<span id="shown"></span></p>
      <table id="findings-table"><thead><tr>
      <th data-key="severity">severity</th><th data-key="category">category</th><th data-key="rule">rule</th><th data-key="path">location</th>\(commitHeader)<th>finding</th>
      </tr></thead><tbody>

      """)
    for finding in result.findings {
      try stream.write(row(finding, commitColumn: !commits.isEmpty))
    }
    try stream.write("</tbody></table></section>\n")
  }

  private func row(_ finding: Finding, commitColumn: Bool) -> String {
    let place = "\(finding.path):\(finding.start.line):\(finding.start.column)"
    let rank = finding.severity == .error ? 0 : finding.severity == .warning ? 1 : 2
    var attributes =
      "data-severity=\"\(rank)\" data-category=\"\(escape(finding.category.rawValue))\" data-rule=\"\(escape(finding.ruleID))\" data-path=\"\(escape(finding.path))\" data-line=\"\(finding.start.line)\""
    if let commit = finding.commit {
      attributes += " data-commit=\"\(escape(commit.sha))\" data-date=\"\(escape(commit.date))\""
    }
    let commitCell = commitColumn ? "<td class=\"commit\">\(finding.commit.map(commitCell) ?? "")</td>" : ""
    return """
      <tr class="finding" \(attributes)>
      <td class="sev \(finding.severity.rawValue)">\(finding.severity.rawValue)</td><td>\(escape(finding.category.rawValue))</td><td><a href="#rule-\(escape(finding.ruleID))">\(escape(finding.ruleID))</a></td><td class="path">\(escape(place))</td>\(commitCell)
      <td><div class="message">\(escape(finding.message))</div>\(code(finding))</td></tr>

      """
  }

  /// The snippet with its context, or nothing: a finding on a path alone (a `.env`
  /// file, a key file) has no line to show, and an empty box would look like a
  /// snippet lost.
  private func code(_ finding: Finding) -> String {
    guard !finding.snippet.isEmpty else { return "" }
    var code = finding.contextBefore.map { "<span class=\"ctx\">\(escape($0))</span>\n" }.joined()
    code += "<mark>\(escape(finding.snippet))</mark>\n"
    code += finding.contextAfter.map { "<span class=\"ctx\">\(escape($0))</span>\n" }.joined()
    return "<pre>\(code)</pre>"
  }

  /// Short SHA, date, author and subject; the full SHA, the full date and the email in
  /// titles.
  private func commitCell(_ commit: CommitInfo) -> String {
    let sha = escape(String(commit.sha.prefix(Self.shortSHALength)))
    let day = escape(String(commit.date.prefix(10)))
    return
      "<code class=\"sha\" title=\"\(escape(commit.sha))\">\(sha)</code> <time datetime=\"\(escape(commit.date))\" title=\"\(escape(commit.date))\">\(day)</time>"
      + "<div class=\"author\" title=\"\(escape(commit.email))\">\(escape(commit.author))</div>"
      + "<div class=\"subject\">\(escape(commit.message))</div>"
  }

  /// The distinct commits of the findings, oldest first (ties by SHA), with how many
  /// findings each introduced.
  static func commits(_ findings: [Finding]) -> [(commit: CommitInfo, count: Int)] {
    var counts: [String: (commit: CommitInfo, count: Int)] = [:]
    for case let commit? in findings.map(\.commit) {
      counts[commit.sha, default: (commit, 0)].count += 1
    }
    return counts.values.sorted { ($0.commit.date, $0.commit.sha) < ($1.commit.date, $1.commit.sha) }
  }

  /// A list of the commits that shows only one commit's findings (the page's script
  /// reads it); nothing when no finding has a commit.
  private func commitFilter(_ commits: [(commit: CommitInfo, count: Int)]) -> String {
    guard !commits.isEmpty else { return "" }
    let options = commits.map { commit, count in
      var subject = commit.message
      if subject.count > 60 { subject = String(subject.prefix(59)) + "…" }
      let label = "\(commit.sha.prefix(Self.shortSHALength)) \(commit.date.prefix(10)) \(subject) (\(count))"
      return "<option value=\"\(escape(commit.sha))\">\(escape(label))</option>"
    }
    return
      "<select id=\"commit-filter\" aria-label=\"Show the findings of one commit\"><option value=\"\">All \(commits.count) commits</option>\(options.joined())</select> "
  }

  private func ruleSection(_ result: ScanResult, rules: [RuleInfo]) -> String {
    let used = Set(result.findings.map(\.ruleID))
    var html = "<section id=\"rules\"><h2>Rules with findings</h2>\n"
    for rule in rules where used.contains(rule.id) {
      html += "<article id=\"rule-\(escape(rule.id))\"><h3>\(escape(rule.id))</h3><dl>"
      html += "<dt>What</dt><dd>\(escape(rule.description))</dd>"
      html += "<dt>Why</dt><dd>\(escape(rule.category.why(cwe: rule.cwe)))</dd>"
      html +=
        "<dt>Fix</dt><dd>\(escape(rule.remediation ?? "Remove it and, for a credential, revoke it."))</dd>"
      html += "<dt>Severity</dt><dd>\(rule.severity.rawValue), \(escape(rule.cwe))</dd></dl></article>\n"
    }
    return html + "</section>\n"
  }

  func escape(_ text: String) -> String { MarkupEscaping.escape(text) }

  static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{margin:0}.meta{color:#666}
    .scan{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}.scan div{display:flex;gap:6px}.scan dd{margin:0;word-break:break-all}
    table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
    th[data-key]{cursor:pointer;user-select:none}th[data-key]:after{content:" \\2195";color:#aaa}
    .totals{width:auto}pre{margin:4px 0;background:#f6f8fa;padding:6px;overflow-x:auto;font-size:12px}
    .failed{color:#b00020;font-weight:bold}mark{background:#fff3b0}.ctx{color:#888}.sev.error{color:#b00020;font-weight:bold}.sev.warning{color:#a15c00}.sev.note{color:#0b6bcb}
    rect.error{fill:#d14343}rect.warning{fill:#e5a03a}rect.note{fill:#4a90d9}svg text{font-size:12px}
    #filter{width:24em;padding:4px}#commit-filter{max-width:32em;padding:3px}
    rect.period{fill:#7b61c4}line.axis{stroke:#999}.commit{font-size:12px;min-width:12em;max-width:22em}.sha{font-family:ui-monospace,monospace}.subject{color:#444}.path{font-family:ui-monospace,monospace;word-break:break-all}dt{font-weight:bold}
    """

  static let script = """
    (function(){
    var body=document.getElementById('findings-table').tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    var shown=document.getElementById('shown');
    var commit=document.getElementById('commit-filter');
    function update(){var q=document.getElementById('filter').value.toLowerCase();var c=commit?commit.value:'';var n=0;
    rows.forEach(function(r){var hit=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!c||r.getAttribute('data-commit')===c);r.hidden=!hit;if(hit)n++;});
    shown.textContent='Showing '+n+' of '+rows.length+' findings';}
    document.getElementById('filter').addEventListener('input',update);
    if(commit)commit.addEventListener('change',update);
    var order={};
    Array.prototype.forEach.call(document.querySelectorAll('th[data-key]'),function(th){
    th.addEventListener('click',function(){var k=th.getAttribute('data-key');order[k]=!order[k];
    rows.sort(function(a,b){var x=a.getAttribute('data-'+k),y=b.getAttribute('data-'+k);
    if(k==='path'){x=x+':'+('00000000'+a.getAttribute('data-line')).slice(-8);y=y+':'+('00000000'+b.getAttribute('data-line')).slice(-8);}
    return (x<y?-1:x>y?1:0)*(order[k]?1:-1);});
    rows.forEach(function(r){body.appendChild(r);});});});
    update();document.body.setAttribute('data-ready','true');
    })();
    """
}

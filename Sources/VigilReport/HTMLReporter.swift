import Digest
import Foundation
import VigilModel
import VigilSupport

/// One self-contained page for an audit: totals by category and severity with an
/// inline SVG chart, a findings table that sorts and filters, redacted snippets with
/// context, and each rule's explanation and fix.
///
/// Nothing is fetched: no external script, style, font or image, and a Content
/// Security Policy that allows only this page's own style and (by hash) script.
/// Everything from the scanned tree is HTML-escaped.
public struct HTMLReporter: Reporter {
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
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>vigil report</title>
      <style>\(Self.style)</style>
      </head>
      <body>
      <h1>vigil report</h1>
      <p class="meta">\(escape("\(result.findings.count) findings in \(result.summary.filesScanned) files (\(result.summary.bytesScanned) bytes), vigil \(ToolInfo.version)"))</p>

      """)
    try stream.write(summary(result))
    try findingsTable(result, to: stream)
    try stream.write(ruleSection(result, rules: rules))
    try stream.write("<script>\(script)</script>\n</body>\n</html>\n")
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
    try stream.write(
      """
      <section id="findings"><h2>Findings</h2>
      <p><input id="filter" type="search" placeholder="Filter by path, rule, category or severity" aria-label="Filter findings"> <span id="shown"></span></p>
      <table id="findings-table"><thead><tr>
      <th data-key="severity">severity</th><th data-key="category">category</th><th data-key="rule">rule</th><th data-key="path">location</th><th>finding</th>
      </tr></thead><tbody>

      """)
    for finding in result.findings {
      let place = "\(finding.path):\(finding.start.line):\(finding.start.column)"
      let rank = finding.severity == .error ? 0 : finding.severity == .warning ? 1 : 2
      var code = finding.contextBefore.map { "<span class=\"ctx\">\(escape($0))</span>\n" }.joined()
      code += "<mark>\(escape(finding.snippet))</mark>\n"
      code += finding.contextAfter.map { "<span class=\"ctx\">\(escape($0))</span>\n" }.joined()
      try stream.write(
        """
        <tr class="finding" data-severity="\(rank)" data-category="\(escape(finding.category.rawValue))" data-rule="\(escape(finding.ruleID))" data-path="\(escape(finding.path))" data-line="\(finding.start.line)">
        <td class="sev \(finding.severity.rawValue)">\(finding.severity.rawValue)</td><td>\(escape(finding.category.rawValue))</td><td><a href="#rule-\(escape(finding.ruleID))">\(escape(finding.ruleID))</a></td><td class="path">\(escape(place))</td>
        <td><div class="message">\(escape(finding.message))</div><pre>\(code)</pre></td></tr>

        """)
    }
    try stream.write("</tbody></table></section>\n")
  }

  private func ruleSection(_ result: ScanResult, rules: [RuleInfo]) -> String {
    let used = Set(result.findings.map(\.ruleID))
    var html = "<section id=\"rules\"><h2>Rules with findings</h2>\n"
    for rule in rules where used.contains(rule.id) {
      html += "<article id=\"rule-\(escape(rule.id))\"><h3>\(escape(rule.id))</h3><dl>"
      html += "<dt>What</dt><dd>\(escape(rule.description))</dd>"
      html += "<dt>Why</dt><dd>\(escape(rule.category.why))</dd>"
      html +=
        "<dt>Fix</dt><dd>\(escape(rule.remediation ?? "Remove it and, for a credential, revoke it."))</dd>"
      html += "<dt>Severity</dt><dd>\(rule.severity.rawValue), \(escape(rule.cwe))</dd></dl></article>\n"
    }
    return html + "</section>\n"
  }

  func escape(_ text: String) -> String { MarkupEscaping.escape(text) }

  static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{margin:0}.meta{color:#666}
    table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
    th[data-key]{cursor:pointer;user-select:none}th[data-key]:after{content:" \\2195";color:#aaa}
    .totals{width:auto}pre{margin:4px 0;background:#f6f8fa;padding:6px;overflow-x:auto;font-size:12px}
    mark{background:#fff3b0}.ctx{color:#888}.sev.error{color:#b00020;font-weight:bold}.sev.warning{color:#a15c00}.sev.note{color:#0b6bcb}
    rect.error{fill:#d14343}rect.warning{fill:#e5a03a}rect.note{fill:#4a90d9}svg text{font-size:12px}
    #filter{width:24em;padding:4px}.path{font-family:ui-monospace,monospace;word-break:break-all}dt{font-weight:bold}
    """

  static let script = """
    (function(){
    var body=document.getElementById('findings-table').tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    var shown=document.getElementById('shown');
    function update(){var q=document.getElementById('filter').value.toLowerCase();var n=0;
    rows.forEach(function(r){var hit=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!hit;if(hit)n++;});
    shown.textContent='Showing '+n+' of '+rows.length+' findings';}
    document.getElementById('filter').addEventListener('input',update);
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

import VigilModel

/// CSV (RFC 4180), one row per finding, for spreadsheets and data tools.
///
/// A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// tab or CR) gets a leading `'`: a scanned repository must not be able to put a
/// formula into the auditor's spreadsheet. Control characters but tab and line feed,
/// and the invisible ones that reorder text, are escaped (`TerminalText`).
public struct CSVReporter: Reporter {
  public init() {}

  static let columns = [
    "ruleId", "category", "severity", "path", "line", "column", "endLine", "endColumn", "fingerprint",
    "secret", "message", "snippet", "commit",
  ]

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    try stream.write(Self.columns.joined(separator: ",") + "\r\n")
    for finding in result.findings {
      let cells = [
        finding.ruleID, finding.category.rawValue, finding.severity.rawValue, finding.path,
        String(finding.start.line), String(finding.start.column), String(finding.end.line),
        String(finding.end.column), finding.fingerprint, finding.secret ?? "", finding.message,
        finding.snippet,
        finding.commit?.sha ?? "",
      ]
      try stream.write(cells.map(Self.cell).joined(separator: ",") + "\r\n")
    }
  }

  static func cell(_ value: String) -> String {
    // Control and bidirectional characters as the text report shows them: a CSV read
    // in a terminal (`--format csv` to stdout) must not rewrite it.
    var value = TerminalText.escapedLines(value)
    if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
      value = "'" + value
    }
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

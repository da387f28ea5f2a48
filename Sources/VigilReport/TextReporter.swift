import VigilModel

/// The report for people: one block per finding, `path:line:col`, severity, rule id,
/// message and the redacted snippet; colour only when asked (on a terminal). Every
/// name the scanned tree controls is escaped (`TerminalText`).
public struct TextReporter: Reporter {
  public var color: Bool
  /// Whether the report ends with the scan's failure (`--strict`), if any: a report kept
  /// as a file says it, as the exit status does (on a terminal, the error is on stderr).
  public var statesFailure: Bool

  public init(color: Bool, statesFailure: Bool = false) {
    self.color = color
    self.statesFailure = statesFailure
  }

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    for finding in result.findings {
      let location = "\(TerminalText.escaped(finding.path)):\(finding.start.line):\(finding.start.column)"
      let severity = paint(finding.severity.rawValue, code: colorCode(finding.severity))
      var text =
        "\(paint(location, code: "1")): \(severity)[\(TerminalText.escaped(finding.ruleID))]\(finding.isFixture ? " (fixture)" : "") \(TerminalText.escaped(finding.message))\n"
      if let suppression = finding.suppression {
        text += "    suppressed (\(suppression.source)): \(TerminalText.escaped(suppression.justification))\n"
      }
      if let commit = finding.commit {
        text += "    commit \(commit.sha.prefix(12)) \(commit.date) \(commit.author): \(commit.message)\n"
      }
      if !finding.snippet.isEmpty { text += "    \(paint(finding.snippet, code: "2"))\n" }
      try stream.write(text)
    }
    if statesFailure, let failure = result.failure {
      try stream.write("vigil: error: \(TerminalText.escaped(failure))\n")
    }
  }

  private func colorCode(_ severity: Severity) -> String {
    switch severity {
    case .error: "31"
    case .warning: "33"
    case .note: "36"
    }
  }

  private func paint(_ text: String, code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

import VigilModel
import VigilSupport

/// JUnit XML, which most CI systems show as test results: one suite per rule, one
/// failed test case per finding (named by its place), a passing case for a clean rule.
public struct JUnitReporter: Reporter {
  public init() {}

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    let byRule = Dictionary(grouping: result.findings.indices, by: { result.findings[$0].ruleID })
    let tests = rules.reduce(0) { $0 + max(1, byRule[$1.id]?.count ?? 0) }
    try stream.write(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="vigil" tests="\(tests)" failures="\(result.findings.count)">

      """)
    for rule in rules.sorted(by: { $0.id < $1.id }) {
      let indices = byRule[rule.id] ?? []
      try stream.write(
        "  <testsuite name=\"\(xml(rule.id))\" tests=\"\(max(1, indices.count))\" failures=\"\(indices.count)\">\n"
      )
      if indices.isEmpty {
        try stream.write(
          "    <testcase classname=\"vigil.\(xml(rule.category.rawValue))\" name=\"\(xml(rule.id))\"/>\n")
      }
      for index in indices {
        let finding = result.findings[index]
        let place = "\(finding.path):\(finding.start.line):\(finding.start.column)"
        let details = xml(
          "\(place) [\(finding.ruleID)] \(finding.message)\n\(finding.snippet)\nfingerprint \(finding.fingerprint)"
        )
        try stream.write(
          "    <testcase classname=\"vigil.\(xml(rule.category.rawValue))\" name=\"\(xml(place))\">\n"
            + "      <failure message=\"\(xml(finding.message))\" type=\"\(finding.severity.rawValue)\">"
            + details + "</failure>\n    </testcase>\n")
      }
      try stream.write("  </testsuite>\n")
    }
    try stream.write("</testsuites>\n")
  }

  func xml(_ text: String) -> String { MarkupEscaping.escape(text) }
}

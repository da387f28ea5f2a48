import VigilModel
import VigilSupport

/// JUnit XML, which most CI systems show as test results: one suite per rule, one
/// failed test case per finding (named by its place), a passing case for a clean rule;
/// and a scan that failed although it ran to its end (`--strict`) as a test case in
/// error, which CI dashboards gate on too.
public struct JUnitReporter: Reporter {
  public init() {}

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    let byRule = Dictionary(grouping: result.findings.indices, by: { result.findings[$0].ruleID })
    let errors = result.failure == nil ? 0 : 1
    let tests = rules.reduce(0) { $0 + max(1, byRule[$1.id]?.count ?? 0) } + errors
    try stream.write(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="vigil" tests="\(tests)" failures="\(result.findings.count)" errors="\(errors)">

      """)
    if let failure = result.failure {
      try stream.write(
        "  <testsuite name=\"vigil\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
          + "    <testcase classname=\"vigil.scan\" name=\"scan\">\n"
          + "      <error message=\"\(xml(failure))\" type=\"scan\">\(xml(failure))</error>\n    </testcase>\n"
          + "  </testsuite>\n")
    }
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

/// JUnit XML, which most CI systems show as test results: one suite per rule, one
/// failed test case per finding (named by its place), a passing case for a clean rule.
public struct JUnitReporter: Reporter {
  public init() {}

  public func render(_ result: ScanResult, rules: [Rule]) throws -> String {
    let byRule = Dictionary(grouping: result.findings, by: \.ruleID)
    var suites = ""
    for rule in rules.sorted(by: { $0.id < $1.id }) {
      let findings = byRule[rule.id] ?? []
      suites +=
        "  <testsuite name=\"\(xml(rule.id))\" tests=\"\(max(1, findings.count))\" failures=\"\(findings.count)\">\n"
      if findings.isEmpty {
        suites +=
          "    <testcase classname=\"vigil.\(xml(rule.category.rawValue))\" name=\"\(xml(rule.id))\"/>\n"
      }
      for finding in findings {
        let place = "\(finding.path):\(finding.start.line):\(finding.start.column)"
        suites += "    <testcase classname=\"vigil.\(xml(rule.category.rawValue))\" name=\"\(xml(place))\">\n"
        suites += "      <failure message=\"\(xml(finding.message))\" type=\"\(finding.severity.rawValue)\">"
        suites += xml(
          "\(place) [\(finding.ruleID)] \(finding.message)\n\(finding.snippet)\nfingerprint \(finding.fingerprint)"
        )
        suites += "</failure>\n    </testcase>\n"
      }
      suites += "  </testsuite>\n"
    }
    let tests = rules.reduce(0) { $0 + max(1, byRule[$1.id]?.count ?? 0) }
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="vigil" tests="\(tests)" failures="\(result.findings.count)">

      """ + suites + "</testsuites>\n"
  }

  func xml(_ text: String) -> String { MarkupEscaping.escape(text) }
}

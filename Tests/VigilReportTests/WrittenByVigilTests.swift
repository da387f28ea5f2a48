import Testing
import VigilKit

@testable import VigilReport

/// Every report format vigil writes with a marker is recognised as vigil's, from its
/// content; files that only look alike are not.
@Suite struct WrittenByVigilTests {
  static let result = HTMLReporterTests.history()

  static func recognised(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer { WrittenByVigil.isReportOrBaseline($0) }
  }

  @Test(arguments: [ReportFormat.json, .sarif, .html, .junit, .csv])
  func eachReportIsRecognised(format: ReportFormat) throws {
    let report = try format.reporter().render(Self.result, rules: [RuleInfo]())
    #expect(Self.recognised(report))
    let empty = ScanResult(findings: [], diagnostics: [], summary: ScanSummary(), root: "/r")
    #expect(Self.recognised(try format.reporter().render(empty, rules: [RuleInfo]())))
  }

  /// The text report has no marker: a scan leaves out its `-o` file by name instead.
  @Test func lookAlikesAreNot() throws {
    #expect(!Self.recognised(try ReportFormat.text.reporter().render(Self.result, rules: [RuleInfo]())))
    let sarif = try ReportFormat.sarif.reporter().render(Self.result, rules: [RuleInfo]())
    #expect(
      !Self.recognised(
        sarif.replacingOccurrences(of: "\"name\" : \"vigil\"", with: "\"name\" : \"gitleaks\"")))
    let json = try ReportFormat.json.reporter().render(Self.result, rules: [RuleInfo]())
    #expect(!Self.recognised(json.replacingOccurrences(of: "\"summary\"", with: "\"totals\"")))
    let html = try ReportFormat.html.reporter().render(Self.result, rules: [RuleInfo]())
    #expect(!Self.recognised(html.replacingOccurrences(of: WrittenByVigil.htmlGeneratorTag, with: "")))
    #expect(!Self.recognised("{\n  \"findings\" : [\n  ]\n}\n"))
    #expect(!Self.recognised("ruleId,category\r\nx,y\r\n"))
    #expect(!Self.recognised(""))
  }
}

import Foundation
import Testing
import VigilKit
import VigilTestSupport

@testable import VigilReport

/// Every reporter against a golden file, and SARIF against the official schema.
/// Set VIGIL_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
@Suite struct ReporterGoldenTests {
  static let goldenDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Fixtures/Golden").path

  /// A small fixed pack, the rules the sample tree trips: a rule added to Rules/ leaves
  /// the golden files alone.
  static let goldenRules: Set<String> = [
    "aws-access-key-id", "aws-secret-access-key", "cors-permissive-tower-http", "dotenv-file", "github-token",
    "rust-unwrap", "sql-string-concatenation",
  ]

  private func scan() throws -> (ScanResult, [Rule], SampleTree.Secrets) {
    let tree = try TemporaryTree()
    let secrets = try SampleTree.write(into: tree)
    let full = try DefaultRulePack.load().0
    var pack = RulePack(
      rules: full.rules.filter { Self.goldenRules.contains($0.id) }, allowlists: full.allowlists)
    pack.settings = full.settings
    #expect(pack.rules.count == Self.goldenRules.count)
    var result = try Scanner(pack: pack, options: ScanOptions(paths: [tree.path], jobs: 2)).run()
    result.root = "/scan/root"
    return (result, pack.rules, secrets)
  }

  private func compare(_ actual: String, golden name: String) throws {
    let path = Self.goldenDirectory + "/" + name
    if ProcessInfo.processInfo.environment["VIGIL_UPDATE_GOLDEN"] != nil {
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(actual == expected, "\(name) differs from the golden file; see the diff above")
  }

  private func expectNoSecret(_ report: String, _ secrets: SampleTree.Secrets) {
    for secret in [secrets.awsKeyID, secrets.awsSecret, secrets.githubToken, secrets.smtpPassword] {
      #expect(!report.contains(secret))
      #expect(!report.contains(String(secret.prefix(5))))
    }
  }

  @Test func text() throws {
    let (result, rules, secrets) = try scan()
    let report = try TextReporter(color: false).render(result, rules: rules)
    try compare(report, golden: "report.txt")
    expectNoSecret(report, secrets)
    #expect(!report.contains("\u{1B}["))
    #expect(try TextReporter(color: true).render(result, rules: rules).contains("\u{1B}[31m"))
  }

  @Test func json() throws {
    let (result, rules, secrets) = try scan()
    let report = try JSONReporter().render(result, rules: rules)
    try compare(report, golden: "report.json")
    expectNoSecret(report, secrets)
    let object = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
    let findings = try #require(object?["findings"] as? [[String: Any]])
    #expect(findings.count == 7)
    for key in [
      "ruleId", "category", "severity", "path", "line", "column", "endLine", "endColumn", "fingerprint",
      "snippet",
    ] {
      #expect(findings.allSatisfy { $0[key] != nil }, "missing \(key)")
    }
  }

  @Test func sarif() throws {
    let (result, rules, secrets) = try scan()
    let report = try SARIFReporter().render(result, rules: rules)
    try compare(report, golden: "report.sarif")
    expectNoSecret(report, secrets)
    #expect(try SARIFValidator.errors(in: report) == [])
  }

  @Test func sarifDescribesEveryRuleAndLocatesEveryResult() throws {
    let (result, rules, _) = try scan()
    let report = try SARIFReporter().render(result, rules: rules)
    let log = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
    let runs = try #require(log["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let descriptors = try #require(driver["rules"] as? [[String: Any]])
    #expect(descriptors.map { $0["id"] as? String } == rules.map(\.id))
    for descriptor in descriptors {
      let properties = try #require(descriptor["properties"] as? [String: Any])
      let severity = try #require(properties["security-severity"] as? String)
      #expect(Double(severity) != nil)
      let tags = try #require(properties["tags"] as? [String])
      #expect(tags.contains { $0.hasPrefix("external/cwe/cwe-") })
      #expect(tags.contains(properties["category"] as? String ?? "?"))
      #expect((descriptor["help"] as? [String: Any])?["text"] as? String != nil)
    }
    let results = try #require(runs[0]["results"] as? [[String: Any]])
    #expect(results.count == result.findings.count)
    for (sarifResult, finding) in zip(results, result.findings) {
      #expect(sarifResult["ruleIndex"] as? Int == rules.firstIndex { $0.id == finding.ruleID })
      let fingerprints = sarifResult["partialFingerprints"] as? [String: String]
      #expect(fingerprints?[Fingerprint.sarifKey] == finding.fingerprint)
      let location =
        (sarifResult["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
      let artifact = location?["artifactLocation"] as? [String: Any]
      #expect(artifact?["uri"] as? String == finding.path)
      #expect(artifact?["uriBaseId"] as? String == SARIFReporter.rootBaseID)
    }
  }

  @Test func sarifWithWarningsAndOddPathsIsValid() throws {
    let finding = Finding(
      ruleID: "rust-unwrap", ruleIndex: 0, category: .unwrap, severity: .warning,
      path: "dir with space/ünïcode#1.rs", start: TextPosition(line: 3, column: 2),
      end: TextPosition(line: 3, column: 11), fingerprint: "f", snippet: "x.unwrap()",
      secret: nil, message: "m")
    var summary = ScanSummary()
    summary.filesScanned = 1
    let result = ScanResult(
      findings: [finding],
      diagnostics: [Diagnostic(.warning, "the pattern gave up", file: "big file.txt", ruleID: "x")],
      summary: summary, root: "/tmp/some root")
    let rules = try DefaultRulePack.load().0.rules.filter { $0.id == "rust-unwrap" }
    let report = try SARIFReporter().render(result, rules: rules)
    #expect(try SARIFValidator.errors(in: report) == [])
    #expect(report.contains("dir%20with%20space/%C3%BCn%C3%AFcode%231.rs"))
    // The scanning machine's own path stays out of the report.
    #expect(!report.contains("some%20root") && !report.contains("some root"))
  }

  /// A file that is itself the finding (a committed key) has no extent: its region is
  /// its first line, not an empty span.
  @Test func aWholeFileFindingsRegionIsItsFirstLine() throws {
    let finding = Finding(
      ruleID: "rust-unwrap", ruleIndex: 0, category: .unwrap, severity: .warning, path: "deploy/id_rsa",
      start: TextPosition(line: 1, column: 1), end: TextPosition(line: 1, column: 1), fingerprint: "f",
      snippet: "", secret: nil, message: "m")
    let result = ScanResult(findings: [finding], diagnostics: [], summary: ScanSummary(), root: "/r")
    let rules = try DefaultRulePack.load().0.rules.filter { $0.id == "rust-unwrap" }
    let report = try SARIFReporter().render(result, rules: rules)
    #expect(try SARIFValidator.errors(in: report) == [])
    let log = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
    let run = (log?["runs"] as? [[String: Any]])?.first
    let location = ((run?["results"] as? [[String: Any]])?.first?["locations"] as? [[String: Any]])?.first
    let region = (location?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
    #expect(region?.keys.sorted() == ["startLine"])
    #expect(region?["startLine"] as? Int == 1)
  }

  @Test func theValidatorRejectsInvalidSARIF() throws {
    // A check that cannot fail proves nothing: an invalid log must be caught.
    let errors = try SARIFValidator.errors(in: #"{"version": "2.1.0", "runs": [{"results": []}]}"#)
    #expect(!errors.isEmpty)
  }
}

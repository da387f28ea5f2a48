import Testing
import VigilKit

/// Every example of every rule in the default pack, through the real detector
/// (`RuleExamplesCheck`: variations of each with a multi-byte prefix, invalid UTF-8
/// before it, CRLF line ends, and the paths where the rule must or must not apply).
@Suite struct RuleExampleTests {
  static let pack: RulePack = {
    do {
      return try DefaultRulePack.load().0
    } catch {
      Issue.record("the default pack does not load: \(error)")
      return RulePack()
    }
  }()
  static let ruleIDs = pack.rules.map(\.id)

  private func rule(_ id: String) throws -> (Int, Rule) {
    let index = try #require(Self.pack.rules.firstIndex { $0.id == id })
    return (index, Self.pack.rules[index])
  }

  @Test func thePackIsNotEmptyAndCoversEveryCategory() {
    #expect(Self.pack.rules.count >= 8)
    for category in RuleCategory.allCases {
      #expect(Self.pack.rules.contains { $0.category == category }, "no \(category) rule")
    }
  }

  /// Every example of every rule, checked once (`RuleExamplesCheck`, what `vigil rules
  /// test` runs), and its failures by rule.
  static let checked: Result<RuleExamplesCheck.Report, ScanError> = Result { () throws(ScanError) in
    try RuleExamplesCheck.run(pack: pack)
  }

  @Test func everyRuleWasCheckedWithExamples() throws {
    let report = try Self.checked.get()
    #expect(report.rules == Self.pack.rules.count)
    #expect(report.examples >= 2 * report.rules)
  }

  @Test(arguments: ruleIDs) func examplesGiveWhatTheyMark(id: String) throws {
    let failures = try Self.checked.get().failures.filter { $0.ruleID == id }
    #expect(failures.isEmpty, "\(failures.map(\.message).joined(separator: "\n"))")
  }

  @Test(arguments: ruleIDs) func everyRuleIsDocumentedForReports(id: String) throws {
    let (_, rule) = try rule(id)
    #expect(!rule.description.isEmpty)
    #expect(!(rule.remediation ?? "").isEmpty, "\(id) has no remediation")
    #expect(rule.cwe.hasPrefix("CWE-"))
    #expect((0...10).contains(rule.securitySeverity))
  }
}

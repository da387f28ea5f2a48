import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// Every rule is explained for people: what, why, fix.
@Suite struct RulesDocumentationTests {
  @Test func everyRuleIsDocumentedWithWhatWhyAndFix() throws {
    let pack = try DefaultRulePack.load().0
    let markdown = RuleDocumentation.markdown(pack.rules)
    for rule in pack.rules {
      #expect(markdown.contains("### \(rule.id)\n"), "\(rule.id)")
      let explanation = RuleDocumentation.explanation(rule)
      #expect(
        explanation.contains("- What: ") && explanation.contains("- Why: ") && explanation.contains("- Fix: ")
      )
    }
  }

  /// A rule's explanation names what its validator checks: a checksum only where the
  /// format has one.
  @Test func theValidatorLineSaysWhatIsChecked() throws {
    let rules = Dictionary(uniqueKeysWithValues: try DefaultRulePack.load().0.rules.map { ($0.id, $0) })
    let cases: [(id: String, says: String)] = [
      ("github-token", "checksum is verified"),
      ("jwt", "only a signed one with claims"),
      ("generic-key-assignment", "must look generated"),
    ]
    for (id, says) in cases {
      let rule = try #require(rules[id], "\(id)")
      let explanation = RuleDocumentation.explanation(rule)
      #expect(explanation.contains(says), "\(id): \(explanation)")
      if id != "github-token" { #expect(!explanation.contains("checksum"), "\(id)") }
    }
    let commentsOnly = try #require(rules["generic-secret-assignment"])
    #expect(RuleDocumentation.explanation(commentsOnly).contains("- Not reported in: comments\n"))
  }
}

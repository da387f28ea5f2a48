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
}

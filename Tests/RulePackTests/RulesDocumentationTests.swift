import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// Documentation/Rules.md is generated from the pack; it must not fall behind it.
@Suite struct RulesDocumentationTests {
  @Test func rulesMarkdownIsCurrent() throws {
    let pack = try DefaultRulePack.load().0
    let onDisk = try String(contentsOfFile: RepositoryPaths.root + "/Documentation/Rules.md", encoding: .utf8)
    #expect(
      onDisk == RuleDocumentation.markdown(pack.rules),
      "Documentation/Rules.md is stale: run `vigil rules --markdown > Documentation/Rules.md` outside any configured directory"
    )
  }

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

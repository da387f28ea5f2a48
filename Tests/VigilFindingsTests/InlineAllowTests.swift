import Testing
import VigilKit

@Suite struct InlineAllowTests {
  let ids: Set<String> = ["github-token", "rust-unwrap"]

  private func allow(_ line: String, _ rule: String = "github-token") -> Suppression? {
    InlineAllow.suppression(inLine: Array(line.utf8), ruleID: rule, knownRuleIDs: ids)
  }

  @Test func markerInAnyCommentSyntaxWithReason() {
    #expect(allow("x = 1  # vigil:allow revoked fixture")?.justification == "revoked fixture")
    #expect(allow("x = 1; // vigil:allow")?.justification == "allowed inline with vigil:allow")
    #expect(allow("<!-- vigil:allow demo page -->")?.justification == "demo page")
    #expect(allow("/* vigil:allow old key */")?.justification == "old key")
    #expect(allow("x = 1  # vigil:allow revoked")?.kind == .inSource)
  }

  @Test func namedRuleOnlyAllowsThatRule() {
    #expect(allow("# vigil:allow rust-unwrap checked above", "rust-unwrap")?.justification == "checked above")
    #expect(allow("# vigil:allow rust-unwrap checked above", "github-token") == nil)
  }

  @Test func gitleaksMarkerAndNoMarker() {
    #expect(allow("k = 1 # gitleaks:allow") != nil)
    #expect(allow("k = 1 # vigil: allow") == nil)
    #expect(allow("k = 1") == nil)
  }

  /// The marker is a word of its own: not the start of a longer one, nor the end.
  @Test func aMarkerInsideALongerWordIsNone() {
    #expect(allow("k = 1 # vigil:allowed") == nil)
    #expect(allow("k = 1 # novigil:allow") == nil)
    #expect(allow("k = 1 # vigil:allow_all") == nil)
    #expect(allow("k = 1 # gitleaks:allowed") == nil)
    #expect(allow("<!-- vigil:allow-->") != nil)
    #expect(allow("k = 1 #vigil:allow") != nil)
  }
}

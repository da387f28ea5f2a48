import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// What every program driving a scan gets: the ignore file and the baseline applied,
/// warnings masked, suppressed findings kept only when asked for, the exit decision.
@Suite struct ScanOutcomeTests {
  private func finding(_ index: Int) -> Finding {
    Finding(
      ruleID: "rust-unwrap", ruleIndex: 0, category: .unwrap, severity: .warning, path: "src/f\(index).rs",
      start: TextPosition(line: 1, column: 1), end: TextPosition(line: 1, column: 10),
      fingerprint: String(repeating: String(index), count: 64), snippet: "x.unwrap()", secret: nil,
      message: "m")
  }

  private func scanned() -> ScanResult {
    ScanResult(
      findings: (1...4).map(finding),
      diagnostics: [Diagnostic(.warning, "odd file", file: "src/f1.rs")], summary: ScanSummary(), root: "/r")
  }

  private func tree() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    let ignored = String(repeating: "1", count: 64)
    let stale = String(repeating: "9", count: 64)
    try tree.write(
      ".vigilignore",
      "[[ignore]]\nfingerprint = \"\(ignored)\"\nreason = \"test double\"\n\n"
        + "[[ignore]]\nfingerprint = \"\(stale)\"\nreason = \"gone\"\n")
    let baselined = String(repeating: "2", count: 64)
    try tree.write(
      "baseline.json",
      "{\"version\": 1, \"findings\": [{\"fingerprint\": \"\(baselined)\", \"ruleId\": \"rust-unwrap\", \"path\": \"src/f2.rs\"}]}\n"
    )
    return tree
  }

  @Test func theIgnoreFileAndTheBaselineSilenceAndTheRestFails() throws {
    let tree = try tree()
    let outcome = try ScanOutcome(
      scanned(), root: tree.path, ignoreFile: nil, baseline: tree.path + "/baseline.json",
      includeSuppressed: false, recordBaseline: true, masker: SecretMasker.builtIn)
    #expect(outcome.result.findings.map(\.path) == ["src/f3.rs", "src/f4.rs"])
    #expect(outcome.failing == 2)
    #expect(outcome.staleEntries == 1)
    #expect(outcome.fails(failOnStale: false))
    // The baseline keeps what it had and adds what nothing silences; the ignored one is out.
    #expect(outcome.baseline?.entries.map(\.path) == ["src/f2.rs", "src/f3.rs", "src/f4.rs"])
    #expect(outcome.result.diagnostics.contains { $0.message.contains("matches no finding") })
  }

  @Test func suppressedFindingsAreKeptWhenAskedAndNeverFail() throws {
    let tree = try tree()
    var few = scanned()
    few.findings = [finding(1), finding(2)]
    let outcome = try ScanOutcome(
      few, root: tree.path, ignoreFile: tree.path + "/.vigilignore", baseline: tree.path + "/baseline.json",
      includeSuppressed: true, masker: SecretMasker.builtIn)
    #expect(outcome.result.findings.compactMap(\.suppression?.source) == [".vigilignore", "baseline"])
    #expect(!outcome.fails(failOnStale: false))
    #expect(outcome.fails(failOnStale: true))
    #expect(outcome.baseline == nil)
  }
}

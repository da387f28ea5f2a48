import Foundation
import Testing
import VigilTestSupport

@testable import VigilKit
@testable import VigilRules

/// Everything derived from Rules/ (the copy compiled into the binary and
/// Documentation/Rules.md) is current: `bash Scripts/regenerate-rules.sh` writes both.
@Suite struct GeneratedFilesTests {
  @Test func everythingDerivedFromRulesIsFresh() throws {
    let directory = RepositoryPaths.root + "/Rules"
    let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
    var onDisk: [String: String] = [:]
    while let next = enumerator.nextObject() as? String {
      guard next.hasSuffix(".toml") else { continue }
      onDisk["Rules/" + next] = try String(contentsOfFile: directory + "/" + next, encoding: .utf8)
    }
    let embedded = Dictionary(uniqueKeysWithValues: DefaultRulePack.embeddedFiles.map { ($0.path, $0.text) })
    #expect(!onDisk.isEmpty)
    let stale = "is stale: run `bash Scripts/regenerate-rules.sh`"
    #expect(embedded == onDisk, "Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift \(stale)")

    let pack = try DefaultRulePack.load().0
    let markdown = try String(
      contentsOfFile: RepositoryPaths.root + "/Documentation/Rules.md", encoding: .utf8)
    #expect(markdown == RuleDocumentation.markdown(pack.rules), "Documentation/Rules.md \(stale)")
  }
}

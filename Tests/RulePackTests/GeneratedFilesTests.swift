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
    #expect(!onDisk.isEmpty)
    let stale = "is stale: run `bash Scripts/regenerate-rules.sh`"
    let files = onDisk.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
      ($0.key, $0.value)
    }
    #expect(
      DefaultRulePack.embeddedJSON == (try DefaultRulePack.generatedJSON(files: files)),
      "Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift \(stale)")
    #expect(
      DefaultRulePack.embeddedExamplesJSON
        == (try DefaultRulePack.generatedJSON(files: files, examples: true)),
      "Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift (examples) \(stale)")

    // What the binary decodes is what the TOML says, field for field.
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let fromTOML = try DefaultRulePack.load(files: files, strict: true).0
    let decoded = try DefaultRulePack.load().0
    // The binary's rules come without their examples, which `examples(of:)` gives back.
    #expect(decoded.rules.allSatisfy { $0.examples == .init() })
    #expect(
      try encoder.encode(decoded.rules.map { $0.with(examples: DefaultRulePack.examples(of: $0)) })
        == encoder.encode(fromTOML.rules))
    #expect(try encoder.encode(decoded.allowlists) == encoder.encode(fromTOML.allowlists))
    #expect(decoded.sources == fromTOML.sources)
    #expect(decoded.rules.count > 300)

    let pack = try DefaultRulePack.load().0
    let markdown = try String(
      contentsOfFile: RepositoryPaths.root + "/Documentation/Rules.md", encoding: .utf8)
    #expect(markdown == RuleDocumentation.markdown(pack.rules), "Documentation/Rules.md \(stale)")
  }
}

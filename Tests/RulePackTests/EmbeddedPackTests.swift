import Foundation
import Testing
import VigilTestSupport

@testable import VigilKit

/// The rules compiled into the binary must be exactly the files under Rules/.
@Suite struct EmbeddedPackTests {
  @Test func embeddedCopyMatchesRulesDirectory() throws {
    let directory = RepositoryPaths.root + "/Rules"
    let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
    var onDisk: [String: String] = [:]
    while let next = enumerator.nextObject() as? String {
      guard next.hasSuffix(".toml") else { continue }
      onDisk["Rules/" + next] = try String(contentsOfFile: directory + "/" + next, encoding: .utf8)
    }
    let embedded = Dictionary(uniqueKeysWithValues: DefaultRulePack.embeddedFiles.map { ($0.path, $0.text) })
    #expect(!onDisk.isEmpty)
    #expect(
      embedded == onDisk,
      "Sources/VigilKit/Rules/DefaultRulePack+Embedded.swift is stale: run `swift run embed-rules`")
  }
}

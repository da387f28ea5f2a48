import Foundation
import Testing
import VigilTestSupport

@testable import VigilReport

/// One version everywhere: `vigil --version`, CHANGELOG.md's latest release, and the tag
/// README's pre-commit snippet pins.
@Suite struct ToolInfoTests {
  @Test func theVersionIsTheSameEverywhere() throws {
    let version = ToolInfo.version
    #expect(version.split(separator: ".").count == 3 && version.allSatisfy { $0.isNumber || $0 == "." })

    let changelog = try String(contentsOfFile: RepositoryPaths.root + "/CHANGELOG.md", encoding: .utf8)
    let released = changelog.split(separator: "\n").first { $0.hasPrefix("## ") && $0 != "## Unreleased" }
    #expect(
      released?.hasPrefix("## \(version) — ") == true, "CHANGELOG.md's latest release: \(released ?? "none")")

    let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
    let pins = readme.split(separator: "\n").filter {
      $0.trimmingCharacters(in: .whitespaces).hasPrefix("rev: ")
    }
    #expect(!pins.isEmpty)
    for pin in pins { #expect(pin.trimmingCharacters(in: .whitespaces) == "rev: v\(version)") }
  }
}

import Testing
import VigilTestSupport

@testable import VigilKit

/// Which configs a scan reads.
@Suite struct ScanConfigurationTests {
  /// Nested configs are found by a walk, in a repository and not; a repository with
  /// none gives none.
  @Test func nestedConfigsAreFoundBeneathTheRoot() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    #expect(ScanConfiguration.nestedConfigDirectories(root: tree.path) == [])
    try tree.write("a/.vigil.toml", "[extend]\nuseDefault = true\n")
    try tree.write("a/b/.vigil.toml", "[extend]\nuseDefault = true\n")
    try tree.write("ignored/.vigil.toml", "[extend]\nuseDefault = true\n")
    try tree.write(".gitignore", "ignored/\n")
    #expect(ScanConfiguration.nestedConfigDirectories(root: tree.path) == ["a/", "a/b/"])
  }
}

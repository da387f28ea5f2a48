import Foundation
import Testing
import VigilTestSupport

@testable import VigilKit

/// Regression: a relative directory such as "." once crashed the walk up to the
/// repository root (Foundation cannot take the parent of ".").
@Suite struct IgnoreEnvironmentTests {
  @Test func findsTheRepositoryFromRelativeAndAbsolutePaths() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    try tree.write("a/b/file.txt", "x")
    #expect(
      IgnoreEnvironment.findRepository(from: ".", workingDirectory: tree.path + "/a/b")?.root == tree.path)
    #expect(
      IgnoreEnvironment.findRepository(from: "b/..", workingDirectory: tree.path + "/a")?.root == tree.path)
    let found = IgnoreEnvironment.findRepository(from: tree.path + "/a/b/..//b")
    #expect(found?.root == tree.path)
    #expect(ConfigLoader.nestedConfigDirectories(root: tree.path) == [])
  }
}

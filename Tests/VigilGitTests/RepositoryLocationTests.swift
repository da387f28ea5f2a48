import Foundation
import Testing
import VigilTestSupport

@testable import VigilGit

@Suite struct RepositoryLocationTests {
  /// Regression: a relative directory such as "." once crashed the walk up to the
  /// repository root (Foundation cannot take the parent of ".").
  @Test func findsTheRepositoryFromRelativeAndAbsolutePaths() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    try tree.write("a/b/file.txt", "x")
    #expect(RepositoryLocation.containing(".", workingDirectory: tree.path + "/a/b")?.workTree == tree.path)
    #expect(RepositoryLocation.containing("b/..", workingDirectory: tree.path + "/a")?.workTree == tree.path)
    let found = RepositoryLocation.containing(tree.path + "/a/b/..//b")
    #expect(
      found == RepositoryLocation(workTree: tree.path, gitDirectory: tree.path + "/.git", isIndirect: false))
  }

  /// `core.worktree` in the repository's own config moves git's idea of the top; the
  /// top vigil reads its config from stays the directory holding `.git`.
  @Test func ignoresCoreWorktree() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q", "repo"], in: tree.path)
    try FileManager.default.createDirectory(
      atPath: tree.path + "/elsewhere", withIntermediateDirectories: true)
    try Git.run(["config", "core.worktree", tree.path + "/elsewhere"], in: tree.path + "/repo")
    let shown = try Git.run(["rev-parse", "--show-toplevel"], in: tree.path + "/repo/.git")
    #expect(shown.trimmingCharacters(in: .newlines) == tree.path + "/elsewhere", "control: git moves the top")
    #expect(RepositoryLocation.containing(tree.path + "/repo")?.workTree == tree.path + "/repo")
  }

  @Test func followsAGitFileAndNeverOpensASpecialFile() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q", "--separate-git-dir", tree.path + "/store", "work"], in: tree.path)
    let found = RepositoryLocation.containing(tree.path + "/work")
    #expect(
      found
        == RepositoryLocation(
          workTree: tree.path + "/work", gitDirectory: tree.path + "/store", isIndirect: true))
    // A FIFO named .git would block a reader forever: it is passed over.
    try FileManager.default.createDirectory(
      atPath: tree.path + "/fifo/sub", withIntermediateDirectories: true)
    #expect(mkfifo(tree.path + "/fifo/.git", 0o600) == 0)
    #expect(RepositoryLocation.containing(tree.path + "/fifo/sub")?.workTree != tree.path + "/fifo")
  }
}

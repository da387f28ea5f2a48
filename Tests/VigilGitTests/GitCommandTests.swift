import Testing

@testable import VigilGit

@Suite struct GitCommandTests {
  /// A failure names the subcommand, not the `-c` settings placed before it.
  @Test func aFailureNamesTheSubcommand() {
    let failure = GitCommand.Failure(
      arguments: ["-c", "core.deltaBaseCacheLimit=32m", "cat-file", "--batch"], status: 128,
      message: "fatal: unable to read 1234")
    #expect(failure.description == "git cat-file: unable to read 1234")
    #expect(failure.details.contains("cat-file") && failure.details.contains("fatal: unable to read 1234"))
    #expect(
      GitCommand.Failure(arguments: ["log"], status: 1, message: "\n").description
        == "git log failed (exit 1)")
  }
}

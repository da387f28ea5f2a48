import Foundation
import Testing
import VigilTestSupport

/// The walk as users see it: ignore rules, `--no-ignore`, `vigil files`, and output
/// that does not depend on `--jobs`.
@Suite struct WalkCommandTests {
  @Test func sarifIsByteIdenticalWhateverTheNumberOfJobs() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 61)
    for index in 0..<120 {
      let directory = "d\(index % 9)/s\(index % 4)"
      try tree.write("\(directory)/f\(index).py", "a = '\(tokens.githubToken())'\nb = x.unwrap()\n")
      try tree.write("\(directory)/g\(index).rs", "fn f() { y.unwrap(); }\n")
    }
    try SampleTree.write(into: tree)
    let one = try VigilBinary.run(["scan", "--jobs", "1", "--format", "sarif", tree.path])
    let two = try VigilBinary.run(["scan", "--jobs", "2", "--format", "sarif", tree.path])
    let eight = try VigilBinary.run(["scan", "--jobs", "8", "--format", "sarif", tree.path])
    #expect(one.status == 1)
    #expect(one.stdout.count > 10_000)
    #expect(one.stdout == two.stdout)
    #expect(one.stdout == eight.stdout)
  }

  @Test func ignoredFilesAreSkippedUnlessNoIgnore() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 62)
    try tree.write(".gitignore", "generated/\n")
    try tree.write("generated/client.js", "t = '\(tokens.githubToken())'\n")
    let ignoring = try VigilBinary.run(["scan", tree.path])
    #expect(ignoring.status == 0, "\(ignoring.stdout)")
    let everything = try VigilBinary.run(["scan", "--no-ignore", tree.path])
    #expect(everything.status == 1)
    #expect(everything.stdout.hasPrefix("generated/client.js:1:"))
    let listed = try VigilBinary.run(["files", tree.path])
    #expect(listed.stdout == ".gitignore\nREADME.md\n")
    let listedAll = try VigilBinary.run(["files", "--no-ignore", tree.path])
    #expect(listedAll.stdout == ".gitignore\nREADME.md\ngenerated/client.js\n")
    // The same tree unpacked from an archive (no repository): a `.gitignore` of `*`
    // hides nothing.
    try FileManager.default.removeItem(atPath: tree.path + "/.git")
    try tree.write(".gitignore", "*\n")
    let unpacked = try VigilBinary.run(["scan", tree.path])
    #expect(unpacked.status == 1, "\(unpacked.stdout)")
    #expect(unpacked.stdout.hasPrefix("generated/client.js:1:"))
  }

  /// A `.git` the tree holds itself that git reads as no repository (an empty directory,
  /// a `gitdir:` file naming nowhere) brings no ignore file back: all is scanned.
  @Test func aGitDirectoryThatIsNoRepositoryHidesNothing() throws {
    for kind in ["empty", "gitfile"] {
      let tree = try TemporaryTree()
      var tokens = TestTokens(seed: 63)
      try tree.write(".gitignore", "*\n")
      try tree.write("app/config.txt", "t = '\(tokens.githubToken())'\n")
      if kind == "empty" {
        try FileManager.default.createDirectory(
          atPath: tree.path + "/.git", withIntermediateDirectories: true)
      } else {
        try tree.write(".git", "gitdir: /nonexistent/elsewhere\n")
      }
      let output = try VigilBinary.run(["scan", tree.path])
      #expect(output.status == 1, "\(kind): \(output.stdout) \(output.stderr)")
      #expect(output.stdout.hasPrefix("app/config.txt:1:"), "\(kind)")
    }
  }

  /// A repository inside the scanned one (a submodule, a nested clone) is judged by its
  /// own ignore files, as git judges it: a file it tracks is scanned even when its
  /// ignore file or the outer repository's lists it, and its `.git` file is not a file
  /// to scan.
  @Test func aNestedRepositoryIsWalkedByItsOwnRules() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 63)
    try tree.write(".gitignore", "*.cfg\n")
    try Git.run(["add", ".gitignore"], in: tree.path)
    try Git.run(["commit", "-qm", "outer"], in: tree.path)
    let library = try Git.repository()
    try library.write(".gitignore", "*.py\n")
    try library.write("settings.py", "token = \"\(tokens.githubToken())\"\n")
    try library.write("deploy.cfg", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "-f", "."], in: library.path)
    try Git.run(["commit", "-qm", "library"], in: library.path)
    try Git.run(
      ["-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path, "lib"], in: tree.path)
    try Git.run(["commit", "-qm", "submodule"], in: tree.path)
    try library.write("local.py", "token = \"\(tokens.githubToken())\"\n")  // not in the clone

    let scan = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(scan.status == 1, "\(scan.stderr)")
    #expect(
      try findings(scan).compactMap { $0["path"] as? String }.sorted() == [
        "lib/deploy.cfg", "lib/settings.py",
      ])
    let listed = try VigilBinary.run(["files", "."], in: tree.path)
    #expect(
      listed.stdout
        == ".gitignore\n.gitmodules\nREADME.md\nlib/.gitignore\nlib/README.md\nlib/deploy.cfg\nlib/settings.py\n",
      "\(listed.stdout)")
  }

  @Test func summaryCountsSkippedFilesAndQuietSilencesIt() throws {
    let tree = try TemporaryTree()
    try tree.write("a.txt", "hello\n")
    #expect(symlink("a.txt", tree.path + "/link.txt") == 0)
    let output = try VigilBinary.run(["scan", tree.path])
    #expect(output.status == 0)
    #expect(output.stderr.contains("0 findings in 1 file (6 bytes)"))
    #expect(output.stderr.contains("skipped: 1 symlink"))
    let quiet = try VigilBinary.run(["scan", "--quiet", tree.path])
    #expect(quiet.stderr.isEmpty)
  }

  @Test func conflictingInputsAreUsageErrors() throws {
    #expect(try VigilBinary.run(["scan", "--staged", "--history"]).status == 2)
    #expect(try VigilBinary.run(["scan", "-", "src"]).status == 2)
    #expect(try VigilBinary.run(["scan", "--staged", "a", "b"]).status == 2)
    #expect(try VigilBinary.run(["scan", "--staged", "--code-rules"]).status == 2)
  }
}

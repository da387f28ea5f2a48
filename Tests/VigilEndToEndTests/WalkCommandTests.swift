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

  /// `vigil files` lists what a scan reads: the configuration's excludes (the root's and
  /// a nested one's) and its size limit, or `--max-file-size`, keep files out of both.
  @Test func filesListsWhatAScanReads() throws {
    let tree = try Git.repository()
    try tree.write(
      ".vigil.toml", "[extend]\nuseDefault = true\n[scan]\nexclude = [\"vendor/\"]\nmaxFileSize = 1000\n")
    try tree.write("vendor/a.py", "x = 1\n")
    try tree.write("big.txt", String(repeating: "x", count: 2000))
    try tree.write("mid.txt", String(repeating: "x", count: 500))
    try tree.write("sub/.vigil.toml", "[scan]\nexclude = [\"gen.py\"]\n")
    try tree.write("sub/gen.py", "x = 1\n")
    let listed = try VigilBinary.run(["files", "."], in: tree.path)
    #expect(listed.stdout == ".vigil.toml\nREADME.md\nmid.txt\nsub/.vigil.toml\n", "\(listed.stderr)")
    let smaller = try VigilBinary.run(["files", "--max-file-size", "100", "."], in: tree.path)
    #expect(smaller.stdout == ".vigil.toml\nREADME.md\nsub/.vigil.toml\n")
  }

  /// The user's global excludes file is read through a link, as git reads it (dotfile
  /// managers make it one): it was dropped without a word.
  @Test func aGlobalExcludesFileIsReadThroughALink() throws {
    let tree = try TemporaryTree()
    let repository = tree.path + "/repo"
    try tree.write("repo/a.log", "x\n")
    try tree.write("repo/b.txt", "x\n")
    try Git.run(["init", "-q"], in: repository)
    try tree.write("dotfiles/ignore", "*.log\n")
    try tree.write("home/.config/git/.keep", "")
    #expect(symlink(tree.path + "/dotfiles/ignore", tree.path + "/home/.config/git/ignore") == 0)
    // The machine's own /etc/gitconfig may name another excludes file.
    let environment = [
      "HOME": tree.path + "/home", "XDG_CONFIG_HOME": tree.path + "/home/.config", "GIT_CONFIG_NOSYSTEM": "1",
    ]
    let git = try ProcessRunner.run(
      "/usr/bin/env", ["git", "ls-files", "-co", "--exclude-standard"], in: repository,
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
    #expect(git.stdout == "b.txt\n", "git does not ignore it: the test means nothing")
    let listed = try VigilBinary.run(["files", repository], environment: environment)
    #expect(listed.stdout == "b.txt\n", "\(listed.stderr)")
  }

  /// A nested config's exclude means what the root's means: an archive named there is
  /// excluded with its entries, and an entry's shown path (`b.zip!x.py`) is no file name
  /// a pattern can hide.
  @Test func aNestedExcludeTakesAnArchiveAsTheRootsDoes() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0xA2C)
    try tree.write("sub/.vigil.toml", "")
    let zipped = try ProcessRunner.python(
      "import sys, zipfile\nz = zipfile.ZipFile('sub/b.zip', 'w')\n"
        + "z.writestr('x.py', 'c = \"' + sys.argv[1] + '\"\\n')\nz.close()\n",
      [tokens.awsAccessKeyID()], in: tree.path)
    #expect(zipped.status == 0, "\(zipped.stderr)")
    for (exclude, found) in [("b.zip", 0), ("b.zip!x.py", 1)] {
      try tree.write("sub/.vigil.toml", "[scan]\nexclude = ['\(exclude)']\n")
      let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
      #expect(output.status == Int32(found), "\(exclude): \(output.stdout)")
    }
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

import Foundation
import Testing
import VigilTestSupport

/// A scanned repository is untrusted: nothing its configuration names may run when
/// vigil asks git about it.
@Suite struct SafeGitTests {
  @Test func plantedHooksFiltersTextconvDiffAndPagersNeverRun() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    let marker = tree.path + "/../pwned-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: marker) }
    let payload = try tree.write(".git/payload.sh", "#!/bin/sh\ntouch '\(marker)'\ncat\n")
    chmod(payload, 0o755)
    for hook in ["pre-commit", "post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change"] {
      let path = try tree.write(".git/hooks/\(hook)", "#!/bin/sh\ntouch '\(marker)'\n")
      chmod(path, 0o755)
    }
    for (key, value) in [
      ("core.fsmonitor", payload), ("core.pager", payload), ("pager.log", payload), ("pager.diff", payload),
      ("diff.external", payload), ("diff.evil.textconv", payload), ("diff.evil.command", payload),
      ("filter.evil.clean", payload), ("filter.evil.smudge", payload), ("filter.evil.process", payload),
      ("core.hooksPath", tree.path + "/.git/hooks"), ("core.sshCommand", payload),
    ] {
      try Git.run(["config", key, value], in: tree.path)
    }
    try tree.write(".gitattributes", "* diff=evil filter=evil\n")
    // Commits made with hooks and filters off, so that setting up plants nothing.
    var tokens = TestTokens(seed: 101)
    try tree.write("a.txt", "k = \(tokens.githubToken())\n")
    try Git.run(
      [
        "-c", "core.hooksPath=/dev/null", "-c", "filter.evil.clean=cat", "-c", "filter.evil.process=", "add",
        ".",
      ], in: tree.path)
    try Git.run(
      [
        "-c", "core.hooksPath=/dev/null", "-c", "filter.evil.clean=cat", "-c", "filter.evil.process=",
        "commit", "-qm", "one",
      ], in: tree.path)
    try tree.write("b.txt", "k = \(tokens.githubToken())\n")
    try Git.run(
      [
        "-c", "core.hooksPath=/dev/null", "-c", "filter.evil.clean=cat", "-c", "filter.evil.process=", "add",
        "b.txt",
      ], in: tree.path)
    try? FileManager.default.removeItem(atPath: marker)

    let staged = try VigilBinary.run(["scan", "--staged"], in: tree.path)
    #expect(staged.status == 1, "\(staged.stderr)")
    let history = try VigilBinary.run(["scan", "--history"], in: tree.path)
    #expect(history.status == 1, "\(history.stderr)")
    let walk = try VigilBinary.run(["scan", tree.path])
    #expect(walk.status == 1, "\(walk.stderr)")
    #expect(!FileManager.default.fileExists(atPath: marker), "something from the scanned repository ran")

    // The control: the same questions asked of plain git do run the planted code, so the
    // plant is live and the check above can fail.
    _ = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", tree.path, "log", "-p"], in: tree.path)
    _ = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", tree.path, "diff", "--cached"], in: tree.path)
    #expect(
      FileManager.default.fileExists(atPath: marker),
      "the planted configuration did not run even for plain git")
  }
}

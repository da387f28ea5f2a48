import Foundation
import Testing
import VigilTestSupport

/// A config that came with the scanned tree cannot make vigil read files outside it; a
/// config of the user's own, from outside the tree, may.
@Suite struct ConfigConfinementTests {
  /// `repo/` is scanned; `outside/` holds a file a hostile config would like read.
  private func layout() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    try tree.write("outside/private.toml", "not toml: OUTSIDE-CONTENT-7Q2\n")
    try tree.write("repo/app.py", "print('hello')\n")
    return tree
  }

  private func expectRefused(_ tree: TemporaryTree, _ arguments: [String] = [], naming what: String) throws {
    let output = try VigilBinary.run(["scan"] + arguments + [tree.path + "/repo"])
    #expect(output.status == 2, "\(output.stderr)")
    #expect(
      output.stderr.contains("\(what) '") && output.stderr.contains("leads outside the scanned directory"))
    #expect(!output.stderr.contains("OUTSIDE-CONTENT") && !output.stdout.contains("OUTSIDE-CONTENT"))
  }

  @Test func extendPathsCannotLeaveTheTree() throws {
    for path in ["../outside/private.toml", "/ABS/outside/private.toml", "../repo/../outside/private.toml"] {
      let tree = try layout()
      let extendPath = path.replacingOccurrences(of: "/ABS", with: tree.path)
      try tree.write("repo/.vigil.toml", "[extend]\nuseDefault = true\npath = \"\(extendPath)\"\n")
      try expectRefused(tree, naming: "[extend] path")
    }
  }

  @Test func linksCannotLeadConfigsOutOfTheTree() throws {
    // The root config, an extended file, a nested config (in a repository and not)
    // and the ignore file, each a link to a file outside.
    let cases: [(link: String, extra: (TemporaryTree) throws -> Void, what: String)] = [
      (".vigil.toml", { _ in }, "the config file"),
      (
        "base.toml", { try $0.write("repo/.vigil.toml", "[extend]\npath = \"base.toml\"\n") }, "[extend] path"
      ),
      (
        "sub/.vigil.toml", { _ = try Git.run(["init", "-q", $0.path + "/repo"], in: $0.path) },
        "the config file"
      ),
      ("sub/.vigil.toml", { _ in }, "the config file"),
      (".vigilignore", { _ in }, "the ignore file"),
    ]
    for (link, extra, what) in cases {
      let tree = try layout()
      try extra(tree)
      try FileManager.default.createDirectory(
        atPath: (tree.path + "/repo/" + link as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: tree.path + "/repo/" + link, withDestinationPath: tree.path + "/outside/private.toml")
      try expectRefused(tree, naming: what)
    }
  }

  @Test func aConfigPassedFromInsideTheTreeIsConfinedToo() throws {
    let tree = try layout()
    try tree.write("repo/ci.toml", "[extend]\npath = \"../outside/private.toml\"\n")
    try expectRefused(tree, ["--config", tree.path + "/repo/ci.toml"], naming: "[extend] path")
  }

  @Test func configsInsideTheTreeAndTheUsersOwnStillWork() throws {
    let tree = try layout()
    var tokens = TestTokens(seed: 5)
    try tree.write("repo/app.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("repo/config/base.toml", "[extend]\nuseDefault = true\n")
    try tree.write("repo/.vigil.toml", "[extend]\npath = \"config/base.toml\"\n")
    let inside = try VigilBinary.run(["scan", "--format", "json", tree.path + "/repo"])
    #expect(inside.status == 1, "\(inside.stderr)")
    #expect(try findings(inside).map { $0["ruleId"] as? String } == ["github-token"])

    try tree.write("own/base.toml", "[extend]\nuseDefault = true\n")
    try tree.write("own/vigil.toml", "[extend]\npath = \"base.toml\"\n")
    let own = try VigilBinary.run(
      ["scan", "--format", "json", "--config", tree.path + "/own/vigil.toml", tree.path + "/repo"])
    #expect(own.status == 1, "\(own.stderr)")
    #expect(try findings(own).map { $0["ruleId"] as? String } == ["github-token"])
  }
}

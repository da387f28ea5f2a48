import Foundation
import Testing
import VigilTestSupport

/// A `.vigil.toml` in a subdirectory changes only its subtree.
@Suite struct LayeredConfigTests {
  @Test func nestedConfigsChangeOnlyTheirSubtree() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 81)
    for directory in ["a", "b", "b/deeper"] {
      try tree.write("\(directory)/app.py", "t = '\(tokens.githubToken())'\n")
    }
    try tree.write("c/src/x.rs", "fn f() { g().unwrap(); }\n")
    try tree.write("d/src/x.rs", "fn f() { g().unwrap(); }\n")
    try tree.write("e/keys.txt", "team_9f2Kq7Lm3Xv8Rz4TpW\n")
    try tree.write("a/keys.txt", "team_9f2Kq7Lm3Xv8Rz4TpW\n")
    try tree.write("f/gen/out.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("b/.vigil.toml", "[scan]\ndisabledRules = [\"github-token\"]\n")
    try tree.write("c/.vigil.toml", "[severity]\nrust-unwrap = \"note\"\n")
    try tree.write(
      "e/.vigil.toml",
      """
      [[rules]]
      id = "team-key"
      description = "Team key"
      regex = '''team_[A-Za-z0-9]{18}'''
      keywords = ["team_"]
      """)
    try tree.write("f/.vigil.toml", "[scan]\nexclude = [\"gen/\"]\n")
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1)
    let found = try findings(output).map {
      "\($0["path"] as? String ?? ""):\($0["ruleId"] as? String ?? ""):\($0["severity"] as? String ?? "")"
    }
    #expect(
      found == [
        "a/app.py:github-token:error", "c/src/x.rs:rust-unwrap:note", "d/src/x.rs:rust-unwrap:warning",
        "e/keys.txt:team-key:error",
      ])
  }

  /// An archive's entries are reported as `bundle.zip!x/…`; a nested config in a
  /// directory literally named `bundle.zip!x` is not above them and does not reach them,
  /// in a tree scan or in history.
  @Test func aNestedConfigDoesNotReachAnArchiveBesideIt() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0xB0D1)
    let script =
      "import zipfile\nwith zipfile.ZipFile('bundle.zip', 'w') as z:\n"
      + "    z.writestr('x/s.py', \"t = '\(tokens.githubToken())'\\n\")\n"
    let built = try ProcessRunner.python(script, in: tree.path)
    #expect(built.status == 0, "\(built.stderr)")
    try tree.write("bundle.zip!x/.vigil.toml", "[scan]\ndisabledRules = [\"github-token\"]\n")
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", "x"], in: tree.path)
    for mode in [["."], ["--history", "--no-cache"]] {
      let output = try VigilBinary.run(["scan", "--format", "json"] + mode, in: tree.path)
      #expect(output.status == 1, "\(mode): \(output.stderr)")
      #expect(try findings(output).map { $0["path"] as? String } == ["bundle.zip!x/s.py"], "\(mode)")
    }
  }

  /// A config given with `--config` is the whole configuration: a nested file in the
  /// tree (a pull request's, allowing everything under it) is not read, in a tree scan,
  /// `--staged` or `--range`; nor the tree's `.vigilignore` unless named.
  @Test func aConfigGivenByNameLeavesNestedConfigsUnread() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0xC0F6)
    try tree.write("README", "base\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "base"], in: tree.path)
    try Git.run(["branch", "base"], in: tree.path)
    let outside = try TemporaryTree()
    let config = try outside.write("ci.toml", "[extend]\nuseDefault = true\n")
    try tree.write("src/pay/settings.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("src/pay/.vigil.toml", "[[allowlists]]\ndescription = \"all\"\nregexes = ['''.*''']\n")
    try Git.run(["add", "."], in: tree.path)
    for mode in [["."], ["--staged"]] {
      // Without --config the nested file applies, as it should.
      #expect(try VigilBinary.run(["scan"] + mode, in: tree.path).status == 0, "\(mode)")
      let output = try VigilBinary.run(
        ["scan", "--config", config, "--format", "json"] + mode, in: tree.path)
      #expect(output.status == 1, "\(mode): \(output.stderr)")
      #expect(try findings(output).compactMap { $0["path"] as? String } == ["src/pay/settings.py"])
    }
    try Git.run(["commit", "-qm", "pay"], in: tree.path)
    #expect(
      try VigilBinary.run(["scan", "--config", config, "--range", "base..HEAD"], in: tree.path).status == 1)
    // Nor the tree's `.vigilignore`, unless named with --ignore-file.
    try tree.write("src/pay/.vigil.toml", "[scan]\nfailOn = \"warning\"\n")
    let found = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    let fingerprint = try #require(found.first?["fingerprint"] as? String)
    try tree.write(".vigilignore", "[[ignore]]\nfingerprint = \"\(fingerprint)\"\nreason = \"ours\"\n")
    #expect(try VigilBinary.run(["scan", "."], in: tree.path).status == 0)
    #expect(try VigilBinary.run(["scan", "--config", config, "."], in: tree.path).status == 1)
    #expect(
      try VigilBinary.run(["scan", "--config", config, "--ignore-file", ".vigilignore", "."], in: tree.path)
        .status
        == 0)
  }

  @Test func aNestedConfigCannotRedefineARootRule() throws {
    let tree = try TemporaryTree()
    try tree.write("sub/.vigil.toml", "[[rules]]\nid = \"github-token\"\nregex = \"x\"\n")
    let output = try VigilBinary.run(["scan", tree.path])
    #expect(output.status == 2)
    #expect(output.stderr.contains("cannot redefine a rule"))
  }

  @Test func rootScanSettingsExcludeDisableAndOverride() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 82)
    try tree.write("vendor/lib/app.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("web/app.min.js", "t = '\(tokens.githubToken())'\n")
    try tree.write("src/app.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("src/x.rs", "fn f() { g().unwrap(); }\n")
    try tree.write("big.txt", String(repeating: "x", count: 300) + " " + tokens.githubToken())
    try tree.write(
      ".vigil.toml",
      """
      [extend]
      useDefault = true
      [scan]
      exclude = ["vendor/", "*.min.js"]
      maxFileSize = 200
      disabledRules = ["rust-unwrap"]
      [severity]
      github-token = "warning"
      """)
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1)
    let found = try findings(output).map {
      "\($0["path"] as? String ?? ""):\($0["severity"] as? String ?? "")"
    }
    #expect(found == ["src/app.py:warning"])
    // --max-file-size wins over the config's.
    let bigger = try VigilBinary.run(["scan", "--format", "json", "--max-file-size", "100000", tree.path])
    #expect(try findings(bigger).map { $0["path"] as? String } == ["big.txt", "src/app.py"])
  }

  /// A nested config's settings of the whole scan are not taken, and it says so: a
  /// subdirectory cannot raise the failing level or the file size of the scan.
  @Test func aNestedConfigsScanSettingsAreIgnoredWithAWarning() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 83)
    try tree.write("sub/app.py", "t = '\(tokens.githubToken())'\n")
    try tree.write("sub/.vigil.toml", "[scan]\nfailOn = \"error\"\nmaxFileSize = 10\n")
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(try findings(output).map { $0["path"] as? String } == ["sub/app.py"])
    for key in ["failOn", "maxFileSize"] {
      #expect(output.stderr.contains("[scan] \(key) is ignored in a nested config"), "\(output.stderr)")
    }
  }

  @Test func initWritesAStarterThatLoads() throws {
    let tree = try TemporaryTree()
    let first = try VigilBinary.run(["init", tree.path])
    #expect(first.status == 0)
    #expect(try VigilBinary.run(["rules", "--config", tree.path + "/.vigil.toml"]).status == 0)
    #expect(try VigilBinary.run(["init", tree.path]).status == 2)
    #expect(try VigilBinary.run(["init", "--force", tree.path]).status == 0)
  }
}

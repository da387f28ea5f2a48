import Foundation
import Testing
import VigilTestSupport

/// `vigil install-hook` as a user meets it: the real git commits in a real repository,
/// with vigil found on PATH or where `--vigil` says, never a build folder's path; a
/// blocked commit says why and how to proceed.
@Suite struct InstallHookTests {
  /// A repository and a home without the developer's git configuration (a global
  /// core.hooksPath would bypass the hook).
  private struct Setting {
    let repository: TemporaryTree
    let home: TemporaryTree

    init() throws {
      repository = try Git.repository()
      home = try TemporaryTree()
    }

    func environment(path: String) -> [String: String] {
      [
        "PATH": path, "HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
        "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.invalid",
      ]
    }

    func installHook(_ arguments: [String], path: String) throws -> ProcessOutput {
      try VigilBinary.run(
        ["install-hook"] + arguments + [repository.path], environment: environment(path: path))
    }

    /// Stages `text` as `file` and runs `git commit`, with `path` as PATH.
    func commit(_ file: String, _ text: String, path: String, options: [String] = []) throws -> ProcessOutput
    {
      try repository.write(file, text)
      try Git.run(["add", file], in: repository.path)
      return try ProcessRunner.run(
        "/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-qm", "change"] + options,
        in: repository.path, environment: environment(path: path))
    }

    var hook: String { repository.path + "/.git/hooks/pre-commit" }
  }

  private static let system = "/usr/bin:/bin"
  private static let withVigil = (VigilBinary.path as NSString).deletingLastPathComponent + ":" + system

  /// A secret from parts, so this repository's own scan stays clean.
  private static func secret(seed: UInt64) -> String {
    var tokens = TestTokens(seed: seed)
    return tokens.githubToken()
  }

  /// What the hook says when findings block the commit: each way forward, named as
  /// `Documentation/Suppressing.md` names it.
  private static func expectBlockedAdvice(_ output: ProcessOutput, token: String) {
    #expect(output.status == 1, "\(output.stdout)\(output.stderr)")
    // git sends a hook's standard output to its standard error.
    #expect((output.stdout + output.stderr).contains("github-token"), "\(output.stdout)")
    for advice in [
      "vigil: commit blocked by the findings above", "`git add` the file again",
      "`vigil:allow RULE-ID reason`",
      "[[ignore]] entry with its fingerprint and a reason to\n    .vigilignore", "`git commit --no-verify`",
    ] {
      #expect(output.stderr.contains(advice), "\(advice): \(output.stderr)")
    }
    #expect(!(output.stdout + output.stderr).contains(token))
  }

  @Test func vigilFromPathBlocksASecretAndSaysHowToProceed() throws {
    let setting = try Setting()
    let installed = try setting.installHook([], path: Self.withVigil)
    #expect(installed.status == 0, "\(installed.stderr)")
    #expect(
      installed.stdout.contains("it runs vigil from PATH, now \(VigilBinary.path)"), "\(installed.stdout)")
    #expect(try setting.installHook([], path: Self.withVigil).status == 2)
    #expect(try setting.installHook(["--force"], path: Self.withVigil).status == 0)
    let script = try String(contentsOfFile: setting.hook, encoding: .utf8)
    #expect(script.contains("vigil='vigil'\n"))
    #expect(!script.contains(VigilBinary.path))

    let clean = try setting.commit("notes.txt", "nothing secret\n", path: Self.withVigil)
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(!clean.stderr.contains("commit blocked"))

    let token = Self.secret(seed: 181)
    let blocked = try setting.commit("deploy.sh", "TOKEN=\(token)\n", path: Self.withVigil)
    Self.expectBlockedAdvice(blocked, token: token)
    #expect(blocked.stderr.contains("`git commit --no-verify` skips this hook"))
    #expect(
      try Git.run(["log", "--format=%s"], in: setting.repository.path).split(separator: "\n").count == 2)

    let skipped = try setting.commit(
      "deploy.sh", "TOKEN=\(token)\n", path: Self.withVigil, options: ["--no-verify"])
    #expect(skipped.status == 0, "\(skipped.stderr)")
  }

  /// `git commit -a` and `git commit PATH` run the hook with a temporary index (git sets
  /// `GIT_INDEX_FILE` to it, in `.git`): that index, which holds the change, is scanned.
  @Test func theHookScansTheTemporaryIndexOfCommitAllAndCommitPath() throws {
    let setting = try Setting()
    #expect(try setting.installHook([], path: Self.withVigil).status == 0)
    let clean = try setting.commit("deploy.sh", "echo ok\n", path: Self.withVigil)
    #expect(clean.status == 0, "\(clean.stderr)")
    for (index, options) in [["-a"], ["deploy.sh"]].enumerated() {
      let token = Self.secret(seed: 190 + UInt64(index))
      try setting.repository.write("deploy.sh", "TOKEN=\(token)\n")
      let blocked = try ProcessRunner.run(
        "/usr/bin/env", ["git", "-c", "commit.gpgsign=false", "commit", "-qm", "change"] + options,
        in: setting.repository.path, environment: setting.environment(path: Self.withVigil))
      Self.expectBlockedAdvice(blocked, token: token)
    }
  }

  /// `--vigil` with a path no shell may read as anything but a path: spaces, quotes,
  /// a command substitution. The hook runs it, and only it, without vigil on PATH.
  @Test func theVigilOptionTakesAnyPathLiterally() throws {
    let setting = try Setting()
    let tools = try TemporaryTree()
    let directory = tools.path + "/my tools 'quoted' \"double\" $(touch pwned) `touch pwned2`"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let vigil = directory + "/vigil"
    try FileManager.default.createSymbolicLink(atPath: vigil, withDestinationPath: VigilBinary.path)

    let installed = try setting.installHook(["--vigil", vigil], path: Self.system)
    #expect(installed.status == 0, "\(installed.stderr)")
    #expect(installed.stdout.contains("it runs \(vigil)"), "\(installed.stdout)")

    let clean = try setting.commit("notes.txt", "nothing secret\n", path: Self.system)
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    let token = Self.secret(seed: 182)
    Self.expectBlockedAdvice(
      try setting.commit("app.py", "t = '\(token)'\n", path: Self.system), token: token)
    for place in [setting.repository.path, tools.path, directory] {
      let names = try FileManager.default.contentsOfDirectory(atPath: place)
      #expect(!names.contains { $0.hasPrefix("pwned") }, "\(place): \(names)")
    }
  }

  /// A relative `--vigil` is made absolute: the hook runs in the repository, not here.
  @Test func aRelativeVigilPathIsMadeAbsolute() throws {
    let setting = try Setting()
    let tools = try TemporaryTree()
    try FileManager.default.createSymbolicLink(
      atPath: tools.path + "/vigil", withDestinationPath: VigilBinary.path)
    let installed = try VigilBinary.run(
      ["install-hook", "--vigil", "./vigil", setting.repository.path], in: tools.path,
      environment: setting.environment(path: Self.system))
    #expect(installed.status == 0, "\(installed.stderr)")
    let script = try String(contentsOfFile: setting.hook, encoding: .utf8)
    #expect(script.contains("vigil='\(tools.path)/./vigil'\n"), "\(script)")
  }

  /// No vigil to run: refused (exit 2), saying how to fix it, and no hook written.
  @Test func refusesAHookWithNoVigilToRun() throws {
    let setting = try Setting()
    let empty = try TemporaryTree()
    let notOnPath = try setting.installHook([], path: empty.path)
    #expect(notOnPath.status == 2)
    #expect(notOnPath.stderr.contains("vigil is not on PATH"), "\(notOnPath.stderr)")
    #expect(notOnPath.stderr.contains("put vigil on PATH"))
    #expect(notOnPath.stderr.contains("pass --vigil PATH"))

    let plain = try empty.write("vigil", "#!/bin/sh\n")
    for path in [plain, empty.path, empty.path + "/missing"] {
      let refused = try setting.installHook(["--vigil", path], path: Self.withVigil)
      #expect(refused.status == 2, "\(path)")
      #expect(refused.stderr.contains("--vigil \(path): not an executable file"), "\(refused.stderr)")
      #expect(refused.stderr.contains("put vigil on PATH and leave --vigil out"))
    }
    #expect(!FileManager.default.fileExists(atPath: setting.hook))
  }

  /// vigil cannot scan (a broken configuration) or is gone: the commit is blocked and
  /// the hook says vigil failed to run, exiting with its status.
  @Test func aVigilThatCannotRunBlocksTheCommit() throws {
    let setting = try Setting()
    let tools = try TemporaryTree()
    let vigil = tools.path + "/vigil"
    try FileManager.default.createSymbolicLink(atPath: vigil, withDestinationPath: VigilBinary.path)
    #expect(try setting.installHook(["--vigil", vigil], path: Self.system).status == 0)

    try setting.repository.write(".vigil.toml", "[[rules]\nid = \n")
    let broken = try setting.commit("notes.txt", "nothing secret\n", path: Self.system)
    #expect(broken.status != 0, "\(broken.stdout)\(broken.stderr)")
    #expect(broken.stderr.contains("vigil: commit blocked: vigil failed to run"), "\(broken.stderr)")
    #expect(broken.stderr.contains("`git commit --no-verify` skips this hook"))
    // git commit exits 1 for any failed hook; the hook itself exits with vigil's status.
    let hook = try ProcessRunner.run(
      setting.hook, [], in: setting.repository.path, environment: setting.environment(path: Self.system))
    #expect(hook.status == 2, "\(hook.stderr)")
    try FileManager.default.removeItem(atPath: setting.repository.path + "/.vigil.toml")

    try FileManager.default.removeItem(atPath: vigil)
    let gone = try setting.commit("notes.txt", "still nothing\n", path: Self.system)
    #expect(gone.status != 0)
    #expect(gone.stderr.contains("vigil failed to run"), "\(gone.stderr)")
    #expect(gone.stderr.contains("vigil install-hook --force"))
  }

  /// The pre-commit framework's hook (`.pre-commit-hooks.yaml`) asks vigil itself for
  /// the same advice, with the framework's way to skip one hook.
  @Test func scanHookAdviceSaysTheCommitIsBlocked() throws {
    let setting = try Setting()
    let environment = setting.environment(path: Self.system)
    let token = Self.secret(seed: 183)
    try setting.repository.write("deploy.sh", "TOKEN=\(token)\n")
    try Git.run(["add", "deploy.sh"], in: setting.repository.path)
    let blocked = try VigilBinary.run(
      ["scan", "--staged", "--hook-advice"], in: setting.repository.path, environment: environment)
    Self.expectBlockedAdvice(blocked, token: token)
    #expect(blocked.stderr.contains("`SKIP=vigil git commit` skips this hook"))

    let plain = try VigilBinary.run(
      ["scan", "--staged"], in: setting.repository.path, environment: environment)
    #expect(plain.status == 1)
    #expect(!plain.stderr.contains("commit blocked"))

    try setting.repository.write(".vigil.toml", "[[rules]\nid = \n")
    let broken = try VigilBinary.run(
      ["scan", "--staged", "--hook-advice"], in: setting.repository.path, environment: environment)
    #expect(broken.status == 2)
    #expect(broken.stderr.contains("vigil: commit blocked: vigil failed to run"), "\(broken.stderr)")

    #expect(try VigilBinary.run(["scan", "--hook-advice", "."], in: setting.repository.path).status == 2)
  }

  /// A hook or a starter config is never written through a link the repository holds (a
  /// tracked `.husky/pre-commit` or `.vigil.toml` pointing at a file outside it), even
  /// with --force: the repository's author chose where it points.
  @Test func neverWritesThroughALinkTheRepositoryHolds() throws {
    let setting = try Setting()
    let outside = try TemporaryTree()
    try outside.write("profile", "export KEEP=1\n")
    try FileManager.default.createDirectory(
      atPath: setting.repository.path + "/.husky", withIntermediateDirectories: true)
    #expect(symlink(outside.path + "/profile", setting.repository.path + "/.husky/pre-commit") == 0)
    #expect(symlink(outside.path + "/profile", setting.repository.path + "/.vigil.toml") == 0)
    try Git.run(["config", "core.hooksPath", ".husky"], in: setting.repository.path)
    let hook = try setting.installHook(["--force"], path: Self.withVigil)
    #expect(
      hook.status == 2 && hook.stderr.contains("is a symbolic link inside the scanned tree"), "\(hook.stderr)"
    )
    let starter = try VigilBinary.run(["init", "--force", setting.repository.path])
    #expect(starter.status == 2, "\(starter.stderr)")
    #expect(try String(contentsOfFile: outside.path + "/profile", encoding: .utf8) == "export KEEP=1\n")
  }
}

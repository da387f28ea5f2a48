import Foundation
import Testing
import VigilTestSupport

/// A scanned repository is untrusted, and so, for what a patch looks like, is the user's
/// own git configuration: nothing either says may make vigil's git run a program,
/// fetch, block, or hide a finding. Each setting of `HostileGit` is planted on its own
/// with a control showing plain git obeys it, then at random in combinations.
@Suite(.serialized) struct HostileGitTests {
  /// Built once: a dozen git commands.
  nonisolated(unsafe) static let pristine = Result { try HostileGit.Subject() }
  /// What vigil reports on the pristine subject.
  static let clean = Result { () throws -> Scans in
    let subject = try pristine.get()
    let scans = try Scans(subject)
    return scans
  }

  /// The findings of `--history` and `--staged`, each as sorted `rule path:line` keys.
  struct Scans: Equatable, CustomStringConvertible {
    var history: [String]
    var staged: [String]

    init(_ subject: HostileGit.Subject) throws {
      history = try Self.keys(try Self.scan(["--history"], subject))
      staged = try Self.keys(try Self.scan(["--staged"], subject))
    }

    static func scan(_ mode: [String], _ subject: HostileGit.Subject) throws -> ProcessOutput {
      let output = try VigilBinary.run(
        ["scan", "--format", "json", "-q"] + mode, in: subject.repository,
        environment: ["HOME": subject.home],
        timeout: 60)
      #expect(!output.timedOut, "vigil scan \(mode) blocked")
      #expect(output.status == 1, "vigil scan \(mode): exit \(output.status)\n\(output.stderr)")
      return output
    }

    static func keys(_ output: ProcessOutput) throws -> [String] {
      guard output.status == 1 else { return ["exit \(output.status)"] }
      return try findings(output).map {
        "\($0["ruleId"] as? String ?? "?") \($0["path"] as? String ?? "?"):\($0["line"] as? Int ?? 0)"
      }.sorted()
    }

    var description: String { "history \(history), staged \(staged)" }
  }

  /// The git commands vigil's own calls stand for, run plainly: what they print (or
  /// whether they block, or run the payload) shows a plant is live.
  static let controls: [[String]] = [
    ["log", "-p"], ["log", "-p", "--format=%s"], ["diff", "--cached"], ["-C", "app", "diff", "--cached"],
    ["status"], ["rev-parse", "--show-toplevel"],
  ]

  static let pristineControls = Result { try controlOutputs(try pristine.get()) }

  static func controlOutputs(_ subject: HostileGit.Subject) throws -> [String] {
    var outputs: [String] = []
    for arguments in controls {
      // Through `script`, so that git sees a terminal and starts its pager.
      let command = (["git"] + arguments).map { "'\($0)'" }.joined(separator: " ")
      let output = try ProcessRunner.run(
        "/usr/bin/script", ["-qec", command, "/dev/null"], in: subject.repository,
        environment: ["PATH": "/usr/bin:/bin", "HOME": subject.home, "TERM": "dumb", "PAGER": "cat"],
        timeout: 3)
      // One blocked command is enough to show a plant blocks.
      if output.timedOut { return outputs + ["<blocked>"] }
      outputs.append(output.stdout + output.stderr)
    }
    return outputs
  }

  /// Checks the plant is live for plain git, as `effect` says.
  static func expectLive(_ effect: HostileGit.Effect, _ planted: HostileGit.Subject, _ what: String) throws {
    let outputs = try controlOutputs(planted)
    switch effect {
    case .runs:
      #expect(planted.payloadRan, "control: plain git did not run the payload for \(what)")
    case .blocks:
      #expect(outputs.contains("<blocked>"), "control: plain git did not block for \(what)")
    case .changes:
      let baseline = try pristineControls.get()
      #expect(outputs != baseline, "control: plain git printed the same for \(what)")
    }
  }

  enum Place: String, CaseIterable, Sendable {
    case repository, home
  }

  /// A FIFO where git reads the repository's own files (`.git/shallow`, say, in a `.git`
  /// somebody else prepared) would stop git for good: vigil runs no git command there.
  @Test func aFIFOInTheGitDirectoryStopsNoScan() throws {
    let repository = try Git.repository()
    try repository.write("a.txt", "a\n")
    try Git.run(["add", "."], in: repository.path)
    try Git.run(["commit", "-qm", "a"], in: repository.path)
    #expect(mkfifo(repository.path + "/.git/shallow", 0o600) == 0)
    for mode in [["--history"], ["--staged"]] {
      let output = try VigilBinary.run(["scan"] + mode + ["."], in: repository.path, timeout: 30)
      #expect(output.status == 2, "\(mode): \(output.stderr)")
      #expect(output.stderr.contains("shallow is not a regular file"), "\(output.stderr)")
    }
  }

  /// npm puts `node_modules/.bin` in PATH, relative or absolute: a `git` committed there
  /// must not be the one vigil runs, in any mode, from the tree or from beneath it.
  @Test func aGitInTheTreeOnThePathDoesNotRun() throws {
    let repository = try Git.repository()
    let marker = repository.path + "-git-ran"
    defer { try? FileManager.default.removeItem(atPath: marker) }
    let realGit = try #require(
      ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    try repository.write(
      "node_modules/.bin/git", "#!/bin/sh\necho \"$*\" >> '\(marker)'\nexec \(realGit) \"$@\"\n")
    #expect(chmod(repository.path + "/node_modules/.bin/git", 0o755) == 0)
    try repository.write("src/a.py", "x = 1\n")
    try Git.run(["add", "-f", "."], in: repository.path)
    try Git.run(["commit", "-qm", "a"], in: repository.path)
    let system = (realGit as NSString).deletingLastPathComponent
    for entry in ["node_modules/.bin", repository.path + "/node_modules/.bin"] {
      for mode in [[], ["--staged"], ["--history"]] {
        for directory in [repository.path, repository.path + "/src"] {
          let output = try VigilBinary.run(
            ["scan", "-q"] + mode, in: directory, environment: ["PATH": "\(entry):\(system):/usr/bin:/bin"],
            timeout: 60)
          #expect(output.status == 0, "\(entry) \(mode): \(output.stderr)")
        }
      }
    }
    // An unpacked archive scanned from its top (`vigil scan src`): its top came with it.
    let unpacked = try TemporaryTree()
    try unpacked.write(
      "node_modules/.bin/git", "#!/bin/sh\necho \"$*\" >> '\(marker)'\nexec \(realGit) \"$@\"\n")
    #expect(chmod(unpacked.path + "/node_modules/.bin/git", 0o755) == 0)
    try unpacked.write("src/a.py", "x = 1\n")
    let output = try VigilBinary.run(
      ["scan", "-q", "src"], in: unpacked.path,
      environment: [
        "PATH": "\(unpacked.path)/node_modules/.bin:\(system):/usr/bin:/bin",
        // a CI job's HOME in its workspace trusts nothing in it but ~/bin and ~/.local/bin
        "HOME": unpacked.path,
      ], timeout: 60)
    #expect(output.status == 0, "\(output.stderr)")
    #expect(!FileManager.default.fileExists(atPath: marker), "the tree's git ran")
  }

  @Test(arguments: HostileGit.settings, Place.allCases)
  func aPlantedSettingNeitherRunsBlocksNorHides(setting: HostileGit.Setting, place: Place) throws {
    let pairs = [(key: setting.key, value: setting.value)] + setting.with
    // core.worktree means something only in a repository's own config.
    if place == .home && setting.key == "core.worktree" { return }
    let pristine = try Self.pristine.get()
    let planted = place == .repository ? try pristine.planted(pairs) : try pristine.planted([], global: pairs)
    let scans = try Scans(planted)
    #expect(scans == (try Self.clean.get()), "\(setting) in \(place)")
    #expect(!planted.payloadRan, "vigil let git run the payload for \(setting) in \(place)")
    try Self.expectLive(setting.effect, planted, "\(setting) in \(place)")
  }

  @Test(arguments: HostileGit.attributes)
  func attributesChangeNothing(line: String) throws {
    let planted = try Self.pristine.get().planted([], attributes: [line])
    let scans = try Scans(planted)
    #expect(scans == (try Self.clean.get()), "\(line)")
    try Self.expectLive(.changes, planted, line)
  }

  /// The case found by hand: a committed `.gitattributes` with `*.py -diff` made every
  /// Python file's lines vanish from `--history` and `--staged`.
  @Test func aCommittedGitattributesHidesNothing() throws {
    let planted = try Self.pristine.get().planted([])
    try planted.tree.write("repo/.gitattributes", "*.py -diff\n*.sh -diff\n*.md binary\n")
    try Git.run(["add", ".gitattributes"], in: planted.repository)
    // Past the subject's replace ref, which would drop a file from the new commit's tree.
    try Git.run(
      ["--no-replace-objects", "commit", "-qm", "attributes", "--", ".gitattributes"], in: planted.repository)
    let scans = try Scans(planted)
    #expect(scans == (try Self.clean.get()), "\(scans)")
    try Self.expectLive(.changes, planted, "a committed .gitattributes")
  }

  /// Replace refs and grafts rewrite history for every git command that does not turn
  /// them off. The subject's last commit is replaced by one without its file.
  @Test func replaceRefsAndGraftsHideNothing() throws {
    let subject = try Self.pristine.get()
    let clean = try Self.clean.get()
    #expect(clean.history.contains { $0.contains("docs/café.txt") }, "\(clean)")
    let plain = try subject.plainGit(["log", "-p"])
    #expect(!plain.stdout.contains("café"), "control: plain git sees through the replace ref")

    let grafted = try subject.planted([])
    let three = try subject.plainGit(["rev-parse", "HEAD~1"]).stdout.trimmingCharacters(in: .newlines)
    try grafted.tree.write("repo/.git/info/grafts", three + "\n")
    let scans = try Scans(grafted)
    #expect(scans == clean)
    let log = try grafted.plainGit(["log", "--format=%s"]).stdout
    #expect(!log.contains("one"), "control: plain git still shows the grafted-away commits: \(log)")
  }

  /// Random combinations of settings, in the repository or the user's home, and
  /// attributes: the result is always the clean one. A failure names its seed.
  @Test func randomCombinationsChangeNothing() throws {
    let seed = UInt64(ProcessInfo.processInfo.environment["VIGIL_HOSTILE_GIT_SEED"] ?? "") ?? 0x617_2026
    var random = SeededGenerator(seed: seed)
    let clean = try Self.clean.get()
    for round in 0..<12 {
      let chosen = HostileGit.settings.shuffled(using: &random).prefix(Int.random(in: 3...8, using: &random))
      var repository: [(key: String, value: String)] = []
      var home: [(key: String, value: String)] = []
      for setting in chosen {
        let pairs = [(key: setting.key, value: setting.value)] + setting.with
        if Bool.random(using: &random) || setting.key == "core.worktree" {
          repository += pairs
        } else {
          home += pairs
        }
      }
      let attributes = Array(
        HostileGit.attributes.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random)))
      let planted = try Self.pristine.get().planted(repository, global: home, attributes: attributes)
      let what = "seed \(seed) round \(round): \(chosen.map(\.description)) attributes \(attributes)"
      let scans = try Scans(planted)
      #expect(scans == clean, "\(what)")
      #expect(!planted.payloadRan, "\(what)")
    }
  }

  /// A partial clone fetches a missing object from its promisor remote by the transport
  /// the remote's URL names, with the program the repository configures for it. vigil
  /// never lets that happen, and says why the scan cannot go on (exit 2).
  @Test(arguments: ["ssh", "ext"])
  func aPartialCloneFetchesNothing(transport: String) throws {
    let subject = try Self.pristine.get()
    let tree = try TemporaryTree()
    let server = tree.path + "/server.git"
    try Git.run(["clone", "-q", "--bare", subject.repository, server], in: tree.path)
    try Git.run(["config", "uploadpack.allowFilter", "true"], in: server)
    try Git.run(
      ["clone", "-q", "--no-checkout", "--filter=blob:none", "file://" + server, "clone"], in: tree.path)
    let clone = tree.path + "/clone"
    let marker = tree.path + "/ran"
    let payload = try tree.write("payload.sh", "#!/bin/sh\ntouch '\(marker)'\nexit 1\n")
    chmod(payload, 0o755)
    if transport == "ssh" {
      try Git.run(["config", "remote.origin.url", "ssh://git.example.invalid/x"], in: clone)
      try Git.run(["config", "core.sshCommand", payload], in: clone)
    } else {
      // A repository's own protocol.<name>.allow beats `-c protocol.allow=never`.
      try Git.run(["config", "remote.origin.url", "ext::\(payload) %S"], in: clone)
      try Git.run(["config", "protocol.ext.allow", "always"], in: clone)
    }
    // A staged file whose blob the clone lacks (the work tree was never checked out).
    let missing = try Git.run(["rev-parse", "HEAD:app/settings.py"], in: subject.repository)
      .trimmingCharacters(in: .newlines)
    try Git.run(["read-tree", "HEAD"], in: clone)
    try Git.run(["update-index", "--add", "--cacheinfo", "100644,\(missing),lib/copy.py"], in: clone)

    for mode in ["--history", "--staged"] {
      let output = try VigilBinary.run(
        ["scan", mode], in: clone, environment: ["HOME": tree.path], timeout: 60)
      #expect(output.status == 2, "\(mode): \(output.stdout)\n\(output.stderr)")
      #expect(output.stderr.contains("partial clone"), "\(mode): \(output.stderr)")
      #expect(
        !FileManager.default.fileExists(atPath: marker), "vigil's git fetched through \(transport) (\(mode))")
    }
    _ = try ProcessRunner.run(
      "/usr/bin/env", ["git", "log", "-p"], in: clone,
      environment: ["PATH": "/usr/bin:/bin", "HOME": tree.path],
      timeout: 10)
    #expect(FileManager.default.fileExists(atPath: marker), "control: plain git did not run the transport")
  }

  /// A config include git opens with a blocking read: a FIFO there once stopped every
  /// git command, and so every scan, for good. The repository is refused at once with a
  /// message naming the file (`--history`, `--staged`: exit 2); a directory scan goes on
  /// without git and still finds everything on disk.
  @Test(arguments: ["include", "includeIf", "nested"])
  func aConfigIncludeThatIsAFIFOIsRefusedNotWaitedOn(kind: String) throws {
    let planted = try Self.pristine.get().planted([])
    let include: String
    switch kind {
    case "include": include = "[include]\n\tpath = \(planted.fifo)\n"
    case "includeIf": include = "[includeIf \"gitdir:/\"]\n\tpath = \(planted.fifo)\n"
    default:
      try planted.tree.write("nested.inc", "[include]\n\tpath = fifo\n")  // beside nested.inc
      include = "[include]\n\tpath = \(planted.tree.path)/nested.inc\n"
    }
    let config = planted.repository + "/.git/config"
    try (try String(contentsOfFile: config, encoding: .utf8) + include)
      .write(toFile: config, atomically: false, encoding: .utf8)
    for mode in ["--history", "--staged"] {
      let output = try VigilBinary.run(
        ["scan", mode], in: planted.repository, environment: ["HOME": planted.home], timeout: 60)
      #expect(
        !output.timedOut && output.status == 2, "\(kind) \(mode): exit \(output.status)\n\(output.stderr)")
      #expect(output.stderr.contains("not a regular file"), "\(kind) \(mode): \(output.stderr)")
    }
    let walk = try VigilBinary.run(
      ["scan", "--format", "json"], in: planted.repository, environment: ["HOME": planted.home], timeout: 60)
    #expect(!walk.timedOut && walk.status == 1, "\(kind): exit \(walk.status)\n\(walk.stderr)")
    #expect(try findings(walk).count >= 4, "\(kind): \(walk.stdout)")
    try Self.expectLive(.blocks, planted, "a FIFO as a config include (\(kind))")
  }

  /// `--range` is a revision range, never an option: `--output=FILE` once made git write
  /// the whole unredacted patch text to FILE while vigil said "0 findings", exit 0.
  @Test(arguments: ["--output=FILE", "--ext-diff", "-p", "--all", ""])
  func aRangeThatLooksLikeAnOptionIsAUsageError(range: String) throws {
    let subject = try Self.pristine.get()
    let file = subject.tree.path + "/written-\(UUID().uuidString)"
    let argument = range.replacingOccurrences(of: "FILE", with: file)
    let output = try VigilBinary.run(
      ["scan", "--range=\(argument)"], in: subject.repository, environment: ["HOME": subject.home])
    #expect(output.status == 2, "\(output.stdout)\n\(output.stderr)")
    #expect(output.stderr.contains("--range"), "\(output.stderr)")
    #expect(!FileManager.default.fileExists(atPath: file))
    if range.hasPrefix("--output") {
      _ = try subject.plainGit(["log", "-p", argument])
      #expect(FileManager.default.fileExists(atPath: file), "control: plain git does not write the file")
    }
  }

  /// A range git reads past `--end-of-options` still works as a range.
  @Test func aRangeStillScansItsCommits() throws {
    let subject = try Self.pristine.get()
    let output = try VigilBinary.run(
      ["scan", "--range", "HEAD~2..HEAD", "--format", "json"], in: subject.repository,
      environment: ["HOME": subject.home])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(
      try findings(output).compactMap { $0["path"] as? String }.sorted() == [
        "docs/README.md", "docs/café.txt",
      ])
  }
}

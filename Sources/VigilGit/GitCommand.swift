import Foundation
import VigilSupport

/// Runs the real `git` on a repository vigil is scanning, so that nothing the
/// repository's configuration (or the user's) says can run a program, fetch anything,
/// or change the text vigil reads. Every git call vigil makes on a scanned repository
/// goes through here.
///
/// A scanned repository is untrusted: its `.git/config` may name hooks, an fsmonitor,
/// textconv or filter drivers, an external diff, a pager, a signature program, a
/// promisor remote with its own transport; its `.gitattributes` may mark files binary;
/// its configuration, or the user's own, may change diff prefixes, encodings, rename
/// and binary detection. Each invocation pins those on the command line (`-c` beats
/// every config file) and in the environment (which beats `-c` where git offers it),
/// without touching anybody's configuration. No shell is involved: arguments go to
/// `execve` as-is. Commands that take revisions must read them after
/// `--end-of-options` (see `revisionArguments`).
///
/// The work tree and git directory are found by `RepositoryLocation`, never from the
/// repository's `core.worktree`, and passed to git as `GIT_DIR` and `GIT_WORK_TREE`.
public struct GitCommand: Sendable {
  /// The directory git runs in (`-C`).
  public let directory: String
  /// The repository around `directory`, as vigil found it.
  public let location: RepositoryLocation?
  /// Whether the repository is treated as untrusted (always, for repositories vigil
  /// scans); only `install-hook`, on the user's own configuration, turns it off.
  public let hardened: Bool

  /// - Parameter forGitInputs: a bare repository, or one the caller's `GIT_DIR` names
  ///   with no `.git` in its work tree, is found too (`RepositoryLocation.containing`).
  public init(repository directory: String, hardened: Bool = true, forGitInputs: Bool = false) {
    self.directory = directory
    self.location = RepositoryLocation.containing(directory, forGitInputs: forGitInputs)
    self.hardened = hardened
  }

  /// `-c` settings placed before every subcommand. Each one either stops git from
  /// running or reading something the repository names, or fixes a setting that
  /// changes the patch text vigil parses; `SafeGitTests` plants every one of them.
  static let pinnedConfiguration = [
    // Programs a repository can name.
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "diff.external=",
    "core.sshCommand=false",
    "core.askPass=",
    "credential.helper=",
    "protocol.allow=never",
    "log.showSignature=false",
    "log.mailmap=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "core.useReplaceRefs=false",
    // Settings that change the text of a patch or which patch is shown.
    "core.quotePath=false",
    "core.bigFileThreshold=2047m",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "diff.renames=true",
    "diff.renameLimit=1000",
    "diff.algorithm=myers",
    "diff.indentHeuristic=true",
    "diff.suppressBlankEmpty=false",
    "diff.interHunkContext=0",
    "diff.submodule=short",
    "diff.ignoreSubmodules=all",
    "diff.colorMoved=no",
    "color.ui=never",
    "log.showRoot=true",
    "log.follow=false",
    "i18n.logOutputEncoding=UTF-8",
  ]

  /// Options every patch-producing command (`log -p`, `diff`) takes, so that its text
  /// is the same whatever configuration or attributes say: binary detection off
  /// (`.gitattributes` `-diff` or a driver's `binary` would hide a file's lines), fixed
  /// prefixes, no external diff or textconv, no order file (which could be a FIFO).
  public static let patchOptions = [
    "--text", "--no-ext-diff", "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/",
    "--no-relative", "-O/dev/null", "--submodule=short", "--ignore-submodules=all",
  ]

  /// Options for `git log` beyond `patchOptions`: no signature verification (which
  /// runs `gpg.program`), every root commit's patch, UTF-8 whatever the commit or the
  /// configuration says, no notes, no mailmap.
  public static let logOptions = [
    "--no-show-signature", "--root", "--encoding=UTF-8", "--no-notes", "--no-mailmap",
  ]

  /// The caller's environment with what could make git run something, fetch, wait for
  /// a person or see rewritten history overridden, in a fixed locale.
  func environment() -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment["GIT_OPTIONAL_LOCKS"] = "0"
    environment["GIT_PAGER"] = "cat"
    environment["LC_ALL"] = "C"
    environment.removeValue(forKey: "GIT_EXTERNAL_DIFF")
    guard hardened else { return environment }
    // A partial clone fetches missing objects from its promisor remote by whatever
    // transport that remote's URL names, and a repository's own
    // `protocol.<name>.allow` beats `-c protocol.allow=never`. GIT_ALLOW_PROTOCOL
    // beats all configuration: with no protocol allowed, nothing is fetched, and a
    // missing object fails the command (vigil then stops with exit 2, see
    // `GitRepository.explain`). GIT_NO_LAZY_FETCH says the same to git 2.45 and later.
    environment["GIT_ALLOW_PROTOCOL"] = "none"
    environment["GIT_NO_LAZY_FETCH"] = "1"
    // Replace refs and grafts rewrite what a commit contains or descends from.
    environment["GIT_NO_REPLACE_OBJECTS"] = "1"
    environment["GIT_GRAFT_FILE"] = "/dev/null/no-grafts"  // a path that can never exist
    environment.removeValue(forKey: "GIT_SSH")
    environment.removeValue(forKey: "GIT_SSH_COMMAND")
    environment.removeValue(forKey: "GIT_ASKPASS")
    environment.removeValue(forKey: "SSH_ASKPASS")
    if let location {
      // A GIT_DIR, and an index, of the caller's own (git sets them for its hooks: a
      // temporary index for `commit -a`) are kept when they are the repository vigil
      // found; another repository's (a hook of one repository scanning another) never
      // apply. Otherwise the repository is the one vigil found, whatever core.worktree
      // says.
      let cwd = FileManager.default.currentDirectoryPath
      let ownDirectory = SymbolicLinks.realPath(location.gitDirectory) ?? location.gitDirectory
      let callersIndex = environment["GIT_INDEX_FILE"]
      let callers = environment["GIT_DIR"].flatMap { $0.isEmpty ? nil : PathText.absolute($0, from: cwd) }
      if let callers, (SymbolicLinks.realPath(callers) ?? callers) == ownDirectory {
        environment["GIT_DIR"] = callers
        environment["GIT_WORK_TREE"] =
          environment["GIT_WORK_TREE"].map { PathText.absolute($0, from: cwd) } ?? location.workTree
      } else {
        for name in Self.repositoryVariables { environment.removeValue(forKey: name) }
        environment["GIT_DIR"] = location.gitDirectory
        environment["GIT_WORK_TREE"] = location.isBare ? nil : location.workTree
      }
      if let index = callersIndex, !index.isEmpty {
        let absolute = PathText.absolute(index, from: cwd)
        let resolved = SymbolicLinks.realPath((absolute as NSString).deletingLastPathComponent) ?? absolute
        if SymbolicLinks.isWithin(resolved, anyOf: [ownDirectory]) {
          environment["GIT_INDEX_FILE"] = absolute
        } else {
          environment.removeValue(forKey: "GIT_INDEX_FILE")
        }
      }
    }
    return environment
  }

  /// What names another repository's parts: dropped when vigil reads one it found itself.
  static let repositoryVariables = [
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
  ]

  /// `revisions` as arguments for a command that takes them (log, diff, rev-list):
  /// after `--end-of-options`, so that a user-given `--output=…` is a revision git
  /// cannot find rather than an option it obeys, then `--` to end them.
  public static func revisionArguments(_ revisions: [String]) -> [String] {
    ["--end-of-options"] + revisions + ["--"]
  }

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var arguments: [String]
    public var status: Int32
    public var message: String

    /// One line: the subcommand and the first thing git said, without its `fatal:`.
    public var description: String {
      let said = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      var reason = Substring(said.trimmingCharacters(in: .whitespaces))
      for prefix in ["fatal: ", "error: "] where reason.hasPrefix(prefix) {
        reason = reason.dropFirst(prefix.count)
      }
      return reason.isEmpty ? "git \(subcommand) failed (exit \(status))" : "git \(subcommand): \(reason)"
    }

    /// The whole command (its `-c` settings too) and everything git said: for `--verbose`.
    public var details: String {
      "git command (exit \(status)): git \(arguments.joined(separator: " "))\n\(message)"
    }

    /// The subcommand, past any `-c name=value` before it.
    var subcommand: String {
      var index = 0
      while index + 1 < arguments.count && arguments[index] == "-c" { index += 2 }
      return index < arguments.count ? arguments[index] : ""
    }
  }

  /// Runs `git <arguments>` in the repository and returns its standard output.
  /// - Throws: `Failure` when git cannot start or exits non-zero.
  public func run(_ arguments: [String], input: [UInt8]? = nil, timeout: Double? = nil) throws(Failure)
    -> [UInt8]
  {
    var collected: [UInt8] = []
    try execute(arguments, input: input, timeout: timeout) { collected += $0 }
    return collected
  }

  /// `run`, decoded as text with trailing newlines removed.
  public func text(_ arguments: [String]) throws(Failure) -> String {
    String(decoding: try run(arguments), as: UTF8.self).trimmingCharacters(in: .newlines)
  }

  /// Runs git and hands its standard output to `line` one line at a time (without the
  /// newline) as it arrives, so that a long `git log -p` is never held in memory whole.
  /// With `separator` 0, the records are those of a `-z` listing.
  public func streamLines(
    _ arguments: [String], separator: UInt8 = 0x0A, _ line: (ArraySlice<UInt8>) throws -> Void
  ) throws {
    var pending: [UInt8] = []
    try execute(arguments, input: nil, timeout: nil) { chunk in
      pending += chunk
      var start = 0
      while let end = pending[start...].firstIndex(of: separator) {
        try line(pending[start..<end])
        start = end + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty { try line(pending[...]) }
  }

  /// Runs git with `input` on its standard input and hands each chunk of its standard
  /// output to `chunk` as it arrives (`cat-file --batch` over many objects).
  public func stream(_ arguments: [String], input: [UInt8], _ chunk: ([UInt8]) throws -> Void) throws {
    try execute(arguments, input: input, timeout: nil, chunk)
  }

  /// `ls-files` options that apply the ignore files `--exclude-standard` would, but only
  /// those that are regular files: git opens an ignore file with a blocking read, and a
  /// FIFO there would stop it for good. (A FIFO `.gitignore` inside the tree can still
  /// block git: callers give such listings a time limit, `listingTimeout`.)
  public func excludeOptions() -> [String] {
    var options = ["--exclude-per-directory=.gitignore"]
    var candidates: [String] = []
    if let location {
      candidates.append(RepositoryLocation.commonDirectory(of: location.gitDirectory) + "/info/exclude")
    }
    if let global = Self.globalExcludesPath(directory: directory) { candidates.append(global) }
    for path in candidates {
      var info = stat()
      if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG {
        options.append("--exclude-from=" + path)
      }
    }
    return options
  }

  /// `core.excludesFile` as git resolves it, else git's default
  /// `$XDG_CONFIG_HOME/git/ignore` (or `~/.config/git/ignore`).
  public static func globalExcludesPath(directory: String) -> String? {
    if let configured = try? GitCommand(repository: directory).text(
      ["config", "--path", "--get", "core.excludesFile"]), !configured.isEmpty
    {
      return configured
    }
    let environment = ProcessInfo.processInfo.environment
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/git/ignore" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.config/git/ignore" }
    return nil
  }

  /// How long a listing of the work tree may take before vigil gives up on it.
  public static let listingTimeout = 30.0

  /// How long git may go without a byte of output before vigil stops it. A file git
  /// opens with a blocking read (an ignore file, a config include, attributes) can be
  /// a FIFO in a repository somebody else prepared: git would wait for ever. No honest
  /// git command vigil runs is silent this long (`log -p` writes as it goes).
  public static let stallTimeout = 120.0

  /// The whole command line, for tests and diagnostics.
  func commandLine(_ arguments: [String]) -> [String] {
    let options = hardened ? Self.pinnedConfiguration.flatMap { ["-c", $0] } : []
    return ["git", "--no-pager", "-C", directory] + options + arguments
  }

  private func execute(
    _ arguments: [String], input: [UInt8]?, timeout: Double?, _ output: ([UInt8]) throws -> Void
  ) throws(Failure) {
    if hardened, let location, let problem = ConfigIncludes.problem(in: location) {
      throw Failure(arguments: arguments, status: -1, message: problem)
    }
    let outcome: (status: Int32, errors: [UInt8])
    do {
      // The tree read and its repository are no place to take git from.
      let untrusted = [directory] + (location.map { [$0.workTree, $0.gitDirectory] } ?? [])
      outcome = try Subprocess.run(
        commandLine(arguments), environment: environment(), untrusted: untrusted, input: input,
        timeout: timeout,
        stallTimeout: hardened ? Self.stallTimeout : nil, output: output)
    } catch let error as Subprocess.Failure {
      throw Failure(arguments: arguments, status: -1, message: error.message)
    } catch {
      throw Failure(arguments: arguments, status: -1, message: "\(error)")
    }
    guard outcome.status == 0 else {
      let message = String(decoding: outcome.errors, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw Failure(arguments: arguments, status: outcome.status, message: message)
    }
  }
}

import Foundation
import VigilGit
import VigilReport
import VigilSupport

/// Writes a git pre-commit hook that runs `vigil scan --staged`, for users without the
/// pre-commit framework.
public enum HookInstaller {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The vigil the hook runs: `command` is what the script calls, `found` the file it
  /// is now (for the user to check).
  public struct Executable: Equatable, Sendable {
    public var command: String
    public var found: String
  }

  /// The vigil for the hook: `vigil` from PATH when the hook runs (it survives
  /// reinstalls and upgrades, and a build folder moved or cleaned), or `option`, the
  /// user's `--vigil PATH`, made absolute (the hook runs in the repository's top
  /// directory, not here). Either must be an executable now, or the hook would fail
  /// every commit.
  public static func executable(option: String?, searchPath: String?, currentDirectory: String)
    throws(Failure) -> Executable
  {
    if let option {
      let absolute = option.hasPrefix("/") ? option : currentDirectory + "/" + option
      guard isExecutableFile(absolute) else {
        throw Failure(
          description:
            "--vigil \(option): not an executable file; pass the path of an installed vigil, or put vigil on PATH and leave --vigil out"
        )
      }
      return Executable(command: absolute, found: absolute)
    }
    guard let found = onPath("vigil", searchPath: searchPath ?? "") else {
      throw Failure(
        description:
          "vigil is not on PATH, and the hook runs vigil from PATH; put vigil on PATH (copy it to a directory such as /usr/local/bin or ~/.local/bin) or pass --vigil PATH with the path of an installed vigil"
      )
    }
    return Executable(command: "vigil", found: found)
  }

  /// The first `name` in `searchPath` that is an executable file, as `sh` finds it.
  /// Empty entries (the current directory) are skipped: the hook runs elsewhere.
  static func onPath(_ name: String, searchPath: String) -> String? {
    for directory in searchPath.split(separator: ":") {
      let candidate = directory + "/" + name
      if isExecutableFile(candidate) { return candidate }
    }
    return nil
  }

  /// A regular file (through links) this user may execute: a directory or a plain file
  /// would leave every commit failing.
  static func isExecutableFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
  }

  /// Installs the hook in the repository containing `directory`, calling `executable`.
  /// Refuses to replace an existing hook unless `force`.
  /// - Returns: the hook's path.
  @discardableResult
  public static func install(in directory: String, executable: Executable, force: Bool) throws(Failure)
    -> String
  {
    let hooks = try hooksDirectory(of: directory)
    let path = hooks + "/pre-commit"
    var existing = stat()
    if lstat(path, &existing) == 0 && !force {
      throw Failure(description: "\(path) already exists; pass --force to replace it (or call vigil from it)")
    }
    do {
      try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    } catch {
      throw Failure(description: "cannot create \(hooks): \(error.localizedDescription)")
    }
    // Never through a link the repository holds (a tracked `.husky/pre-commit` pointing
    // out of it, at a shell's start-up file): its author chose where it points. Links in
    // the git directory (`.git/hooks`) are the user's own: no clone brings them.
    let location = RepositoryLocation.containing(directory)
    let gitDirectory = location.map { SymbolicLinks.realPath($0.gitDirectory) ?? $0.gitDirectory }
    let inGitDirectory =
      gitDirectory.map { SymbolicLinks.isWithin(SymbolicLinks.realPath(hooks) ?? hooks, anyOf: [$0]) }
      ?? false
    let top = location.map { [$0.workTree] } ?? []
    if !inGitDirectory, let problem = OutputFile.linkInScannedTree(path, trees: [directory] + top) {
      throw Failure(description: problem.replacingOccurrences(of: "the report", with: "the hook"))
    }
    do {
      // Never through a dangling link: see OutputFile for the rule.
      try OutputFile.write(script(calling: executable.command), to: path, mode: 0o755, forceMode: true)
    } catch {
      throw Failure(description: error.description)
    }
    return path
  }

  /// Where git looks for hooks: the user's own repository and configuration, so
  /// core.hooksPath is honoured if set.
  private static func hooksDirectory(of directory: String) throws(Failure) -> String {
    let git = GitCommand(repository: directory, hardened: false)
    do {
      let configured = (try? git.text(["config", "--path", "--get", "core.hooksPath"])) ?? ""
      if !configured.isEmpty {
        return configured.hasPrefix("/")
          ? configured : try git.text(["rev-parse", "--show-toplevel"]) + "/" + configured
      }
      return try git.text(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
    } catch {
      throw Failure(description: "\(directory) is not inside a git repository (\(error.message))")
    }
  }

  /// The hook: runs vigil, and when it blocks the commit says why and how to proceed,
  /// then exits with vigil's status (0 lets the commit through). `command` is only ever
  /// a single-quoted word, never evaluated; the messages are quoted here-documents.
  static func script(calling command: String) -> String {
    """
    #!/bin/sh
    # Installed by `vigil install-hook`: scan what is staged before each commit.
    # Skip once with `git commit --no-verify`.
    vigil=\(shellQuoted(command))
    "$vigil" scan --staged
    status=$?
    if [ "$status" -eq 1 ]; then
      cat >&2 <<'VIGIL_BLOCKED'

    \(CommitHookAdvice.blocked(by: .gitHook))
    VIGIL_BLOCKED
    elif [ "$status" -ne 0 ]; then
      cat >&2 <<'VIGIL_FAILED'

    \(CommitHookAdvice.failed(by: .gitHook))
    VIGIL_FAILED
    fi
    exit "$status"

    """
  }

  /// `text` as one `sh` word taken literally: in single quotes, each `'` written `'\''`.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

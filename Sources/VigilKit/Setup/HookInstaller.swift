import Foundation
import VigilGit

/// Writes a git pre-commit hook that runs `vigil scan --staged`, for users without the
/// pre-commit framework.
public enum HookInstaller {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Installs the hook in the repository containing `directory`, calling `executable`
  /// by its absolute path (so the hook works whatever PATH the commit runs with).
  /// Refuses to replace an existing hook unless `force`.
  /// - Returns: the hook's path.
  @discardableResult
  public static func install(in directory: String, executable: String, force: Bool) throws(Failure) -> String
  {
    // The user's own repository and configuration: honour core.hooksPath if set.
    let git = GitCommand(repository: directory, hardened: false)
    let hooks: String
    do {
      let configured = (try? git.text(["config", "--path", "--get", "core.hooksPath"])) ?? ""
      if !configured.isEmpty {
        hooks =
          configured.hasPrefix("/")
          ? configured : try git.text(["rev-parse", "--show-toplevel"]) + "/" + configured
      } else {
        hooks = try git.text(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
      }
    } catch {
      throw Failure(description: "\(directory) is not inside a git repository (\(error.message))")
    }
    let path = hooks + "/pre-commit"
    var existing = stat()
    if lstat(path, &existing) == 0 && !force {
      throw Failure(description: "\(path) already exists; pass --force to replace it (or call vigil from it)")
    }
    let script = """
      #!/bin/sh
      # Installed by `vigil install-hook`: scan what is staged before each commit.
      # Skip once with `git commit --no-verify`.
      exec '\(executable.replacingOccurrences(of: "'", with: "'\\''"))' scan --staged

      """
    do {
      try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    } catch {
      throw Failure(description: "cannot create \(hooks): \(error.localizedDescription)")
    }
    do {
      // Never through a dangling link: see OutputFile for the rule.
      try OutputFile.write(script, to: path, mode: 0o755, forceMode: true)
    } catch {
      throw Failure(description: error.description)
    }
    return path
  }
}

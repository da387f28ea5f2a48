import Foundation
import VigilModel
import VigilSupport

/// Keeps a scan's configuration inside the scanned tree when the configuration came
/// with that tree.
///
/// A `.vigil.toml` or `.vigilignore` in a pull request is written by whoever sent it.
/// Were `[extend] path = "/home/ci/.aws/credentials"`, or a config that is a link to a
/// file outside, followed, vigil would read a file of the CI machine and quote it in its
/// parse errors. A config file outside the tree (a `--config` the user keeps elsewhere)
/// is the user's own and may name any file.
public struct ConfigConfinement: Sendable {
  /// The scanned directory with its links resolved.
  public let root: String

  /// `nil` when `root` cannot be resolved (it does not exist).
  public init?(root: String) {
    guard let resolved = Self.resolve(root) else { return nil }
    self.root = resolved
  }

  /// This confinement if a config file at `path` came with the tree (its directory is
  /// in it), else `nil`: the file is the user's own.
  public func governing(_ path: String) -> ConfigConfinement? {
    let directory = (PathText.absolute(path, from: FileManager.default.currentDirectoryPath) as NSString)
      .deletingLastPathComponent
    return Self.resolve(directory).map(contains) == true ? self : nil
  }

  /// Throws unless `path`, with its links followed, is in the tree. A file that cannot
  /// be resolved (missing, a dangling link) passes: reading it reports that.
  func check(_ path: String, _ what: String, file: String? = nil) throws(ConfigError) {
    guard let resolved = Self.resolve(path), !contains(resolved) else { return }
    throw ConfigError(problems: [
      Diagnostic(
        .error,
        "\(what) '\(path)' leads outside the scanned directory \(root); a config in the scanned tree can only read files inside it (pass a file of your own with --config to read others)",
        file: file ?? path)
    ])
  }

  private func contains(_ resolved: String) -> Bool {
    resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
  }

  private static func resolve(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

import Foundation
import VigilFiles
import VigilGit
import VigilModel
import VigilSupport

/// Where ignore rules come from for a scan of one directory: the enclosing git
/// repository (if any), its `.git/info/exclude`, the user's `core.excludesFile`, and
/// the `.gitignore` files of the directories between the repository root and the
/// scanned directory.
///
/// Outside a repository the scanned directory is the root and its `.gitignore` files
/// still apply (only `info/exclude` needs a repository).
public struct IgnoreEnvironment: Sendable {
  /// The repository's work tree root, if the directory is inside one.
  public let repositoryRoot: String?
  /// The scanned directory relative to the ignore root: `""` or `dir/sub`.
  public let prefix: [UInt8]
  /// The rules in force in the scanned directory before its own `.gitignore`.
  public let rules: IgnoreRules
  /// Ignore files that are there but could not be read.
  public let warnings: [Diagnostic]

  public init(directory: String) {
    let repository = RepositoryLocation.containing(directory)
    let root = repository?.workTree ?? directory
    var fallbacks: [IgnoreFile] = []
    var warnings: [Diagnostic] = []
    // A linked worktree's git directory names the repository's own (`commondir`),
    // whose info/exclude git applies.
    if let gitDirectory = repository?.gitDirectory,
      let exclude = Self.read(
        RepositoryLocation.commonDirectory(of: gitDirectory) + "/info/exclude", warnings: &warnings)
    {
      fallbacks.append(IgnoreFile(base: [], contents: exclude))
    }
    // A relative core.excludesFile is the work tree top's, as git reads it there.
    if let path = GitCommand.globalExcludesPath(directory: directory).map({
      PathText.absolute($0, from: root)
    }),
      // The user's own file, which git reads through a link (dotfile managers make it
      // one): followed, as git follows it.
      let global = Self.read(path, followingLinks: true, warnings: &warnings)
    {
      fallbacks.append(IgnoreFile(base: [], contents: global))
    }
    var rules = IgnoreRules(fallbacks: fallbacks)
    let relative = directory == root ? "" : String(directory.dropFirst(root.count + 1))
    var base = ""
    if !relative.isEmpty {
      // The .gitignore files of every directory above the scanned one, down from the root.
      for component in [""] + relative.split(separator: "/").dropLast().map(String.init) {
        base = component.isEmpty ? "" : (base.isEmpty ? component : base + "/" + component)
        let path = base.isEmpty ? root + "/.gitignore" : root + "/" + base + "/.gitignore"
        if let contents = Self.read(path, warnings: &warnings) {
          rules = rules.adding(IgnoreFile(base: Array(base.utf8), contents: contents))
        }
      }
    }
    self.repositoryRoot = repository?.workTree
    self.prefix = Array(relative.utf8)
    self.rules = rules
    self.warnings = warnings
  }

  /// An ignore file's bytes, or `nil` when there is none. A FIFO, device or socket in
  /// its place is never opened for a blocking read (a FIFO would stop the walk): it is
  /// skipped with a warning, as is a file that cannot be read.
  public static func read(_ path: String, followingLinks: Bool = false, warnings: inout [Diagnostic])
    -> [UInt8]?
  {
    var buffer: [UInt8] = []
    let reader = FileReader(maxFileSize: 16 * 1024 * 1024)
    switch reader.read(Array(path.utf8), followingLinks: followingLinks, into: &buffer) {
    case .text(let count), .wide(let count, _): return Array(buffer[0..<count])
    case .skipped(.special):
      warnings.append(Diagnostic(.warning, "ignore file is not a regular file; it was not read", file: path))
    case .failed(let reason) where !reason.contains("No such file"):
      warnings.append(
        Diagnostic(.warning, "cannot read ignore file (\(reason)); it was not applied", file: path))
    default: break
    }
    return nil
  }
}

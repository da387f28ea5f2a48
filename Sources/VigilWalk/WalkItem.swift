import VigilFiles
import VigilModel

/// A unit of work for the scan's workers: a directory to read, files to scan, or
/// symbolic links to read as links (never followed out of the tree).
public enum WalkItem: Sendable {
  case directory(DirectoryTask)
  case files([ScanTarget])
  case links([ScanTarget])
}

/// A directory to read, with everything needed to judge its entries.
public struct DirectoryTask: Sendable {
  /// The directory argument the walk started from, held open.
  public var root: RootDirectory
  /// The directory relative to `root` (`""` for the root itself), as bytes (directory
  /// names need not be valid UTF-8).
  public var fileSystemPath: [UInt8]
  /// Prepended to entry names for reports: `""` at the scan root, else `dir/`.
  public var displayPrefix: String
  /// The directory's path relative to the ignore root (`""` or `dir/sub`).
  public var ignorePath: [UInt8]
  /// The rules in force for its entries, before its own `.gitignore`; `nil` when
  /// ignore files are not honoured.
  public var rules: IgnoreRules?
  /// The configuration's excludes, matched against `displayPrefix` + name.
  public var excludes: IgnoreFile? = nil

  public init(
    root: RootDirectory, fileSystemPath: [UInt8], displayPrefix: String, ignorePath: [UInt8],
    rules: IgnoreRules?, excludes: IgnoreFile? = nil
  ) {
    self.root = root
    self.fileSystemPath = fileSystemPath
    self.displayPrefix = displayPrefix
    self.ignorePath = ignorePath
    self.rules = rules
    self.excludes = excludes
  }
}

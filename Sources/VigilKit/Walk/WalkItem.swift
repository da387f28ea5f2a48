import VigilFiles

/// A unit of work for the scan's workers: a directory to read, or files to scan.
enum WalkItem: Sendable {
  case directory(DirectoryTask)
  case files([ScanTarget])
}

/// A directory to read, with everything needed to judge its entries.
struct DirectoryTask: Sendable {
  /// The directory argument the walk started from, held open.
  var root: RootDirectory
  /// The directory relative to `root` (`""` for the root itself), as bytes (directory
  /// names need not be valid UTF-8).
  var fileSystemPath: [UInt8]
  /// Prepended to entry names for reports: `""` at the scan root, else `dir/`.
  var displayPrefix: String
  /// The directory's path relative to the ignore root (`""` or `dir/sub`).
  var ignorePath: [UInt8]
  /// The rules in force for its entries, before its own `.gitignore`; `nil` when
  /// ignore files are not honoured.
  var rules: IgnoreRules?
  /// The configuration's excludes, matched against `displayPrefix` + name.
  var excludes: IgnoreFile? = nil
}

/// What a scan read, for a report to say what it covers: a page of findings means
/// little without knowing whether it is the tree today or everything history kept.
public enum ScanKind: Sendable, Equatable {
  /// Files and directories on disk.
  case tree
  /// One file's bytes from standard input.
  case standardInput
  /// What is staged in git's index.
  case staged
  /// Every commit reachable from HEAD, or those in `range` (`A..B`).
  case history(range: String?)
}

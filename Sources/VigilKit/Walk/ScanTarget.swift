/// One file to scan: the path reports show and the path the file system opens.
public struct ScanTarget: Sendable, Equatable {
  /// Relative to the scanned root with `/` separators (absolute when outside the root).
  public var path: String
  /// What `open(2)` gets.
  public var fileSystemPath: String

  public init(path: String, fileSystemPath: String) {
    self.path = path
    self.fileSystemPath = fileSystemPath
  }
}

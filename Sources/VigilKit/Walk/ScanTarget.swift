/// One file to scan: the path reports show and the path the file system opens.
public struct ScanTarget: Sendable, Equatable {
  /// Relative to the scanned root with `/` separators (absolute when outside the root).
  public var path: String
  /// What `open(2)` gets, as bytes: a file name need not be valid UTF-8.
  public var fileSystemPath: [UInt8]

  public init(path: String, fileSystemPath: [UInt8]) {
    self.path = path
    self.fileSystemPath = fileSystemPath
  }

  public init(path: String, fileSystemPath: String) {
    self.init(path: path, fileSystemPath: Array(fileSystemPath.utf8))
  }
}

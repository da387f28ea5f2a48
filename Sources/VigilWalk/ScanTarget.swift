import VigilFiles
import VigilModel

/// One file to scan: the path reports show and the path the file system opens.
public struct ScanTarget: Sendable, Equatable {
  /// Relative to the scanned root with `/` separators (absolute when outside the root).
  public var path: String
  /// What `open(2)` gets, as bytes: a file name need not be valid UTF-8. Relative to
  /// `root` when there is one.
  public var fileSystemPath: [UInt8]
  /// The directory argument the file was found under, which it is opened beneath.
  public var root: RootDirectory?

  public init(path: String, fileSystemPath: [UInt8]) {
    self.path = path
    self.fileSystemPath = fileSystemPath
  }

  public init(path: String, fileSystemPath: String) {
    self.init(path: path, fileSystemPath: Array(fileSystemPath.utf8))
  }

  public init(path: String, relativePath: [UInt8], root: RootDirectory) {
    self.path = path
    self.fileSystemPath = relativePath
    self.root = root
  }

  public static func == (left: ScanTarget, right: ScanTarget) -> Bool {
    left.path == right.path && left.fileSystemPath == right.fileSystemPath && left.root === right.root
  }
}

extension FileReader {
  /// Reads a walked file beneath its root, or a named one by its path.
  public func read(_ target: ScanTarget, into buffer: inout [UInt8]) -> Outcome {
    guard let root = target.root else { return read(target.fileSystemPath, into: &buffer) }
    return read(target.fileSystemPath, beneath: root, into: &buffer)
  }

  /// Whether `target` is a regular file larger than `maxFileSize`, which a scan skips
  /// unread (opened as a scan opens it; false when it cannot be).
  public func exceedsMaximum(_ target: ScanTarget) -> Bool {
    exceedsMaximum(target.fileSystemPath, beneath: target.root)
  }
}

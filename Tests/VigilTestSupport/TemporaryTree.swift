import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A directory under the system temporary directory, removed when the value goes away.
public final class TemporaryTree {
  public let path: String

  public init() throws {
    let base = FileManager.default.temporaryDirectory.path
    let template = "\(base)/vigil-test-XXXXXX"
    var bytes = Array(template.utf8CString)
    guard let made = mkdtemp(&bytes) else {
      throw CocoaError(.fileWriteUnknown)
    }
    path = String(cString: made)
  }

  /// Writes `text` to `relative` (creating directories), returning the full path.
  @discardableResult
  public func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, bytes: Array(text.utf8))
  }

  @discardableResult
  public func write(_ relative: String, bytes: [UInt8]) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
    return full
  }

  /// Writes `text` to a file `levels` directories of 200-byte names deep, a path longer
  /// than PATH_MAX, made level by level (the whole path is too long for one call, and
  /// the process's working directory is shared by parallel tests). Returns the path
  /// relative to the tree, or `nil` when a step failed.
  public func writeDeep(_ name: String, _ text: String, levels: Int = 25) -> String? {
    let component = String(repeating: "d", count: 200)
    var level = open(path, O_RDONLY | O_DIRECTORY)
    for _ in 0..<levels where level >= 0 {
      guard mkdirat(level, component, 0o755) == 0 else {
        close(level)
        return nil
      }
      let next = openat(level, component, O_RDONLY | O_DIRECTORY)
      close(level)
      level = next
    }
    guard level >= 0 else { return nil }
    defer { close(level) }
    let bytes = Array(text.utf8)
    let file = openat(level, name, O_CREAT | O_WRONLY, 0o644)
    guard file >= 0 else { return nil }
    defer { close(file) }
    guard Glibc.write(file, bytes, bytes.count) == bytes.count else { return nil }
    return Array(repeating: component, count: levels).joined(separator: "/") + "/" + name
  }

  /// A tree kept for the whole test run (a suite's static fixture, which is never
  /// released): removed when the process exits.
  public static func forTheRun() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    atExitLock.withLock {
      if atExitPaths.isEmpty { atexit { TemporaryTree.removeAtExit() } }
      atExitPaths.append(tree.path)
    }
    return tree
  }

  private static let atExitLock = NSLock()
  nonisolated(unsafe) private static var atExitPaths: [String] = []

  private static func removeAtExit() {
    for path in atExitLock.withLock({ atExitPaths }) { try? FileManager.default.removeItem(atPath: path) }
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
    // A tree from `writeDeep` is too long for one path: rm walks it level by level.
    if FileManager.default.fileExists(atPath: path) { _ = try? ProcessRunner.run("/bin/rm", ["-rf", path]) }
  }
}

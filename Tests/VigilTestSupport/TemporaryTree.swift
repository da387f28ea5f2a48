import Foundation

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

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

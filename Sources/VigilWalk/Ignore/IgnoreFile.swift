import VigilModel
import VigilSupport

/// The patterns of one ignore file and the directory they are relative to.
public struct IgnoreFile: Sendable {
  /// The directory of the file, relative to the ignore root (`""` at the root, else
  /// `dir/sub`, without a trailing slash).
  public let base: [UInt8]
  public let patterns: [IgnorePattern]
  /// Where the last component of `base` starts.
  private let lastComponent: Int

  public init(base: [UInt8], contents: [UInt8]) {
    self.base = base
    self.lastComponent = (base.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
    var bytes = contents[...]
    // git skips a UTF-8 byte order mark at the start of an ignore file.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    var patterns: [IgnorePattern] = []
    for var line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      if let pattern = IgnorePattern(line: line) { patterns.append(pattern) }
    }
    self.patterns = patterns
  }

  /// The verdict of the last pattern that matches `path` (relative to the ignore root):
  /// `true` ignored, `false` re-included, `nil` no pattern matches.
  public func verdict(path: [UInt8], basenameStart: Int, isDirectory: Bool) -> Bool? {
    path.withUnsafeBufferPointer { verdict(path: $0, basenameStart: basenameStart, isDirectory: isDirectory) }
  }

  func verdict(path: UnsafeBufferPointer<UInt8>, basenameStart: Int, isDirectory: Bool) -> Bool? {
    let relative: UnsafeBufferPointer<UInt8>
    if base.isEmpty {
      relative = path
    } else {
      // The rules of a directory are its ancestors' files, so a path asked about is
      // below each base: only the base's last component is compared. The whole base, at
      // every level of a tree thousands deep, made its walk cost the cube of its depth.
      guard path.count > base.count, path[base.count] == UInt8(ascii: "/"),
        path[lastComponent..<base.count].elementsEqual(base[lastComponent...])
      else { return nil }
      relative = UnsafeBufferPointer(rebasing: path[(base.count + 1)...])
    }
    let basename = UnsafeBufferPointer(rebasing: path[basenameStart...])
    for pattern in patterns.reversed() {
      // A pattern too costly to match (hundreds of `**/` groups over a path a thousand
      // deep) leaves the path in: scanned, not silently left out.
      guard let matched = pattern.matches(path: relative, basename: basename, isDirectory: isDirectory) else {
        return false
      }
      if matched { return !pattern.negated }
    }
    return nil
  }
}

extension IgnoreFile {
  /// Whether `path` (relative, `/`-separated), or a directory above it, is excluded:
  /// patterns applied to a path that is not being walked (a config's `exclude`). The
  /// path is as vigil shows it (`PathText.display`); the patterns meet its bytes, as
  /// git's do.
  public func excludes(_ path: String) -> Bool {
    let components = PathText.bytes(display: path).split(separator: UInt8(ascii: "/"))
    var prefix: [UInt8] = []
    for (index, component) in components.enumerated() {
      if !prefix.isEmpty { prefix.append(UInt8(ascii: "/")) }
      let basenameStart = prefix.count
      prefix += component
      if verdict(
        path: prefix, basenameStart: basenameStart, isDirectory: index < components.count - 1) == true
      {
        return true
      }
    }
    return false
  }
}

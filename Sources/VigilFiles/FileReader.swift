import CByteRuns
import CLinux
import VigilModel
import VigilSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole file into a buffer the caller reuses, deciding on the way whether it
/// is scannable text.
///
/// Opens with `O_NOFOLLOW | O_NONBLOCK`, and a file found by a walk beneath its root
/// (`RootDirectory`): a file or any directory above it swapped for a symlink after the
/// walk is refused, and a FIFO cannot block the scan. The file is never written.
public struct FileReader: Sendable {
  /// Has buffers of a megabyte and more (a large file, an archive's entry, what it
  /// decodes to) go back to the system when freed, instead of staying in the heap of
  /// the thread that read them. Call once, before scanning. On the real-code corpus
  /// peak RSS went from 99-107 MB to 84 MB, at the same speed.
  public static func returnLargeBuffersToTheSystem() {
    vigil_map_allocations_from(1 << 20)
  }

  public enum Outcome: Equatable {
    /// The first `count` bytes of the buffer hold the file.
    case text(count: Int)
    /// The file is UTF-16 or UTF-32 (`WideText`: by a byte-order mark, or mostly ASCII
    /// characters next to NULs); the first `count` bytes of the buffer hold it, still
    /// encoded. One with a mark (bytes anyone can write) is read as bytes too, by
    /// `Scanner`, so that a mark on an ASCII file hides nothing.
    case wide(count: Int, encoding: WideText.Encoding)
    /// A NUL in the first bytes: not text. The first `count` bytes of the buffer hold
    /// it (an archive is opened; anything else is skipped).
    case binary(count: Int)
    case skipped(SkipReason)
    case failed(String)
  }

  /// Git's test: a NUL in the first 8,000 bytes makes a file binary.
  public static let binaryProbeBytes = 8000

  /// Whether a file read as text (or decoded) is read as bytes too, as a binary file's:
  /// one in UTF-16 or UTF-32 (a byte-order mark is bytes anyone can write: on an ASCII
  /// script every line decodes to CJK), or one with a NUL past git's probe (UTF-16 text
  /// after a first part without one, CJK say, reads as text).
  /// Whether git shows `bytes` as a binary file: a NUL in its first `binaryProbeBytes`
  /// (git's own test), whatever vigil reads them as.
  public static func showsAsBinary(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return memchr(base, 0, min(bytes.count, binaryProbeBytes)) != nil
  }

  public static func isReadAsBytesToo(_ bytes: ArraySlice<UInt8>) -> Bool {
    if WideText.encoding(of: bytes) != nil { return true }
    guard bytes.count > binaryProbeBytes else { return false }
    return bytes.withUnsafeBytes { raw in
      memchr(raw.baseAddress! + binaryProbeBytes, 0, raw.count - binaryProbeBytes) != nil
    }
  }

  public let maxFileSize: Int

  public init(maxFileSize: Int) { self.maxFileSize = maxFileSize }

  /// What UTF-8 `text` is in the working tree if git keeps it for a file whose
  /// `working-tree-encoding` is UTF-16 (little endian, then big endian): each UTF-16
  /// unit of the text as two bytes. Only when the text has a run of units whose two
  /// bytes are both text (`git add` turns an ASCII file declared UTF-16 into such
  /// CJK-looking characters, and a checkout turns them back into the ASCII file:
  /// a `.env` kept as CJK in every blob); else none.
  public static func utf16WorkingTreeForms(ofUTF8 text: [UInt8]) -> [[UInt8]] {
    // Such units are U+0909 to U+7E7E: three-byte UTF-8, looked for in C (every blob of
    // a history goes through here; most have none).
    let found = text.withUnsafeBufferPointer { bytes in
      bytes.baseAddress.map { vigil_has_utf16_text_run($0, bytes.count, minimumWorkingTreeRun) != 0 } ?? false
    }
    guard found else { return [] }
    let units = Array(String(decoding: text, as: UTF8.self).utf16)
    return [
      units.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] },
      units.flatMap { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] },
    ]
  }

  /// Units in a row (each two text bytes) that make a text a UTF-16 working tree's.
  static let minimumWorkingTreeRun = 4

  public func read(_ path: String, into buffer: inout [UInt8]) -> Outcome {
    read(Array(path.utf8), into: &buffer)
  }

  /// - Parameter followingLinks: open through a link the path ends in (a file of the
  ///   user's own, never one of a scanned tree); still only a regular file is read.
  public func read(_ path: [UInt8], followingLinks: Bool = false, into buffer: inout [UInt8]) -> Outcome {
    let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW)
    return read(descriptor: PathText.withCString(path) { open($0, flags) }, into: &buffer)
  }

  /// Reads a file beneath `root`, by its path relative to it.
  public func read(_ relative: [UInt8], beneath root: RootDirectory, into buffer: inout [UInt8]) -> Outcome {
    read(descriptor: root.open(relative, flags: O_RDONLY | O_NONBLOCK), into: &buffer)
  }

  /// Whether the file at `path` (beneath `root` if given) is a regular file larger than
  /// `maxFileSize`; false when it cannot be opened.
  public func exceedsMaximum(_ path: [UInt8], beneath root: RootDirectory?) -> Bool {
    let flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
    let descriptor =
      root.map { $0.open(path, flags: flags) } ?? PathText.withCString(path) { open($0, flags) }
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var info = stat()
    return fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
      && Int(info.st_size) > maxFileSize
  }

  private func read(descriptor: Int32, into buffer: inout [UInt8]) -> Outcome {
    guard descriptor >= 0 else {
      if errno == ELOOP { return .skipped(.symlink) }
      return .failed(String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failed(String(cString: strerror(errno))) }
    guard info.st_mode & S_IFMT == S_IFREG else { return .skipped(.special) }
    let size = Int(info.st_size)
    guard size <= maxFileSize else { return .skipped(.tooLarge) }
    // One spare byte lets us notice a file that grew since fstat.
    if buffer.count < size + 1 { buffer = [UInt8](repeating: 0, count: size + 1) }
    var total = 0
    while total < buffer.count {
      let got = buffer.withUnsafeMutableBytes { raw in
        Glibc.read(descriptor, raw.baseAddress! + total, raw.count - total)
      }
      if got < 0 {
        if errno == EINTR { continue }
        return .failed(String(cString: strerror(errno)))
      }
      if got == 0 { break }
      total += got
      if total == buffer.count && total <= maxFileSize {
        buffer.append(contentsOf: [UInt8](repeating: 0, count: max(4096, total)))
      }
    }
    guard total <= maxFileSize else { return .skipped(.tooLarge) }
    if let encoding = WideText.encoding(of: buffer[0..<total]) {
      return .wide(count: total, encoding: encoding)
    }
    let probe = min(total, Self.binaryProbeBytes)
    let isBinary = buffer.withUnsafeBytes { raw in
      memchr(raw.baseAddress!, 0, probe) != nil
    }
    return isBinary ? .binary(count: total) : .text(count: total)
  }
}

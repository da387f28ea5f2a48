#if canImport(Glibc)
  import Glibc
#endif

/// Whether bytes are UTF-16 text: by a byte-order mark, or without one by their first
/// kilobytes, mostly ASCII characters as UTF-16 writes them (a text byte next to a NUL).
public enum UTF16Text {
  /// Bytes looked at for a file without a mark (git's probe for binary files).
  public static let probeBytes = 8000

  /// `true` for big endian, `false` for little endian, nil for no UTF-16.
  public static func byteOrder(_ bytes: ArraySlice<UInt8>) -> Bool? {
    guard bytes.count >= 2 else { return nil }
    switch (bytes[bytes.startIndex], bytes[bytes.startIndex + 1]) {
    case (0xFF, 0xFE): return false
    case (0xFE, 0xFF): return true
    default: break
    }
    // Unmarked: three in four pairs of the probe a text byte and a NUL, in one order
    // (looked at only where there is a NUL: most files have none).
    let probe = bytes.prefix(probeBytes)
    guard probe.withUnsafeBytes({ memchr($0.baseAddress!, 0, $0.count) != nil }) else { return nil }
    let pairs = probe.count / 2
    var little = 0
    var big = 0
    for pair in 0..<pairs {
      let first = bytes[bytes.startIndex + 2 * pair]
      let second = bytes[bytes.startIndex + 2 * pair + 1]
      if second == 0 && isTextByte(first) { little += 1 }
      if first == 0 && isTextByte(second) { big += 1 }
    }
    guard pairs >= 4 else { return nil }
    if 4 * little >= 3 * pairs { return false }
    if 4 * big >= 3 * pairs { return true }
    return nil
  }

  /// Printable ASCII, tab, line feed or carriage return.
  @inline(__always) static func isTextByte(_ byte: UInt8) -> Bool {
    (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// Whether bytes are text in UTF-16 or UTF-32: by a byte-order mark, or without one by
/// their first kilobytes, mostly ASCII characters as the encoding writes them (a text
/// byte next to one NUL, or to three). A byte search reads such text as nothing but
/// NULs between letters; PowerShell, .NET and Python write both.
public enum WideText {
  public enum Encoding: Sendable, Equatable {
    case utf16(bigEndian: Bool)
    case utf32(bigEndian: Bool)

    static func utf16OrUTF32(width: Int, bigEndian: Bool) -> Encoding {
      width == 4 ? .utf32(bigEndian: bigEndian) : .utf16(bigEndian: bigEndian)
    }
  }

  /// Bytes looked at for a file without a mark (git's probe for binary files).
  public static let probeBytes = 8000

  /// The encoding of `bytes`, nil for neither. UTF-32 is asked first: its little-endian
  /// mark starts with UTF-16's.
  public static func encoding(of bytes: ArraySlice<UInt8>) -> Encoding? {
    let start = bytes.startIndex
    if bytes.count >= 4 {
      switch (bytes[start], bytes[start + 1], bytes[start + 2], bytes[start + 3]) {
      case (0xFF, 0xFE, 0, 0): return .utf32(bigEndian: false)
      case (0, 0, 0xFE, 0xFF): return .utf32(bigEndian: true)
      default: break
      }
    }
    guard bytes.count >= 2 else { return nil }
    switch (bytes[start], bytes[start + 1]) {
    case (0xFF, 0xFE): return .utf16(bigEndian: false)
    case (0xFE, 0xFF): return .utf16(bigEndian: true)
    default: break
    }
    // Unmarked: three in four units of the probe a text byte and NULs, in one order
    // (looked at only where there is a NUL: most files have none).
    return bytes.prefix(probeBytes).withUnsafeBufferPointer { probe -> Encoding? in
      guard let base = probe.baseAddress, memchr(base, 0, probe.count) != nil else { return nil }
      for width in [4, 2] {
        let units = probe.count / width
        guard units >= 4 else { continue }
        // A unit is little endian's if its first byte is text and the rest NULs, big
        // endian's if its last is and the rest NULs; each side gives up once a quarter
        // of the units has failed it.
        let allowed = units - (3 * units + 3) / 4
        var (littleMisses, bigMisses) = (0, 0)
        for unit in 0..<units {
          if littleMisses > allowed && bigMisses > allowed { break }
          let first = base + width * unit
          var zerosAfterFirst = true
          var zerosBeforeLast = true
          for offset in 1..<width where first[offset] != 0 { zerosAfterFirst = false }
          for offset in 0..<width - 1 where first[offset] != 0 { zerosBeforeLast = false }
          if !(zerosAfterFirst && isTextByte(first[0])) { littleMisses += 1 }
          if !(zerosBeforeLast && isTextByte(first[width - 1])) { bigMisses += 1 }
        }
        if littleMisses <= allowed { return .utf16OrUTF32(width: width, bigEndian: false) }
        if bigMisses <= allowed { return .utf16OrUTF32(width: width, bigEndian: true) }
      }
      return unmarkedUTF16(bytes)
    } ?? (hasNul(bytes.dropFirst(probeBytes)) ? unmarkedUTF16(bytes) : nil)
  }

  private static func hasNul(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { $0.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
  }

  /// UTF-16 without a mark whose first kilobytes hold no NUL (CJK text, whose units have
  /// none, before ASCII, whose units have one): an even number of bytes, eight NULs or
  /// more in them, every one in the same half of its unit, and no unit past the basic plane left
  /// unpaired. Nil otherwise (a program's NULs fall in both halves within a few units).
  public static func unmarkedUTF16(_ bytes: ArraySlice<UInt8>) -> Encoding? {
    guard bytes.count >= 4, bytes.count % 2 == 0 else { return nil }
    return bytes.withUnsafeBufferPointer { buffer -> Encoding? in
      guard let base = buffer.baseAddress else { return nil }
      var (even, odd) = (0, 0)
      var index = 0
      while index < buffer.count, let found = memchr(base + index, 0, buffer.count - index) {
        let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        if offset % 2 == 0 { even += 1 } else { odd += 1 }
        if even > 0 && odd > 0 { return nil }
        index = offset + 1
      }
      // As many as a run of text takes (a file with a NUL or two is a binary's).
      guard even + odd >= 8 else { return nil }
      let bigEndian = even > 0
      // Surrogates in pairs, high then low.
      var expectingLow = false
      for unit in 0..<buffer.count / 2 {
        let (first, second) = (UInt16(buffer[2 * unit]), UInt16(buffer[2 * unit + 1]))
        let value = bigEndian ? first << 8 | second : second << 8 | first
        let isHigh = value & 0xFC00 == 0xD800
        let isLow = value & 0xFC00 == 0xDC00
        if expectingLow != isLow { return nil }
        expectingLow = isHigh
      }
      return expectingLow ? nil : .utf16(bigEndian: bigEndian)
    }
  }

  /// `bytes` (after their byte-order mark, if they have one) as UTF-8; a unit that is no
  /// character (an unpaired surrogate, a value past U+10FFFF) becomes U+FFFD.
  public static func decode(_ bytes: ArraySlice<UInt8>, as encoding: Encoding) -> [UInt8] {
    switch encoding {
    case .utf16(let bigEndian):
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var index = bytes.startIndex + (hasMark(bytes, encoding) ? 2 : 0)
      while index + 1 < bytes.endIndex {
        let first = UInt16(bytes[index])
        let second = UInt16(bytes[index + 1])
        units.append(bigEndian ? first << 8 | second : second << 8 | first)
        index += 2
      }
      return Array(String(decoding: units, as: UTF16.self).utf8)
    case .utf32(let bigEndian):
      var text: [UInt8] = []
      text.reserveCapacity(bytes.count / 4)
      var index = bytes.startIndex + (hasMark(bytes, encoding) ? 4 : 0)
      while index + 3 < bytes.endIndex {
        let value = bytes[index..<index + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let unit = bigEndian ? value : value.byteSwapped
        UTF8.encode(Unicode.Scalar(unit) ?? "\u{FFFD}") { text.append($0) }
        index += 4
      }
      return text
    }
  }

  private static func hasMark(_ bytes: ArraySlice<UInt8>, _ encoding: Encoding) -> Bool {
    let mark: [UInt8]
    switch encoding {
    case .utf16(let bigEndian): mark = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    case .utf32(let bigEndian): mark = bigEndian ? [0, 0, 0xFE, 0xFF] : [0xFF, 0xFE, 0, 0]
    }
    return bytes.starts(with: mark)
  }

  /// Printable ASCII, tab, line feed or carriage return.
  @inline(__always) static func isTextByte(_ byte: UInt8) -> Bool {
    (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}

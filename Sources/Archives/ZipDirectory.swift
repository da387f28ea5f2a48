import Digest
import VigilSupport

/// A zip's central directory: the list of entries that unzip, Python's zipfile and Java
/// extract, by the names and offsets it gives.
///
/// libarchive reads a zip by its local headers and stops at the first entry whose data
/// it cannot inflate; it names entries from their local headers and skips those whose
/// mode (external attributes) says directory or device, data or not. A zip made to
/// hide a file from a scanner does each of these; tools that extract it do none. So
/// vigil lists a zip's entries from here and has libarchive read each one alone
/// (`ArchiveReader.readZip`): one damaged entry hides nothing else, names are the
/// central directory's, and an entry is a file unless its name ends with `/`.
struct ZipDirectory {
  struct Entry {
    /// The name's bytes as stored.
    var name: [UInt8]
    /// General purpose flags (bit 11: the name is UTF-8).
    var flags: UInt16
    var method: UInt16
    var time: UInt16
    var date: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    /// The central directory's extra field, without its zip64 record.
    var extra: [UInt8]
    var versionNeeded: UInt16
    /// The system that made the entry (3: Unix) and its external attributes.
    var system: UInt8
    var attributes: UInt32
    /// Where its local header is in the bytes read (the offset stored, plus what
    /// precedes the zip: a launch script, a self-extractor).
    var localHeader: Int
    /// Its name from Info-ZIP's Unicode path field, which unzip prefers.
    var unicodeName: [UInt8]? = nil

    /// The name as extracting tools write the file: Info-ZIP's Unicode path when there is
    /// one that names a file (Python and Java do not read it: a directory's name there
    /// does not make the file one), cut at a NUL, and for an entry made on DOS or Windows
    /// with no slash in its name, backslashes as slashes; as text, UTF-8 when it is valid
    /// UTF-8 (writers that do not set the flag write it too), else code page 437, the
    /// format's original encoding.
    var path: String {
      let unicode = unicodeName.flatMap { $0.isEmpty || $0.last == UInt8(ascii: "/") ? nil : $0 }
      var name = (unicode ?? self.name).prefix { $0 != 0 }
      if [0, 11, 14].contains(system) && !name.contains(UInt8(ascii: "/")) {
        name = ArraySlice(name.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 })
      }
      // Shown as the walk shows a file's name (a name holding `\x41` is escaped).
      if String(validating: name, as: UTF8.self) != nil { return PathText.display(name) }
      return PathText.display(
        Array(String(String.UnicodeScalarView(name.map { Self.codePage437(byte: $0) })).utf8))
    }

    /// A Unix symbolic link: its data is the target.
    var isSymbolicLink: Bool { system == 3 && (attributes >> 16) & 0o170000 == 0o120000 }

    /// A directory: a stored name that ends with `/` (what every extracting tool goes by;
    /// a directory mode on a name without one is no directory to them).
    var isDirectory: Bool { name.prefix { $0 != 0 }.last == UInt8(ascii: "/") }

    private static func codePage437(byte: UInt8) -> Unicode.Scalar {
      guard byte >= 0x80 else { return Unicode.Scalar(byte) }
      let high: [UInt32] = [
        0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
        0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xA2, 0xA3, 0xA5, 0x20A7, 0x192,
        0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0x2310, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
        0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
        0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x3B1, 0xDF, 0x393, 0x3C0, 0x3A3, 0x3C3, 0xB5, 0x3C4, 0x3A6, 0x398, 0x3A9, 0x3B4, 0x221E, 0x3C6,
        0x3B5, 0x2229, 0x2261, 0xB1, 0x2265, 0x2264, 0x2320, 0x2321, 0xF7, 0x2248, 0xB0, 0x2219, 0xB7,
        0x221A, 0x207F, 0xB2, 0x25A0, 0xA0,
      ]
      return Unicode.Scalar(high[Int(byte - 0x80)]) ?? "?"
    }
  }

  var entries: [Entry] = []

  /// The entries of every central directory an extracting tool may take from `bytes`,
  /// each once: that of the last end record (unzip, Python and Java search from the end)
  /// and of the last whose comment reaches the end of the bytes, each with its zip64
  /// record where its locator says (libarchive, unzip) and just before the locator
  /// (Python). Tools that disagree about a zip see no entry vigil does not. Nil when no
  /// directory holds (no end record, one past the bytes, an entry cut short).
  init?(_ bytes: UnsafeBufferPointer<UInt8>) {
    var seen: Set<[UInt8]> = []
    for end in Self.endRecords(bytes).prefix(Self.endRecordsRead) {
      for directory in Self.directories(ending: end, in: bytes) {
        for entry in Self.entries(of: directory, in: bytes) {
          // One entry once, however many directories list it, by the name it is reported as.
          let key = Array(entry.path.utf8) + withUnsafeBytes(of: entry.localHeader) { Array($0) }
          if seen.insert(key).inserted { entries.append(entry) }
        }
      }
    }
    guard !entries.isEmpty else { return nil }
  }

  /// An offset, size or count read from the bytes: values past the bytes are clamped to
  /// just past them (no arithmetic on them can overflow, and none is a place in them).
  private static func bounded(_ value: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    Int(min(value, UInt64(bytes.count) + 1))
  }

  /// A central directory: where it lies, and what its stored offsets are shifted by
  /// (what precedes the zip: a launch script, a self-extractor).
  private struct Directory {
    var range: Range<Int>
    var shift: Int
  }

  /// The directories an end record at `end` may stand for.
  private static func directories(ending end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> [Directory] {
    var size = Int(bytes.le32(end + 12))
    var offset = Int(bytes.le32(end + 16))
    var directoryEnd = end
    var found: [Directory] = []
    func add() {
      let start = directoryEnd - size
      guard start >= 0, start <= directoryEnd, start - offset >= 0 else { return }
      found.append(Directory(range: start..<directoryEnd, shift: start - offset))
    }
    // The values as they are (Python writes 65,535 entries so, with no zip64 record);
    // and with a zip64 locator before the record, its zip64 record's, wherever a tool
    // looks for it (Python reads one whenever the locator is there).
    add()
    let locator = end - 20
    guard locator >= 0, bytes.le32(locator) == 0x0706_4B50 else { return found }
    let stored = bounded(bytes.le64(locator + 8), bytes)
    for record in Set([stored, locator - 56]) where record >= 0 && record + 56 <= locator {
      guard bytes.le32(record) == 0x0606_4B50 else { continue }
      size = bounded(bytes.le64(record + 40), bytes)
      offset = bounded(bytes.le64(record + 48), bytes)
      directoryEnd = record
      add()
    }
    return found
  }

  /// The entries a central directory lists, to the first that does not hold.
  private static func entries(of directory: Directory, in bytes: UnsafeBufferPointer<UInt8>) -> [Entry] {
    var entries: [Entry] = []
    var offset = directory.range.lowerBound
    let directoryEnd = directory.range.upperBound
    while offset + 46 <= directoryEnd && bytes.le32(offset) == 0x0201_4B50 {
      let nameLength = Int(bytes.le16(offset + 28))
      let extraLength = Int(bytes.le16(offset + 30))
      let commentLength = Int(bytes.le16(offset + 32))
      // A comment that runs past the directory's end cuts the list after this entry
      // (unzip and Python extract it all the same).
      guard offset + 46 + nameLength + extraLength <= directoryEnd else { break }
      let next = offset + 46 + nameLength + extraLength + commentLength
      var entry = Entry(
        name: Array(bytes[(offset + 46)..<(offset + 46 + nameLength)]), flags: bytes.le16(offset + 8),
        method: bytes.le16(offset + 10), time: bytes.le16(offset + 12), date: bytes.le16(offset + 14),
        crc: bytes.le32(offset + 16), compressedSize: Int(bytes.le32(offset + 20)),
        size: Int(bytes.le32(offset + 24)), extra: [], versionNeeded: bytes.le16(offset + 6),
        system: bytes[offset + 5], attributes: bytes.le32(offset + 38),
        localHeader: Int(bytes.le32(offset + 42)))
      // The extra field's records; zip64's holds the fields stored as 0xFFFFFFFF, in order.
      var field = offset + 46 + nameLength
      let extraEnd = field + extraLength
      var nameChecksum: UInt32?
      while field + 4 <= extraEnd {
        let id = bytes.le16(field)
        let length = Int(bytes.le16(field + 2))
        guard field + 4 + length <= extraEnd else { break }
        switch id {
        case 0x0001:
          var value = field + 4
          func wide(_ stored: inout Int) {
            guard stored == 0xFFFF_FFFF, value + 8 <= field + 4 + length else { return }
            stored = bounded(bytes.le64(value), bytes)
            value += 8
          }
          // An uncompressed size may pass the bytes (a bomb's); not past what is sane.
          if entry.size == 0xFFFF_FFFF, value + 8 <= field + 4 + length {
            entry.size = Int(min(bytes.le64(value), 1 << 40))
            value += 8
          }
          wide(&entry.compressedSize)
          wide(&entry.localHeader)
        case 0x7075 where length > 5 && bytes[field + 4] == 1 && entry.unicodeName == nil:
          // Info-ZIP's Unicode path: the name unzip gives the entry, when it is of this
          // entry's stored name (its CRC-32 matches; worked out once an entry).
          nameChecksum = nameChecksum ?? CRC32.checksum(entry.name)
          if bytes.le32(field + 5) == nameChecksum {
            entry.unicodeName = Array(bytes[(field + 9)..<(field + 4 + length)])
          }
          entry.extra += bytes[field..<(field + 4 + length)]
        default:
          entry.extra += bytes[field..<(field + 4 + length)]
        }
        field += 4 + length
      }
      entry.localHeader += directory.shift
      entries.append(entry)
      offset = next
    }
    return entries
  }

  /// The end of central directory records in the final 64 KiB an extracting tool may
  /// take, the last first: unzip and Python take the last; an earlier one whose comment
  /// reaches the end of the bytes; and when the last one's comment runs past the end
  /// (unsound), the earlier ones back to a sound one, as Java takes it. Not every
  /// earlier one: a zip stored in a zip has its own end record there, whose directory
  /// is the inner zip's (read when that entry is).
  static func endRecords(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
    guard bytes.count >= 22 else { return [] }
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    var found: [Int] = []
    var lastIsSound = true
    var offset = bytes.count - 22
    while offset >= lowest && found.count < endRecordsRead {
      if bytes[offset] == 0x50, bytes.le32(offset) == 0x0605_4B50 {
        let end = offset + 22 + Int(bytes.le16(offset + 20))
        if found.isEmpty {
          found.append(offset)
          lastIsSound = end <= bytes.count
          if end == bytes.count { break }
        } else if end == bytes.count || !lastIsSound {
          found.append(offset)
          if end <= bytes.count { break }
        }
      }
      offset -= 1
    }
    return found
  }

  /// End records read at most (a comment can hold thousands of decoys).
  static let endRecordsRead = 16

  /// Where `entry`'s data starts and its length, from its local header; nil when the
  /// header is not there or the data runs past the bytes.
  static func data(of entry: Entry, in bytes: UnsafeBufferPointer<UInt8>) -> (
    header: Range<Int>, data: Range<Int>
  )? {
    let header = entry.localHeader
    guard header >= 0, header <= bytes.count - 30, bytes.le32(header) == 0x0403_4B50 else { return nil }
    let start = header + 30 + Int(bytes.le16(header + 26)) + Int(bytes.le16(header + 28))
    guard start <= bytes.count, entry.compressedSize <= bytes.count - start else { return nil }
    return (header..<start, start..<(start + entry.compressedSize))
  }

  /// A zip of `entry` alone, its data copied from `bytes`, named `x`, a regular file:
  /// what libarchive reads to inflate (or decrypt, or refuse) it and nothing else. Sizes
  /// and checksum are the central directory's (a data descriptor's flag cleared); the
  /// local header's extra field is kept but for its zip64 record (AES entries need theirs).
  static func single(
    _ entry: Entry, header: Range<Int>, data: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>
  )
    -> [UInt8]
  {
    var localExtra: [UInt8] = []
    let nameLength = Int(bytes.le16(header.lowerBound + 26))
    var field = header.lowerBound + 30 + nameLength
    while field + 4 <= header.upperBound {
      let length = Int(bytes.le16(field + 2))
      guard field + 4 + length <= header.upperBound else { break }
      if bytes.le16(field) != 0x0001 { localExtra += bytes[field..<(field + 4 + length)] }
      field += 4 + length
    }
    let extra = entry.extra.count <= 0xFFFF ? entry.extra : []
    // No data descriptor (sizes are here), and no UTF-8 name (`x`: a flag that costs
    // libarchive a character set conversion, iconv_open, for each entry).
    let flags = entry.flags & ~UInt16(0x0808)
    var out: [UInt8] = []
    out.reserveCapacity(data.count + 128 + localExtra.count + extra.count)
    func le16(_ value: UInt16) { out += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    func le32(_ value: UInt32) { out += [0, 8, 16, 24].map { UInt8((value >> UInt32($0)) & 0xFF) } }
    // The fields a local header and a directory record share, from the version needed
    // to the name's length (1: `x`) and the extra field's.
    func shared(extra: Int) {
      for value in [entry.versionNeeded, flags, entry.method, entry.time, entry.date] { le16(value) }
      for value in [entry.crc, UInt32(data.count), UInt32(min(entry.size, 0xFFFF_FFFE))] { le32(value) }
      le16(1)
      le16(UInt16(extra))
    }
    le32(0x0403_4B50)
    shared(extra: localExtra.count)
    out.append(UInt8(ascii: "x"))
    out += localExtra
    out += bytes[data]
    let directory = out.count
    le32(0x0201_4B50)
    le16(3 << 8 | 20)
    shared(extra: extra.count)
    // No comment, disk 0, no internal attributes; a regular file's mode; at offset 0.
    for _ in 0..<3 { le16(0) }
    le32(0o100644 << 16)
    le32(0)
    out.append(UInt8(ascii: "x"))
    out += extra
    let directorySize = out.count - directory
    le32(0x0605_4B50)
    le16(0)
    le16(0)
    le16(1)
    le16(1)
    le32(UInt32(directorySize))
    le32(UInt32(directory))
    le16(0)
    return out
  }
}

extension UnsafeBufferPointer<UInt8> {
  fileprivate func le16(_ offset: Int) -> UInt16 {
    guard offset >= 0, offset + 2 <= count else { return 0 }
    return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
  }

  fileprivate func le32(_ offset: Int) -> UInt32 {
    guard offset >= 0, offset + 4 <= count else { return 0 }
    return UInt32(le16(offset)) | UInt32(le16(offset + 2)) << 16
  }

  fileprivate func le64(_ offset: Int) -> UInt64 {
    guard offset >= 0, offset + 8 <= count else { return 0 }
    return UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
  }
}

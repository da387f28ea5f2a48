import CLibarchive
import Glibc
import VigilSupport

/// Reads the files inside an archive held in memory, with libarchive: zip (and jar,
/// war, ear, whl, nupkg, which are zips), tar, and gzip, bzip2, xz, zstd, lzma, lz4, lzip or compress around
/// either or around a single file.
///
/// Bounded: an entry larger than `maxEntrySize` is skipped unread, and reading stops
/// once `budget` bytes have been unpacked, so a decompression bomb costs its budget and
/// no more.
public enum ArchiveReader {
  /// Bytes that may still be unpacked, for an archive and all the archives inside it.
  public final class Budget {
    public var remaining: Int
    /// Reading stopped for the budget: spent, or an entry's size past what was left.
    public internal(set) var exhausted = false
    public init(_ bytes: Int) { remaining = bytes }

    func stop() -> Outcome {
      exhausted = true
      return .budgetSpent
    }
  }

  /// How reading an archive ended.
  public enum Outcome: Equatable, Sendable {
    /// Every entry was read (or skipped for its size).
    case complete
    /// The budget ran out: the entries after the last one read were not.
    case budgetSpent
    /// libarchive gave up on the archive (damaged, encrypted, a format it lacks).
    case unreadable(String)
    /// The bytes only looked like an archive (a text with `ustar` where a tar has it):
    /// libarchive read them as themselves, no format or compression around them.
    case notAnArchive
  }

  /// Has the local time zone read once, not at each zip entry: libarchive turns each
  /// entry's DOS time into a time with `mktime`, which with `TZ` unset looks at
  /// `/etc/localtime` again each time (two `stat` calls an entry: a seventh of the time
  /// of a jar of small classes). `TZ=:/etc/localtime` is the same zone, read once. Call
  /// first thing, before other threads start (it sets the environment).
  public static func readTimeZoneOnce() {
    if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 1) }
  }

  /// What reading one entry's header spends from the budget.
  public static let headerCost = 512

  /// Why an entry was not read whole.
  public enum Skip: Equatable, Sendable {
    /// Larger than `maxEntrySize`: not read.
    case tooLarge
    /// Damaged, encrypted or compressed by a method libarchive lacks; what of it could
    /// be read, if anything, was given to `entry`, and the entries after it were read.
    case unreadable(String)
  }

  /// Whether the bytes start like an archive or a compressed stream vigil opens.
  public static func isArchive(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool { Self.starts(bytes, with: magic, at: offset) }
    return starts([0x50, 0x4B, 0x03, 0x04])  // zip
      || starts([0x1F, 0x8B])  // gzip
      || starts([0x42, 0x5A, 0x68])  // bzip2
      || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])  // xz
      || starts([0x28, 0xB5, 0x2F, 0xFD])  // zstd
      || starts([0x5D, 0x00, 0x00])  // lzma (the "alone" format: properties 0x5D, a dictionary size)
      || starts([0x04, 0x22, 0x4D, 0x18]) || starts([0x02, 0x21, 0x4C, 0x18])  // lz4, its legacy frame
      || starts(Array("LZIP".utf8) + [0x01])  // lzip
      || starts([0x1F, 0x9D])  // compress (.Z)
      || starts(Array("ustar".utf8), at: 257)  // tar
      || hasZipEnd(bytes)
  }

  /// Whether a zip's end record (`PK\u{5}\u{6}`, 22 bytes and a comment of up to 64 KiB)
  /// lies at the end of `bytes`: a zip with something before it (a Spring Boot jar with
  /// its launch script, a self-extracting archive) is read from there, as unzip and
  /// Java read it.
  static func hasZipEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress, bytes.count >= 22 else { return false }
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    // The record's third byte, 5, is rare in text: memchr finds each candidate.
    let limit = bytes.count - 22 + 3
    var start = lowest + 2
    while start < limit, let found = memchr(base + start, 0x05, limit - start) {
      let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - 2
      if bytes[offset] == 0x50 && bytes[offset + 1] == 0x4B && bytes[offset + 3] == 0x06 {
        // The comment's length reaches the end exactly, and the zip holds an entry.
        let comment = Int(bytes[offset + 20]) | Int(bytes[offset + 21]) << 8
        let entries = Int(bytes[offset + 10]) | Int(bytes[offset + 11]) << 8
        if offset + 22 + comment == bytes.count && entries > 0 { return true }
      }
      start = offset + 3
    }
    return false
  }

  /// Calls `entry` with the path and content of each regular file in the archive, in
  /// archive order, and `skipped` with the path of each one larger than `maxEntrySize`
  /// or that could not be read (one damaged entry does not hide the others).
  /// `budget` is what may still be unpacked, shared with the archives read inside
  /// `entry`; it is spent as entries are read. A compressed single file that does not
  /// store its name (`gzip < .env > .env.gz`) is given `unnamed` (the archive's own
  /// name without its compression suffix), so that rules for file names see it.
  /// `link` is called with each link's path and the name it holds: a symbolic link's
  /// target (relative to its directory, or absolute), or for a hard link the path of the
  /// entry it shares its data with (`hard`).
  public static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, maxEntrySize: Int, budget: Budget, unnamed: String = "data",
    entry: (_ path: String, _ content: [UInt8]) -> Void, skipped: (_ path: String, _ why: Skip) -> Void,
    link: (_ path: String, _ target: String, _ hard: Bool) -> Void = { _, _, _ in }
  ) -> Outcome {
    // A zip is read by its central directory, each entry alone (`ZipDirectory`); one
    // whose directory does not hold, by its local headers, as a streaming reader reads it.
    let startsAsZip = starts(bytes, with: [0x50, 0x4B, 0x03, 0x04])
    if startsAsZip || hasZipEnd(bytes), let directory = ZipDirectory(bytes) {
      return readZip(
        directory, bytes, maxEntrySize: maxEntrySize, budget: budget, entry: entry, skipped: skipped,
        link: link)
    }
    if startsAsZip {
      return read(
        bytes, formats: .zipStream, maxEntrySize: maxEntrySize, budget: budget, unnamed: unnamed,
        entry: entry,
        skipped: skipped, link: link)
    }
    var entries = 0
    let outcome = read(
      bytes, formats: .archives, maxEntrySize: maxEntrySize, budget: budget, unnamed: unnamed,
      entry: {
        entries += 1
        entry($0, $1)
      },
      skipped: {
        entries += 1
        skipped($0, $1)
      }, link: link)
    // A tar whose first header is damaged (its checksum): read once more from the next
    // header, as GNU tar reads it ("skipping to next header"); the damaged entry is named.
    // Once: a chain of headers libarchive refuses is not followed block by block.
    if outcome == .notAnArchive, hasTarMagic(bytes, at: 0) {
      guard let next = nextTarHeader(bytes) else { return .unreadable("damaged tar header") }
      let name = bytes[0..<100].prefix { $0 != 0 }
      skipped(
        name.isEmpty ? unnamed : PathText.display(name),
        .unreadable("damaged tar header; the archive was read from the next header, at byte \(next)"))
      var rest = read(
        UnsafeBufferPointer(rebasing: bytes[next...]), formats: .archives, maxEntrySize: maxEntrySize,
        budget: budget, unnamed: unnamed, entry: entry, skipped: skipped, link: link)
      // The damaged entry's data may be a tar itself, whose reading ends at its own end:
      // read on from past that data as well, where its size field says (a size that lies
      // makes entries read twice, never unread).
      if let past = pastDamagedEntry(bytes), past > next, rest != .budgetSpent {
        rest = read(
          UnsafeBufferPointer(rebasing: bytes[past...]), formats: .archives, maxEntrySize: maxEntrySize,
          budget: budget, unnamed: unnamed, entry: entry, skipped: skipped, link: link)
      }
      return rest == .notAnArchive ? .unreadable("damaged tar headers") : rest
    }
    // A compressed stream that read as an archive of nothing (512 zero bytes first: tar's
    // end-of-archive block) is read as the single file it may be, or nothing would be.
    guard outcome == .complete, entries == 0, isCompressedStream(bytes) else { return outcome }
    return read(
      bytes, formats: .rawOnly, maxEntrySize: maxEntrySize, budget: budget, unnamed: unnamed, entry: entry,
      skipped: skipped, link: link)
  }

  /// Whether `magic` is in `bytes` at `offset`.
  private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with magic: [UInt8], at offset: Int = 0)
    -> Bool
  {
    bytes.count >= offset + magic.count && magic.indices.allSatisfy { bytes[offset + $0] == magic[$0] }
  }

  /// Each entry of a zip's central directory, read alone: a zip of that entry only,
  /// which libarchive inflates, decrypts or refuses (and says why), so that one damaged
  /// entry costs only itself. Names are the central directory's; an entry is a file
  /// unless its name ends with `/`, whatever its mode says; a Unix symbolic link's data
  /// is its target.
  static func readZip(
    _ directory: ZipDirectory, _ bytes: UnsafeBufferPointer<UInt8>, maxEntrySize: Int, budget: Budget,
    entry: (_ path: String, _ content: [UInt8]) -> Void, skipped: (_ path: String, _ why: Skip) -> Void,
    link: (_ path: String, _ target: String, _ hard: Bool) -> Void
  ) -> Outcome {
    for item in directory.entries {
      if item.isDirectory {
        budget.remaining -= Self.headerCost
        guard budget.remaining > 0 else { return budget.stop() }
        continue
      }
      let path = item.path
      guard let (header, data) = ZipDirectory.data(of: item, in: bytes) else {
        skipped(path, .unreadable("its data is not where the zip's central directory says"))
        continue
      }
      guard data.count < UInt32.max else {
        skipped(path, .tooLarge)
        continue
      }
      // Each entry's data is copied to be read alone: spent from the budget, or entries
      // that all point at one large data (a directory of thousands) would cost that data
      // each, unbounded. The entry's size is left to the reading to check: a central
      // directory's size can lie.
      budget.remaining -= Self.headerCost + data.count
      guard budget.remaining > 0 else { return budget.stop() }
      // An empty file (rules for names see it): nothing to inflate.
      if data.isEmpty && !item.isSymbolicLink {
        entry(path, [])
        continue
      }
      let single = ZipDirectory.single(item, header: header, data: data, in: bytes)
      var content: [UInt8]?
      var damage: Skip?
      let outcome = single.withUnsafeBufferPointer {
        read(
          $0, formats: .zipEntry, maxEntrySize: maxEntrySize, budget: budget, unnamed: path,
          entry: { content = $1 }, skipped: { damage = $1 }, link: { _, _, _ in })
      }
      // An entry the directory says is empty whose few bytes do not unpack (Python writes
      // an empty lzma member so) is the empty file it says.
      if item.size == 0 && (content ?? []).isEmpty && !item.isSymbolicLink {
        entry(path, [])
        if outcome == .budgetSpent { return outcome }
        continue
      }
      if let content {
        if item.isSymbolicLink {
          link(path, PathText.display(content), false)
        } else {
          entry(path, content)
        }
      }
      if let damage {
        skipped(path, damage)
      } else if case .unreadable(let why) = outcome {
        skipped(path, .unreadable(why))
      }
      if outcome == .budgetSpent { return outcome }
    }
    return .complete
  }

  /// Whether a tar header's magic is at `offset + 257`: POSIX's `ustar` and a NUL, or
  /// GNU's `ustar`, two spaces and a NUL (a text that reads `ustar` there is no tar).
  static func hasTarMagic(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + 265 <= bytes.count, bytes[offset + 257..<offset + 262].elementsEqual("ustar".utf8) else {
      return false
    }
    return bytes[offset + 262] == 0 || bytes[offset + 262..<offset + 265].elementsEqual([0x20, 0x20, 0])
  }

  /// Where the data a damaged first tar header's size field gives ends, when a sound
  /// header is there.
  static func pastDamagedEntry(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let size = octal(bytes[124..<136]), size >= 0, size < bytes.count else { return nil }
    let past = 512 + (size + 511) / 512 * 512
    return isSoundTarHeader(bytes, at: past) ? past : nil
  }

  /// The first sound tar header after a damaged first one (magic and checksum: the
  /// header's bytes summed, its own field taken as spaces).
  static func nextTarHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var offset = 512
    while offset + 512 <= bytes.count {
      if isSoundTarHeader(bytes, at: offset) { return offset }
      offset += 512
    }
    return nil
  }

  /// Whether a block at `offset` has a tar header's magic and a checksum that holds.
  static func isSoundTarHeader(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + 512 <= bytes.count, hasTarMagic(bytes, at: offset),
      let stored = octal(bytes[offset + 148..<offset + 156])
    else { return false }
    var sum = 8 * 0x20
    for index in offset..<offset + 512 where !(offset + 148..<offset + 156).contains(index) {
      sum += Int(bytes[index])
    }
    return stored == sum
  }

  /// A tar header's octal field: digits after leading spaces, to a NUL or a space.
  private static func octal(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
    let digits = field.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
    guard !digits.isEmpty, digits.count <= 12 else { return nil }
    return Int(String(decoding: digits, as: UTF8.self), radix: 8)
  }

  /// Whether the bytes start like a compressed stream (not a zip or a plain tar).
  static func isCompressedStream(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    isArchive(bytes) && !(bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B)
      && !hasTarMagic(bytes, at: 0)
  }

  /// What a reader is asked to take the bytes for.
  private enum Formats {
    /// A zip or a tar, compressed or not, or a compressed single file.
    case archives
    /// A compressed single file only.
    case rawOnly
    /// One entry's zip (`ZipDirectory.single`): no compression around it.
    case zipEntry
    /// A zip with no central directory that holds: its local headers, in order.
    case zipStream
  }

  private static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, formats: Formats, maxEntrySize: Int, budget: Budget, unnamed: String,
    entry: (_ path: String, _ content: [UInt8]) -> Void, skipped: (_ path: String, _ why: Skip) -> Void,
    link: (_ path: String, _ target: String, _ hard: Bool) -> Void
  ) -> Outcome {
    guard let archive = archive_read_new() else { return .unreadable("out of memory") }
    defer { archive_read_free(archive) }
    // The formats vigil opens, not every parser libarchive has (fewer parsers of a
    // stranger's bytes); a compressed single file (`x.gz`) has no format around it.
    switch formats {
    case .archives, .rawOnly:
      for filter in inProcessFilters { _ = filter.register(on: archive) }
      if formats == .archives {
        archive_read_support_format_zip(archive)
        archive_read_support_format_tar(archive)
      }
      archive_read_support_format_raw(archive)
    case .zipEntry:
      archive_read_support_format_zip_seekable(archive)
    case .zipStream:
      archive_read_support_format_zip_streamable(archive)
    }
    guard let base = bytes.baseAddress,
      archive_read_open_memory(archive, base, bytes.count) == ARCHIVE_OK
    else { return .unreadable(message(archive)) }
    var header: OpaquePointer?
    // Sized for the entries read (a zip's entry is read alone: most are small).
    var chunk: [UInt8] = []
    var first = true
    while true {
      let status = archive_read_next_header(archive, &header)
      if status == ARCHIVE_EOF { return .complete }
      guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let header else {
        return .unreadable(message(archive))
      }
      // Read as itself (raw, no decompression filter past libarchive's "none"): the bytes
      // are no archive; the caller reads them as they are.
      if first && archive_format(archive) == ARCHIVE_FORMAT_RAW && archive_filter_count(archive) <= 1 {
        return .notAnArchive
      }
      first = false
      // Each header of an archive costs what a tar's takes: one of millions of empty
      // entries (a few kilobytes compressed) spends its budget as one of millions of
      // bytes would. (A compressed single file has one, and costs what it holds.)
      let raw = archive_format(archive) == ARCHIVE_FORMAT_RAW
      if !raw {
        budget.remaining -= Self.headerCost
        guard budget.remaining > 0 else { return budget.stop() }
      }
      // Skipping an entry in a compressed stream unpacks it all the same: its size is spent.
      let streamed = archive_filter_count(archive) > 1
      // A link stores a name, not data (a hard link with data of its own is read as a file).
      if let name = archive_entry_pathname(header).map(Self.shown) {
        if vigil_archive_entry_is_symlink(header) != 0, let target = archive_entry_symlink(header) {
          link(name, Self.shown(target), false)
          continue
        }
        if let target = archive_entry_hardlink(header), archive_entry_size(header) == 0 {
          link(name, Self.shown(target), true)
          continue
        }
      }
      guard vigil_archive_entry_is_regular(header) != 0 else { continue }
      var path = archive_entry_pathname(header).map(Self.shown) ?? unnamed
      // libarchive's name for a raw stream's one entry when the stream names none.
      if archive_format(archive) == ARCHIVE_FORMAT_RAW && path == "data" { path = unnamed }
      // A sparse entry (a disk image of holes, `tar -S`) stores only its data regions:
      // those are what is unpacked, read and spent; a hole is not.
      let sparse = archive_entry_sparse_count(header) > 0
      let stored = sparse ? Self.sparseDataSize(header) : Int(archive_entry_size(header))
      // (A zip entry's size is its central directory's, which can lie: it is read, up
      // to the limit, as extracting tools read it.)
      if formats != .zipEntry && archive_entry_size_is_set(header) != 0 && stored > maxEntrySize {
        skipped(path, .tooLarge)
        // Past the budget, reading stops here, unpacking nothing more.
        if streamed {
          guard stored < budget.remaining else { return budget.stop() }
          budget.remaining -= stored
        }
        continue
      }
      var content: [UInt8] = []
      let wanted = archive_entry_size_is_set(header) != 0 ? min(stored + 1, 64 * 1024) : 64 * 1024
      if chunk.count < max(wanted, 512) { chunk = [UInt8](repeating: 0, count: max(wanted, 512)) }
      var sparseEnd: Int64 = 0
      var failure: String?
      while true {
        guard budget.remaining > 0 else {
          // What was unpacked of the entry before the budget ran out is scanned.
          if !content.isEmpty { entry(path, content) }
          return budget.stop()
        }
        let got: Int
        // Block by block: a sparse entry's regions, and a zip entry's (its last bytes
        // come before an error its sizes give: libarchive's copying read drops them).
        if sparse || formats == .zipEntry {
          // Region by region; one that does not follow on from the last is a line apart.
          var block: UnsafeRawPointer?
          var size = 0
          var offset: Int64 = 0
          let status = archive_read_data_block(archive, &block, &size, &offset)
          if status == ARCHIVE_EOF { break }
          if status < ARCHIVE_WARN {
            if status == ARCHIVE_FATAL {
              // What was unpacked of it before is scanned all the same.
              if !content.isEmpty {
                entry(path, content)
              }
              return .unreadable(message(archive))
            }
            failure = message(archive)
            break
          }
          let taken = min(size, budget.remaining)
          if let block, taken > 0 {
            if offset > sparseEnd && !content.isEmpty { content.append(0x0A) }
            content.append(contentsOf: UnsafeRawBufferPointer(start: block, count: taken))
          }
          sparseEnd = offset + Int64(size)
          got = taken
          if got == 0 { continue }
        } else {
          got = chunk.withUnsafeMutableBytes { raw in
            archive_read_data(archive, raw.baseAddress, min(raw.count, budget.remaining))
          }
          if got == 0 { break }
          if got < 0 {
            // One entry's failure (a bad checksum, encryption, an unknown method) leaves the
            // archive readable: its next header is read; a fatal one does not.
            if got == ARCHIVE_FATAL {
              // What was unpacked of it before is scanned all the same.
              if !content.isEmpty {
                entry(path, content)
              }
              return .unreadable(message(archive))
            }
            failure = message(archive)
            break
          }
          content.append(contentsOf: chunk[0..<got])
        }
        budget.remaining -= got
        if content.count > maxEntrySize { break }
      }
      if content.count > maxEntrySize {
        skipped(path, .tooLarge)
        // The rest of it is unpacked to reach the next header: spent too.
        if streamed && archive_entry_size_is_set(header) != 0 {
          let rest = max(0, stored - content.count)
          guard rest < budget.remaining else { return budget.stop() }
          budget.remaining -= rest
        }
        continue
      }
      // An empty file is an entry (rules for file names see it); what was read of a
      // damaged entry is scanned all the same.
      if failure == nil || !content.isEmpty { entry(path, content) }
      if let failure { skipped(path, .unreadable(failure)) }
    }
  }

  /// The bytes a sparse entry stores: its data regions, not its holes.
  private static func sparseDataSize(_ header: OpaquePointer) -> Int {
    var total = 0
    var offset: Int64 = 0
    var length: Int64 = 0
    _ = archive_entry_sparse_reset(header)
    while archive_entry_sparse_next(header, &offset, &length) == ARCHIVE_OK {
      total += Int(clamping: max(0, length))
    }
    return min(total, Int(archive_entry_size(header)))
  }

  /// libarchive's decompression filters, each registered alone: `filter_all` also
  /// registers those that run an external program found on `PATH` (lrzip and grzip
  /// always; lzop, lz4 and zstd when libarchive was built without their library), picked
  /// by the bytes of a file from the scanned tree (a `.gz` holding lzop data), and a
  /// relative `PATH` entry (`node_modules/.bin`) makes that a program the tree ships.
  enum Filter: CaseIterable, Sendable {
    case gzip, bzip2, compress, lzma, xz, lzip, zstd, lz4, lzop, uu, rpm, lrzip, grzip

    func register(on archive: OpaquePointer) -> Int32 {
      switch self {
      case .gzip: archive_read_support_filter_gzip(archive)
      case .bzip2: archive_read_support_filter_bzip2(archive)
      case .compress: archive_read_support_filter_compress(archive)
      case .lzma: archive_read_support_filter_lzma(archive)
      case .xz: archive_read_support_filter_xz(archive)
      case .lzip: archive_read_support_filter_lzip(archive)
      case .zstd: archive_read_support_filter_zstd(archive)
      case .lz4: archive_read_support_filter_lz4(archive)
      case .lzop: archive_read_support_filter_lzop(archive)
      case .uu: archive_read_support_filter_uu(archive)
      case .rpm: archive_read_support_filter_rpm(archive)
      case .lrzip: archive_read_support_filter_lrzip(archive)
      case .grzip: archive_read_support_filter_grzip(archive)
      }
    }
  }

  /// The filters this libarchive runs in its own code: one that would run a program
  /// says so by returning `ARCHIVE_WARN` ("Using external … program") when registered,
  /// on a throwaway reader, and is never registered for a real one.
  static let inProcessFilters: [Filter] = {
    guard let probe = archive_read_new() else { return [] }
    defer { archive_read_free(probe) }
    return Filter.allCases.filter { $0.register(on: probe) == ARCHIVE_OK }
  }()

  private static func message(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unreadable archive"
  }

  /// An entry's name as the walk shows a file's: its bytes, escaped where they are not
  /// UTF-8 or read as an escape (two members named apart are shown apart).
  private static func shown(_ name: UnsafePointer<CChar>) -> String {
    PathText.display(
      UnsafeBufferPointer(
        start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name)))
  }
}

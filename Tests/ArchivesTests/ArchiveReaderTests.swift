import Testing

@testable import Archives

/// Reading archives from memory: which bytes are archives, the entries of one, and the
/// bounds on entry size and on what is unpacked.
@Suite struct ArchiveReaderTests {
  /// A ustar archive of regular files, written by hand (512-byte headers, octal sizes,
  /// the header checksum).
  private func octal(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 8)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  private func tar(_ files: [(String, [UInt8])]) -> [UInt8] {
    var archive: [UInt8] = []
    for (name, content) in files {
      var header = [UInt8](repeating: 0, count: 512)
      func put(_ text: String, at offset: Int) {
        for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
      }
      put(name, at: 0)
      put("0000644", at: 100)
      put("0000000", at: 108)
      put("0000000", at: 116)
      put(octal(content.count, width: 11), at: 124)
      put("00000000000", at: 136)
      put("0", at: 156)
      put("ustar", at: 257)
      put("00", at: 263)
      for index in 148..<156 { header[index] = 0x20 }
      let sum = header.reduce(0) { $0 + Int($1) }
      put(octal(sum, width: 6), at: 148)
      header[154] = 0
      archive += header + content + [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }
    return archive + [UInt8](repeating: 0, count: 1024)
  }

  private func entries(_ archive: [UInt8], maxEntrySize: Int = 1 << 20, budget: Int = 1 << 20) -> (
    [String], [String], ArchiveReader.Outcome
  ) {
    var read: [String] = []
    var skipped: [String] = []
    let outcome = archive.withUnsafeBufferPointer { bytes in
      ArchiveReader.read(
        bytes, maxEntrySize: maxEntrySize, budget: ArchiveReader.Budget(budget),
        entry: { read.append("\($0)=\(String(decoding: $1, as: UTF8.self))") },
        skipped: { path, why in skipped.append(why == .tooLarge ? path : "\(path) (\(why))") })
    }
    return (read, skipped, outcome)
  }

  /// lrzip and grzip always run a program; lzop, lz4 and zstd do when libarchive lacks
  /// their library (Debian's has no liblzo): none of those is ever registered.
  @Test func onlyFiltersThatRunNoProgramAreRegistered() {
    let filters = ArchiveReader.inProcessFilters
    #expect(!filters.contains(.lrzip) && !filters.contains(.grzip))
    #expect(filters.contains(.gzip) && filters.contains(.bzip2) && filters.contains(.xz))
  }

  @Test func archivesAreKnownByTheirFirstBytes() {
    func isArchive(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(ArchiveReader.isArchive) }
    #expect(isArchive([0x50, 0x4B, 0x03, 0x04, 0, 0]))
    #expect(isArchive([0x1F, 0x8B, 8, 0]))
    #expect(isArchive(tar([("a.txt", Array("x".utf8))])))
    // lzma's "alone" format, lz4 (and its legacy frame), lzip, compress (.Z).
    for magic: [UInt8] in [
      [0x5D, 0, 0, 0x80, 0], [0x04, 0x22, 0x4D, 0x18], [0x02, 0x21, 0x4C, 0x18], [0x1F, 0x9D],
    ] {
      #expect(isArchive(magic + [1, 2, 3]), "\(magic)")
    }
    #expect(isArchive(Array("LZIP".utf8) + [1, 0x0C]))
    #expect(!isArchive(Array("LZIP is a format".utf8)))
    #expect(!isArchive(Array("PK is not enough".utf8)))
    #expect(!isArchive([0x7F, 0x45, 0x4C, 0x46]))
  }

  /// A zip's end record found from the end, past other bytes 5 (the record's third byte)
  /// and false starts, with and without a comment; one that holds no entry, or whose
  /// comment does not reach the end, is not one.
  @Test func aZipIsKnownByItsEndRecordWhateverComesBefore() {
    func isArchive(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(ArchiveReader.isArchive) }
    func end(entries: UInt8, comment: [UInt8]) -> [UInt8] {
      [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, entries, 0, entries, 0]
        + [UInt8](repeating: 0, count: 8) + [UInt8(comment.count), 0] + comment
    }
    let script = Array("#!/bin/sh\nexec java -jar \"$0\"\n".utf8) + [5, 5, 0x50, 0x4B, 5, 5]
    #expect(isArchive(script + end(entries: 1, comment: [])))
    #expect(isArchive(script + end(entries: 2, comment: Array("built \u{5} by hand".utf8))))
    #expect(isArchive(end(entries: 1, comment: [])))
    #expect(!isArchive(script + end(entries: 0, comment: [])))
    #expect(!isArchive(script + end(entries: 1, comment: Array("short".utf8)) + [0x0A]))
    #expect(!isArchive(script))
    // A record more than 64 KiB and 22 bytes from the end is not looked for.
    #expect(!isArchive(end(entries: 1, comment: []) + [UInt8](repeating: 5, count: 0x10000)))
  }

  @Test func eachRegularFileWithItsPathAndContent() {
    let archive = tar([("config/app.env", Array("KEY=1\n".utf8)), ("notes.txt", Array("hello".utf8))])
    let (read, skipped, outcome) = entries(archive)
    #expect(read == ["config/app.env=KEY=1\n", "notes.txt=hello"])
    #expect(skipped.isEmpty)
    #expect(outcome == .complete)
  }

  @Test func largeEntriesAreSkippedAndTheBudgetStopsReading() {
    let archive = tar([("big.txt", Array(repeating: 0x61, count: 4000)), ("small.txt", Array("ok".utf8))])
    let (read, skipped, _) = entries(archive, maxEntrySize: 1000)
    #expect(read == ["small.txt=ok"])
    #expect(skipped == ["big.txt"])
    // What was unpacked before the budget ran out is handed over (and scanned).
    let (spentRead, _, spent) = entries(archive, budget: ArchiveReader.headerCost + 100)
    #expect(spentRead == ["big.txt=" + String(repeating: "a", count: 100)])
    #expect(spent == .budgetSpent)
  }

  /// Bytes that only start like an archive (a text with `ustar` at a tar's offset) are
  /// no archive: libarchive would give them back as themselves, named `data`.
  @Test func aTextThatOnlyLooksLikeATarIsNoArchive() {
    let text = Array(("#" + String(repeating: "x", count: 254) + "\n#ustar notes\nKEY=1\n").utf8)
    #expect(text.withUnsafeBufferPointer(ArchiveReader.isArchive))
    let (read, skipped, outcome) = entries(text)
    #expect(read.isEmpty && skipped.isEmpty)
    #expect(outcome == .notAnArchive)
  }

  /// A tar whose first header fails its checksum is read from the next header that
  /// holds (GNU tar's "skipping to next header"), once: behind it, a chain of headers
  /// libarchive refuses is said to be damaged, not followed block by block.
  @Test func aDamagedFirstTarHeaderIsSkippedOnce() {
    var good = tar([("conf/app.env", Array("KEY=1\n".utf8))])
    good[0] = UInt8(ascii: "X")  // the name changes; the checksum no longer holds
    let (read, skipped, outcome) = entries(good)
    #expect(read.isEmpty && skipped.isEmpty)
    #expect(outcome == .unreadable("damaged tar header"))

    var damagedFirst = tar([("a.txt", Array("x".utf8)), ("conf/app.env", Array("KEY=1\n".utf8))])
    damagedFirst[0] = UInt8(ascii: "X")
    let (after, _, complete) = entries(damagedFirst)
    #expect(after == ["conf/app.env=KEY=1\n"])
    #expect(complete == .complete)

    // Headers with good checksums and a type libarchive refuses, thousands of them.
    var chain = damagedFirst
    chain.removeLast(1024)
    var header = Array(chain[0..<512])
    header[156] = 1
    for index in 0..<100 { header[index] = 0 }
    for index in 148..<156 { header[index] = 0x20 }
    let sum = header.reduce(0) { $0 + Int($1) }
    for (index, byte) in (octal(sum, width: 6) + "\0 ").utf8.enumerated() { header[148 + index] = byte }
    for _ in 0..<4000 { chain += header }
    let (_, _, refused) = entries(chain + [UInt8](repeating: 0, count: 1024))
    #expect(refused != .notAnArchive)

    // The damaged entry's data is a tar itself: its entries are read from its header,
    // and reading goes on past that data, where the size field says (the inner tar's
    // end would otherwise end it).
    let inner = tar([("inner.txt", Array("x".utf8))])
    var outer = tar([("inner.tar", inner), ("deploy/.env", Array("KEY=1\n".utf8))])
    outer[0] = UInt8(ascii: "X")
    let (past, _, _) = entries(outer)
    #expect(past == ["inner.txt=x", "deploy/.env=KEY=1\n"])
  }

  /// Each header spends from the budget what a tar header takes: millions of empty
  /// entries cost their budget, not minutes.
  @Test func headersSpendTheBudget() {
    let archive = tar((0..<100).map { ("e\($0).txt", [UInt8]()) })
    let (read, _, outcome) = entries(archive, budget: 50 * 512)
    #expect(read.count < 50)
    #expect(outcome == .budgetSpent)
    let (all, _, complete) = entries(archive, budget: 101 * 512)
    #expect(all.count == 100)
    #expect(complete == .complete)
  }

  /// A gzip header over bytes that do not inflate: the reader says so (the scan warns
  /// and goes on).
  @Test func damagedArchivesSayWhy() {
    let damaged: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + Array(repeating: 0xFF, count: 64)
    let (read, _, outcome) = entries(damaged)
    #expect(read.isEmpty)
    guard case .unreadable = outcome else {
      Issue.record("expected unreadable, got \(outcome)")
      return
    }
  }
}

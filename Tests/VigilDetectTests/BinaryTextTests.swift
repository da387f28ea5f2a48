import CByteRuns
import Testing
import VigilTestSupport

@testable import VigilDetect

/// The text a binary file's secrets are looked for in: its runs of text bytes.
@Suite struct BinaryTextTests {
  private static func isText(_ byte: UInt8) -> Bool {
    (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The runs of at least `BinaryText.minimumRun` text bytes, found a byte at a time.
  private static func plainRuns(_ bytes: [UInt8]) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var start = 0
    for index in 0...bytes.count where index == bytes.count || !isText(bytes[index]) {
      if index - start >= BinaryText.minimumRun { runs.append(start..<index) }
      start = index + 1
    }
    return runs
  }

  /// On random buffers of text and binary stretches, of every length around the
  /// 16- and 64-byte blocks the search takes at once: the same runs as a byte-at-a-time
  /// search, each mapped back to where it is in the buffer.
  @Test func runsMatchAPlainSearchAndMapBack() {
    var random = SeededGenerator(seed: 11)
    for _ in 0..<2_000 {
      var bytes: [UInt8] = []
      let length = Int.random(in: 0...300, using: &random)
      while bytes.count < length {
        let stretch = Int.random(in: 1...80, using: &random)
        let text = Bool.random(using: &random)
        for _ in 0..<stretch {
          bytes.append(
            text ? UInt8.random(in: 0x20...0x7E, using: &random) : UInt8.random(in: 0...255, using: &random))
        }
      }
      let binary = bytes.withUnsafeBufferPointer { BinaryText($0) }
      let expected = Self.plainRuns(bytes)
      #expect(binary.text == expected.flatMap { Array(bytes[$0]) + [0x0A] })
      var offset = 0
      for run in expected {
        let inText = offset..<offset + run.count
        #expect(binary.fileRange(inText) == run)
        #expect(binary.isWithinOneRun(inText))
        #expect(!binary.isWithinOneRun(inText.lowerBound..<inText.upperBound + 2) || run == expected.last)
        offset += run.count + 1
      }
    }
  }

  /// Runs of UTF-16LE and UTF-32LE text (a text byte and one or three NULs, eight
  /// characters or more) are those a search from each position finds, read as their
  /// characters and mapped back to the bytes they were.
  @Test func wideRunsMatchAPlainSearchAndMapBack() {
    var random = SeededGenerator(seed: 16)
    for _ in 0..<2_000 {
      var bytes: [UInt8] = []
      let length = Int.random(in: 0...400, using: &random)
      while bytes.count < length {
        let stretch = Int.random(in: 1...40, using: &random)
        let width = [1, 2, 4].randomElement(using: &random)!
        for _ in 0..<stretch {
          if width == 1 {
            bytes.append(UInt8.random(in: 0...255, using: &random) & 0x8F)
          } else {
            bytes += [UInt8.random(in: 0x20...0x7E, using: &random)] + Array(repeating: 0, count: width - 1)
          }
        }
      }
      func expected(width: Int) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var start = 0
        func isCharacter(_ at: Int) -> Bool {
          at + width <= bytes.count && Self.isText(bytes[at])
            && bytes[(at + 1)..<(at + width)].allSatisfy { $0 == 0 }
        }
        while start + width * BinaryText.minimumRun <= bytes.count {
          var characters = 0
          while isCharacter(start + width * characters) { characters += 1 }
          if characters >= BinaryText.minimumRun {
            found.append(start..<(start + width * characters))
            start += width * characters
          } else {
            start += 1
          }
        }
        return found
      }
      let binary = bytes.withUnsafeBufferPointer { BinaryText($0) }
      let plain = Self.plainRuns(bytes)
      var text: [UInt8] = plain.flatMap { Array(bytes[$0]) + [0x0A] }
      var runs: [(range: Range<Int>, width: Int, offset: Int)] = []
      for width in [2, 4] {
        for run in expected(width: width) {
          runs.append((run, width, text.count))
          text += stride(from: run.lowerBound, to: run.upperBound, by: width).map { bytes[$0] } + [0x0A]
        }
      }
      #expect(binary.text == text)
      for run in runs {
        let inText = run.offset..<(run.offset + run.range.count / run.width)
        #expect(binary.fileRange(inText) == run.range)
        #expect(binary.isWithinOneRun(inText))
        #expect(binary.encoding(at: run.offset) == (run.width == 2 ? .utf16 : .utf32))
      }
    }
  }

  @Test func textWithAFewNULBytesIsMostlyText() {
    func isMostlyText(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(BinaryText.isMostlyText) }
    #expect(isMostlyText(Array("#!/bin/sh\n# \u{0}\nexport TOKEN=abcdefgh12345678\n".utf8)))
    // UTF-8 text is text.
    #expect(isMostlyText(Array(String(repeating: "# 注释 коммент\n", count: 50).utf8) + [0, 0]))
    var image: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
    var random = SeededGenerator(seed: 3)
    for _ in 0..<4096 { image.append(UInt8.random(in: 0...255, using: &random)) }
    #expect(!isMostlyText(image))
    // Counted in blocks and byte by byte alike (lengths past the 4,080 bytes a block of
    // byte lanes counts, all-control buffers whose lanes fill up); a count that stops at
    // `enough` says rightly whether there are more.
    let lengths = Array(1..<100) + [4_079, 4_080, 4_081, 9_000, 70_000]
    for (round, length) in lengths.enumerated() {
      let bytes = (0..<length).map { _ in
        round % 3 == 0 ? UInt8(0x01) : UInt8.random(in: 0...255, using: &random)
      }
      let control = bytes.filter { ($0 < 0x20 && ![0x09, 0x0A, 0x0D].contains($0)) || $0 == 0x7F }.count
      bytes.withUnsafeBufferPointer { buffer in
        #expect(vigil_count_control(buffer.baseAddress!, buffer.count, Int.max) == control)
        for enough in [0, control / 2, control, control + 1] {
          #expect(
            (vigil_count_control(buffer.baseAddress!, buffer.count, enough) > enough) == (control > enough))
        }
      }
    }
  }
}

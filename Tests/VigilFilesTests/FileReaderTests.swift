import Foundation
import Testing
import VigilFiles
import VigilSupport
import VigilTestSupport

@Suite struct FileReaderTests {
  private func read(_ path: String, maxFileSize: Int = 1 << 20) -> FileReader.Outcome {
    var buffer: [UInt8] = []
    return FileReader(maxFileSize: maxFileSize).read(path, into: &buffer)
  }

  @Test func binaryMeansANulInTheFirst8000Bytes() throws {
    let tree = try TemporaryTree()
    let early = try tree.write("early", bytes: Array(repeating: 0x61, count: 7999) + [0])
    let late = try tree.write("late", bytes: Array(repeating: 0x61, count: 8000) + [0])
    #expect(read(early) == .binary(count: 8000))
    #expect(read(late) == .text(count: 8001))
  }

  @Test func sizeLimitAndEmptyFiles() throws {
    let tree = try TemporaryTree()
    let file = try tree.write("f", String(repeating: "x", count: 100))
    #expect(read(file, maxFileSize: 99) == .skipped(.tooLarge))
    #expect(read(file, maxFileSize: 100) == .text(count: 100))
    #expect(read(try tree.write("empty", "")) == .text(count: 0))
  }

  @Test func symlinksFIFOsAndMissingFilesAreNotRead() throws {
    let tree = try TemporaryTree()
    let target = try tree.write("target", "x")
    try FileManager.default.createSymbolicLink(atPath: tree.path + "/link", withDestinationPath: target)
    #expect(read(tree.path + "/link") == .skipped(.symlink))
    #expect(mkfifo(tree.path + "/fifo", 0o600) == 0)
    #expect(read(tree.path + "/fifo") == .skipped(.special))
    guard case .failed(let reason) = read(tree.path + "/missing") else {
      Issue.record("a missing file did not fail")
      return
    }
    #expect(reason == "No such file or directory")
  }

  @Test func aReusedBufferHoldsOnlyTheCurrentFile() throws {
    let tree = try TemporaryTree()
    let long = try tree.write("long", String(repeating: "L", count: 5000))
    let short = try tree.write("short", "abc")
    var buffer: [UInt8] = []
    let reader = FileReader(maxFileSize: 1 << 20)
    #expect(reader.read(long, into: &buffer) == .text(count: 5000))
    #expect(reader.read(short, into: &buffer) == .text(count: 3))
    #expect(Array(buffer[0..<3]) == Array("abc".utf8))
  }

  /// UTF-16 and UTF-32 without a byte-order mark are told by their units of a text byte
  /// and NULs (three in four); random bytes and text with a few NULs are neither.
  @Test func wideTextWithoutAMarkIsToldByItsUnits() {
    func encoding(_ bytes: [UInt8]) -> WideText.Encoding? { WideText.encoding(of: bytes[...]) }
    let text = "$key = 'value'\r\nWrite-Host done \u{1F511}\r\n"
    let forms: [(WideText.Encoding, [UInt8])] = [
      (.utf16(bigEndian: false), text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
      (.utf16(bigEndian: true), text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
      (
        .utf32(bigEndian: false),
        text.unicodeScalars.flatMap { s in (0..<4).map { UInt8((s.value >> (8 * $0)) & 0xFF) } }
      ),
      (
        .utf32(bigEndian: true),
        text.unicodeScalars.flatMap { s in (0..<4).reversed().map { UInt8((s.value >> (8 * $0)) & 0xFF) } }
      ),
    ]
    let marks: [[UInt8]] = [[0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0, 0], [0, 0, 0xFE, 0xFF]]
    for ((expected, bytes), mark) in zip(forms, marks) {
      #expect(encoding(bytes) == expected)
      #expect(WideText.decode(bytes[...], as: expected) == Array(text.utf8))
      // With a mark, the mark is not text (UTF-32's little-endian one starts as UTF-16's).
      #expect(encoding(mark + bytes) == expected)
      #expect(WideText.decode((mark + bytes)[...], as: expected) == Array(text.utf8))
    }
    // A value past U+10FFFF is no character.
    #expect(
      WideText.decode([0xFF, 0xFF, 0x11, 0x00, 0x41, 0, 0, 0][...], as: .utf32(bigEndian: false))
        == Array("\u{FFFD}A".utf8))
    #expect(encoding(Array(text.utf8)) == nil)
    #expect(encoding(Array(text.utf8) + [0, 0]) == nil)
    var random = SeededGenerator(seed: 16)
    #expect(encoding((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }) == nil)
  }

  /// An ASCII text git keeps as CJK (declared UTF-16 in `working-tree-encoding`) has the
  /// ASCII text as its working-tree form; text with no such run has none.
  @Test func aUTF16WorkingTreeFormGivesTheASCIIBack() {
    let ascii = "DB_PASSWORD=Zq8vT3mW9xLpQ7\n\n"
    let units = Array(ascii.utf8).chunked(by: 2).map {
      UInt16($0[$0.startIndex]) | UInt16($0[$0.startIndex + 1]) << 8
    }
    let kept = Array(String(decoding: units, as: UTF16.self).utf8)
    let forms = FileReader.utf16WorkingTreeForms(ofUTF8: kept)
    #expect(forms.count == 2)
    #expect(forms.first == Array(ascii.utf8))
    #expect(FileReader.utf16WorkingTreeForms(ofUTF8: Array("plain ASCII text\n".utf8)).isEmpty)
    #expect(FileReader.utf16WorkingTreeForms(ofUTF8: Array("中文注释 коммент é\n".utf8)).isEmpty)
  }

  /// The run search (in C, sixteen bytes at a time) agrees with one over the text's
  /// UTF-16 units, on random text of ASCII, characters whose two bytes are text, other
  /// CJK, two-byte letters and emoji.
  @Test func theWorkingTreeRunSearchAgreesWithOneOverUnits() {
    var random = SeededGenerator(seed: 0x7E7)
    let pool: [Unicode.Scalar] = [
      "a", "\n", "é", "中", "🔑", "\u{4244}", "\u{0A53}", "\u{7E7E}", "\u{2020}", "\u{7F41}",
    ]
    for _ in 0..<400 {
      let text = String(
        String.UnicodeScalarView(
          (0..<Int.random(in: 0...40, using: &random)).map { _ in
            pool.randomElement(using: &random)!
          }))
      var run = 0
      var expected = false
      for unit in text.utf16 {
        let both = [UInt8(unit & 0xFF), UInt8(unit >> 8)].allSatisfy {
          (0x20...0x7E).contains($0) || [0x09, 0x0A, 0x0D].contains($0)
        }
        run = both ? run + 1 : 0
        if run >= 4 { expected = true }
      }
      #expect(FileReader.utf16WorkingTreeForms(ofUTF8: Array(text.utf8)).isEmpty == !expected, "\(text)")
    }
  }
}

extension Array {
  fileprivate func chunked(by size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
  }
}

import Testing
import VigilDetect
import VigilKit

@Suite struct LineIndexTests {
  private func location(_ text: [UInt8], _ offset: Int) -> TextPosition {
    text.withUnsafeBufferPointer { LineIndex($0).location(of: offset, in: $0) }
  }

  @Test func linesEndAtLFCRLFAndLoneCR() {
    let text = Array("a\nb\r\nc\rd".utf8)
    #expect(location(text, 0) == TextPosition(line: 1, column: 1))
    #expect(location(text, 2) == TextPosition(line: 2, column: 1))
    #expect(location(text, 5) == TextPosition(line: 3, column: 1))
    #expect(location(text, 7) == TextPosition(line: 4, column: 1))
    #expect(location(text, 8) == TextPosition(line: 4, column: 2))
  }

  @Test func columnsCountCodePointsAndInvalidBytesCountAsOne() {
    // "é" (2 bytes), "😀" (4 bytes), an invalid byte, then "x".
    let text = Array("é😀".utf8) + [0xFF] + Array("x".utf8)
    #expect(location(text, 7) == TextPosition(line: 1, column: 4))
    #expect(location(text, 8) == TextPosition(line: 1, column: 5))
  }

  @Test func lineRangesExcludeTerminators() {
    let text = Array("one\r\ntwo\n".utf8)
    text.withUnsafeBufferPointer { bytes in
      let index = LineIndex(bytes)
      #expect(index.lineRange(0, in: bytes) == 0..<3)
      #expect(index.lineRange(1, in: bytes) == 5..<8)
      #expect(index.lineIndex(of: 6) == 1)
    }
  }
}

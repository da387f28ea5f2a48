import VigilModel

/// Turns byte offsets into lines and columns: the one place vigil does this.
///
/// Lines end at LF, CRLF or a lone CR. Columns count Unicode code points from the line
/// start, 1-based; a byte that is not valid UTF-8 counts as one code point, so a column
/// is always defined. Built lazily per file, only when a file has findings, by one scan
/// for line ends.
public struct LineIndex: Sendable {
  /// Byte offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]
  /// The file size in bytes.
  public let count: Int

  public init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var starts = [0]
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A {
        starts.append(index + 1)
      } else if byte == 0x0D {
        if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
        starts.append(index + 1)
      }
      index += 1
    }
    self.lineStarts = starts
    self.count = bytes.count
  }

  /// The 0-based index of the line holding byte `offset`.
  public func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }

  /// 1-based line and column of byte `offset` (which may equal the file size) in
  /// `bytes`, the buffer this index was built from.
  public func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
    let line = lineIndex(of: offset)
    var column = 1
    var index = lineStarts[line]
    while index < offset && index < bytes.count {
      if bytes[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    return TextPosition(line: line + 1, column: column)
  }

  /// The byte range of line `line` (0-based) in `bytes`, without its terminator.
  public func lineRange(_ line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
    let start = lineStarts[line]
    var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : count
    while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
    return start..<end
  }
}

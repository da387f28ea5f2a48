import CByteRuns

/// The text inside a binary file, where its secrets are looked for: its runs of at
/// least `minimumRun` text bytes (printable ASCII, tab, CR and LF), then its runs of as
/// many UTF-16LE characters of text, each followed by a line feed, and where each run
/// starts in the file, so that a match in the text maps back to the file. A NUL byte must not hide a `.env` or a script (git calls such a file
/// binary, and shells still run it), and a secret compiled into a program is as leaked.
struct BinaryText {
  static let minimumRun = 8
  private(set) var text: [UInt8] = []
  /// Where each run starts, in `text` and in the file, and how many bytes of the file
  /// a byte of the text stands for (2 in a UTF-16 run).
  private var runs: [(text: Int, file: Int, stride: Int)] = []

  /// - Parameters:
  ///   - utf16Runs: whether to look for UTF-16LE runs (not in a file read as UTF-16 too,
  ///     whose text they would give a second time).
  ///   - textRuns: whether to look for runs of ASCII text (not in a file read as text
  ///     too).
  init(_ bytes: UnsafeBufferPointer<UInt8>, utf16Runs: Bool = true, textRuns: Bool = true) {
    guard let base = bytes.baseAddress else { return }
    var offset = textRuns ? 0 : bytes.count
    while offset < bytes.count {
      var length = 0
      let start = offset + vigil_text_next_run(base + offset, bytes.count - offset, Self.minimumRun, &length)
      guard start < bytes.count else { break }
      runs.append((text.count, start, 1))
      text += bytes[start..<start + length]
      text.append(0x0A)
      offset = start + length
    }
    // Then the runs of UTF-16LE text (a C# string literal in a .NET assembly), as their
    // characters.
    offset = utf16Runs ? 0 : bytes.count
    while offset < bytes.count {
      var length = 0
      let start =
        offset + vigil_utf16le_next_run(base + offset, bytes.count - offset, Self.minimumRun, &length)
      guard start < bytes.count else { break }
      runs.append((text.count, start, 2))
      text += stride(from: start, to: start + length, by: 2).map { bytes[$0] }
      text.append(0x0A)
      offset = start + length
    }
  }

  /// Whether `bytes` are text with a few NUL or control bytes in it (at most one in 20,
  /// or 16), not a program or an image (whose bytes are one in eight control bytes):
  /// UTF-8 counts as text.
  static func isMostlyText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let allowed = max(bytes.count / 20, 16)
    return vigil_count_control(base, bytes.count, allowed) <= allowed
  }

  /// Whether `range` of `text` lies within one run: a match across the line feed
  /// between two runs would join strings that are not next to each other in the file.
  func isWithinOneRun(_ range: Range<Int>) -> Bool {
    let run = index(of: range.lowerBound)
    let end = run + 1 < runs.count ? runs[run + 1].text - 1 : text.count - 1
    return range.upperBound <= end || range.isEmpty
  }

  private func index(of offset: Int) -> Int {
    var low = 0
    var high = runs.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if runs[middle].text <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }

  /// Whether the run that holds `offset` of `text` is UTF-16 (two bytes of the file a
  /// character).
  func isUTF16(at offset: Int) -> Bool {
    let run = index(of: offset)
    return runs.indices.contains(run) && runs[run].stride == 2
  }

  /// The file offset of `offset` in `text` (the line feed after a run maps to the byte
  /// after it in the file).
  func fileOffset(_ offset: Int) -> Int {
    let run = index(of: offset)
    guard runs.indices.contains(run) else { return offset }
    return runs[run].file + (offset - runs[run].text) * runs[run].stride
  }

  /// The bytes of the file that `range` of `text` covers.
  func fileRange(_ range: Range<Int>) -> Range<Int> {
    let start = fileOffset(range.lowerBound)
    guard !range.isEmpty else { return start..<start }
    let run = index(of: range.upperBound - 1)
    return
      start..<max(
        start, fileOffset(range.upperBound - 1) + (runs.indices.contains(run) ? runs[run].stride : 1))
  }
}

import CByteRuns
import VigilModel

/// The text inside a binary file, where its secrets are looked for: its runs of at
/// least `minimumRun` text bytes (printable ASCII, tab, CR and LF), then its runs of as
/// many UTF-16LE characters of text, each followed by a line feed, and where each run
/// starts in the file, so that a match in the text maps back to the file. A NUL byte must not hide a `.env` or a script (git calls such a file
/// binary, and shells still run it), and a secret compiled into a program is as leaked.
struct BinaryText {
  static let minimumRun = 8
  private(set) var text: [UInt8] = []
  /// Where each run starts, in `text` and in the file, and how many bytes of the file
  /// a byte of the text stands for (2 in a UTF-16 run, 4 in a UTF-32 one).
  private var runs: [(text: Int, file: Int, stride: Int)] = []

  /// - Parameter textRuns: whether to look for runs of ASCII text (not in a file read as
  ///   text too).
  init(_ bytes: UnsafeBufferPointer<UInt8>, textRuns: Bool = true) {
    guard let base = bytes.baseAddress else { return }
    // The parts of the file between an image's compressed pixel data (all of it for
    // anything else).
    var parts: [Range<Int>] = []
    var from = 0
    for skipped in ImageData.compressedRanges(in: bytes) {
      if skipped.lowerBound > from { parts.append(from..<skipped.lowerBound) }
      from = skipped.upperBound
    }
    if from < bytes.count { parts.append(from..<bytes.count) }
    for part in parts where textRuns {
      var offset = part.lowerBound
      while offset < part.upperBound {
        var length = 0
        let start =
          offset + vigil_text_next_run(base + offset, part.upperBound - offset, Self.minimumRun, &length)
        guard start < part.upperBound else { break }
        runs.append((text.count, start, 1))
        text += bytes[start..<start + length]
        text.append(0x0A)
        offset = start + length
      }
    }
    // Then the runs of UTF-16LE text (a C# string literal in a .NET assembly) and of
    // UTF-32LE text, as their characters.
    for width in [2, 4] {
      for part in parts {
        var offset = part.lowerBound
        while offset < part.upperBound {
          var length = 0
          let rest = part.upperBound - offset
          let start = offset + vigil_wide_next_run(base + offset, rest, Self.minimumRun, width, &length)
          guard start < part.upperBound else { break }
          runs.append((text.count, start, width))
          text += stride(from: start, to: start + length, by: width).map { bytes[$0] }
          text.append(0x0A)
          offset = start + length
        }
      }
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

  /// The encoding of the run that holds `offset` of `text`: UTF-16 or UTF-32 (two or
  /// four bytes of the file a character), nil for ASCII.
  func encoding(at offset: Int) -> ContentEncoding? {
    let run = index(of: offset)
    guard runs.indices.contains(run) else { return nil }
    switch runs[run].stride {
    case 2: return .utf16
    case 4: return .utf32
    default: return nil
    }
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

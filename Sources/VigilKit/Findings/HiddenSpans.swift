/// What redaction hides in a file's snippets: the secrets found, and every other place
/// their text appears.
///
/// A secret usually appears more than once (`token = "…"` and later `echo …`), and only
/// the occurrence the rule's regex matched is a finding; masking by range alone would
/// print the others in clear next to the masked one.
struct HiddenSpans {
  private var ranges: [Range<Int>] = []
  /// The distinct secret texts, long enough that masking them elsewhere hides a secret
  /// rather than common words.
  private var texts: [[UInt8]] = []
  static let minimumTextLength = 6

  init() {}

  init(secrets: [Range<Int>], in bytes: UnsafeBufferPointer<UInt8>) {
    ranges = secrets.sorted { $0.lowerBound < $1.lowerBound }
    texts = Array(Set(secrets.filter { $0.count >= Self.minimumTextLength }.map { Array(bytes[$0]) }))
  }

  /// The spans to mask that overlap `window`, sorted and merged so that none overlap:
  /// the found secrets and the other occurrences of their text in `line`.
  func spans(overlapping window: Range<Int>, within line: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> [Range<Int>]
  {
    var found = ranges.filter { $0.overlaps(window) }
    for text in texts {
      // An occurrence that straddles an edge of the window still shows its part inside.
      let lower = max(line.lowerBound, window.lowerBound - text.count + 1)
      let upper = min(line.upperBound, window.upperBound + text.count - 1)
      var start = lower
      while start + text.count <= upper {
        if bytes[start] == text[0] && bytes[start..<(start + text.count)].elementsEqual(text) {
          found.append(start..<(start + text.count))
        }
        start += 1
      }
    }
    found.sort { $0.lowerBound < $1.lowerBound }
    var merged: [Range<Int>] = []
    for span in found where !span.isEmpty {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    return merged
  }
}

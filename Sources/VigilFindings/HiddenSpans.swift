/// What redaction hides in a file's snippets: the secrets found, and every other place
/// their text appears.
///
/// A secret usually appears more than once (`token = "…"` and later `echo …`), and only
/// the occurrence the rule's regex matched is a finding; masking by range alone would
/// print the others in clear next to the masked one.
///
/// The other occurrences are found by the first six bytes of each secret, then a binary
/// search among the secrets sorted, so that a file with thousands of findings costs a
/// lookup per shown byte, not a search per secret (thousands of Stripe keys share their
/// first bytes: one bucket of them cost each shown byte a comparison with every one).
struct HiddenSpans {
  /// Sorted by start.
  private var ranges: [Range<Int>] = []
  private var longestRange = 0
  /// The distinct secret texts, sorted, and their first `minimumTextLength` bytes. Shorter
  /// secrets are masked where found only: masking them everywhere would hide common words.
  private var texts: [[UInt8]] = []
  private var keys: Set<UInt64> = []
  private var longestText = 0
  static let minimumTextLength = 6

  init() {}

  init(secrets: [Range<Int>], in bytes: UnsafeBufferPointer<UInt8>) {
    ranges = secrets.sorted { $0.lowerBound < $1.lowerBound }
    longestRange = ranges.map(\.count).max() ?? 0
    texts = Set(secrets.filter { $0.count >= Self.minimumTextLength }.map { Array(bytes[$0]) }).sorted {
      $0.lexicographicallyPrecedes($1)
    }
    keys = Set(texts.map { Self.key($0[...]) })
    longestText = texts.map(\.count).max() ?? 0
  }

  /// The longest secret text that `bytes[start..<end]` starts with, if any: byte by byte,
  /// the range of sorted texts that share the bytes so far narrowed by two binary
  /// searches on the next byte (texts sharing a beginning are next to each other, and a
  /// text that is that whole beginning comes first), so that a position costs the length
  /// of what matches times a logarithm, whatever the texts share.
  private func longestText(startingAt start: Int, before end: Int, in bytes: UnsafeBufferPointer<UInt8>)
    -> Int?
  {
    var low = 0
    var high = texts.count
    var depth = 0
    var longest: Int?
    while low < high {
      if texts[low].count == depth {
        longest = depth
        low += 1
        if low == high { break }
      }
      guard start + depth < end else { break }
      let byte = bytes[start + depth]
      // The first text in the range whose byte at `depth` is at least `byte`, then past `byte`.
      var first = low
      var last = high
      while first < last {
        let middle = (first + last) / 2
        if texts[middle][depth] < byte { first = middle + 1 } else { last = middle }
      }
      var past = first
      last = high
      while past < last {
        let middle = (past + last) / 2
        if texts[middle][depth] <= byte { past = middle + 1 } else { last = middle }
      }
      low = first
      high = past
      depth += 1
    }
    return longest
  }

  /// The spans to mask that overlap `window`, sorted and merged so that none overlap:
  /// the found secrets and the other occurrences of their text in `line`.
  func spans(overlapping window: Range<Int>, within line: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> [Range<Int>]
  {
    var found = foundRanges(overlapping: window)
    if !texts.isEmpty {
      // An occurrence that straddles an edge of the window still shows its part inside.
      let lower = max(line.lowerBound, window.lowerBound - longestText + 1)
      let upper = min(line.upperBound, window.upperBound + longestText - 1)
      var start = lower
      while start + Self.minimumTextLength <= upper {
        if keys.contains(Self.key(bytes[start..<(start + Self.minimumTextLength)])),
          let length = longestText(startingAt: start, before: upper, in: bytes)
        {
          let occurrence = start..<(start + length)
          if occurrence.overlaps(window) { found.append(occurrence) }
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

  /// The found secrets that overlap `window`: a binary search for the first that starts
  /// past it, then back over those that start close enough to reach into it.
  private func foundRanges(overlapping window: Range<Int>) -> [Range<Int>] {
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].lowerBound < window.upperBound { low = middle + 1 } else { high = middle }
    }
    var found: [Range<Int>] = []
    var index = low - 1
    while index >= 0 && ranges[index].lowerBound + longestRange > window.lowerBound {
      if ranges[index].overlaps(window) { found.append(ranges[index]) }
      index -= 1
    }
    return found
  }

  /// The first `minimumTextLength` bytes, packed.
  private static func key<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
    bytes.prefix(minimumTextLength).reduce(0) { $0 << 8 | UInt64($1) }
  }
}

/// What redaction hides in a file's snippets: the secrets found, and every other place
/// their text appears.
///
/// A secret usually appears more than once (`token = "…"` and later `echo …`), and only
/// the occurrence the rule's regex matched is a finding; masking by range alone would
/// print the others in clear next to the masked one.
///
/// The other occurrences are found by one pass of an Aho–Corasick automaton over the
/// secrets' texts along each line that a snippet shows, once per line: time linear in
/// the line whatever the secrets share (thousands of Stripe keys share their first
/// bytes), however long and repetitive one is (`-pA0A0A0…`: a search from each
/// position costs the secret's length at each) and however many findings the line holds.
struct HiddenSpans {
  /// Sorted by start.
  private var ranges: [Range<Int>] = []
  private var longestRange = 0
  /// The distinct secret texts of at least `minimumTextLength` bytes, shortest first
  /// while they add up to at most `maximumTextBytes`. Shorter secrets are masked where
  /// found only: masking them everywhere would hide common words. So are texts past the
  /// bound: encoded runs secrets were decoded from, which may be megabytes (the automaton
  /// costs tens of bytes for each of a text's; a 14 MB run cost 780 MB).
  private var texts: SecretTexts?
  /// The occurrences in each line asked about, merged (a class: the builder asks for
  /// each finding's snippet in turn, and a line's are found once).
  private let lines = LineOccurrences()
  static let minimumTextLength = 6
  static let maximumTextBytes = 2 << 20

  init() {}

  /// - Parameter decoded: secrets found decoded (their text in the file is the encoded
  ///   one): masked wherever their plain text is too (`abc/def` on the line that holds
  ///   `abc\/def`, or on another).
  init(secrets: [Range<Int>], decoded: [[UInt8]] = [], in bytes: UnsafeBufferPointer<UInt8>) {
    ranges = secrets.sorted { $0.lowerBound < $1.lowerBound }
    longestRange = ranges.map(\.count).max() ?? 0
    texts = SecretTexts(bounded: Set(secrets.map { Array(bytes[$0]) } + decoded))
  }

  /// The spans to mask that overlap `window`, sorted and merged so that none overlap:
  /// the found secrets that do, and the merged occurrences of their text in `line` that do.
  func spans(overlapping window: Range<Int>, within line: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> [Range<Int>]
  {
    var found = foundRanges(overlapping: window)
    if let texts {
      let occurrences = lines.occurrences(in: line) { texts.mergedOccurrences(in: line, of: bytes) }
      // The first that ends inside the window or past it; then those that start before its end.
      var low = 0
      var high = occurrences.count
      while low < high {
        let middle = (low + high) / 2
        if occurrences[middle].upperBound <= window.lowerBound { low = middle + 1 } else { high = middle }
      }
      while low < occurrences.count && occurrences[low].lowerBound < window.upperBound {
        found.append(occurrences[low])
        low += 1
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
}

/// The merged occurrences of each line asked about, by the line's start.
private final class LineOccurrences {
  private var known: [Int: (end: Int, occurrences: [Range<Int>])] = [:]

  func occurrences(in line: Range<Int>, finding: () -> [Range<Int>]) -> [Range<Int>] {
    if let cached = known[line.lowerBound], cached.end == line.upperBound { return cached.occurrences }
    let found = finding()
    known[line.lowerBound] = (line.upperBound, found)
    return found
  }
}

/// An Aho–Corasick automaton over a set of byte strings: a trie whose nodes are numbered
/// breadth first (a node's children are numbered in a row, in byte order), each with the
/// node of its longest proper suffix in the trie and the length of the longest string
/// that ends there.
struct SecretTexts {
  private var label: [UInt8] = [0]
  private var firstChild: [Int32] = []
  private var childCount: [Int32] = []
  private var suffix: [Int32] = [0]
  private var longestEnding: [Int32] = [0]

  /// The automaton over the texts of `candidates` of at least
  /// `HiddenSpans.minimumTextLength` bytes, shortest first while they add up to at most
  /// `HiddenSpans.maximumTextBytes`; nil when none is kept.
  init?(bounded candidates: Set<[UInt8]>) {
    var spent = 0
    let kept = candidates.filter { $0.count >= HiddenSpans.minimumTextLength }
      .sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
      .prefix {
        spent += $0.count
        return spent <= HiddenSpans.maximumTextBytes
      }
    guard !kept.isEmpty else { return nil }
    self.init(kept.sorted { $0.lexicographicallyPrecedes($1) })
  }

  /// Calls `body` with automata over all of `candidates` of at least
  /// `HiddenSpans.minimumTextLength` bytes, each over at most
  /// `HiddenSpans.maximumTextBytes` of them (one held at a time: the memory of one).
  static func forEachAutomaton(over candidates: Set<[UInt8]>, _ body: (SecretTexts) -> Void) {
    var batch: [[UInt8]] = []
    var bytes = 0
    for text in candidates where text.count >= HiddenSpans.minimumTextLength {
      if bytes + text.count > HiddenSpans.maximumTextBytes, !batch.isEmpty {
        body(SecretTexts(batch.sorted { $0.lexicographicallyPrecedes($1) }))
        batch.removeAll(keepingCapacity: true)
        bytes = 0
      }
      batch.append(text)
      bytes += text.count
    }
    if !batch.isEmpty { body(SecretTexts(batch.sorted { $0.lexicographicallyPrecedes($1) })) }
  }

  /// - Parameter texts: distinct and sorted.
  init(_ texts: [[UInt8]]) {
    // Each node is a run of the sorted texts sharing its first `depth` bytes.
    var runs: [(low: Int, high: Int, depth: Int)] = [(0, texts.count, 0)]
    var parent: [Int32] = [0]
    var node = 0
    while node < runs.count {
      let (low, high, depth) = runs[node]
      var index = low
      // A text that is the whole run's beginning sorts first.
      if index < high && texts[index].count == depth {
        longestEnding[node] = Int32(depth)
        index += 1
      }
      firstChild.append(Int32(runs.count))
      var children: Int32 = 0
      while index < high {
        let byte = texts[index][depth]
        var end = index + 1
        while end < high && texts[end][depth] == byte { end += 1 }
        runs.append((index, end, depth + 1))
        label.append(byte)
        parent.append(Int32(node))
        suffix.append(0)
        longestEnding.append(0)
        children += 1
        index = end
      }
      childCount.append(children)
      node += 1
    }
    // Breadth first, a node's suffix is known before its children's.
    for node in 1..<runs.count {
      let up = Int(parent[node])
      if up != 0 { suffix[node] = Int32(next(from: Int(suffix[up]), label[node])) }
      if longestEnding[node] == 0 { longestEnding[node] = longestEnding[Int(suffix[node])] }
    }
  }

  private func child(of node: Int, _ byte: UInt8) -> Int? {
    var low = Int(firstChild[node])
    var high = low + Int(childCount[node])
    while low < high {
      let middle = (low + high) / 2
      if label[middle] < byte { low = middle + 1 } else { high = middle }
    }
    return low < Int(firstChild[node]) + Int(childCount[node]) && label[low] == byte ? low : nil
  }

  /// The state after `byte` from `node`.
  private func next(from node: Int, _ byte: UInt8) -> Int {
    var node = node
    while true {
      if let child = child(of: node, byte) { return child }
      if node == 0 { return 0 }
      node = Int(suffix[node])
    }
  }

  /// Every occurrence of a text in `range` of `bytes`, merged into sorted, disjoint spans.
  func mergedOccurrences(in range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    var state = 0
    for index in range {
      state = next(from: state, bytes[index])
      let length = Int(longestEnding[state])
      guard length > 0 else { continue }
      // The longest text ending here holds every shorter one that does.
      var start = index + 1 - length
      while let last = merged.last, start <= last.upperBound {
        start = min(start, last.lowerBound)
        merged.removeLast()
      }
      merged.append(start..<(index + 1))
    }
    return merged
  }
}

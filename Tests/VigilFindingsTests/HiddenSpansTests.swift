import Testing
import VigilTestSupport

@testable import VigilFindings

@Suite struct HiddenSpansTests {
  /// What a search for each text at each position gives: every occurrence of a secret's
  /// text in the line, merged, those merged spans that overlap the window, and the found
  /// secrets that do, merged.
  private func naive(
    _ secrets: [Range<Int>], _ bytes: [UInt8], window: Range<Int>, line: Range<Int>
  ) -> [Range<Int>] {
    var occurrences: [Range<Int>] = []
    let texts = Set(secrets.filter { $0.count >= HiddenSpans.minimumTextLength }.map { Array(bytes[$0]) })
    for text in texts {
      var start = line.lowerBound
      while start + text.count <= line.upperBound {
        let occurrence = start..<(start + text.count)
        if Array(bytes[occurrence]) == text { occurrences.append(occurrence) }
        start += 1
      }
    }
    return merge(secrets.filter { $0.overlaps(window) } + merge(occurrences).filter { $0.overlaps(window) })
  }

  private func merge(_ spans: [Range<Int>]) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    return merged
  }

  /// Secrets sharing long beginnings (as thousands of Stripe keys do), each a prefix of
  /// another, repeated around the file: the spans are those of a search for every text.
  @Test(arguments: 0..<60) func spansAreEveryOccurrenceOfEverySecret(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    let alphabet = Array("ab_k".utf8)
    func word(_ length: Int) -> [UInt8] { (0..<length).map { _ in alphabet.randomElement(using: &random)! } }
    // Words sharing a beginning, some a prefix of others, with random bytes between.
    let stem = word(6)
    let words = (0..<5).map { _ in stem + word(Int.random(in: 0...5, using: &random)) }
    var bytes: [UInt8] = []
    var placed: [Range<Int>] = []
    while bytes.count < 380 {
      bytes += word(Int.random(in: 0...6, using: &random))
      let chosen = words.randomElement(using: &random)!
      placed.append(bytes.count..<(bytes.count + chosen.count))
      bytes += chosen
    }
    let secrets = (0..<Int.random(in: 0...8, using: &random)).map { _ in
      let range = placed.randomElement(using: &random)!
      // Sometimes a found secret is only part of a word.
      return range.lowerBound..<(range.upperBound - Int.random(in: 0...2, using: &random))
    }
    let hidden = bytes.withUnsafeBufferPointer { HiddenSpans(secrets: secrets, in: $0) }
    for _ in 0..<20 {
      let lineStart = Int.random(in: 0..<300, using: &random)
      let line = lineStart..<Int.random(in: (lineStart + 1)...bytes.count, using: &random)
      let windowStart = Int.random(in: line, using: &random)
      let window = windowStart..<Int.random(in: (windowStart + 1)...line.upperBound, using: &random)
      let spans = bytes.withUnsafeBufferPointer { hidden.spans(overlapping: window, within: line, in: $0) }
      #expect(spans == naive(secrets, bytes, window: window, line: line), "seed \(seed) \(window) \(line)")
    }
  }

  /// A text that ends inside a longer one's partial occurrence (found only through the
  /// automaton's suffix links), a repetitive text overlapping itself, and texts that
  /// overlap each other: the spans a search for each text gives.
  @Test func textsInsideAndAcrossEachOtherAreAllFound() {
    let cases: [(String, [String])] = [
      ("abcdefgh + bcdefg | abcdefgz", ["abcdefgh", "bcdefg"]),
      ("A0A0A0A0A0 | xA0A0A0A0A0A0A0A0x", ["A0A0A0A0A0"]),
      ("abcdefghij cdefghijkl | abcdefghijkl", ["abcdefghij", "cdefghijkl"]),
    ]
    for (text, secretTexts) in cases {
      let bytes = Array(text.utf8)
      // The secrets as found: each text's first occurrence.
      let secrets = secretTexts.map { secret -> Range<Int> in
        let start =
          text.range(of: secret).map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) } ?? 0
        return start..<(start + secret.utf8.count)
      }
      let line = (text.utf8.distance(from: text.startIndex, to: text.firstIndex(of: "|")!) + 1)..<bytes.count
      let hidden = bytes.withUnsafeBufferPointer { HiddenSpans(secrets: secrets, in: $0) }
      for window in [line, (line.lowerBound + 3)..<(line.lowerBound + 5)] {
        let spans = bytes.withUnsafeBufferPointer { hidden.spans(overlapping: window, within: line, in: $0) }
        #expect(spans == naive(secrets, bytes, window: window, line: line), "\(text) \(window)")
        #expect(!spans.isEmpty, "\(text) \(window)")
      }
    }
  }
}

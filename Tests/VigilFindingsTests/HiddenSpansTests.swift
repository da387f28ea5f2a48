import Testing
import VigilTestSupport

@testable import VigilFindings

@Suite struct HiddenSpansTests {
  /// Every occurrence of a secret's text that overlaps the window, merged: what a search
  /// for each text at each position gives.
  private func naive(
    _ secrets: [Range<Int>], _ bytes: [UInt8], window: Range<Int>, line: Range<Int>
  ) -> [Range<Int>] {
    var found = secrets.filter { $0.overlaps(window) }
    let texts = Set(secrets.filter { $0.count >= HiddenSpans.minimumTextLength }.map { Array(bytes[$0]) })
    for text in texts {
      var start = line.lowerBound
      while start + text.count <= line.upperBound {
        let occurrence = start..<(start + text.count)
        if Array(bytes[occurrence]) == text && occurrence.overlaps(window) { found.append(occurrence) }
        start += 1
      }
    }
    var merged: [Range<Int>] = []
    for span in found.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
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
}

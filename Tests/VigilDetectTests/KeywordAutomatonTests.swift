import Testing
import VigilDetect
import VigilKit

@Suite struct KeywordAutomatonTests {
  private func hits(_ automaton: KeywordAutomaton, _ text: [UInt8]) -> [Int] {
    var found: [Int] = []
    text.withUnsafeBufferPointer { automaton.scan($0) { payload, _ in found.append(payload) } }
    return found
  }

  @Test func findsOverlappingKeywordsCaseInsensitively() {
    let automaton = KeywordAutomaton(keywords: [
      (Array("he".utf8), 0), (Array("she".utf8), 1), (Array("his".utf8), 2), (Array("hers".utf8), 3),
    ])
    #expect(hits(automaton, Array("uSHErs".utf8)) == [0, 1, 3])
    #expect(hits(automaton, Array("nothing".utf8)).isEmpty)
  }

  @Test func sharedKeywordsReportEveryPayload() {
    let automaton = KeywordAutomaton(keywords: [(Array("key".utf8), 4), (Array("key".utf8), 9)])
    #expect(hits(automaton, Array("KEY".utf8)).sorted() == [4, 9])
  }

  @Test func emptyKeywordsAndEmptyInput() {
    let automaton = KeywordAutomaton(keywords: [([], 0), (Array("a".utf8), 1)])
    #expect(hits(automaton, []).isEmpty)
    #expect(hits(automaton, Array("a".utf8)) == [1])
  }

  /// Property: on random keywords and text, the automaton reports exactly the
  /// (payload, end offset) pairs a naive search finds.
  @Test func agreesWithNaiveSearchOnRandomInput() {
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("abAB_-\u{7F}".utf8) + [0x00, 0xC3, 0xFF]
    for _ in 0..<300 {
      let keywords: [[UInt8]] = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
      }
      let text: [UInt8] = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
        alphabet.randomElement(using: &generator)!
      }
      let automaton = KeywordAutomaton(keywords: keywords.enumerated().map { ($1, $0) })
      var actual: [Int: Int] = [:]
      text.withUnsafeBufferPointer { automaton.scan($0) { payload, _ in actual[payload, default: 0] += 1 } }
      func fold(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
      var expected: [Int: Int] = [:]
      for (payload, keyword) in keywords.enumerated() where keyword.count <= text.count {
        for start in 0...(text.count - keyword.count)
        where zip(text[start...], keyword).allSatisfy({ fold($0) == fold($1) }) {
          expected[payload, default: 0] += 1
        }
      }
      #expect(actual == expected, "keywords \(keywords) text \(text)")
    }
  }
}

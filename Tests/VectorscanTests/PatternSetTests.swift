import Testing

@testable import Vectorscan

/// The keyword pass's matcher: every occurrence of every literal, with its id and end
/// offset, in order of that offset (ASCII case-insensitive when asked); and each
/// prefilter that matches, once.
@Suite struct PatternSetTests {
  /// Each occurrence as (end offset, literal), in the order reported.
  private func occurrences(_ literals: [String], in text: String, caseless: Bool = true) throws -> [(
    Int, String
  )] {
    let set = try #require(
      PatternSet(
        literals: literals.enumerated().map { (Array($1.utf8), UInt32($0), false) }, caseless: caseless))
    let scratch = try #require(set.makeScratch())
    var found: [(Int, String)] = []
    let bytes = Array(text.utf8)
    let ok = bytes.withUnsafeBufferPointer { buffer in
      set.scan(buffer, scratch: scratch) { id, end in found.append((end, literals[Int(id)])) }
    }
    #expect(ok)
    return found
  }

  private func sortedPairs(_ pairs: [(Int, String)]) -> [String] { pairs.map { "\($1)@\($0)" }.sorted() }

  /// Matches go over in batches of a few thousand: more than a batch holds are all
  /// reported, in order, the same through either way of receiving them.
  @Test func manyOccurrencesCrossBatches() throws {
    let text = String(repeating: "key ", count: 10_000)
    let found = try occurrences(["key"], in: text)
    #expect(found.count == 10_000)
    #expect(found.map(\.0) == (0..<10_000).map { $0 * 4 + 3 })
    let set = try #require(PatternSet(literals: [(Array("key".utf8), 7, false)], caseless: true))
    let scratch = try #require(set.makeScratch())
    var batches: [Int] = []
    var ends: [Int] = []
    let bytes = Array(text.utf8)
    let ok = bytes.withUnsafeBufferPointer { buffer in
      set.scan(buffer, scratch: scratch) { (hits: UnsafeBufferPointer<UInt64>) in
        batches.append(hits.count)
        for hit in hits where PatternSet.id(hit) == 7 { ends.append(PatternSet.end(hit)) }
      }
    }
    #expect(ok && batches.count > 1 && batches.reduce(0, +) == 10_000, "\(batches)")
    #expect(ends == found.map(\.0))
  }

  @Test func everyOccurrenceOfEveryLiteralWithItsEnd() throws {
    let found = try occurrences(["key", "token", "api_key"], in: "api_key = TOKEN; Key keykey")
    #expect(sortedPairs(found) == ["api_key@7", "key@20", "key@24", "key@27", "key@7", "token@15"])
    #expect(zip(found, found.dropFirst()).allSatisfy { $0.0 <= $1.0 }, "ends ascending: \(found)")
  }

  @Test func caseMattersOnlyWhenAsked() throws {
    #expect(sortedPairs(try occurrences(["AKIA"], in: "akia AKIA Akia", caseless: false)) == ["AKIA@9"])
    #expect(try occurrences(["AKIA"], in: "akia AKIA Akia").count == 3)
  }

  @Test func bytesOutsideASCIIAndLineBreaksAreLiteralBytes() throws {
    #expect(
      sortedPairs(try occurrences(["select\n", "ü=", "://"], in: "SELECT\nx ü= https://h")) == [
        "://@21", "select\n@7", "ü=@12",
      ])
  }

  /// A literal asking for its first occurrence only is reported once; another with the
  /// same bytes but every occurrence is reported every time.
  @Test func firstOnlyLiteralsAreReportedOnce() throws {
    let set = try #require(
      PatternSet(literals: [(Array("ab".utf8), 0, true), (Array("ab".utf8), 1, false)], caseless: true))
    let scratch = try #require(set.makeScratch())
    var found: [String] = []
    let bytes = Array("ab AB xab".utf8)
    _ = bytes.withUnsafeBufferPointer {
      set.scan($0, scratch: scratch) { id, end in found.append("\(id)@\(end)") }
    }
    #expect(found.sorted() == ["0@2", "1@2", "1@5", "1@9"])
  }

  @Test func emptyLiteralsAndBuffersAreHarmless() throws {
    #expect(PatternSet(literals: [([], 0, false)], caseless: true) == nil)
    #expect(try occurrences(["x"], in: "").isEmpty)
  }

  /// Against a plain search, on random text from a small alphabet where literals
  /// overlap and repeat.
  @Test func theSameOccurrencesAsAPlainSearch() throws {
    let literals = ["ab", "aba", "b", "BAB", "abab", "xa"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    for _ in 0..<200 {
      let text = String((0..<Int(next() % 64)).map { _ in Array("abAXx")[Int(next() % 5)] })
      var expected: [String] = []
      let lower = Array(text.lowercased().utf8)
      for literal in literals {
        let needle = Array(literal.lowercased().utf8)
        for start in 0..<max(0, lower.count - needle.count + 1)
        where Array(lower[start..<start + needle.count]) == needle {
          expected.append("\(literal)@\(start + needle.count)")
        }
      }
      #expect(sortedPairs(try occurrences(literals, in: text)) == expected.sorted(), "\(text)")
    }
  }

  /// What a scan reports, as "id@end" for literals and "id" for prefilters (ids 100 up).
  private func reports(_ set: PatternSet, _ text: String) throws -> [String] {
    let scratch = try #require(set.makeScratch())
    var found: [String] = []
    _ = Array(text.utf8).withUnsafeBufferPointer {
      set.scan($0, scratch: scratch) { id, end in found.append(id >= 100 ? "\(id)" : "\(id)@\(end)") }
    }
    return found.sorted()
  }

  /// A prefilter is reported once where its pattern matches, and not at all where it
  /// does not; the literals go on as before.
  @Test func aPrefilterIsReportedOnceWhereItsPatternMatches() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("key".utf8), 0, false)], caseless: true,
        prefilters: [(#"key\s*=\s*"[a-f0-9]{8}""#, 100), (#"(?i)token_[0-9]{4}"#, 101)]))
    #expect(set.prefilterIDs == [100, 101])
    #expect(try reports(set, #"key = "deadbeef"; KEY = "0badf00d""#) == ["0@21", "0@3", "100"])
    #expect(try reports(set, #"key = "not hex!"; TOKEN_1234"#) == ["0@3", "101"])
    #expect(try reports(set, "nothing here").isEmpty)
  }

  /// In prefilter mode Vectorscan stands in for what it cannot run (lookarounds,
  /// back-references) with something that matches more: a text the regex matches is
  /// never missed.
  @Test func aPrefilterMatchesWhereverTheRegexDoes() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("x".utf8), 0, true)], caseless: true,
        prefilters: [(#"(?<![a-z])(["'])sk_[a-z]{4}\1(?![a-z])"#, 100)]))
    #expect(set.prefilterIDs == [100])
    #expect(try reports(set, #"a = 'sk_abcd'"#) == ["100"])
    // The back-reference is not checked: more matches, never fewer.
    #expect(try reports(set, #"a = 'sk_abcd""#) == ["100"])
    #expect(try reports(set, "a = sk_ab").isEmpty)
  }

  /// A pattern Vectorscan does not compile even as a prefilter (a callout, `\G`) is
  /// left out; the rest of the set works.
  @Test func aPrefilterVectorscanRefusesIsLeftOut() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("key".utf8), 0, false)], caseless: true,
        prefilters: [(#"a(?C1)b"#, 100), ("token", 101), (#"a\Gb"#, 102)]))
    #expect(set.prefilterIDs == [101])
    #expect(try reports(set, "key token ab") == ["0@3", "101"])
  }

  /// A branch reset and `\K`, which Vectorscan does not parse, go in as a plain group and
  /// as nothing: the same texts match.
  @Test func branchResetAndMatchStartResetAreWrittenPlainly() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("x".utf8), 0, true)], caseless: true,
        prefilters: [(#"(?|(a)|(b))c"#, 100), (#"key=\K\d{4}"#, 101)]))
    #expect(set.prefilterIDs == [100, 101])
    #expect(try reports(set, "bc key=1234") == ["100", "101"])
    #expect(try reports(set, "cc key=12").isEmpty)
  }

  /// A branch reset gives its branches' groups the same numbers; once it is a plain
  /// group they differ, so a back-reference is left unchecked rather than pointed at the
  /// wrong group: text the regex matches still passes.
  @Test func backReferencesInABranchResetPatternAreNotMisread() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("x".utf8), 0, true)], caseless: true,
        prefilters: [(#"(?|(\d)|([a-z]))=\1"#, 100), (#"(?|a(["'])|b(`))x\g{1}"#, 101)]))
    #expect(set.prefilterIDs == [100, 101])
    #expect(try reports(set, "q=q") == ["100"])
    #expect(try reports(set, "b`x`") == ["0@3", "101"])
    #expect(try reports(set, "Q").isEmpty)
  }

  /// Only the constructs themselves are rewritten: not an escaped `\\K`, not `(?|` in a
  /// class, a `\Q…\E` quote or a comment.
  @Test func thePlainFormLeavesClassesQuotesAndCommentsAlone() {
    #expect(PatternSet.prefilterForm(of: #"(?|a|b)\Kc"#) == #"(?:a|b)c"#)
    #expect(PatternSet.prefilterForm(of: #"\\K[(?|\K]"#) == #"\\K[(?|\K]"#)
    #expect(PatternSet.prefilterForm(of: #"[]\K(?|][^](?|]"#) == #"[]\K(?|][^](?|]"#)
    #expect(PatternSet.prefilterForm(of: #"[[:alpha:](?|]x\K"#) == #"[[:alpha:](?|]x"#)
    #expect(PatternSet.prefilterForm(of: #"\Q(?|\K\E(?|"#) == #"\Q(?|\K\E(?:"#)
    #expect(PatternSet.prefilterForm(of: "(?x) a # note \\K\n(?:b)\\K") == "(?x) a # note \\K\n(?:b)")
    #expect(PatternSet.prefilterForm(of: "(?x) a # (?| \\K\n(?|b)") == "(?x) a # (?| \\K\n(?|b)")
    #expect(PatternSet.prefilterForm(of: "# [\n(?|]") == "# [\n(?|]")
    #expect(PatternSet.prefilterForm(of: "a#\\Q\n(?|x)\\E") == "a#\\Q\n(?|x)\\E")
    #expect(PatternSet.prefilterForm(of: #"[\c](?|]\c\Kx"#) == #"[\c](?|]\c\Kx"#)
    #expect(
      PatternSet.prefilterForm(of: #"(?|(a)|(b))\1\g2\g{-1}[\1]\1{2}"#)
        == #"(?:(a)|(b))(?:[\s\S]*)(?:[\s\S]*)(?:[\s\S]*)[\1](?:[\s\S]*){2}"#)
    // Where renumbering cannot be followed (a `#` line, a named reference), left whole.
    for pattern in [#"(?|(a)|(b))#(x)(y)\3"#, #"(?|(?<n>a)|(bb))=\k<n>"#, #"(?|(?P<n>a)|(b))(?P=n)"#] {
      #expect(PatternSet.prefilterForm(of: pattern) == pattern)
    }
    #expect(PatternSet.prefilterForm(of: #"(a)\1\Kb"#) == #"(a)\1b"#)
  }

  /// A set saved as bytes loads back and finds the same; bytes cut short, or not a set,
  /// load nothing.
  @Test func aSerializedSetLoadsBackAndFindsTheSame() throws {
    let set = try #require(
      PatternSet(
        literals: [(Array("key".utf8), 0, false)], caseless: true,
        prefilters: [(#"key\s*=\s*"[a-f0-9]{8}""#, 100), (#"a\Gb"#, 101)]))
    let bytes = try #require(set.serialized())
    let loaded = try #require(PatternSet(serialized: bytes))
    #expect(loaded.prefilterIDs == [100])
    let text = #"key = "deadbeef"; KEY = "x""#
    #expect(try reports(loaded, text) == reports(set, text))
    #expect(PatternSet(serialized: Array(bytes.prefix(bytes.count / 2))) == nil)
    #expect(PatternSet(serialized: Array(bytes.prefix(3))) == nil)
    #expect(PatternSet(serialized: [0, 0, 0, 0] + Array(repeating: 7, count: 64)) == nil)
  }
}

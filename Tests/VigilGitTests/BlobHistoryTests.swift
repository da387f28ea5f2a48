import Testing
import VigilTestSupport

@testable import VigilGit

@Suite struct BlobHistoryTests {
  private func lines(_ text: String) -> [UInt8] { Array(text.utf8) }

  private func added(_ new: String, since old: String) -> (text: String, numbers: [Int]?) {
    let (bytes, numbers, _) = BlobHistory.newLines(of: lines(new), since: .text(lines(old)))
    return (String(decoding: bytes, as: UTF8.self), numbers)
  }

  @Test func aChangedLineInTheMiddleIsTheOnlyNewOne() {
    let result = added("a\nb\nX\nd\ne\n", since: "a\nb\nc\nd\ne\n")
    #expect(result.text == "X\n")
    #expect(result.numbers == [3])
  }

  @Test func linesAddedAtEitherEndOrToAFileWithoutAFinalNewline() {
    #expect(added("new\na\nb\n", since: "a\nb\n").text == "new\n")
    #expect(added("a\nb\nnew\n", since: "a\nb\n").numbers == [3])
    #expect(added("a\nbc", since: "a\nb").text == "bc\n")
    // The common end starts a line in the new version but not in the old one.
    #expect(added("bc\n", since: "abc\n").text == "bc\n")
    #expect(added("x\nbc\n", since: "abc\n").text == "x\nbc\n")
    // A version that is a prefix of the other.
    #expect(added("a\nb\n", since: "a\nb\nc\n").text == "")
    #expect(added("a\nb\nc\n", since: "a\nb\n").text == "c\n")
  }

  private func context(_ text: String, added: [Int], lines context: Int) -> (text: String, numbers: [Int]) {
    let bytes = lines(text)
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A && offset + 1 < bytes.count {
      starts.append(offset + 1)
    }
    let (read, numbers) = BlobHistory.lines(
      added, startingAt: added.map { starts[$0 - 1] }, of: bytes, context: context)
    return (String(decoding: read, as: UTF8.self), numbers)
  }

  @Test func addedLinesAreReadWithTheirContextAndThePEMBlockTheyFallIn() {
    let text = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"
    #expect(context(text, added: [5], lines: 0).text == "line 5\n")
    #expect(context(text, added: [5], lines: 2).numbers == [3, 4, 5, 6, 7])
    // Overlapping context is read once; the ends of the text bound it.
    #expect(context(text, added: [1, 3, 12], lines: 1).numbers == [1, 2, 3, 4, 11, 12])
    #expect(context("a\nb", added: [2], lines: 3) == ("a\nb\n", [1, 2]))

    let body = String(repeating: "QUJD", count: 16)
    let key = [
      "x = 1", "-----BEGIN PRIVATE KEY-----", body, body, "-----END PRIVATE KEY-----", "y = 2", "z = 3",
    ]
    let keyText = key.joined(separator: "\n") + "\n"
    // A body line added to an old block: the whole block.
    #expect(context(keyText, added: [3], lines: 0).numbers == [2, 3, 4, 5])
    #expect(context(keyText, added: [3], lines: 2).numbers == [1, 2, 3, 4, 5])
    // A line after the block, or one that does not look like part of it: no block.
    #expect(context(keyText, added: [7], lines: 0).numbers == [7])
    #expect(context(keyText, added: [6], lines: 1).numbers == [5, 6, 7])
    // A stray BEGIN far above pairs with nothing: the END closes the nearest BEGIN.
    let decoy = ["if line.startswith(\"-----BEGIN \"):"] + Array(repeating: "x = 1", count: 500) + key
    let decoyText = decoy.joined(separator: "\n") + "\n"
    #expect(context(decoyText, added: [504], lines: 0).numbers == Array(503...506))
    // Body lines of 32 hex digits (an OpenVPN static key) are read as a block's too.
    let hex = String(repeating: "0f1e2d3c", count: 4)
    let vpn =
      ["-----BEGIN OpenVPN Static key V1-----"] + Array(repeating: hex, count: 16)
      + ["-----END OpenVPN Static key V1-----"]
    #expect(context(vpn.joined(separator: "\n"), added: [9], lines: 3).numbers == Array(1...18))
  }

  @Test func aLineMovedWithinTheChangedSpanIsNotNew() {
    #expect(added("a\nd\nc\nb\ne\n", since: "a\nb\nc\nd\ne\n").text == "")
  }

  /// Against random pairs of versions drawn from a small pool of lines: what is
  /// reported are lines of the new version at their numbers, every line the old
  /// version lacks among them; against the old version's line hashes alone, exactly
  /// the lines it lacks.
  @Test func newLinesMatchAPlainComparison() {
    var random = SeededGenerator(seed: 7)
    let pool = ["alpha", "beta", "gamma", "delta", "token = x", "", "  indented"]
    for _ in 0..<500 {
      let old = (0..<Int.random(in: 0...12, using: &random)).map { _ in pool.randomElement(using: &random)! }
      var new = old
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        if !new.isEmpty && Bool.random(using: &random) {
          new.remove(at: Int.random(in: 0..<new.count, using: &random))
        }
        new.insert(
          pool.randomElement(using: &random)! + "!", at: Int.random(in: 0...new.count, using: &random))
      }
      let oldText = Array(old.map { $0 + "\n" }.joined().utf8)
      let newText = Array(new.map { $0 + "\n" }.joined().utf8)
      let (bytes, numbers, _) = BlobHistory.newLines(of: newText, since: .text(oldText))
      let reported = String(decoding: bytes, as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: false
      )
      .dropLast().map(String.init)
      #expect(reported == (numbers ?? []).map { new[$0 - 1] })
      // Every line the old version lacks altogether is reported.
      for (index, line) in new.enumerated() where !old.contains(line) {
        #expect(numbers?.contains(index + 1) == true, "\(old) -> \(new)")
      }

      var set = LineSet()
      BlobHistory.forEachLine(in: oldText, from: 0, to: oldText.count) { set.insert(LineSet.hash($0)) }
      let (hashed, hashedNumbers, _) = BlobHistory.newLines(of: newText, since: .lines(set))
      let expected = new.enumerated().filter { !old.contains($0.element) }
      #expect(hashedNumbers == expected.map { $0.offset + 1 })
      #expect(String(decoding: hashed, as: UTF8.self) == expected.map { $0.element + "\n" }.joined())
    }
  }

  @Test func lineHashesTellApartLinesThatDifferOnlyInLengthOrOneByte() {
    func hash(_ text: [UInt8]) -> UInt64 { text.withUnsafeBytes { LineSet.hash($0) } }
    #expect(hash(Array("a".utf8)) != hash(Array("a".utf8) + [0]))
    #expect(hash([]) != hash([0]))
    let long = Array("password = \"0123456789abcdefghij\"".utf8)
    for index in long.indices {
      var other = long
      other[index] ^= 1
      #expect(hash(other) != hash(long))
    }
    var set = LineSet()
    for number in 0..<10_000 { set.insert(hash(Array("line \(number)".utf8))) }
    #expect((0..<10_000).allSatisfy { set.contains(hash(Array("line \($0)".utf8))) })
    #expect(!set.contains(hash(Array("line 10000".utf8))))
  }

  @Test func objectIDsRoundTrip() {
    let sha1 = "0123456789abcdef0123456789abcdef01234567"
    let sha256 = String(repeating: "fedcba9876543210", count: 4)
    #expect(ObjectID(hex: Array(sha1.utf8))?.description == sha1)
    #expect(ObjectID(hex: Array(sha256.utf8))?.description == sha256)
    #expect(ObjectID(hex: Array("0123".utf8)) == nil)
    #expect(ObjectID(hex: Array(sha1.replacingOccurrences(of: "0", with: "g").utf8)) == nil)
    #expect(ObjectID(hex: Array(String(repeating: "0", count: 40).utf8))?.isNull == true)
  }

  /// `cat-file --batch` output cut into chunks at every possible place parses the same.
  @Test func batchOutputParsesWhereverItIsCut() throws {
    let output = Array(
      "1111111111111111111111111111111111111111 blob 5\nhello\n2222222222222222222222222222222222222222 blob 0\n\n3333333333333333333333333333333333333333 blob 12\nmore than 10\n4444444444444444444444444444444444444444 tree 3\nabc\n"
        .utf8)
    for cut in 1..<output.count {
      var parser = BlobReader.BatchParser(limit: 10)
      var blobs: [(Int, [UInt8]?)] = []
      try parser.consume(output[..<cut]) { blobs.append(($0, $1)) }
      try parser.consume(output[cut...]) { blobs.append(($0, $1)) }
      #expect(blobs.map(\.0) == [0, 1, 2, 3])
      #expect(blobs.map { $0.1.map { String(decoding: $0, as: UTF8.self) } } == ["hello", "", nil, nil])
    }
    var parser = BlobReader.BatchParser(limit: 10)
    #expect(throws: BlobReader.Missing.self) {
      try parser.consume(Array("5555555555555555555555555555555555555555 missing\n".utf8)[...]) { _, _ in }
    }
  }
}

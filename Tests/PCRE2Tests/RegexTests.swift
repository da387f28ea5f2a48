import Dispatch
import PCRE2
import Synchronization
import Testing

@Suite struct RegexTests {
  let scratch: MatchScratch

  init() throws { scratch = try MatchScratch() }

  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test func compilesWithJITAndCountsGroups() throws {
    let regex = try Regex(#"(a)(?:b)(?<name>c)"#)
    #expect(regex.isJITCompiled)
    #expect(regex.captureCount == 2)
  }

  /// The JIT compile waits for a pattern's first match; threads that all match a new
  /// pattern at once each get the right answer, and it is compiled once.
  @Test func threadsMatchingANewPatternAtOnceAllGetItsMatches() throws {
    for round in 0..<20 {
      let regex = try Regex(#"key_(\d+)_end"#)
      let subject = Array("x key_\(round)42_end y".utf8)
      let wrong = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 8) { _ in
        guard let scratch = try? MatchScratch(),
          let found = try? regex.firstMatch(in: subject, scratch: scratch),
          found.groups.first??.count == "\(round)42".count
        else {
          wrong.add(1, ordering: .relaxed)
          return
        }
      }
      #expect(wrong.load(ordering: .relaxed) == 0)
      #expect(regex.isJITCompiled)
    }
  }

  @Test func compileErrorCarriesPCRE2MessageAndOffset() {
    #expect(throws: PCRE2Error.compile(message: "missing closing parenthesis", offset: 4)) {
      try Regex("(abc")
    }
    do {
      _ = try Regex("a{2,1}")
      Issue.record("an out-of-order quantifier compiled")
    } catch {
      guard case .compile(let message, let offset) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(message.contains("out of order"))
      #expect(offset == 5)
    }
  }

  @Test func byteOffsetsOverMultiByteText() throws {
    let regex = try Regex("k(e)y", options: .utf)
    let subject = bytes("é€ key")
    let found = try #require(try regex.firstMatch(in: subject, scratch: scratch))
    // "é" is 2 bytes, "€" 3, the space 1: the match starts at byte 6.
    #expect(found.range == 6..<9)
    #expect(found.group(1) == 7..<8)
  }

  @Test func invalidUTF8AroundAMatchDoesNotStopIt() throws {
    let regex = try Regex(#"AKIA[A-Z2-7]{4}"#)
    let subject: [UInt8] = [0xFF, 0xC3, 0x28, 0x20] + bytes("AKIAQRST") + [0x80, 0xFE, 0x0A]
    let found = try #require(try regex.firstMatch(in: subject, scratch: scratch))
    #expect(found.range == 4..<12)
    // In byte mode (the default) a dot matches an invalid byte, as in Go's regexp.
    let subjectWithInvalidByte: [UInt8] = [0x78, 0xFF, 0x79, 0x20] + bytes("xzy")
    #expect(try Regex("x.y").firstMatch(in: subjectWithInvalidByte, scratch: scratch)?.range == 0..<3)
    // In UTF mode it cannot, but the search goes past it instead of failing.
    let utf = try Regex("x.y", options: .utf)
    #expect(try utf.firstMatch(in: subjectWithInvalidByte, scratch: scratch)?.range == 4..<7)
  }

  @Test func emptyMatchesAdvanceOneCharacter() throws {
    let regex = try Regex("a*", options: .utf)
    let ranges = try regex.matches(in: bytes("baaac"), scratch: scratch).map(\.range)
    #expect(ranges == [0..<0, 1..<4, 4..<4, 5..<5])
    // In UTF mode the step over a multi-byte character is the whole character.
    let overMultiByte = try regex.matches(in: bytes("é"), scratch: scratch).map(\.range)
    #expect(overMultiByte == [0..<0, 2..<2])
    // In byte mode it is one byte.
    let bytewise = try Regex("a*").matches(in: bytes("é"), scratch: scratch).map(\.range)
    #expect(bytewise == [0..<0, 1..<1, 2..<2])
  }

  @Test func emptySubject() throws {
    #expect(try Regex("x").firstMatch(in: [], scratch: scratch) == nil)
    #expect(try Regex("^$").firstMatch(in: [], scratch: scratch)?.range == 0..<0)
  }

  @Test func unsetCaptureGroupsAreNil() throws {
    let regex = try Regex("(a)|(b)")
    let found = try #require(try regex.firstMatch(in: bytes("b"), scratch: scratch))
    #expect(found.groups == [nil, 0..<1])
    #expect(found.group(1) == nil)
    #expect(found.group(3) == nil)
  }

  @Test func startOffsetIsHonoured() throws {
    let regex = try Regex("ab")
    #expect(try regex.firstMatch(in: bytes("ab ab"), from: 1, scratch: scratch)?.range == 3..<5)
    #expect(try regex.firstMatch(in: bytes("ab"), from: 9, scratch: scratch) == nil)
  }

  @Test func catastrophicBacktrackingHitsTheMatchLimit() throws {
    let regex = try Regex("(a+)+$")
    let subject = bytes(String(repeating: "a", count: 40) + "!")
    let limited = try MatchScratch(matchLimit: 10_000)
    #expect {
      _ = try regex.firstMatch(in: subject, scratch: limited)
    } throws: { error in
      guard let error = error as? PCRE2Error, case .resourceLimit(let message) = error else {
        return false
      }
      return message.contains("limit")
    }
  }

  /// A lazy repeat whose every step is a choice (an escape or another byte) keeps a JIT
  /// stack frame for each byte it passes: over a minified bundle's or a source map's line
  /// of hundreds of kilobytes it must finish, not give up at the JIT stack's limit.
  @Test func aLazyRepeatOverALongLineFinishes() throws {
    let regex = try Regex(#"(["'])(?:\\.|(?!\1)[^\n\\])*?\1\s*\+"#)
    let line = "\"" + String(repeating: "var x = y(z) + w; ", count: 30_000) + "\" + rest"
    let match = try regex.firstMatch(in: bytes(line), scratch: scratch)
    #expect(match?.range == 0..<(line.utf8.count - 5))
  }

  @Test func caselessOptionAndInlineFlags() throws {
    #expect(try Regex("secret", options: .caseless).firstMatch(in: bytes("SeCrEt"), scratch: scratch) != nil)
    #expect(try Regex("(?i)secret").firstMatch(in: bytes("SECRET"), scratch: scratch) != nil)
    #expect(try Regex("secret").firstMatch(in: bytes("SECRET"), scratch: scratch) == nil)
  }

  @Test func oneCompiledPatternServesManyThreads() throws {
    let regex = try Regex(#"k(\d+)"#)
    let subject = Array(String(repeating: "k12 x k345 ", count: 200).utf8)
    let expected = try regex.matches(in: subject, scratch: scratch).count
    #expect(expected == 400)
    let counts = Mutex<[Int]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      let count = (try? regex.matches(in: subject, scratch: MatchScratch()).count) ?? -1
      counts.withLock { $0.append(count) }
    }
    #expect(counts.withLock { $0 } == Array(repeating: expected, count: 8))
  }
}

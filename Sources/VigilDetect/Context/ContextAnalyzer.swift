import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Finds a file's context regions: test files and directories by path for every
/// language, and comments, strings and test items inside the file for the languages
/// `LexerRegistry` knows.
public enum ContextAnalyzer {
  public static func regions(path: String, bytes: UnsafeBufferPointer<UInt8>) -> ContextRegions {
    var regions = LexerRegistry.language(forPath: path, bytes: bytes)?.lex(bytes) ?? ContextRegions()
    regions.wholeFileIsTest = isTestPath(path)
    return regions
  }

  /// Whether what an edit changed (the versions without their common start and end,
  /// widened to whole lines) may move a test item's bounds or a secret's line across
  /// one: the sequence of what shapes the items there (braces, attributes, comment
  /// delimiters, the word `test`, quotes) with a mark for each line holding a string
  /// literal differs between the versions. Lines before the change keep their place (the
  /// lexer reads them alike), lines after it too when the lexer enters them alike, and a
  /// line within it stays at its depth when that sequence is the same. Most edits (a
  /// value, a call, a statement, a function's body rewritten) keep it: no lexing.
  static func changesStructure(_ before: [UInt8], _ after: [UInt8]) -> Bool {
    var start = 0
    let shorter = min(before.count, after.count)
    while start < shorter && before[start] == after[start] { start += 1 }
    var end = 0
    while end < shorter - start && before[before.count - 1 - end] == after[after.count - 1 - end] { end += 1 }
    // Whole lines: the common start back to a line's start, the common end on to one.
    while start > 0 && before[start - 1] != 0x0A { start -= 1 }
    if let newline = before[(before.count - end)...].firstIndex(of: 0x0A) {
      end = before.count - newline - 1
    } else {
      end = 0
    }
    let shaping = shapingBytes
    // The shaping tokens of each version's part, a `Q` for each line with a string
    // literal, and each such line's hash (its text without indentation), in order.
    func shape(_ bytes: [UInt8], _ range: Range<Int>) -> (tokens: [UInt8], lines: [Int]) {
      bytes.withUnsafeBufferPointer { buffer in
        var tokens: [UInt8] = []
        var lines: [Int] = []
        var lineStart = range.lowerBound
        var quoted = false
        var attribute = false
        func endLine(_ end: Int) {
          // An attribute's line whole: `cfg(test)` made `cfg(not(test))` keeps the tokens.
          if attribute { tokens += buffer[lineStart..<end] }
          defer { (quoted, attribute) = (false, false) }
          guard quoted else { return }
          var first = lineStart
          while first < end && (buffer[first] == 0x20 || buffer[first] == 0x09) { first += 1 }
          var hasher = Hasher()
          hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[first..<end])))
          tokens.append(UInt8(ascii: "Q"))
          lines.append(hasher.finalize())
        }
        var offset = range.lowerBound
        while offset < range.upperBound {
          let byte = buffer[offset]
          // Most bytes shape nothing: one look in a table each.
          guard shaping[Int(byte)] else {
            offset += 1
            continue
          }
          let next = offset + 1 < range.upperBound ? buffer[offset + 1] : 0
          switch byte {
          case 0x0A:
            endLine(offset)
            lineStart = offset + 1
          case UInt8(ascii: "\""):
            quoted = true
            tokens.append(byte)
          case UInt8(ascii: "#"):
            attribute = true
            tokens.append(byte)
          case UInt8(ascii: "{"), UInt8(ascii: "}"): tokens.append(byte)
          case UInt8(ascii: "/") where next == UInt8(ascii: "*") || next == UInt8(ascii: "/"),
            UInt8(ascii: "*") where next == UInt8(ascii: "/"):
            tokens += [byte, next]
          case UInt8(ascii: "t")
          where next == UInt8(ascii: "e") && offset + 3 < range.upperBound
            && buffer[offset + 2] == UInt8(ascii: "s") && buffer[offset + 3] == UInt8(ascii: "t"):
            tokens.append(UInt8(ascii: "T"))
          default: break
          }
          offset += 1
        }
        endLine(range.upperBound)
        return (tokens, lines)
      }
    }
    let old = shape(before, start..<(before.count - end))
    let new = shape(after, start..<(after.count - end))
    guard old.tokens == new.tokens else { return true }
    // The same shape: a line with a string literal in both versions (kept, or moved)
    // must hold the same place in it; any other is an edited line, at its place.
    let kept = Set(old.lines).intersection(new.lines)
    return zip(old.lines, new.lines).contains { kept.contains($0) || kept.contains($1) ? $0 != $1 : false }
  }

  /// The bytes `changesStructure` looks at: line feeds, quotes, `#`, braces, `/`, `*`, `t`.
  private static let shapingBytes: [Bool] = (0..<256).map { "\n\"#{}/*t".utf8.contains(UInt8($0)) }

  /// Whether an edit takes code out of a test item (a Rust `#[cfg(test)]` module): a
  /// line of `before` inside one is in `after` outside every one. Deleting the marking
  /// line, or closing the module early, turns its fixtures into production code without
  /// adding the lines that hold them: what a history, which reads the lines a commit
  /// adds, must then read whole. Lines are compared without their indentation; short
  /// ones (a brace, `use super::*;`) are left out: they hold no secret, and are in any
  /// test module and any code alike.
  public static func takesCodeOutOfTests(path: String, before: [UInt8], after: [UInt8]) -> Bool {
    guard mayHoldTestItems(path: path, before), let language = LexerRegistry.language(forPath: path),
      changesStructure(before, after)
    else {
      return false
    }
    let tested = testLines(of: before, language: language).inTests
    guard !tested.isEmpty else { return false }
    return !tested.isDisjoint(with: testLines(of: after, language: language).outside)
  }

  /// Of a version's lines worth comparing (with a string literal: only such a line can
  /// hold a secret, and a `use` line test and production code share makes no change news),
  /// trimmed, the hashes of those that start or end in a test item and of those that
  /// start or end outside one (a module closed early by a brace at a line's start). A
  /// hash two lines share by chance costs a whole read, no finding.
  struct TestLines: Sendable {
    var inTests: Set<Int> = []
    var outside: Set<Int> = []
  }

  /// `TestLines` of the versions read last, by their bytes' hash: a history's change
  /// lexes the version before, which the change before it lexed as its version after.
  private static let recentTestLines = Locked<[(key: Int, lines: TestLines)]>([])

  private static func testLines(of bytes: [UInt8], language: Language) -> TestLines {
    let key = bytes.withUnsafeBytes { raw in
      var hasher = Hasher()
      hasher.combine(raw.count)
      hasher.combine(bytes: raw)
      return hasher.finalize()
    }
    if let known = recentTestLines.withLock({ $0.first { $0.key == key }?.lines }) { return known }
    var lines = TestLines()
    bytes.withUnsafeBufferPointer { buffer in
      let regions = language.lex(buffer)
      var start = 0
      while start < buffer.count {
        var end = start
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        var first = start
        while first < end && (buffer[first] == 0x20 || buffer[first] == 0x09) { first += 1 }
        var last = end
        while last > first
          && (buffer[last - 1] == 0x20 || buffer[last - 1] == 0x09 || buffer[last - 1] == 0x0D)
        {
          last -= 1
        }
        if last - first >= minimumComparedLine, buffer[first..<last].contains(UInt8(ascii: "\"")) {
          var hasher = Hasher()
          hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[first..<last])))
          let line = hasher.finalize()
          let (starts, ends) = (regions.contains(first, in: .test), regions.contains(last - 1, in: .test))
          if starts || ends { lines.inTests.insert(line) }
          if !(starts && ends) { lines.outside.insert(line) }
        }
        start = end + 1
      }
    }
    recentTestLines.withLock { recent in
      recent.append((key, lines))
      if recent.count > 64 { recent.removeFirst(recent.count - 64) }
    }
    return lines
  }

  /// Whether `bytes` at `path` may hold a test item: its language's lexer marks them,
  /// and the text says `test`.
  public static func mayHoldTestItems(path: String, _ bytes: [UInt8]) -> Bool {
    lexesTestItems(path: path) && bytes.withUnsafeBufferPointer { says("test", in: $0) }
  }

  /// Whether the language of a file at `path` has test items its lexer marks.
  public static func lexesTestItems(path: String) -> Bool {
    LexerRegistry.language(forPath: path)?.contexts.contains(.test) == true
  }

  /// Whether `word` is in `bytes`.
  private static func says(_ word: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let word = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
    guard let first = word.first, let base = bytes.baseAddress, bytes.count >= word.count else {
      return false
    }
    // Each occurrence of its first byte found by memchr (vectorised), then compared.
    var index = 0
    while index <= bytes.count - word.count,
      let found = memchr(base + index, Int32(first), bytes.count - word.count + 1 - index)
    {
      index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if bytes[index..<(index + word.count)].elementsEqual(word) { return true }
      index += 1
    }
    return false
  }

  /// Lines shorter than this (trimmed) are not compared by `takesCodeOutOfTests`.
  static let minimumComparedLine = 12

  /// Test directories and test file names across languages: `tests/`, `test/`,
  /// `__tests__/`, `spec/`, `testdata/`, `examples/`, `samples/`, `benches/`, test-support
  /// packages (`*-test/`, `test-utils/`), `*_test.go`, `test_*.py`, `*_test.py`,
  /// `*.test.ts`, `*.spec.js`, `*Test.java`, `*Tests.swift`, `*_spec.rb`,
  /// `doctest_setup.rs`, ...
  public static func isTestPath(_ path: String) -> Bool {
    let components = path.split(separator: "/")
    for directory in components.dropLast()
    where isTestDirectory(directory.lowercased()) || isTestTargetDirectory(directory) {
      return true
    }
    // Laravel's model factories (database/factories/): made-up records for tests and
    // seeding, with the framework's well-known hash of "password".
    let directories = components.dropLast()
    if zip(directories, directories.dropFirst()).contains(where: { $0 == "database" && $1 == "factories" }) {
      return true
    }
    guard let name = components.last else { return false }
    let lower = name.lowercased()
    guard let dot = lower.lastIndex(of: ".") else { return false }
    let stem = lower[..<dot]
    // A dotenv file for tests (Laravel's `.env.testing`, `.env.test`).
    if lower == ".env.test" || lower == ".env.testing" { return true }
    if stem.hasPrefix("test_") || stem.hasSuffix("_test") || stem.contains("doctest")
      || stem.hasSuffix("_tests")
      || stem.hasSuffix(".test") || stem.hasSuffix(".spec") || stem.hasSuffix("_spec")
      || stem == "conftest" || stem == "tests" || stem == "test"
    {
      return true
    }
    // CamelCase test classes: FooTest.java, FooTests.swift, FooSpec.kt, FooTest.cs, and
    // Maven's integration tests, FooIT.java (after a lower-case letter or a digit: INIT.sh,
    // AUDIT.py and SUBMIT.py are no tests).
    let originalStem = name[..<(name.lastIndex(of: ".") ?? name.endIndex)]
    if originalStem.count > 2, originalStem.hasSuffix("IT"),
      let before = originalStem.dropLast(2).last, before.isLowercase || before.isNumber
    {
      return true
    }
    return ["Test", "Tests", "Spec"].contains {
      originalStem.hasSuffix($0) && originalStem.count > $0.count
    }
  }

  /// Whether a secret at `offset` is shown as a stand-in for one: the name it is given
  /// says so (`namesAStandIn`), or its line, or the one before it (what the example
  /// prints), is a Python doctest's (`>>> login("admin", "…")`).
  public static func marksAStandIn(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let offset = min(offset, bytes.count)
    func lineStart(before end: Int) -> Int? {
      var start = end
      while start > 0, bytes[start - 1] != 0x0A {
        if end - start >= maxPromptSearch { return nil }
        start -= 1
      }
      return start
    }
    let start = lineStart(before: offset)
    let nameStart = max(offset - standInReach, start ?? 0, 0)
    if namesAStandIn(UnsafeBufferPointer(rebasing: bytes[nameStart..<offset])) { return true }
    guard let start else { return false }
    if isDoctestPrompt(at: start, in: bytes) { return true }
    guard start > 0, let previous = lineStart(before: start - 1) else { return false }
    return isDoctestPrompt(at: previous, in: bytes)
  }

  /// Whether a YAML or JSON file is an OpenAPI or Swagger description: in its first 4 KiB,
  /// the version of the specification it follows, `openapi: 3.0.3` or `swagger: "2.0"` at
  /// a YAML document's top level (no indentation), or `"openapi": "3.1.0"` in JSON. Its
  /// values are documentation, the `example:`s of requests and responses a client
  /// developer reads. A `swagger:` block of settings or a service named so in a Compose
  /// file names no version.
  public static func isAPIDescription(path: String, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let lower = path.lowercased()
    let isJSON = lower.hasSuffix(".json")
    guard isJSON || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else { return false }
    let head = bytes.prefix(4096)
    var lineStart = head.startIndex
    while lineStart < head.endIndex {
      let lineEnd = head[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? head.endIndex
      var line = head[lineStart..<lineEnd][...]
      if isJSON {
        line = line.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "{") })
        guard line.first == UInt8(ascii: "\"") else {
          lineStart = lineEnd + 1
          continue
        }
        line = line.dropFirst()
      }
      for key in apiDescriptionKeys where line.starts(with: key) {
        var rest = line.dropFirst(key.count)
        if isJSON {
          guard rest.first == UInt8(ascii: "\"") else { continue }
          rest = rest.dropFirst()
        }
        rest = rest.drop(while: { $0 == 0x20 })
        guard rest.first == UInt8(ascii: ":") else { continue }
        rest = rest.dropFirst().drop(while: {
          $0 == 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
        })
        // A version: `2.0`, `3.0.3`.
        if let digit = rest.first, (UInt8(ascii: "2")...UInt8(ascii: "3")).contains(digit),
          rest.dropFirst().first == UInt8(ascii: ".")
        {
          return true
        }
      }
      lineStart = lineEnd + 1
    }
    return false
  }

  private static let apiDescriptionKeys: [[UInt8]] = [Array("openapi".utf8), Array("swagger".utf8)]

  /// The text of an Ansible module's documentation in a Python file: each triple-quoted
  /// string assigned at a line's start to `DOCUMENTATION`, `EXAMPLES` or `RETURN`, which
  /// ansible-doc prints (`login_password: secret123` in an example task). One pass over
  /// the file from one triple quote to the next.
  public static func moduleDocumentation(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var at = 0
    while at + 3 <= bytes.count {
      let byte = bytes[at]
      guard byte == 0x27 || byte == 0x22, bytes[at + 1] == byte, bytes[at + 2] == byte else {
        at += 1
        continue
      }
      // The line before it (a head is short: a long line is looked at no further back).
      var start = at
      while start > 0, at - start < 64, bytes[start - 1] != 0x0A { start -= 1 }
      let opens =
        (start == 0 || bytes[start - 1] == 0x0A)
        && isDocumentationHead(UnsafeBufferPointer(rebasing: bytes[start..<at]))
      // Its closing quote.
      var end = at + 3
      while end + 3 <= bytes.count, !(bytes[end] == byte && bytes[end + 1] == byte && bytes[end + 2] == byte)
      {
        end += 1
      }
      if opens { found.append((at + 3)..<min(end, bytes.count)) }
      at = end + 3
    }
    return found
  }

  /// `EXAMPLES = `, `DOCUMENTATION = r`, `RETURN=u`: what opens a module's documentation.
  static func isDocumentationHead(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
    var end = head.count
    func trimBlanks() { while end > 0, head[end - 1] == 0x20 || head[end - 1] == 0x09 { end -= 1 } }
    if end > 0,
      [UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "u"), UInt8(ascii: "U")].contains(head[end - 1])
    {
      end -= 1
    }
    trimBlanks()
    guard end > 0, head[end - 1] == UInt8(ascii: "=") else { return false }
    end -= 1
    trimBlanks()
    let name = Array(head[0..<end])
    return documentationNames.contains(name)
  }

  static let documentationNames: Set<[UInt8]> = Set(
    ["DOCUMENTATION", "EXAMPLES", "RETURN"].map { Array($0.utf8) })

  /// How far before a secret its line is read for a name that says it stands in for one.
  static let standInReach = 200
  /// How far back a line's start is looked for (a doctest's line is short).
  static let maxPromptSearch = 4096

  /// A line that starts, after blanks, with a doctest's prompt, `>>> `. (Not its
  /// continuation, `... `, which a Python line of `...` and a comment also starts with.)
  static func isDoctestPrompt(at start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var at = start
    while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
    guard at + 4 <= bytes.count else { return false }
    return bytes[at] == 0x3E && bytes[at + 1] == 0x3E && bytes[at + 2] == 0x3E && bytes[at + 3] == 0x20
  }

  /// Whether the name a secret is given, on its line before it, says it stands in for
  /// one: the nearest identifier there that names a credential (a word holding key,
  /// token, secret, pass, pwd, auth or cred: `TEST_FAKE_RSA_KEY_0`, `dummyPassword`,
  /// `FakeCredentials(`) has a word `fake`, `dummy`, `mock` or `bogus`, in snake, kebab or
  /// camel case. Other names and prose before it do not count (`"useMockData":false,
  /// "stripeSecretKey":"…"`, `# not a fake: GITHUB_TOKEN=…`), nor words that only start
  /// so (`mockingbird`), nor `stub` (a gRPC client) or `test` (a provider's test-mode key is
  /// a credential).
  public static func namesAStandIn(_ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
    func isNameByte(_ byte: UInt8) -> Bool {
      (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        || byte == 0x2D
        || byte == 0x2E
    }
    var end = prefix.count
    while end > 0 {
      while end > 0, !isNameByte(prefix[end - 1]) { end -= 1 }
      var start = end
      while start > 0, isNameByte(prefix[start - 1]) { start -= 1 }
      let words = nameWords(UnsafeBufferPointer(rebasing: prefix[start..<end]))
      if words.contains(where: { word in
        credentialWords.contains { word.starts(with: $0) || word.reversed().starts(with: $0.reversed()) }
      }) {
        return words.contains { standInWords.contains($0) }
      }
      end = start
    }
    return false
  }

  /// The words of an identifier, lower-cased: split at what is no letter and at a capital
  /// after a lower-case letter (`dummyPassword`: dummy, password).
  static func nameWords(_ name: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
    var words: [[UInt8]] = []
    var word: [UInt8] = []
    var afterLowerCase = false
    for byte in name {
      let isUpper = byte >= 0x41 && byte <= 0x5A
      let isLower = byte >= 0x61 && byte <= 0x7A
      if !(isUpper || isLower) || (isUpper && afterLowerCase), !word.isEmpty {
        words.append(word)
        word.removeAll(keepingCapacity: true)
      }
      afterLowerCase = isLower
      if isUpper || isLower { word.append(byte | 0x20) }
    }
    if !word.isEmpty { words.append(word) }
    return words
  }

  static let credentialWords: [[UInt8]] = ["key", "token", "secret", "pass", "pwd", "auth", "cred"].map {
    Array($0.utf8)
  }

  static let standInWords: Set<[UInt8]> = Set(
    ["fake", "fakes", "dummy", "dummies", "mock", "mocks", "bogus"].map { Array($0.utf8) })

  /// A directory of tests, fixtures, examples or test tooling: by name (`tests`,
  /// `fixtures`, `examples`, `benches`, `xtask`), or a test-support package named as
  /// such (`http-test`, `cargo-test-support`, `resolver-tests`, `test-utils`).
  static func isTestDirectory(_ name: String) -> Bool {
    if testDirectories.contains(name) { return true }
    let words = name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
    return words.count > 1 && words.contains { testWords.contains($0) }
  }

  /// An Xcode or .NET test target's folder, named after what it tests: `MarlinTests`,
  /// `AppUITests`, `Api.Tests` (CamelCase, so `latests` or `contests` are not).
  static func isTestTargetDirectory(_ name: Substring) -> Bool {
    guard name.count > 5, name.hasSuffix("Tests") || name.hasSuffix("Test") else { return false }
    let stem = name.dropLast(name.hasSuffix("Tests") ? 5 : 4)
    guard let last = stem.last else { return false }
    return last.isLowercase || last == "." || last == "I"
  }

  /// Words that make a multi-word directory name test tooling or sample material
  /// (`actix-http-test`, `shenyu-e2e`, `shenyu-examples-https`).
  static let testWords: Set<Substring> = [
    "test", "tests", "testing", "testutil", "testutils", "testdata", "e2e", "examples", "samples", "fixtures",
  ]

  static let testDirectories: Set<String> = [
    "test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "testing", "fixtures",
    "__mocks__", "e2e", "examples", "example", "benches", "bench", "benchmark", "benchmarks", "xtask",
    "samples", "sample", "testassets", "testhelpers", "testutil", "testutils", "test-utils", "test_utils",
    "test-support", "test_support", "test-helpers", "test_helpers", "__snapshots__", ".snapshots",
    "__fixtures__",
    "mocks",
    // sample clients and test inputs (jumpserver's demos/, telegraf's testcases/; not
    // demo/, which in a game or app template is the product's own code)
    "demos", "testcases", "test-cases", "test_cases",
    "testsuite", "testsuites",
  ]
}

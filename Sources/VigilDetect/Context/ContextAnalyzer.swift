/// Finds a file's context regions: test files and directories by path for every
/// language, and comments, strings and test items inside the file for the languages
/// `LexerRegistry` knows.
public enum ContextAnalyzer {
  public static func regions(path: String, bytes: UnsafeBufferPointer<UInt8>) -> ContextRegions {
    var regions = LexerRegistry.language(forPath: path, bytes: bytes)?.lex(bytes) ?? ContextRegions()
    regions.wholeFileIsTest = isTestPath(path)
    return regions
  }

  /// Whether what an edit changed (the versions without their common start and end)
  /// may move a test item's bounds: it holds a brace, an attribute, the word `test`, a
  /// comment's or raw string's delimiter, or an odd number of quotes on either side.
  /// Lines before the change keep their place (the lexer reads them alike); lines after
  /// it keep theirs unless the lexer enters them otherwise, which only such a change
  /// does. Most edits (a value, a call, a statement) hold none: no lexing.
  static func changesStructure(_ before: [UInt8], _ after: [UInt8]) -> Bool {
    var start = 0
    let shorter = min(before.count, after.count)
    while start < shorter && before[start] == after[start] { start += 1 }
    var end = 0
    while end < shorter - start && before[before.count - 1 - end] == after[after.count - 1 - end] { end += 1 }
    func structural(_ part: ArraySlice<UInt8>) -> Bool {
      var quotes = 0
      for (offset, byte) in zip(part.indices, part) {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"): return true
        case UInt8(ascii: "\""): quotes += 1
        case UInt8(ascii: "/"), UInt8(ascii: "*"):
          let next = offset + 1 < part.endIndex ? part[offset + 1] : 0
          if next == UInt8(ascii: "*") || (byte == UInt8(ascii: "*") && next == UInt8(ascii: "/")) {
            return true
          }
        case UInt8(ascii: "t"):
          if part[offset...].starts(with: Array("test".utf8)) { return true }
        default: break
        }
      }
      return quotes % 2 == 1
    }
    // Widened to whole lines: a change inside a word (`tes` + `t`) is seen whole.
    var lower = start
    while lower > 0 && before[lower - 1] != 0x0A { lower -= 1 }
    return structural(before[lower..<(before.count - end)]) || structural(after[lower..<(after.count - end)])
  }

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
    // The hash of each line of `bytes` worth comparing, trimmed, and whether it starts in
    // a test item (a hash both share by chance costs a whole read, no finding).
    func lines(_ bytes: [UInt8], _ body: (_ hash: Int, _ first: Bool, _ last: Bool) -> Void) {
      bytes.withUnsafeBufferPointer { buffer in
        let regions = language.lex(buffer)
        var start = 0
        while start < buffer.count {
          var end = start
          while end < buffer.count && buffer[end] != 0x0A { end += 1 }
          var first = start
          while first < end && (buffer[first] == 0x20 || buffer[first] == 0x09) { first += 1 }
          var last = end
          while last > first && [0x20, 0x09, 0x0D].contains(buffer[last - 1]) { last -= 1 }
          // Only a line with a string literal can hold a secret: a `use` line that test and
          // production code share makes no change news (and costs a whole read).
          if last - first >= minimumComparedLine, buffer[first..<last].contains(UInt8(ascii: "\"")) {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[first..<last])))
            body(hasher.finalize(), regions.contains(first, in: .test), regions.contains(last - 1, in: .test))
          }
          start = end + 1
        }
      }
    }
    var tested: Set<Int> = []
    // A line is in a test item if it starts or ends in one; out of them if it starts or
    // ends outside (a module closed early by a brace at the start of the line).
    lines(before) { line, first, last in if first || last { tested.insert(line) } }
    guard !tested.isEmpty else { return false }
    var leaves = false
    lines(after) { line, first, last in if !(first && last) && tested.contains(line) { leaves = true } }
    return leaves
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
    guard let first = word.first, bytes.count >= word.count else { return false }
    var index = 0
    while index <= bytes.count - word.count {
      if bytes[index] == first && bytes[index..<(index + word.count)].elementsEqual(word) { return true }
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
    guard let name = components.last else { return false }
    let lower = name.lowercased()
    guard let dot = lower.lastIndex(of: ".") else { return false }
    let stem = lower[..<dot]
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

  /// Words that make a multi-word directory name test tooling (`actix-http-test`).
  static let testWords: Set<Substring> = ["test", "tests", "testing", "testutil", "testutils", "testdata"]

  static let testDirectories: Set<String> = [
    "test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "testing", "fixtures",
    "__mocks__", "e2e", "examples", "example", "benches", "bench", "benchmark", "benchmarks", "xtask",
    "samples", "sample", "testassets", "testhelpers", "testutil", "testutils", "test-utils", "test_utils",
    "test-support", "test_support", "test-helpers", "test_helpers", "__snapshots__", ".snapshots",
    "__fixtures__",
    "mocks",
  ]
}

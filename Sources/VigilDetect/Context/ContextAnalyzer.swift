/// Finds a file's context regions: test files and directories by path for every
/// language, and comments, strings and test items inside the file for the languages
/// `LexerRegistry` knows.
public enum ContextAnalyzer {
  public static func regions(path: String, bytes: UnsafeBufferPointer<UInt8>) -> ContextRegions {
    var regions = LexerRegistry.language(forPath: path, bytes: bytes)?.lex(bytes) ?? ContextRegions()
    regions.wholeFileIsTest = isTestPath(path)
    return regions
  }

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

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
  /// `__tests__/`, `spec/`, `testdata/`, `*_test.go`, `test_*.py`, `*_test.py`,
  /// `*.test.ts`, `*.spec.js`, `*Test.java`, `*Tests.swift`, `*_spec.rb`, ...
  public static func isTestPath(_ path: String) -> Bool {
    let components = path.split(separator: "/")
    for directory in components.dropLast()
    where testDirectories.contains(directory.lowercased()) {
      return true
    }
    guard let name = components.last else { return false }
    let lower = name.lowercased()
    guard let dot = lower.lastIndex(of: ".") else { return false }
    let stem = lower[..<dot]
    if stem.hasPrefix("test_") || stem.hasSuffix("_test") || stem.hasSuffix("_tests")
      || stem.hasSuffix(".test") || stem.hasSuffix(".spec") || stem.hasSuffix("_spec")
      || stem == "conftest" || stem == "tests" || stem == "test"
    {
      return true
    }
    // CamelCase test classes: FooTest.java, FooTests.swift, FooSpec.kt, FooTest.cs.
    let originalStem = name[..<(name.lastIndex(of: ".") ?? name.endIndex)]
    return ["Test", "Tests", "Spec", "IT"].contains {
      originalStem.hasSuffix($0) && originalStem.count > $0.count
    }
  }

  static let testDirectories: Set<String> = [
    "test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "testing", "fixtures",
    "__mocks__", "e2e",
  ]
}

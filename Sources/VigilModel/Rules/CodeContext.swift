/// Kinds of places in source code where a rule may choose not to apply.
public enum CodeContext: String, CaseIterable, Sendable, Codable {
  /// Test code: a test file or directory of any language, or a test item inside a file
  /// (Rust `#[cfg(test)]` modules and `#[test]` functions).
  case test
  /// Comments, doc comments included.
  case comment
  /// The inside of a string literal.
  case string
}

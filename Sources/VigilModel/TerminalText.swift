/// Text a repository controls (file names, snippets, commit fields, quoted config) made
/// safe for a terminal: C0 controls but tab, DEL and C1 controls shown as `\xNN`, and the
/// invisible characters that reorder or break lines (bidirectional overrides, embeddings
/// and isolates, direction marks, the line and paragraph separators) as `\u{NNNN}`, so
/// that no name can move the cursor, rewrite a line, draw a fake message or show its
/// text in another order than it is read.
public enum TerminalText {
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) || isInvisibleLayout($0) }) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      if isControl(scalar) {
        result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
      } else if isInvisibleLayout(scalar) {
        result += "\\u{" + hex + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// `text` escaped line by line: its line feeds kept (a rule's explanation, a list).
  public static func escapedLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(
      separator: "\n")
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar.value != 0x09) || scalar.value == 0x7F
      || (0x80...0x9F).contains(scalar.value)
  }

  private static func isInvisibleLayout(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
    default: false
    }
  }
}

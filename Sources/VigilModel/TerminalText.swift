/// Text a repository controls (file names, snippets, commit fields, quoted config) made
/// safe for a terminal: C0 controls but tab, DEL and C1 controls shown as `\xNN`, so
/// that no name can move the cursor, rewrite a line or draw a fake message.
public enum TerminalText {
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar.value != 0x09) || scalar.value == 0x7F
      || (0x80...0x9F).contains(scalar.value)
  }
}

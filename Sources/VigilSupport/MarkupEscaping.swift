/// Escaping for HTML and XML reports, in one place: text from a scanned tree must never
/// become markup. Characters XML 1.0 forbids (C0 controls but tab, CR, LF) become U+FFFD;
/// the invisible ones that reorder text (bidirectional overrides, embeddings, isolates,
/// direction marks) and the line and paragraph separators are shown as `\u{NNNN}`, as
/// `TerminalText` shows them: a file named `config_\u{202E}yp.tset` reads as it is.
public enum MarkupEscaping {
  public static func escape(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
      case "\u{061C}", "\u{200E}", "\u{200F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{2028}",
        "\u{2029}":
        escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
          escaped += "\u{FFFD}"
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    return escaped
  }
}

import TOMLKit

/// Parses TOML text into a table, or says where it is not TOML.
///
/// Control characters other than tab, LF and CRLF are not allowed anywhere in a TOML
/// document (not even in strings or comments), and toml++ (under TOMLKit) aborts the
/// process on some of them, assertions included in release builds: `[\u{1E}a]` did, found by
/// Fuzz/FuzzConfig. A config that came with a scanned tree must get an error, not a
/// crash, so they are refused here before toml++ sees the text.
enum TOMLDocument {
  struct SyntaxError: Error {
    var message: String
    var line: Int?
    var column: Int?

    /// `TOML syntax: <message> (column N)`, for a diagnostic that carries the line.
    var description: String { "TOML syntax: \(message)" + (column.map { " (column \($0))" } ?? "") }
  }

  static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
    if let (line, column, byte) = firstControlCharacter(in: text) {
      let hex = String(byte, radix: 16, uppercase: true)
      throw SyntaxError(
        message: "control character 0x\(hex.count < 2 ? "0" + hex : hex) is not allowed in TOML",
        line: line, column: column)
    }
    do {
      return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw SyntaxError(
        message: error.description, line: error.source.begin.line, column: error.source.begin.column)
    } catch {
      throw SyntaxError(message: "\(error)")
    }
  }

  /// The 1-based line and column of the first byte TOML forbids, and the byte.
  private static func firstControlCharacter(in text: String) -> (line: Int, column: Int, byte: UInt8)? {
    var line = 1
    var lineStart = 0
    let bytes = Array(text.utf8)
    for (offset, byte) in bytes.enumerated() {
      switch byte {
      case 0x0A:
        line += 1
        lineStart = offset + 1
      case 0x09:
        continue
      case 0x0D where offset + 1 < bytes.count && bytes[offset + 1] == 0x0A:
        continue
      case 0x00...0x1F, 0x7F:
        return (line, offset - lineStart + 1, byte)
      default:
        continue
      }
    }
    return nil
  }
}

import TOMLKit

/// Parses TOML text into a table, or says where it is not TOML.
///
/// toml++ (under TOMLKit) aborts the process on some malformed documents, its
/// assertions being live in release builds too. Fuzz/FuzzConfig found two kinds: a
/// control character (`[\u{1E}a]`) and a table header whose first key starts with a
/// character no key can start with (`[[é]]`). A config that came with a scanned tree
/// must get an error, not a crash, so both are refused here before toml++ sees the text.
/// Neither refuses a valid document: TOML allows no control character but tab, LF and
/// CRLF anywhere, and a header's key is bare (`A-Za-z0-9_-`) or quoted.
enum TOMLDocument {
  struct SyntaxError: Error {
    var message: String
    var line: Int?
    var column: Int?

    /// `TOML syntax: <message> (column N)`, for a diagnostic that carries the line.
    var description: String { "TOML syntax: \(message)" + (column.map { " (column \($0))" } ?? "") }
  }

  static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
    // Foundation drops one byte-order mark and toml++ skips one more; the checks below
    // must read the text toml++ parses, so every leading mark goes.
    var text = text
    while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    let bytes = Array(text.utf8)
    if let problem = firstControlCharacter(in: bytes) ?? firstLongDottedChain(in: bytes)
      ?? firstMalformedHeader(in: bytes)
    {
      throw problem
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

  /// The first control character TOML forbids anywhere: all but tab, LF and CRLF.
  static func firstControlCharacter(in bytes: [UInt8]) -> SyntaxError? {
    var line = 1
    var lineStart = 0
    for (offset, value) in bytes.enumerated() {
      if value == 0x0A {
        line += 1
        lineStart = offset + 1
      }
      guard value < 0x20 || value == 0x7F, value != 0x09, value != 0x0A else { continue }
      if value == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == 0x0A { continue }
      let hex = String(value, radix: 16, uppercase: true)
      return SyntaxError(
        message: "control character 0x\(hex.count < 2 ? "0" + hex : hex) is not allowed in TOML",
        line: line, column: offset - lineStart + 1)
    }
    return nil
  }

  /// How many tables deep a key may sit: its header's parts, its own dotted parts and
  /// the inline tables around it. toml++ recurses once per level when it finishes a
  /// document, so a key of 150,000 dotted parts (300 KB) overflowed the stack.
  static let maxKeyDepth = 128

  /// The first table header whose key does not start as a key can, or the first key
  /// nested deeper than `maxKeyDepth`, found by a scan that knows strings, comments and
  /// the brackets of arrays and inline tables (a line that starts with `[` inside a
  /// multi-line array is a value, not a header).
  static func firstMalformedHeader(in bytes: [UInt8]) -> SyntaxError? {
    var line = 1
    var lineStart = 0
    // The open `[` and `{` of values, innermost last, each with how deep it sits.
    var brackets: [(byte: UInt8, depth: Int)] = []
    var atLineStart = true
    // Where keys are: whether the scan is in a header or a key (at a line's start, after
    // `{`, or after `,` in an inline table), the header's parts, the dots of the key so
    // far, and how deep a value opened here would sit.
    var inHeader = false
    var inKey = true
    var headerParts = 0
    var keyDots = 0
    var valueDepth = 0
    func keyDepth() -> Int { (brackets.last?.depth ?? headerParts) + keyDots + 1 }
    var index = 0
    func error(_ message: String, at offset: Int) -> SyntaxError {
      SyntaxError(message: message, line: line, column: offset - lineStart + 1)
    }
    func byte(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    while index < bytes.count {
      let current = bytes[index]
      switch current {
      case 0x0A:
        line += 1
        lineStart = index + 1
        atLineStart = true
        if brackets.isEmpty {
          inKey = true
          keyDots = 0
        }
        index += 1
        continue
      case 0x20, 0x09, 0x0D:
        index += 1
        continue
      case UInt8(ascii: "#"):
        while index < bytes.count && bytes[index] != 0x0A { index += 1 }
        continue
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        let triple = byte(index + 1) == current && byte(index + 2) == current
        var cursor = index + (triple ? 3 : 1)
        while cursor < bytes.count {
          if bytes[cursor] == 0x0A {
            guard triple else { break }
            line += 1
            lineStart = cursor + 1
          } else if current == UInt8(ascii: "\"") && bytes[cursor] == UInt8(ascii: "\\") {
            cursor += 1
            if byte(cursor) == 0x0A {
              line += 1
              lineStart = cursor + 1
            }
          } else if bytes[cursor] == current
            && (!triple || (byte(cursor + 1) == current && byte(cursor + 2) == current))
          {
            // A multi-line string may hold one or two quotes right before its closing
            // three (`'''y''''` is "y'"): the string ends after the last quote of the run.
            var run = 1
            while triple && run < 5 && byte(cursor + run) == current { run += 1 }
            cursor += triple ? run : 1
            break
          }
          cursor += 1
        }
        index = cursor
      case UInt8(ascii: "[") where brackets.isEmpty && atLineStart:
        var cursor = index + 1
        if byte(cursor) == UInt8(ascii: "[") { cursor += 1 }
        while byte(cursor) == 0x20 || byte(cursor) == 0x09 { cursor += 1 }
        guard isKeyStart(byte(cursor)) else {
          return error("a table header must start with a key (A-Za-z0-9_- or a quoted key)", at: cursor)
        }
        inHeader = true
        inKey = false
        headerParts = 1
        index = cursor
      case UInt8(ascii: "]") where inHeader:
        inHeader = false
        index += byte(index + 1) == UInt8(ascii: "]") ? 2 : 1
      case UInt8(ascii: "."):
        if inHeader { headerParts += 1 } else if inKey { keyDots += 1 }
        if (inHeader ? headerParts : inKey ? keyDepth() : 0) > maxKeyDepth {
          return error(
            "a key nested more than \(maxKeyDepth) tables deep (dotted parts and inline tables)", at: index)
        }
        index += 1
      case UInt8(ascii: "="):
        if inKey { valueDepth = keyDepth() }
        inKey = false
        index += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        let depth = valueDepth + 1
        if depth > maxKeyDepth {
          return error(
            "a value nested more than \(maxKeyDepth) tables deep (dotted parts and inline tables)", at: index)
        }
        brackets.append((current, depth))
        inKey = current == UInt8(ascii: "{")
        keyDots = 0
        valueDepth = depth
        index += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        // toml++ asserts (aborts) on `}` where an array expects a value (`a = [}]`).
        let opening = current == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
        if let open = brackets.last?.byte, open != opening {
          return error(
            "`\(Character(UnicodeScalar(current)))` closes a `\(Character(UnicodeScalar(open)))`", at: index)
        }
        _ = brackets.popLast()
        inKey = false
        valueDepth = brackets.last?.depth ?? 0
        index += 1
      case UInt8(ascii: ","):
        if brackets.last?.byte == UInt8(ascii: "{") {
          inKey = true
          keyDots = 0
        }
        valueDepth = brackets.last?.depth ?? 0
        index += 1
      // U+0085, U+2028 and U+2029 outside strings and comments: no TOML allows them
      // there, and toml++ takes them for line ends it then does not consume (an abort).
      case 0xC2 where byte(index + 1) == 0x85,
        0xE2 where byte(index + 1) == 0x80 && (byte(index + 2) == 0xA8 || byte(index + 2) == 0xA9):
        return error("a Unicode line or paragraph separator outside a string", at: index)
      default:
        index += 1
      }
      atLineStart = false
    }
    return nil
  }

  /// The first chain of more than `maxKeyDepth` parts joined by dots (bare words or
  /// one-line quoted strings, as a dotted key's), wherever it stands: a check that needs
  /// no knowledge of where keys are, so that a document the scan above misreads (TOML's
  /// strings have corners) still never gives toml++ a key that deep. No configuration
  /// holds such a chain in a value either.
  static func firstLongDottedChain(in bytes: [UInt8]) -> SyntaxError? {
    var index = 0
    var parts = 0
    var line = 1
    var lineStart = 0
    func isBare(_ value: UInt8) -> Bool {
      isKeyStart(value) && value != UInt8(ascii: "\"") && value != UInt8(ascii: "'")
    }
    func isBlank(_ offset: Int) -> Bool {
      offset < bytes.count && (bytes[offset] == 0x20 || bytes[offset] == 0x09)
    }
    while index < bytes.count {
      let value = bytes[index]
      if isBare(value) {
        while index < bytes.count && isBare(bytes[index]) { index += 1 }
      } else if value == UInt8(ascii: "\"") || value == UInt8(ascii: "'") {
        var cursor = index + 1
        while cursor < bytes.count && bytes[cursor] != value && bytes[cursor] != 0x0A {
          cursor += value == UInt8(ascii: "\"") && bytes[cursor] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard cursor < bytes.count, bytes[cursor] == value else {
          parts = 0
          index += 1
          continue
        }
        index = cursor + 1
      } else {
        if value == 0x0A {
          line += 1
          lineStart = index + 1
        }
        parts = 0
        index += 1
        continue
      }
      parts += 1
      if parts > maxKeyDepth {
        return SyntaxError(
          message: "more than \(maxKeyDepth) parts joined by dots (a key that deep is refused)", line: line,
          column: index - lineStart)
      }
      var next = index
      while isBlank(next) { next += 1 }
      if next < bytes.count && bytes[next] == UInt8(ascii: ".") {
        next += 1
        while isBlank(next) { next += 1 }
      } else {
        parts = 0
      }
      index = next
    }
    return nil
  }

  private static func isKeyStart(_ value: UInt8) -> Bool {
    switch value {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""),
      UInt8(ascii: "'"):
      true
    default: false
    }
  }
}

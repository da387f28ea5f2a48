/// How one language writes comments and string literals: what `SyntaxLexer` needs to
/// mark them.
struct Syntax: Sendable {
  /// A string literal form: its opening and closing delimiters.
  struct Quote: Sendable {
    var open: [UInt8]
    var close: [UInt8]
    /// A backslash escapes the next byte.
    var escapes = true
    /// The literal may run over lines; otherwise a line end ends it (unterminated).
    var multiline = false

    init(_ open: String, _ close: String? = nil, escapes: Bool = true, multiline: Bool = false) {
      self.open = Array(open.utf8)
      self.close = Array((close ?? open).utf8)
      self.escapes = escapes
      self.multiline = multiline
    }
  }

  struct Block: Sendable {
    var open: [UInt8]
    var close: [UInt8]
    var nests = false
    /// Only where a line starts (Ruby's `=begin`).
    var atLineStart = false

    init(_ open: String, _ close: String, nests: Bool = false, atLineStart: Bool = false) {
      self.open = Array(open.utf8)
      self.close = Array(close.utf8)
      self.nests = nests
      self.atLineStart = atLineStart
    }
  }

  /// Line comments, each with whether it must start a line or follow a space (`#` in
  /// YAML and shell: `a#b` is no comment) and whether only at a line start (`;` in INI).
  var lineComments: [(marker: [UInt8], afterSpace: Bool, lineStart: Bool)] = []
  var blockComments: [Block] = []
  /// Longest first where one opening is the prefix of another (`"""` before `"`).
  var quotes: [Quote] = []
  /// `<<ID`, `<<-ID`, `<<~ID`, `<<<ID` heredocs (Ruby, PHP, shell, HCL): the body runs
  /// to a line that is the identifier.
  var heredocs = false
  /// JavaScript's regular expression literals, told from division by what precedes.
  var regexLiterals = false

  static func line(_ marker: String, afterSpace: Bool = false, lineStart: Bool = false)
    -> (marker: [UInt8], afterSpace: Bool, lineStart: Bool)
  {
    (Array(marker.utf8), afterSpace, lineStart)
  }
}

/// Marks comments and string literals in one pass over a file, by a `Syntax` table.
///
/// Not a parser: interpolation holes (`${…}`, `#{…}`, `{…}`) are lexed as part of their
/// string, and malformed input gives best-effort regions (an unterminated literal runs to
/// its line's end, or to the end of the file when it may span lines), never an error.
/// Regions come out sorted and disjoint, as `ContextRegions` needs.
enum SyntaxLexer {
  static func regions(_ bytes: UnsafeBufferPointer<UInt8>, syntax: Syntax) -> ContextRegions {
    var regions = ContextRegions()
    let count = bytes.count
    var index = 0
    // The last byte of code seen that is not a space: what a `/` follows.
    var previousCode: UInt8 = 0x0A
    // Where a `/` can next start a regular expression: after one that found no closing
    // `/` on its line, none on that line can, and the line is not searched again.
    var regexPossibleFrom = 0

    func matches(_ marker: [UInt8], at offset: Int) -> Bool {
      guard offset + marker.count <= count else { return false }
      for (position, byte) in marker.enumerated() where bytes[offset + position] != byte { return false }
      return true
    }
    func atLineStart(_ offset: Int) -> Bool {
      var cursor = offset - 1
      while cursor >= 0 && (bytes[cursor] == 0x20 || bytes[cursor] == 0x09) { cursor -= 1 }
      return cursor < 0 || bytes[cursor] == 0x0A || bytes[cursor] == 0x0D
    }
    func lineEnd(from offset: Int) -> Int {
      var cursor = offset
      while cursor < count && bytes[cursor] != 0x0A && bytes[cursor] != 0x0D { cursor += 1 }
      return cursor
    }

    scan: while index < count {
      let current = bytes[index]
      if current == 0x20 || current == 0x09 || current == 0x0A || current == 0x0D {
        if current == 0x0A { previousCode = 0x0A }
        index += 1
        continue
      }
      for comment in syntax.lineComments where matches(comment.marker, at: index) {
        if comment.lineStart && !atLineStart(index) { continue }
        if comment.afterSpace && index > 0 && !isSpace(bytes[index - 1]) { continue }
        let end = lineEnd(from: index)
        regions.comments.append(index..<end)
        index = end
        continue scan
      }
      for block in syntax.blockComments where matches(block.open, at: index) {
        if block.atLineStart && !(index == 0 || bytes[index - 1] == 0x0A) { continue }
        let end = blockEnd(bytes, from: index + block.open.count, block: block)
        regions.comments.append(index..<end)
        index = end
        continue scan
      }
      if syntax.heredocs, let end = heredocEnd(bytes, at: index) {
        regions.strings.append(index..<end)
        index = end
        previousCode = UInt8(ascii: "\"")
        continue
      }
      for quote in syntax.quotes where matches(quote.open, at: index) {
        let end = stringEnd(bytes, from: index + quote.open.count, quote: quote)
        regions.strings.append(index..<end)
        index = end
        previousCode = UInt8(ascii: "\"")
        continue scan
      }
      if syntax.regexLiterals && current == UInt8(ascii: "/") && index >= regexPossibleFrom
        && startsRegex(after: previousCode)
      {
        if let end = regexEnd(bytes, from: index + 1) {
          regions.strings.append(index..<end)
          index = end
          previousCode = UInt8(ascii: "\"")
          continue
        }
        regexPossibleFrom = lineEnd(from: index)
      }
      previousCode = current
      index += 1
    }
    return regions
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Just past the closing delimiter, or the end of the line or file when there is none.
  private static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, quote: Syntax.Quote)
    -> Int
  {
    var index = start
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if quote.escapes && byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if !quote.multiline && (byte == 0x0A || byte == 0x0D) { return index }
      if byte == quote.close[0] && index + quote.close.count <= count
        && quote.close.indices.allSatisfy({ bytes[index + $0] == quote.close[$0] })
      {
        return index + quote.close.count
      }
      index += 1
    }
    return count
  }

  private static func blockEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, block: Syntax.Block)
    -> Int
  {
    var index = start
    var depth = 1
    let count = bytes.count
    func at(_ marker: [UInt8]) -> Bool {
      index + marker.count <= count && marker.indices.allSatisfy { bytes[index + $0] == marker[$0] }
    }
    while index < count {
      if block.nests && at(block.open) {
        depth += 1
        index += block.open.count
      } else if at(block.close) {
        depth -= 1
        index += block.close.count
        if depth == 0 { return index }
      } else {
        index += 1
      }
    }
    return count
  }

  /// A heredoc at `start` (`<<ID`, `<<-ID`, `<<~ID`, `<<<ID`, quoted or not): just past
  /// the line that closes it, or `nil` when `start` opens none.
  private static func heredocEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
    let count = bytes.count
    guard start + 2 < count, bytes[start] == UInt8(ascii: "<"), bytes[start + 1] == UInt8(ascii: "<") else {
      return nil
    }
    var cursor = start + 2
    if cursor < count && bytes[cursor] == UInt8(ascii: "<") { cursor += 1 }
    if cursor < count && (bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "~")) {
      cursor += 1
    }
    var quote: UInt8?
    if cursor < count && (bytes[cursor] == UInt8(ascii: "'") || bytes[cursor] == UInt8(ascii: "\"")) {
      quote = bytes[cursor]
      cursor += 1
    }
    let nameStart = cursor
    while cursor < count && (isWordByte(bytes[cursor])) { cursor += 1 }
    // An identifier of capitals, digits and underscores that starts with a capital:
    // `x << y`, `a <<b` and `1 <<20` are shifts.
    let name = Array(bytes[nameStart..<cursor])
    func isCapital(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    guard name.count >= 2, isCapital(name[0]) || name[0] == UInt8(ascii: "_"),
      name.allSatisfy({ $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || isCapital($0) })
    else { return nil }
    if let quote {
      guard cursor < count && bytes[cursor] == quote else { return nil }
      cursor += 1
    }
    // The body starts on the next line; each later line is checked for the identifier.
    while cursor < count && bytes[cursor] != 0x0A { cursor += 1 }
    while cursor < count {
      cursor += 1
      var lineStart = cursor
      while lineStart < count && (bytes[lineStart] == 0x20 || bytes[lineStart] == 0x09) { lineStart += 1 }
      var lineEnd = lineStart
      while lineEnd < count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let line = bytes[lineStart..<lineEnd]
      if line.starts(with: name) && !line.dropFirst(name.count).contains(where: isWordByte) {
        return lineStart + name.count
      }
      cursor = lineEnd
    }
    return count
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39)
      || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
  }

  /// Whether a `/` after `previous` starts a regular expression rather than a division:
  /// after an operator, an opening bracket, a comma or a line start, not after a value.
  private static func startsRegex(after previous: UInt8) -> Bool {
    Array("(,=:[!&|?{};+-*%<>~^\n".utf8).contains(previous)
  }

  /// Just past a regular expression literal's closing `/` and flags, or `nil` when the
  /// line ends first (then it was a division after all).
  private static func regexEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var index = start
    var inClass = false
    let count = bytes.count
    while index < count {
      switch bytes[index] {
      case 0x0A, 0x0D: return nil
      case UInt8(ascii: "\\"): index += 1
      case UInt8(ascii: "["): inClass = true
      case UInt8(ascii: "]"): inClass = false
      case UInt8(ascii: "/") where !inClass:
        index += 1
        while index < count && isWordByte(bytes[index]) { index += 1 }
        return index
      default: break
      }
      index += 1
    }
    return nil
  }
}

/// A file's code as tokens grouped into statements: what the flow analysis reads.
///
/// Not a parser for any one language: identifiers (with their `.`, `->` and `::`
/// paths), string literals (the lexer's regions), brackets and operators, for every
/// language vigil lexes. A statement runs to a `;` or a brace outside brackets, or to a
/// line end that neither an open bracket, a trailing operator nor a leading operator on
/// the next line carries over, so that one construct is one statement whatever its
/// layout. One pass; comments are skipped.
struct CodeTokens {
  enum Kind: Equatable {
    /// `name`, `$name`, `a.b`, `$this->db`, `DB::raw`.
    case identifier
    case string
    case number
    case open(UInt8)
    case close(UInt8)
    /// `=`, `+=`, `.=`, `:=`, `||=`, `<<` (Ruby's append).
    case assign
    /// `+`, `.` (PHP), `||`, `&`, `..` (Lua): what joins pieces of text.
    case concat
    case comma
    case colon
    case semicolon
    case other
  }

  /// 12 bytes, not 24: a megabyte of minified JavaScript is some 400,000 tokens, and
  /// their array is what a scan's memory peaks on. Offsets fit 32 bits: tokens end at
  /// 4 GiB (`maximumOffset`), far past any file a scan reads by default.
  struct Token {
    var kind: Kind
    private var start: UInt32
    private var length: UInt32

    init(kind: Kind, range: Range<Int>) {
      self.kind = kind
      start = UInt32(clamping: range.lowerBound)
      length = UInt32(clamping: range.count)
    }

    var range: Range<Int> { Int(start)..<Int(start) + Int(length) }
  }

  /// Past this offset a file gives no tokens (so the SQL flow follows its first 4 GiB).
  static let maximumOffset = Int(UInt32.max)

  private(set) var tokens: [Token] = []
  /// Token index ranges, in order.
  private(set) var statements: [Range<Int>] = []
  /// For each token that starts a line, its indentation; -1 for the others.
  private(set) var indents: [Int] = []
  /// The tokens that start a line, ascending.
  private(set) var lineStarts: [Int] = []
  /// For each opening bracket, the index just past its closing one (`tokens.count` when
  /// it never closes); 0 for other tokens.
  private var closers: [UInt32] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>, strings: [Range<Int>], comments: [Range<Int>]) {
    var literals: [(range: Range<Int>, isString: Bool)] =
      strings.map { ($0, true) } + comments.map { ($0, false) }
    literals.sort { $0.range.lowerBound < $1.range.lowerBound }
    var nextLiteral = 0
    var lineBreakBefore: [Bool] = []
    var index = 0
    var sawLineBreak = false
    // Where a string's prefix started, while the string itself is next.
    var prefixStart: Int?
    let count = bytes.count

    func add(_ kind: Kind, _ range: Range<Int>) {
      guard range.upperBound <= Self.maximumOffset else { return }
      tokens.append(Token(kind: kind, range: range))
      lineBreakBefore.append(sawLineBreak)
      sawLineBreak = false
      prefixStart = nil
    }
    func byte(_ offset: Int) -> UInt8 { offset < count ? bytes[offset] : 0 }

    while index < count {
      while nextLiteral < literals.count && literals[nextLiteral].range.upperBound <= index {
        nextLiteral += 1
      }
      if nextLiteral < literals.count && literals[nextLiteral].range.lowerBound <= index {
        let literal = literals[nextLiteral]
        if literal.isString {
          // A prefix just before (`f`, `$@`) starts the string.
          add(
            .string,
            min(prefixStart ?? literal.range.lowerBound, literal.range.lowerBound)..<literal.range.upperBound)
        } else if bytes[literal.range].contains(0x0A) {
          sawLineBreak = true
        }
        index = max(literal.range.upperBound, index + 1)
        continue
      }
      let current = bytes[index]
      switch current {
      case 0x0A:
        sawLineBreak = true
        index += 1
      case 0x20, 0x09, 0x0D, 0x0C:
        index += 1
      case _ where Self.startsIdentifier(current, next: byte(index + 1)):
        var end = index + 1
        while true {
          while end < count && Self.isIdentifierByte(bytes[end]) { end += 1 }
          // A path goes on through `.`, `->`, `::` and `?.` before another name.
          let separator: Int =
            if byte(end) == UInt8(ascii: ".") && Self.isIdentifierStart(byte(end + 1)) {
              1
            } else if byte(end) == UInt8(ascii: "?") && byte(end + 1) == UInt8(ascii: ".")
              && Self.isIdentifierStart(byte(end + 2))
            {
              2
            } else if (byte(end) == UInt8(ascii: "-") && byte(end + 1) == UInt8(ascii: ">"))
              || (byte(end) == UInt8(ascii: ":") && byte(end + 1) == UInt8(ascii: ":"))
            { Self.isIdentifierStart(byte(end + 2)) || byte(end + 2) == UInt8(ascii: "$") ? 2 : 0 } else { 0 }
          guard separator > 0 else { break }
          end += separator + 1
        }
        // A string's prefix (`f"`, `rb'`, `u"`) is part of the string, not a name.
        let isPrefix =
          end - index <= 3 && (byte(end) == UInt8(ascii: "\"") || byte(end) == UInt8(ascii: "'"))
          && bytes[index..<end].allSatisfy { Self.stringPrefixes.contains($0) }
        // A Rust macro's `!` belongs to its name: `format!(…)` is a call.
        if byte(end) == UInt8(ascii: "!")
          && (byte(end + 1) == UInt8(ascii: "(") || byte(end + 1) == UInt8(ascii: "["))
        {
          end += 1
        }
        if isPrefix { prefixStart = prefixStart ?? index } else { add(.identifier, index..<end) }
        index = end
        // Generic arguments before a call (`Query<User>(`) belong to the name.
        if byte(index) == UInt8(ascii: "<"), let close = Self.genericEnd(bytes, from: index) {
          index = close
        }
      case _ where Self.isDigit(current):
        var end = index + 1
        while end < count && (Self.isIdentifierByte(bytes[end]) || bytes[end] == UInt8(ascii: ".")) {
          end += 1
        }
        add(.number, index..<end)
        index = end
      case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
        add(.open(current), index..<index + 1)
        index += 1
      case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
        add(.close(current), index..<index + 1)
        index += 1
      case UInt8(ascii: ","):
        add(.comma, index..<index + 1)
        index += 1
      case UInt8(ascii: "$"),
        UInt8(ascii: "@")
      where byte(index + 1) == UInt8(ascii: "\"") || byte(index + 1) == UInt8(ascii: "$")
        || byte(index + 1) == UInt8(ascii: "@"):
        // C#'s `$"…"`, `@"…"` and `$@"…"`: the prefix of the string that follows.
        prefixStart = prefixStart ?? index
        index += 1
      default:
        let (kind, length) = Self.operatorToken(bytes, at: index)
        add(kind, index..<index + length)
        index += length
      }
    }
    // The indentation of each token that starts a line (-1 for the others).
    indents = tokens.indices.map { index -> Int in
      guard index == 0 || lineBreakBefore[index] else { return -1 }
      var cursor = tokens[index].range.lowerBound
      while cursor > 0 && (bytes[cursor - 1] == 0x20 || bytes[cursor - 1] == 0x09) { cursor -= 1 }
      return tokens[index].range.lowerBound - cursor
    }
    lineStarts = indents.indices.filter { indents[$0] >= 0 }
    statements = Self.split(tokens, bytes, lineBreakBefore: lineBreakBefore, indents: indents)
    closers = [UInt32](repeating: 0, count: tokens.count)
    var open: [Int] = []
    for (index, token) in tokens.enumerated() {
      switch token.kind {
      case .open:
        closers[index] = UInt32(tokens.count)
        open.append(index)
      case .close:
        if let last = open.popLast() { closers[last] = UInt32(index + 1) }
      default: break
      }
    }
  }

  /// The first token of the line that holds a token.
  func lineStart(ofToken token: Int) -> Int {
    let next = lineStarts.partitioningIndex { $0 > token }
    return next > 0 ? lineStarts[next - 1] : 0
  }

  /// The index just past the bracket that closes the one at `open`, at most `limit`.
  func closing(_ open: Int, limit: Int) -> Int {
    min(max(Int(closers[open]), open + 1), limit)
  }

  /// The assigned name and the operator's token index, for `name = …`, `name += …`,
  /// `let name: Type = …`, `$name .= …`, `name << …`, `name[i] = …`.
  func assignment(in statement: Range<Int>, bytes: UnsafeBufferPointer<UInt8>) -> (
    target: Int, operator: Int
  )? {
    var depth = 0
    var start = statement.lowerBound
    // A condition before a one-statement branch: `if (x != null) param = values[0];`.
    if start + 1 < statement.upperBound, tokens[start].kind == .identifier,
      ["if", "while", "elif", "elsif"].contains(where: { bytes[tokens[start].range].elementsEqual($0.utf8) }),
      tokens[start + 1].kind == .open(UInt8(ascii: "(")), !isUnclosed(start + 1)
    {
      start = closing(start + 1, limit: statement.upperBound)
    }
    for index in start..<statement.upperBound {
      switch tokens[index].kind {
      case .open(let byte):
        // A bracket that never closes is stray text, not the start of a call.
        if isUnclosed(index) { continue }
        if byte == UInt8(ascii: "(") { return nil }
        depth += 1
      case .close: depth -= 1
      case .assign where depth == 0:
        var target = index - 1
        guard target >= start else { return nil }
        if tokens[target].kind == .close(UInt8(ascii: "]")) {
          while target > start && tokens[target].kind != .open(UInt8(ascii: "[")) {
            target -= 1
          }
          target -= 1
        } else if target - 2 >= start, tokens[target - 1].kind == .colon,
          tokens[target - 2].kind == .identifier
        {
          target -= 2
        }
        guard target >= start, tokens[target].kind == .identifier else { return nil }
        return (target, index)
      default: break
      }
    }
    return nil
  }

  /// Whether the bracket at `open` never closes.
  func isUnclosed(_ open: Int) -> Bool { Int(closers[open]) == tokens.count }

  /// The byte span of a token range.
  func span(_ range: Range<Int>) -> Range<Int> {
    guard !range.isEmpty else { return 0..<0 }
    return tokens[range.lowerBound].range.lowerBound..<tokens[range.upperBound - 1].range.upperBound
  }

  /// Statements: a bracket carries a statement over a line end, except where the next
  /// line is indented no deeper than the line that opened it and nothing else carries
  /// over (a bracket that never closes, in broken or unlexed code, then ends at the next
  /// line that looks like a statement of its own instead of swallowing the rest of the file).
  private static func split(
    _ tokens: [Token], _ bytes: UnsafeBufferPointer<UInt8>, lineBreakBefore: [Bool], indents: [Int]
  ) -> [Range<Int>] {
    var statements: [Range<Int>] = []
    var start = 0
    var depth = 0
    var lineIndent = indents.first ?? 0
    var openIndent = 0
    // The bracket depth and indentation outside each block opened inside brackets (a
    // callback's or an anonymous class's body): its statements are statements too.
    var outer: [(depth: Int, openIndent: Int, braces: Int)] = []
    // Braces open at bracket depth 0 in the current block.
    var braces = 0
    func end(at index: Int) {
      if index > start { statements.append(start..<index) }
      start = index
    }
    for (index, token) in tokens.enumerated() {
      if lineBreakBefore[index] { lineIndent = indents[index] }
      if index > start && lineBreakBefore[index] && !continues(after: tokens[index - 1].kind)
        && !continues(before: token.kind) && (depth == 0 || lineIndent <= openIndent)
      {
        depth = 0
        end(at: index)
      }
      switch token.kind {
      case .open(let byte) where byte != UInt8(ascii: "{"):
        if depth == 0 { openIndent = lineIndent }
        depth += 1
      case .close(let byte) where byte != UInt8(ascii: "}"):
        depth = max(0, depth - 1)
      case .open where depth == 0 && index > 0 && tokens[index - 1].kind == .assign:
        // A value, not a block: `item = {"id": k}`, `const where = { id: req.query.id }`.
        openIndent = lineIndent
        depth = 1
      case .open:
        if depth > 0 && opensBlock(after: index > 0 ? tokens[index - 1] : nil, bytes) {
          outer.append((depth, openIndent, braces))
          depth = 0
          braces = -1
        }
        if depth == 0 {
          braces += 1
          end(at: index)
          end(at: index + 1)
        } else {
          depth += 1
        }
      case .close:
        if depth == 0 {
          end(at: index)
          end(at: index + 1)
          if braces > 0 {
            braces -= 1
          } else if let saved = outer.popLast() {
            (depth, openIndent, braces) = saved
          }
        } else {
          depth -= 1
        }
      case .semicolon where depth == 0:
        end(at: index + 1)
      default: break
      }
    }
    end(at: tokens.count)
    return statements
  }

  /// Whether a `{` after this token opens a block (a function's or lambda's body, an
  /// anonymous class, `else`/`try`/`do`) rather than an object or array literal.
  private static func opensBlock(after previous: Token?, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let previous else { return false }
    switch previous.kind {
    case .close(UInt8(ascii: ")")): return true
    case .concat: return bytes[previous.range].elementsEqual("->".utf8)
    case .other: return bytes[previous.range].elementsEqual("=>".utf8)
    case .identifier:
      return ["else", "try", "do", "finally"].contains { bytes[previous.range].elementsEqual($0.utf8) }
    default: return false
    }
  }

  private static func continues(after kind: Kind) -> Bool {
    switch kind {
    case .assign, .concat, .comma, .open: true
    default: false
    }
  }

  private static func continues(before kind: Kind) -> Bool {
    switch kind {
    case .concat, .close: true
    default: false
    }
  }

  private static func operatorToken(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Kind, Int) {
    func at(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
    let first = at(0)
    let second = at(1)
    let equals = UInt8(ascii: "=")
    switch first {
    case equals:
      // `==`, `===`, `=>`, `=~` compare or map; a lone `=` assigns.
      if second == equals || second == UInt8(ascii: ">") || second == UInt8(ascii: "~") {
        return (.other, second == equals && at(2) == equals ? 3 : 2)
      }
      return (.assign, 1)
    case UInt8(ascii: "+"):
      if second == equals { return (.assign, 2) }
      if second == UInt8(ascii: "+") { return (.other, 2) }
      return (.concat, 1)
    case UInt8(ascii: "."):
      if second == equals { return (.assign, 2) }
      if second == UInt8(ascii: ".") { return (.concat, at(2) == UInt8(ascii: ".") ? 3 : 2) }
      return (.concat, 1)
    case UInt8(ascii: ":"):
      if second == equals { return (.assign, 2) }
      return (.colon, second == UInt8(ascii: ":") ? 2 : 1)
    case UInt8(ascii: "|"):
      if second == UInt8(ascii: "|") { return at(2) == equals ? (.assign, 3) : (.concat, 2) }
      return (.other, 1)
    case UInt8(ascii: "&"):
      if second == UInt8(ascii: "&") { return (.other, 2) }
      return (.concat, 1)
    case UInt8(ascii: "<"):
      if second == UInt8(ascii: "<") { return (.assign, 2) }
      return (.other, second == equals ? 2 : 1)
    case UInt8(ascii: "-") where second == UInt8(ascii: ">"):
      return (.concat, 2)
    case UInt8(ascii: ";"):
      return (.semicolon, 1)
    case UInt8(ascii: "!"), UInt8(ascii: ">"):
      return (.other, second == equals ? 2 : 1)
    default:
      return (.other, 1)
    }
  }

  /// Past `<…>` when it closes on the same line within a few bytes and a `(` follows.
  private static func genericEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var depth = 0
    var index = start
    while index < bytes.count && index < start + 80 {
      switch bytes[index] {
      case UInt8(ascii: "<"): depth += 1
      case UInt8(ascii: ">"):
        depth -= 1
        if depth == 0 {
          return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "(") ? index + 1 : nil
        }
      case 0x0A, UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "="): return nil
      default: break
      }
      index += 1
    }
    return nil
  }

  /// Letters that prefix a string literal: Python's f, r, b, u (either case).
  private static let stringPrefixes: Set<UInt8> = Set("fFrRbBuU".utf8)

  static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
  }

  static func isIdentifierByte(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || isDigit(byte)
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  private static func startsIdentifier(_ byte: UInt8, next: UInt8) -> Bool {
    isIdentifierStart(byte) || (byte == UInt8(ascii: "$") && (isIdentifierStart(next) || next == 0x5F))
      || (byte == UInt8(ascii: "@") && isIdentifierStart(next))
  }
}

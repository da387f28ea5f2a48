import VigilSupport

/// The functions of a file, as far as tokens show them: each one's name, parameters and
/// body, so that the flow can tell a function's parameter (a value its callers choose)
/// from a value of unknown origin, and follow request data from a call in the file into
/// the function it calls.
///
/// A function is a parameter list that
/// - follows `def`, `function`, `func`, `fn` or `fun` (and a name): Python, JavaScript,
///   PHP, Go, Rust, Kotlin, Swift, Ruby;
/// - follows a name and is followed by a body `{` (after `throws …`, `: Type` or
///   `-> Type`): a Java, C# or JavaScript method;
/// - is followed by `=>` or `->`: an arrow function or lambda;
/// - or is a block's `|x, y|` (Ruby, Rust).
///
/// The body is the braces that follow, or else the lines indented deeper than the
/// header's (Python, Ruby). Bounded: a parameter list of at most 64 tokens.
struct FunctionScopes {
  struct Function {
    var name: String?
    /// Each parameter's names (a Java `final String id` gives `String` and `id`: types
    /// are never inserted values, so keeping them costs nothing).
    var parameters: [[String]]
    /// Byte span of the body.
    var body: Range<Int>
    /// For a named function (one the file may call), each parameter's `likelyNames`.
    var likelyParameters: [[String]] = []
  }

  private(set) var functions: [Function] = []
  /// For each parameter name, the bodies of the functions that take it, by start.
  private var bodies: [String: [Range<Int>]] = [:]
  /// Functions by name.
  private var named: [String: [Int]] = [:]

  init(_ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>) {
    let all = tokens.tokens
    var blockEnds: [Int: Int] = [:]
    func text(_ index: Int) -> String { String(decoding: bytes[all[index].range], as: UTF8.self) }
    func isWord(_ index: Int, _ words: Set<String>) -> Bool {
      // Every word looked for is short and plain: no text is made for longer names.
      guard index >= 0, index < all.count, all[index].kind == .identifier, all[index].range.count <= 13 else {
        return false
      }
      return words.contains(text(index))
    }
    for (open, token) in all.enumerated() {
      let pipe = token.kind == .other && bytes[token.range.lowerBound] == UInt8(ascii: "|")
      guard token.kind == .open(UInt8(ascii: "(")) || pipe else { continue }
      let close: Int
      if pipe {
        // `do |a, b|`, `{ |row| … }`, Rust's `|x| …`: the next `|` within a few tokens.
        guard open > 0, all[open - 1].kind == .open(UInt8(ascii: "{")) || isWord(open - 1, ["do", "move"]),
          let end = ((open + 1)..<min(all.count, open + 16)).first(where: {
            all[$0].kind == .other && bytes[all[$0].range.lowerBound] == UInt8(ascii: "|")
          })
        else { continue }
        close = end + 1
      } else {
        close = tokens.closing(open, limit: all.count)
      }
      guard close - open <= 64, close <= all.count else { continue }
      var name: String?
      let after = close < all.count ? all[close] : nil
      let arrow =
        after.map {
          let text = bytes[$0.range]
          return text.elementsEqual("=>".utf8) || text.elementsEqual("->".utf8)
        } ?? false
      if isWord(open - 1, Self.keywords) {
        name = nil
      } else if isWord(open - 2, Self.keywords) && all[open - 1].kind == .identifier {
        name = text(open - 1)
      } else if pipe || arrow {
        name = nil
      } else if open > 0, all[open - 1].kind == .identifier, !isWord(open - 1, Self.notFunctions),
        !bytes[all[open - 1].range].contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ">") }),
        open < 2 || Self.mayPrecedeMethod(all[open - 2], bytes) && !isWord(open - 2, Self.notFunctions),
        Self.bodyBrace(tokens, bytes, after: close) != nil
      {
        name = text(open - 1)
      } else {
        continue
      }
      var parameters: [[String]] = [[]]
      var depth = 0
      for index in (open + 1)..<(close - 1) {
        switch all[index].kind {
        case .open: depth += 1
        case .close: depth -= 1
        case .comma where depth == 0: parameters.append([])
        case .identifier: parameters[parameters.count - 1].append(text(index))
        default: break
        }
      }
      let body: Range<Int>
      if !isWord(open - 1, ["def"]) && !isWord(open - 2, ["def"]),
        let brace = Self.bodyBrace(tokens, bytes, after: close)
      {
        body = all[brace].range.lowerBound..<all[tokens.closing(brace, limit: all.count) - 1].range.upperBound
      } else {
        body =
          all[close - 1].range.upperBound..<Self.indentedBlockEnd(tokens, after: close - 1, ends: &blockEnds)
      }
      functions.append(Function(name: name, parameters: parameters, body: body))
    }
    functions.sort { $0.body.lowerBound < $1.body.lowerBound }
    for (index, function) in functions.enumerated() {
      if let name = function.name {
        functions[index].likelyParameters = function.parameters.map(Self.likelyNames)
        named[name, default: []].append(index)
      }
      for parameter in function.parameters {
        for name in parameter { bodies[name, default: []].append(function.body) }
      }
    }
  }

  /// Whether a name (`id`, `$id`, or the root of `data.name`, `$data->name`,
  /// `row["id"]`) is a parameter of a function whose body holds the offset.
  func isParameter(_ path: some Collection<UInt8>, at offset: Int) -> Bool {
    let root = path.prefix { CodeTokens.isIdentifierByte($0) || $0 == UInt8(ascii: "$") }
    guard !root.isEmpty, !bodies.isEmpty else { return false }
    // The receiver is the object's own state, not a caller's choice.
    if ["self", "this", "cls", "$this"].contains(where: { root.elementsEqual($0.utf8) }) { return false }
    guard let taking = bodies[String(decoding: root, as: UTF8.self)] else { return false }
    // By start, so the bodies that may hold the offset are the last few starting before it.
    var index = taking.partitioningIndex { $0.lowerBound > offset } - 1
    let stop = max(-1, index - 16)
    while index > stop {
      if taking[index].contains(offset) { return true }
      index -= 1
    }
    return false
  }

  var hasNamedFunctions: Bool { !named.isEmpty }

  /// Whether the innermost function around one offset also holds the other. The
  /// innermost is the latest-starting body that holds it, looked for a bounded way back.
  func encloses(_ first: Int, _ second: Int) -> Bool {
    var index = functions.partitioningIndex { $0.body.lowerBound > first } - 1
    let stop = max(-1, index - 64)
    while index > stop {
      if functions[index].body.contains(first) { return functions[index].body.contains(second) }
      index -= 1
    }
    return false
  }

  /// Past this many functions of one name (minified code: `e`, `t`), a call by that
  /// name leads to none of them: which it reaches cannot be told, and following every
  /// one from every call costs the calls times the namesakes (a 1 MB bundle: 0.2 s).
  static let namesakes = 16

  /// The functions of the file named like a callee's last part (none past `namesakes`),
  /// each with its parameters by position (past a leading `self`, `cls` or `this` when
  /// the call has a receiver), each parameter as the names that may be its name
  /// (`likelyNames`).
  func parameters(calledAs callee: Slice<UnsafeBufferPointer<UInt8>>) -> [(
    parameters: [[String]], body: Range<Int>
  )] {
    guard !named.isEmpty else { return [] }
    var last = callee.endIndex
    while last > callee.startIndex && CodeTokens.isIdentifierByte(callee[last - 1]) { last -= 1 }
    guard last < callee.endIndex, let found = named[String(decoding: callee[last...], as: UTF8.self)],
      found.count <= Self.namesakes
    else {
      return []
    }
    let hasReceiver = last > callee.startIndex
    return found.map { functions[$0] }.map { function in
      if hasReceiver, let first = function.parameters.first, first.count == 1,
        ["self", "cls", "this"].contains(first[0])
      {
        return (Array(function.likelyParameters.dropFirst()), function.body)
      }
      return (function.likelyParameters, function.body)
    }
  }

  /// Of one parameter's names, those that may be its name rather than its type or a
  /// modifier: `id` of `final String id`, `r` of `r *http.Request`, `$id`, `name` of
  /// `name: str`.
  static func likelyNames(_ names: [String]) -> [String] {
    names.filter { name in
      guard let first = name.utf8.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first),
        !name.utf8.contains(UInt8(ascii: "."))
      else { return false }
      return !primitiveTypes.contains(name)
    }
  }

  static let primitiveTypes: Set<String> = [
    "int", "long", "short", "byte", "char", "float", "double", "boolean", "bool", "string", "str", "void",
    "final", "var", "let", "const", "ref", "out", "in", "params", "this", "self", "mut", "any", "object",
    "number", "uint", "int64", "int32", "uint64", "usize", "isize", "i32", "i64", "u32", "u64", "f64",
    "dict", "list", "interface", "error", "bytes", "readonly", "public", "private", "protected",
  ]

  static let keywords: Set<String> = ["def", "function", "func", "fn", "fun"]
  /// Names a parenthesis follows that start no function.
  static let notFunctions: Set<String> = [
    "if", "for", "foreach", "while", "switch", "catch", "return", "using", "lock", "synchronized", "elif",
    "elsif", "when", "unless", "until", "with", "match", "case", "and", "or", "not", "in", "do", "else",
    "try", "typeof", "sizeof", "await", "yield", "new", "throw", "assert", "print", "echo", "range", "of",
    "is", "as", "go", "defer", "loop", "guard",
  ]

  /// What may stand before a method's name: a modifier or type, `>` of a generic type,
  /// a statement's or member's end, the start of a class body.
  private static func mayPrecedeMethod(_ token: CodeTokens.Token, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool
  {
    switch token.kind {
    case .identifier, .close, .semicolon, .comma, .open(UInt8(ascii: "{")): true
    case .other: bytes[token.range].elementsEqual(">".utf8)
    default: false
    }
  }

  /// The `{` that opens a body after a parameter list's closing token, skipping a
  /// return type (Go's `(string, error)` too), `throws` clause or similar (at most a few
  /// tokens, none of them a statement end or an operator).
  private static func bodyBrace(_ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>, after close: Int)
    -> Int?
  {
    let all = tokens.tokens
    var index = close
    while index < all.count && index < close + 12 {
      switch all[index].kind {
      case .open(UInt8(ascii: "{")): return index
      case .open(UInt8(ascii: "(")), .open(UInt8(ascii: "[")): index = tokens.closing(index, limit: all.count)
      case .identifier, .colon, .comma: index += 1
      case .concat where bytes[all[index].range].elementsEqual("->".utf8): index += 1
      case .other where bytes[all[index].range].elementsEqual("=>".utf8): index += 1
      case .other where bytes[all[index].range].elementsEqual("?".utf8): index += 1
      default: return nil
      }
    }
    return nil
  }

  /// Where the lines indented deeper than the line holding a token end: the start of the
  /// first later line (of code: comment and string lines do not count) indented no
  /// deeper. A Python or Ruby body. Worked out once per line (`ends`, by the line's first
  /// token) and over at most 65,536 tokens, so that many functions on one line, or a
  /// staircase of them, cost no more than the file.
  private static func indentedBlockEnd(_ tokens: CodeTokens, after token: Int, ends: inout [Int: Int]) -> Int
  {
    let all = tokens.tokens
    let indents = tokens.indents
    // By binary search: walking back to the line's start would cost a minified file's
    // whole line for each function on it.
    let lineStart = tokens.lineStart(ofToken: token)
    if let end = ends[lineStart] { return max(end, all[token].range.upperBound) }
    let own = max(0, indents[lineStart])
    var end = all.last?.range.upperBound ?? 0
    var index = token + 1
    let stop = min(all.count, token + 65_536)
    while index < stop {
      if indents[index] >= 0 && indents[index] <= own {
        end = all[index].range.lowerBound
        break
      }
      index += 1
    }
    ends[lineStart] = end
    return max(end, all[token].range.upperBound)
  }

}

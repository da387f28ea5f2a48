/// What code inserted into SQL is, by its shape and name: request data (and the
/// parameters frameworks fill from the request), calls that make a value safe, names
/// that say they hold SQL fragments or identifiers, constants by convention, and the
/// interpolation holes of a literal. Words, not types: vigil does not resolve names.
enum ValueOrigin {
  /// Parameters a framework fills from the request: Spring's and JAX-RS's
  /// `@RequestParam String name` (`@PathVariable`, `@RequestBody`, `@QueryParam`, …),
  /// ASP.NET's `[FromQuery] string name`, and the parameters after `request` of a Django
  /// view (`def show(request, slug)`). Matched by name across the file.
  static func requestParameters(_ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
    var names: Set<String> = []
    let all = tokens.tokens
    func text(_ index: Int) -> String { String(decoding: bytes[all[index].range], as: UTF8.self) }
    /// The parameter a marker at `index` annotates: the last name before the next `,`
    /// or `)` outside the marker's own brackets.
    func parameter(after index: Int) -> String? {
      var cursor = index + 1
      var last: Int?
      var depth = 0
      while cursor < all.count && cursor < index + 32 {
        switch all[cursor].kind {
        case .open: depth += 1
        case .close:
          if depth == 0 { return last.map(text) }
          depth -= 1
        case .comma where depth == 0: return last.map(text)
        case .identifier where depth == 0: last = cursor
        default: break
        }
        cursor += 1
      }
      return nil
    }
    for (index, token) in all.enumerated() where token.kind == .identifier {
      let name = bytes[token.range]
      if name.first == UInt8(ascii: "@"),
        requestAnnotations.contains(String(decoding: name.dropFirst(), as: UTF8.self))
      {
        if let parameter = parameter(after: index) { names.insert(parameter) }
      } else if index > 0, all[index - 1].kind == .open(UInt8(ascii: "[")),
        requestAttributes.contains(String(decoding: name, as: UTF8.self))
      {
        if let parameter = parameter(after: tokens.closing(index - 1, limit: all.count) - 1) {
          names.insert(parameter)
        }
      } else if name.elementsEqual("def".utf8), index + 2 < all.count,
        all[index + 2].kind == .open(UInt8(ascii: "("))
      {
        // def view(request, a, b) or def get(self, request, a)
        let close = tokens.closing(index + 2, limit: all.count)
        let inside = ((index + 3)..<max(index + 3, close - 1)).filter { all[$0].kind == .identifier }.map(
          text)
        if let position = inside.firstIndex(of: "request"), position <= 1 {
          names.formUnion(inside[(position + 1)...].filter { $0 != "self" && $0 != "kwargs" && $0 != "args" })
        }
      }
    }
    return names
  }

  static let requestAnnotations: Set<String> = [
    "RequestParam", "PathVariable", "RequestBody", "RequestHeader", "CookieValue", "RequestPart",
    "MatrixVariable",
    "QueryParam", "PathParam", "FormParam", "HeaderParam", "CookieParam", "BeanParam",
  ]
  static let requestAttributes: Set<String> = [
    "FromQuery", "FromBody", "FromForm", "FromRoute", "FromHeader",
  ]

  /// Calls that make a value safe to paste: escaping, quoting, conversion to a number.
  static func isSafeCall(_ name: String) -> Bool {
    let method =
      name.split(whereSeparator: { $0 == "." || $0 == ">" || $0 == ":" }).last.map(String.init) ?? name
    let lower = method.lowercased()
    if ["escape", "quote", "sanitiz", "placeholder", "parameter"].contains(where: { lower.contains($0) }) {
      return true
    }
    return [
      "int", "intval", "floatval", "float", "parseint", "parsefloat", "number", "itoa", "formatint", "len",
      "count",
      "size", "parselong", "valueof", "toint", "tolong", "to_i", "to_f", "abs",
    ].contains(lower)
  }

  /// Calls that pass a value on as text, changed only in form: `str(id)`, `id.trim()`,
  /// `String.valueOf(id)`.
  static func isConversion(_ name: some Collection<UInt8>) -> Bool {
    let method =
      name.split(whereSeparator: {
        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ":")
      }).last ?? name[...]
    return conversions.contains { $0.count == method.count && $0.elementsEqual(method.lazy.map(lowercased)) }
  }

  private static let sessionMarkers: [[UInt8]] = ["$_session", "session[", "session.get"].map {
    Array($0.utf8)
  }

  private static let conversions: [[UInt8]] = [
    "str", "string", "tostring", "valueof", "strval", "to_s", "trim", "strip", "lower", "upper",
    "tolowercase", "touppercase", "unicode", "decode", "encode", "urldecode", "unquote",
  ].map { Array($0.utf8) }

  static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

  static func looksLikeRequest(_ code: String) -> Bool {
    var utf8 = Array(code.utf8.prefix(80))
    return utf8.withUnsafeMutableBufferPointer { looksLikeRequest(UnsafeBufferPointer($0)) }
  }

  /// By bytes, case-insensitively, without allocating: this runs for every name that is
  /// assigned from.
  static func looksLikeRequest(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
    func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    func matches(_ marker: [UInt8], at offset: Int) -> Bool {
      guard offset + marker.count <= code.count else { return false }
      for (position, byte) in marker.enumerated() where lower(code[offset + position]) != byte {
        return false
      }
      return true
    }
    if requestNames.contains(where: { $0.count == code.count && matches($0, at: 0) }) { return true }
    if requestMarkers.contains(where: { matches($0, at: 0) }) { return true }
    for offset in 0..<code.count {
      let first = lower(code[offset])
      for marker in requestCalls where marker[0] == first && matches(marker, at: offset) { return true }
    }
    return false
  }

  /// A literal naming the request body as a stream: PHP's `php://input`.
  static func namesRequestBody(_ literal: some Collection<UInt8>) -> Bool {
    // By bytes: this runs for every string the flow looks at.
    guard literal.count < 40 else { return false }
    var index = literal.startIndex
    while index != literal.endIndex {
      if literal[index...].starts(with: "php://input".utf8) { return true }
      literal.formIndex(after: &index)
    }
    return false
  }

  /// Session state: `$_SESSION['id']`, `session[:user]`, `session.get("id")`,
  /// `session.getAttribute("id")`.
  static func looksLikeSession(_ path: some Collection<UInt8>) -> Bool {
    guard let first = path.first, first == UInt8(ascii: "$") || first | 0x20 == UInt8(ascii: "s") else {
      return false
    }
    let start = path.prefix(12).map(lowercased)
    return sessionMarkers.contains { start.starts(with: $0) }
  }

  static let requestNames: [[UInt8]] = ["params", "request"].map { Array($0.utf8) }
  static let requestMarkers: [[UInt8]] = [
    "req.", "request.", "request[", "request(", "$request->", "$_get", "$_post", "$_request", "$_cookie",
    "$_server", "$_files",
    "params[",
    "params.", "params(", "ctx.query", "ctx.params", "ctx.request", "c.query", "c.param", "c.postform",
    "args.",
    "self.request.", "this.request.", "event[", "event.",
  ].map { Array($0.utf8) }
  /// Whether `code` starts with what Laravel's request object hands out besides the
  /// request: the signed-in user (`$request->user()->team_id`, `request()->user()`) and
  /// the session.
  static func isUserOrSession(_ code: some Collection<UInt8>) -> Bool {
    let lowered = code.prefix(24).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    return ["$request->user(", "request()->user(", "$request->session(", "request()->session("].contains {
      lowered.starts(with: $0.utf8)
    }
  }
  static let requestCalls: [[UInt8]] = [
    "formvalue", "getparameter", "getheader", "getquerystring", "postform", "query.get(", "args.get(",
    "form.get(",
    "form[", "querystring", "input(", "readline(",
  ].map { Array($0.utf8) }

  static let listMethods: Set<String> = [
    "join", "map", "tostring", "trim", "strip", "implode", "mkstring", "joined", "where", "select", "filter",
    "tolist",
    "toarray",
  ]

  /// A name that says it holds SQL text or an identifier rather than a value:
  /// `whereSql`, `tablesCondition`, `joinClause`, `columnNames`, `quotedTable`,
  /// `getTableName`. A bare `column` or `table` is not enough (it may be a request
  /// parameter naming a sort column).
  static func isFragmentName(_ path: String) -> Bool {
    let last =
      path.split(whereSeparator: { $0 == "." || $0 == ">" || $0 == ":" || $0 == "$" }).last.map(String.init)
      ?? path
    let lower = last.lowercased()
    if ["quoted", "escaped", "wrapped", "sanitized"].contains(where: {
      lower.hasPrefix($0) || lower.hasPrefix("_" + $0)
    }) {
      return true
    }
    guard lower.count > 3 else { return false }
    return [
      "sql", "condition", "conditions", "clause", "clauses", "fragment", "fragments", "subquery", "joins",
      "columns",
      "names", "tablename", "table_name", "tablenames", "tables", "tablepath", "schemaname", "schema_name",
      "identifier", "identifiers", "placeholders", "placeholder", "wheres", "expression", "keyname",
      "indexname",
      "constraintname", "sequencename", "viewname", "view_name", "columnname", "column_name", "alias",
      "aliases",
      "columnlist", "column_list", "table", "column",
    ].contains { lower.hasSuffix($0) && !["names", "table", "column"].contains(lower) }
  }

  /// `MAX_ROWS`, `Kind.VIEW`: an upper-case name is a constant by every style guide.
  static func isConstantName(_ path: String) -> Bool {
    let last =
      path.split(whereSeparator: { $0 == "." || $0 == ">" || $0 == ":" }).last.map(String.init) ?? path
    return last.count > 1 && last.contains(where: \.isLetter)
      && last.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber }
  }

  /// Functions that join their arguments: a value only where an argument is one.
  static let joinFunctions: Set<String> = [
    "string.join", "string.concat", "string.format", "strings.join", "implode",
  ]

  static let keywords: Set<String> = [
    "true", "false", "null", "nil", "none", "undefined", "this", "self", "new", "not", "and", "or", "in",
    "is",
  ]

  /// The interpolation holes of a literal, each as the name path it starts with and
  /// whether that is called: `${…}`, `#{…}`, `{$…}`, `\(…)`, a PHP `$name`, or an
  /// f-string's `{…}`. A hole holding only a number or an operator is left out.
  static func holes(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: Range<Int>) -> [(
    name: Range<Int>, isCall: Bool
  )] {
    guard literal.count > 2 else { return [] }
    var quoteAt = literal.lowerBound
    while CodeTokens.isIdentifierStart(bytes[quoteAt]) || bytes[quoteAt] == UInt8(ascii: "$")
      || bytes[quoteAt] == UInt8(ascii: "@")
    {
      quoteAt += 1
      if quoteAt >= literal.upperBound { return [] }
    }
    let prefix = bytes[literal.lowerBound..<quoteAt]
    let quote = bytes[quoteAt]
    let single = quote == UInt8(ascii: "'")
    let fString =
      prefix.contains(UInt8(ascii: "f")) || prefix.contains(UInt8(ascii: "F"))
      || prefix.contains(UInt8(ascii: "$"))
    var found: [(name: Range<Int>, isCall: Bool)] = []
    var index = quoteAt + 1
    while index < literal.upperBound - 1 && found.count < 16 {
      let byte = bytes[index]
      let next = bytes[index + 1]
      var start: Int?
      if !single && (byte == UInt8(ascii: "$") || byte == UInt8(ascii: "#")) && next == UInt8(ascii: "{") {
        start = index + 2
      } else if !single && byte == UInt8(ascii: "\\") && next == UInt8(ascii: "(") {
        start = index + 2
      } else if !single && byte == UInt8(ascii: "$") && CodeTokens.isIdentifierStart(next) {
        start = index
      } else if fString && byte == UInt8(ascii: "{") && next != UInt8(ascii: "{") {
        start = index + 1
      } else if byte == UInt8(ascii: "\\") || (fString && byte == UInt8(ascii: "{")) {
        index += 2
        continue
      }
      if let start, start < literal.upperBound,
        CodeTokens.isIdentifierStart(bytes[start]) || bytes[start] == UInt8(ascii: "$")
      {
        var end = start
        while end < literal.upperBound - 1
          && (CodeTokens.isIdentifierByte(bytes[end]) || bytes[end] == UInt8(ascii: ".")
            || bytes[end] == UInt8(ascii: "$")
            || (bytes[end] == UInt8(ascii: "-") && bytes[end + 1] == UInt8(ascii: ">"))
            || (bytes[end] == UInt8(ascii: ">") && bytes[end - 1] == UInt8(ascii: "-")))
        {
          end += 1
        }
        found.append((start..<end, end < literal.upperBound - 1 && bytes[end] == UInt8(ascii: "(")))
        index = end
        continue
      }
      index += 1
    }
    return found
  }

  static func hasHole(_ literal: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    !holes(literal.base, literal.startIndex..<literal.endIndex).isEmpty
  }
}

/// SQL followed from where it is built to where it runs, within one file.
///
/// The rules' regexes find where SQL text is built from a non-literal part (a
/// *construction*) and where an SQL statement starts in a literal (a *seed*, for rules
/// that `accumulate`). This follows both through the file's statements, in order:
///
/// - a construction inside the arguments of a call the rule names as a sink (`execute`,
///   `query`, `raw`, …) reaches it;
/// - a variable assigned a construction (`q = "… id = " + id`) carries it, and so does
///   a variable assigned from one that does (`q2 = q + " LIMIT 1"`); where the variable
///   appears in a sink's arguments, the construction reaches that sink;
/// - a variable holding a seed (`query = "SELECT … WHERE age = "`, `sb.append("SELECT …")`)
///   becomes a construction where a value is added to it (`query += age`,
///   `sb.append(id)`, `WriteString`, `push_str`, `.concat`, `<<`), located at the value;
/// - what is inserted is looked at: a number, a literal, a constant of the file (a name
///   only ever assigned literals), or a call that escapes, quotes or converts to a number
///   is no value, and a construction inserting only such parts is not reported.
///
/// A construction that reaches no sink in the file is not reported: SQL text built and
/// returned (a query builder's own code) is left to the place that runs it. Variables
/// are matched by name across the file, the later assignment replacing the earlier.
struct QueryFlow {
  /// A construction found to reach a sink.
  struct Reach {
    var match: DetectedMatch
    /// The value inserted, if one was told apart.
    var value: Range<Int>?
  }

  private let tokens: CodeTokens
  private let bytes: UnsafeBufferPointer<UInt8>
  private let isSink: (Int, UnsafeBufferPointer<UInt8>) -> Bool

  private struct Item {
    var match: DetectedMatch
    var value: Range<Int>?
    var reached: Range<Int>?
    var fromRequest = false
    /// It inserts only constants: not a construction after all.
    var dropped = false
  }

  private struct Variable {
    var carried: [Int] = []
    /// A seed the variable holds: its rule.
    var seed: Int?
    /// It was assigned request data (`$id = $_GET['id']`, `name = request.args["name"]`).
    var fromRequest = false

    mutating func carry(_ more: [Int]) {
      for item in more where !carried.contains(item) && carried.count < Self.limit { carried.append(item) }
    }

    /// How many constructions one variable follows: enough for any real code, and a
    /// bound on the work a hostile file can ask for.
    static let limit = 16
  }

  /// The rules' constructions, sorted by start, then those found by accumulation (in
  /// the order found, which is also by start).
  private var items: [Item]
  private let foundCount: Int
  private let seeds: [DetectedMatch]
  private var variables: [String: Variable] = [:]
  /// The current statement's names that are variables of the file, by token index, as
  /// they stood when the statement began: looked up once, however many calls nest.
  private var resolved: [(token: Int, variable: Variable)] = []
  /// Names only ever assigned literals in the file.
  private let constants: Set<String>

  /// Tokens of one call's arguments looked at, at most: a bound on nested calls.
  private static let argumentBudget = 2048

  /// - Parameters:
  ///   - constructions: the matches of rules with a sink.
  ///   - seeds: the matches of rules that accumulate (their literal).
  ///   - isSink: whether a rule (by index) names a callee as its sink.
  init(
    tokens: CodeTokens, bytes: UnsafeBufferPointer<UInt8>, constructions: [DetectedMatch],
    seeds: [DetectedMatch], isSink: @escaping (Int, UnsafeBufferPointer<UInt8>) -> Bool
  ) {
    self.tokens = tokens
    self.bytes = bytes
    self.isSink = isSink
    self.items = constructions.sorted { $0.start < $1.start }.map { Item(match: $0) }
    self.foundCount = items.count
    self.seeds = seeds.sorted { $0.start < $1.start }
    self.constants = Self.constants(tokens, bytes)
  }

  /// The constructions that reach a sink, each with the sink's callee as its related
  /// range and the value it inserts, where one was told apart.
  mutating func run() -> [DetectedMatch] {
    for name in Self.requestParameters(tokens, bytes) {
      variables[name, default: Variable()].fromRequest = true
    }
    for statement in tokens.statements { visit(statement) }
    return items.compactMap { item in
      guard let sink = item.reached, !item.dropped else { return nil }
      var match = item.match
      match.relatedRange = sink
      match.valueRange = item.value
      match.insertsRequestData = item.fromRequest
      return match
    }
  }

  /// Items whose construction starts inside a byte span: two binary searches.
  private func items(in span: Range<Int>) -> [Int] {
    func search(_ bounds: Range<Int>) -> Range<Int> {
      func first(atLeast offset: Int) -> Int {
        var low = bounds.lowerBound
        var high = bounds.upperBound
        while low < high {
          let middle = (low + high) / 2
          if items[middle].match.start < offset { low = middle + 1 } else { high = middle }
        }
        return low
      }
      return first(atLeast: span.lowerBound)..<first(atLeast: span.upperBound)
    }
    return Array(search(0..<foundCount)) + Array(search(foundCount..<items.count))
  }

  private func seed(in span: Range<Int>) -> Int? {
    var low = 0
    var high = seeds.count
    while low < high {
      let middle = (low + high) / 2
      if seeds[middle].start < span.lowerBound { low = middle + 1 } else { high = middle }
    }
    return low < seeds.count && span.contains(seeds[low].start) ? seeds[low].ruleIndex : nil
  }

  // MARK: - Statements

  private mutating func visit(_ statement: Range<Int>) {
    guard !statement.isEmpty else { return }
    let local = items(in: tokens.span(statement))
    if !local.isEmpty {
      let chains = Chains(Self.chains(tokens, statement), tokens: tokens)
      var onlyConstants: [Int: Bool] = [:]
      for index in local where items[index].value == nil {
        let start = items[index].match.start
        items[index].value = insertedValue(around: start, chains: chains)
        items[index].fromRequest = items[index].value.map(isRequestData) ?? false
        if items[index].value == nil
          && insertsOnlyConstants(around: start, chains: chains, memo: &onlyConstants)
        {
          items[index].dropped = true
        }
      }
    }
    resolved = []
    if !variables.isEmpty {
      for index in statement where tokens.tokens[index].kind == .identifier {
        if let variable = lookup(tokens.tokens[index].range) { resolved.append((index, variable)) }
      }
    }
    // Calls: sinks first (what they run is the state before this statement's
    // assignment), then appends to a builder.
    for index in statement {
      guard tokens.tokens[index].kind == .identifier, index + 1 < statement.upperBound else { continue }
      let callee = tokens.tokens[index].range
      guard tokens.tokens[index + 1].kind == .open(UInt8(ascii: "(")) else {
        // Ruby's call without parentheses: `connection.execute sql`, `User.where "…"`,
        // a method path followed on its line by its first argument.
        if let arguments = bareArguments(after: index, in: statement) {
          reach(callee: callee, arguments: arguments)
        }
        continue
      }
      let close = tokens.closing(index + 1, limit: statement.upperBound)
      let arguments = (index + 2)..<min(max(index + 2, close - 1), index + 2 + Self.argumentBudget)
      reach(callee: callee, arguments: arguments)
      if let receiver = Self.appendReceiver(bytes, callee) {
        accumulate(into: receiver, from: arguments, appends: true)
        var variable = variables[receiver] ?? Variable()
        let contribution = contributions(arguments)
        variable.carry(contribution.carried)
        variable.seed = variable.seed ?? contribution.seed
        variables[receiver] = variable
      }
    }
    guard let (target, operatorIndex) = tokens.assignment(in: statement) else { return }
    let right = (operatorIndex + 1)..<statement.upperBound
    let op = bytes[tokens.tokens[operatorIndex].range]
    let name = text(tokens.tokens[target].range)
    let appends = !(op.count == 1 || (op.count == 2 && op[op.startIndex] == UInt8(ascii: ":")))
    let selfReferencing = right.contains {
      tokens.tokens[$0].kind == .identifier && text(tokens.tokens[$0].range) == name
    }
    var variable = appends || selfReferencing ? variables[name] ?? Variable() : Variable()
    let contribution = contributions(right)
    variable.carry(contribution.carried)
    variable.fromRequest =
      variable.fromRequest
      || right.prefix(Self.argumentBudget).contains { index in
        tokens.tokens[index].kind == .identifier && isRequestData(tokens.tokens[index].range)
      } || resolvedVariables(in: right).contains { $0.variable.fromRequest }
    variable.seed = variable.seed ?? contribution.seed
    variables[name] = variable
    accumulate(into: name, from: right, appends: appends)
  }

  /// The arguments of a call written without parentheses: a method path (`a.b`, `A::b`)
  /// followed, after a space on the same line, by a string or a name, up to the end of
  /// the statement or a block (`do`, `{`).
  private func bareArguments(after index: Int, in statement: Range<Int>) -> Range<Int>? {
    let callee = tokens.tokens[index].range
    let next = tokens.tokens[index + 1]
    guard next.kind == .string || next.kind == .identifier, next.range.lowerBound > callee.upperBound,
      bytes[callee].contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }),
      !bytes[callee.upperBound..<next.range.lowerBound].contains(where: { $0 == 0x0A || $0 == 0x0D })
    else { return nil }
    var end = index + 1
    while end < statement.upperBound && end < index + 1 + Self.argumentBudget {
      let token = tokens.tokens[end]
      if token.kind == .open(UInt8(ascii: "{")) { break }
      if token.kind == .identifier && bytes[token.range].elementsEqual("do".utf8) { break }
      end += 1
    }
    return (index + 1)..<end
  }

  /// Marks constructions in or carried into a sink call's arguments as reaching it.
  private mutating func reach(callee: Range<Int>, arguments: Range<Int>) {
    guard !arguments.isEmpty else { return }
    var candidates = items(in: tokens.span(arguments))
    for entry in resolvedVariables(in: arguments) { candidates += entry.variable.carried }
    // The sink patterns run only for calls that are handed a construction.
    candidates.removeAll { items[$0].reached != nil || items[$0].dropped }
    guard !candidates.isEmpty else { return }
    let calleeBytes = UnsafeBufferPointer(rebasing: bytes[callee])
    for candidate in candidates where items[candidate].reached == nil {
      if isSink(items[candidate].match.ruleIndex, calleeBytes) { items[candidate].reached = callee }
    }
  }

  /// Where a variable holding a seed gets a value added, a new construction.
  private mutating func accumulate(into name: String, from range: Range<Int>, appends: Bool) {
    guard !range.isEmpty else { return }
    // A construction a rule already found here is enough.
    if !items(in: tokens.span(range)).isEmpty { return }
    let contribution = contributions(range)
    var variable = variables[name] ?? Variable()
    guard let seed = variable.seed ?? contribution.seed else { return }
    var value: Range<Int>?
    for chain in Self.chains(tokens, range.lowerBound..<min(range.upperBound, range.lowerBound + 256)) {
      let inserts =
        (appends && variable.seed != nil) || (chain.count > 1 && chain.contains { isSeedOperand($0) })
      guard inserts else { continue }
      if let found = firstValue(in: chain) {
        value = found
        break
      }
    }
    guard let value else { return }
    items.append(
      Item(
        match: DetectedMatch(ruleIndex: seed, matchRange: value, secretRange: value), value: value,
        fromRequest: isRequestData(value)))
    variable.carry([items.count - 1])
    variable.seed = seed
    variables[name] = variable
  }

  // MARK: - Assignments and contributions

  private struct Contribution {
    var carried: [Int] = []
    var seed: Int?
  }

  private func contributions(_ range: Range<Int>) -> Contribution {
    var result = Contribution()
    guard !range.isEmpty else { return result }
    let span = tokens.span(range)
    result.carried = items(in: span).filter { !items[$0].dropped }
    result.seed = seed(in: span)
    for entry in resolvedVariables(in: range) {
      result.carried += entry.variable.carried
      result.seed = result.seed ?? entry.variable.seed
    }
    return result
  }

  /// The statement's resolved names inside a token range (a bounded number).
  private func resolvedVariables(in range: Range<Int>) -> ArraySlice<(token: Int, variable: Variable)> {
    var low = 0
    var high = resolved.count
    while low < high {
      let middle = (low + high) / 2
      if resolved[middle].token < range.lowerBound { low = middle + 1 } else { high = middle }
    }
    var end = low
    while end < resolved.count && resolved[end].token < range.upperBound && end - low < Variable.limit {
      end += 1
    }
    return resolved[low..<end]
  }

  private func lookup(_ range: Range<Int>) -> Variable? {
    var end = range.upperBound
    while end > range.lowerBound {
      if let variable = variable(named: text(range.lowerBound..<end)) { return variable }
      // Shorten to the path before the last separator: `sb.toString` → `sb`.
      var cut = end - 1
      while cut > range.lowerBound && !Self.isSeparator(bytes[cut]) { cut -= 1 }
      while cut > range.lowerBound && Self.isSeparator(bytes[cut - 1]) { cut -= 1 }
      guard cut > range.lowerBound else { return nil }
      end = cut
    }
    return nil
  }

  private func isSeedOperand(_ operand: Range<Int>) -> Bool {
    if seed(in: tokens.span(operand)) != nil { return true }
    return operand.count == 1 && tokens.tokens[operand.lowerBound].kind == .identifier
      && lookup(tokens.tokens[operand.lowerBound].range)?.seed != nil
  }

  // MARK: - Values

  /// A statement's concatenation chains, with their operands findable by offset.
  private struct Chains {
    let chains: [[Range<Int>]]
    /// Every operand's byte span, chain and position, by start.
    private let operands: [(span: Range<Int>, chain: Int, position: Int)]
    /// The chain whose first operand starts at a token index.
    private let startingAt: [Int: Int]

    init(_ chains: [[Range<Int>]], tokens: CodeTokens) {
      self.chains = chains
      var operands: [(span: Range<Int>, chain: Int, position: Int)] = []
      var startingAt: [Int: Int] = [:]
      for (number, chain) in chains.enumerated() {
        startingAt[chain[0].lowerBound] = number
        for (position, operand) in chain.enumerated() {
          operands.append((tokens.span(operand), number, position))
        }
      }
      operands.sort { $0.span.lowerBound < $1.span.lowerBound }
      self.operands = operands
      self.startingAt = startingAt
    }

    /// The smallest operand holding an offset: the last one starting at or before it
    /// that holds it, looking back a bounded way (nested brackets).
    func innermost(containing offset: Int) -> (chain: Int, position: Int)? {
      var low = 0
      var high = operands.count
      while low < high {
        let middle = (low + high) / 2
        if operands[middle].span.lowerBound <= offset { low = middle + 1 } else { high = middle }
      }
      var index = low - 1
      var best: (chain: Int, position: Int, size: Int)?
      while index >= 0 && index >= low - 64 {
        let operand = operands[index]
        if operand.span.contains(offset) && (best == nil || operand.span.count < best!.size) {
          best = (operand.chain, operand.position, operand.span.count)
        }
        index -= 1
      }
      return best.map { ($0.chain, $0.position) }
    }

    func chain(startingAt token: Int) -> Int? { startingAt[token] }
  }

  /// The first value a construction inserts: in the innermost concatenation holding it
  /// (a hole in its literal, then the operands after it), else in the arguments of the
  /// format call it starts, else in what follows a `%` or `,` after it (Python's
  /// `"…%s" % (x,)`, `Sprintf("…%s", x)`); inside a call that is a value
  /// (`format(price, id)`), its first value argument. A bounded look each way.
  private func insertedValue(around offset: Int, chains: Chains) -> Range<Int>? {
    guard let best = chains.innermost(containing: offset) else { return nil }
    let chain = chains.chains[best.chain]
    let holder = chain[best.position]
    if tokens.tokens[holder.lowerBound].kind == .identifier,
      let value = argumentValue(of: holder, skippingFirst: true)
    {
      return value
    }
    for operand in chain[best.position...].prefix(64) {
      if let value = valueOperand(operand) {
        return argumentValue(of: operand, skippingFirst: false) ?? value
      }
    }
    // What follows the chain: `% (x,)` or `, x`.
    let after = chain[chain.count - 1].upperBound
    guard after < tokens.tokens.count,
      tokens.tokens[after].kind == .comma || bytes[tokens.tokens[after].range.lowerBound] == UInt8(ascii: "%")
    else { return nil }
    for start in [after + 1, after + 2] {
      if let next = chains.chain(startingAt: start) {
        return firstValue(in: Array(chains.chains[next].prefix(64)))
      }
    }
    return nil
  }

  /// The first value among a call operand's arguments (after the first, a format
  /// string, when asked).
  private func argumentValue(of operand: Range<Int>, skippingFirst: Bool) -> Range<Int>? {
    guard operand.count > 2, tokens.tokens[operand.lowerBound].kind == .identifier,
      tokens.tokens[operand.lowerBound + 1].kind == .open(UInt8(ascii: "("))
    else { return nil }
    let close = tokens.closing(operand.lowerBound + 1, limit: operand.upperBound)
    let arguments = (operand.lowerBound + 2)..<max(operand.lowerBound + 2, close - 1)
    var chains = Self.chains(
      tokens, arguments.lowerBound..<min(arguments.upperBound, arguments.lowerBound + 64))
    if skippingFirst && !chains.isEmpty { chains.removeFirst() }
    for chain in chains {
      if let value = firstValue(in: chain) { return value }
    }
    return nil
  }

  /// Whether everything the construction's concatenation inserts is a constant (and it
  /// has no interpolation hole), or its literal's every hole holds no value: only then is
  /// a construction dropped. Worked out once per chain.
  private func insertsOnlyConstants(around offset: Int, chains: Chains, memo: inout [Int: Bool]) -> Bool {
    guard let best = chains.innermost(containing: offset) else { return false }
    let chain = chains.chains[best.chain]
    if chain.count == 1 {
      guard tokens.tokens[chain[0].lowerBound].kind == .string else { return false }
      // A literal whose every hole holds no value (`${quotedTable}`); one with no hole
      // (`"…%s" % x`) inserts through what follows it.
      let holes = Self.holes(bytes, tokens.tokens[chain[0].lowerBound].range)
      return !holes.isEmpty && holes.allSatisfy { isSafe(text($0.name), isCall: $0.isCall) }
    }
    if let known = memo[best.chain] { return known }
    let result = chain.allSatisfy { operand in
      operand.allSatisfy {
        tokens.tokens[$0].kind != .string || !Self.hasHole(bytes[tokens.tokens[$0].range])
      }
        && valueOperand(operand) == nil
    }
    memo[best.chain] = result
    return result
  }

  /// The operand's bytes when it is a value of unknown origin: an identifier (not a
  /// constant of the file), a call (not one that escapes, quotes or makes a number), or
  /// a hole in a literal; `nil` for literals, numbers and safe calls.
  private func valueOperand(_ operand: Range<Int>) -> Range<Int>? {
    let head = tokens.tokens[operand.lowerBound]
    switch head.kind {
    case .string:
      return Self.holes(bytes, head.range).first { !isSafe(text($0.name), isCall: $0.isCall) }?.name
    case .identifier:
      let name = text(head.range)
      let isCall = operand.count > 1 && tokens.tokens[operand.lowerBound + 1].kind == .open(UInt8(ascii: "("))
      if isSafe(name, isCall: isCall) { return nil }
      // A plain function of constants is a constant: `str(LIMIT)`, `String(50)`. A method
      // (`req.FormValue("age")`) is a value whatever its arguments.
      if isCall
        && (!name.contains(where: { $0 == "." || $0 == ">" || $0 == ":" })
          || Self.joinFunctions.contains(name.lowercased()))
      {
        let close = tokens.closing(operand.lowerBound + 1, limit: operand.upperBound)
        let arguments = (operand.lowerBound + 2)..<max(operand.lowerBound + 2, close - 1)
        let inner = arguments.prefix(64)
        let anyValue = Self.chains(tokens, inner.startIndex..<inner.endIndex).contains { chain in
          firstValue(in: chain) != nil
        }
        if !anyValue && arguments.count <= 64 { return nil }
      }
      if lookup(head.range)?.seed != nil && !isCall { return nil }
      return tokens.span(operand)
    case .open:
      // A group is a value where it holds a name that is one: `(id)`, `(a || b)`.
      for index in operand.dropFirst() where tokens.tokens[index].kind == .identifier {
        let name = text(tokens.tokens[index].range)
        let isCall =
          index + 1 < operand.upperBound && tokens.tokens[index + 1].kind == .open(UInt8(ascii: "("))
        if !isSafe(name, isCall: isCall) { return tokens.tokens[index].range }
      }
      return nil
    default:
      return nil
    }
  }

  private func firstValue(in chain: [Range<Int>]) -> Range<Int>? {
    for operand in chain {
      if let value = valueOperand(operand) { return value }
    }
    return nil
  }

  /// Concatenation chains of a token range: operands (token ranges) joined by `+`, `.`,
  /// `||`, `&`, `..`, outermost first, then those inside brackets.
  static func chains(_ tokens: CodeTokens, _ range: Range<Int>) -> [[Range<Int>]] {
    var result: [[Range<Int>]] = []
    var chain: [Range<Int>] = []
    var expectOperand = true
    var index = range.lowerBound
    var nested: [Range<Int>] = []
    func flush() {
      if !chain.isEmpty { result.append(chain) }
      chain = []
      expectOperand = true
    }
    while index < range.upperBound {
      let token = tokens.tokens[index]
      switch token.kind {
      case .identifier, .string, .number, .open:
        if !expectOperand { flush() }
        var end = index + 1
        if case .open = token.kind {
          end = tokens.closing(index, limit: range.upperBound)
          nested.append((index + 1)..<max(index + 1, end - 1))
        } else if token.kind == .identifier {
          // A call or subscript belongs to its operand: `f(x)`, `$_GET['id']`, `a.b(c).d`.
          while end < range.upperBound, case .open(let byte) = tokens.tokens[end].kind,
            byte != UInt8(ascii: "{")
          {
            let close = tokens.closing(end, limit: range.upperBound)
            nested.append((end + 1)..<max(end + 1, close - 1))
            end = close
          }
        }
        chain.append(index..<end)
        expectOperand = false
        index = end
      case .concat where !expectOperand:
        expectOperand = true
        index += 1
      default:
        flush()
        index += 1
      }
    }
    flush()
    for inner in nested where !inner.isEmpty { result += chains(tokens, inner) }
    return result
  }

  // MARK: - Request parameters

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

  // MARK: - Helpers

  /// Whether a file can add to a variable at all: `+=`, `.=`, `<<`, `||=`, a builder's
  /// append, or `name = name +`/`.`/`||`. One pass over the bytes, before any lexing.
  static func mayAccumulate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    let equals = UInt8(ascii: "=")
    var index = 1
    while index < count {
      let byte = bytes[index]
      if byte == equals {
        let before = bytes[index - 1]
        if before == UInt8(ascii: "+") || before == UInt8(ascii: ".") || before == UInt8(ascii: "|") {
          return true
        }
        if selfConcatenates(bytes, at: index) { return true }
      } else if byte == UInt8(ascii: "<") && bytes[index - 1] == UInt8(ascii: "<") {
        return true
      } else if byte == UInt8(ascii: "."), index + 1 < count, appendInitials.contains(bytes[index + 1]) {
        for method in appendMarkers where matches(method, in: bytes, at: index + 1) { return true }
      }
      index += 1
    }
    return false
  }

  /// `name = name +` (or `.`, `||`) around the `=` at `index`.
  private static func selfConcatenates(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    let count = bytes.count
    guard index + 1 < count, bytes[index + 1] != UInt8(ascii: "="), bytes[index + 1] != UInt8(ascii: ">")
    else {
      return false
    }
    var end = index - 1
    while end >= 0 && (bytes[end] == 0x20 || bytes[end] == 0x09) { end -= 1 }
    var start = end
    while start >= 0 && start > end - 64
      && (CodeTokens.isIdentifierByte(bytes[start]) || bytes[start] == UInt8(ascii: "$"))
    {
      start -= 1
    }
    let length = end - start
    guard length > 0 else { return false }
    var next = index + 1
    while next < count && (bytes[next] == 0x20 || bytes[next] == 0x09) { next += 1 }
    guard next + length <= count else { return false }
    for offset in 0..<length where bytes[next + offset] != bytes[start + 1 + offset] { return false }
    var after = next + length
    while after < count && (bytes[after] == 0x20 || bytes[after] == 0x09) { after += 1 }
    guard after < count else { return false }
    return bytes[after] == UInt8(ascii: "+") || bytes[after] == UInt8(ascii: ".")
      || bytes[after] == UInt8(ascii: "|")
  }

  private static func matches(_ text: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + text.count <= bytes.count else { return false }
    for (position, byte) in text.enumerated() where bytes[offset + position] != byte { return false }
    return true
  }

  private static let appendInitials: Set<UInt8> = Set(appendMethods.compactMap(\.utf8.first))
  private static let appendMarkers: [[UInt8]] = appendMethods.map { Array($0.utf8) }

  private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  private static func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ".") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ":")
      || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "?")
  }

  /// `sb.append`, `b.WriteString`, `s.push_str`, `q.concat`, `sql.Append…`: the receiver.
  static func appendReceiver(_ bytes: UnsafeBufferPointer<UInt8>, _ callee: Range<Int>) -> String? {
    let name = String(decoding: bytes[callee], as: UTF8.self)
    guard let dot = name.lastIndex(where: { $0 == "." || $0 == ">" }) else { return nil }
    let method = name[name.index(after: dot)...]
    guard appendMethods.contains(String(method)) else { return nil }
    var receiver = name[..<dot]
    if receiver.hasSuffix("-") { receiver = receiver.dropLast() }
    return receiver.isEmpty ? nil : String(receiver)
  }

  static let appendMethods: Set<String> = [
    "append", "Append", "AppendFormat", "AppendLine", "WriteString", "push_str", "concat", "write", "extend",
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

  /// Whether inserted code is request data: by its name (`req.body.x`, `$_GET['id']`,
  /// `request.args`, `params[:id]`, `r.FormValue`), or a variable of the file assigned
  /// such data.
  private func isRequestData(_ range: Range<Int>) -> Bool {
    if Self.looksLikeRequest(UnsafeBufferPointer(rebasing: bytes[range.prefix(80)])) { return true }
    var end = range.lowerBound
    while end < range.upperBound
      && (CodeTokens.isIdentifierByte(bytes[end]) || bytes[end] == UInt8(ascii: "$"))
    { end += 1 }
    return end > range.lowerBound && variable(named: text(range.lowerBound..<end))?.fromRequest == true
  }

  /// A variable by name; `$name` (a Kotlin or shell hole) also finds `name`.
  private func variable(named name: String) -> Variable? {
    variables[name] ?? (name.hasPrefix("$") ? variables[String(name.dropFirst())] : nil)
  }

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

  static let requestNames: [[UInt8]] = ["params", "request"].map { Array($0.utf8) }
  static let requestMarkers: [[UInt8]] = [
    "req.", "request.", "request[", "$_get", "$_post", "$_request", "$_cookie", "$_server", "$_files",
    "params[",
    "params.", "params(", "ctx.query", "ctx.params", "ctx.request", "c.query", "c.param", "c.postform",
    "args.",
    "self.request.", "this.request.", "event[", "event.",
  ].map { Array($0.utf8) }
  static let requestCalls: [[UInt8]] = [
    "formvalue", "getparameter", "getheader", "getquerystring", "postform", "query.get(", "args.get(",
    "form.get(",
    "form[", "querystring", "input(", "readline(",
  ].map { Array($0.utf8) }

  /// Whether a name (or a call of it) inserts no value: a constant of the file, an
  /// upper-case constant, a keyword, a name that says it holds SQL text or an
  /// identifier, an escaping, quoting or number-making call, or `join`/`map` of a
  /// fragment list (`columnNames.join(", ")`).
  private func isSafe(_ name: String, isCall: Bool) -> Bool {
    if Self.looksLikeRequest(name) { return false }
    if isCall {
      if Self.isSafeCall(name) || Self.isFragmentName(name) { return true }
      guard let dot = name.lastIndex(where: { $0 == "." || $0 == ">" }) else { return false }
      let method = name[name.index(after: dot)...].lowercased()
      let receiver = String(name[..<dot]).trimmingSuffix("-")
      guard Self.listMethods.contains(method) else { return false }
      // `columnNames.join(", ")`, `paramNames.Where(…)`: a list of fragments.
      let root = receiver.split(whereSeparator: { $0 == "(" }).first.map(String.init) ?? receiver
      return Self.isFragmentName(root) || constants.contains(root)
    }
    return constants.contains(name) || Self.keywords.contains(name.lowercased()) || Self.isFragmentName(name)
      || Self.isConstantName(name)
  }

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

  /// Names assigned only literals (`LIMIT = 10`, `const table = "users"`) anywhere in the file.
  private static func constants(_ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
    var literal: Set<String> = []
    var other: Set<String> = []
    for statement in tokens.statements {
      guard let assign = statement.first(where: { tokens.tokens[$0].kind == .assign }),
        assign > statement.lowerBound,
        tokens.tokens[assign - 1].kind == .identifier
      else { continue }
      let name = String(decoding: bytes[tokens.tokens[assign - 1].range], as: UTF8.self)
      let right = (assign + 1)..<statement.upperBound
      let isLiteral =
        !right.isEmpty
        && right.allSatisfy { index in
          switch tokens.tokens[index].kind {
          case .number, .concat, .semicolon: true
          case .string: !hasHole(bytes[tokens.tokens[index].range])
          default: false
          }
        }
      if isLiteral { literal.insert(name) } else { other.insert(name) }
    }
    return literal.subtracting(other)
  }
}

extension String {
  fileprivate func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}

extension DetectedMatch {
  var start: Int { secretRange?.lowerBound ?? matchRange?.lowerBound ?? 0 }
}

import VigilSupport

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
    for name in ValueOrigin.requestParameters(tokens, bytes) {
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

  /// Items whose construction starts inside a byte span: binary searches of the found
  /// constructions and of those found by accumulation (each sorted by start).
  private func items(in span: Range<Int>) -> [Int] {
    func search(_ bounds: Range<Int>) -> Range<Int> {
      let slice = items[bounds]
      return slice.partitioningIndex {
        $0.match.start >= span.lowerBound
      }..<slice.partitioningIndex { $0.match.start >= span.upperBound }
    }
    return Array(search(0..<foundCount)) + Array(search(foundCount..<items.count))
  }

  private func seed(in span: Range<Int>) -> Int? {
    let first = seeds.partitioningIndex { $0.start >= span.lowerBound }
    return first < seeds.count && span.contains(seeds[first].start) ? seeds[first].ruleIndex : nil
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
      if let receiver = Accumulation.appendReceiver(bytes, callee) {
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
    let low = resolved.partitioningIndex { $0.token >= range.lowerBound }
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
      let low = operands.partitioningIndex { $0.span.lowerBound > offset }
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
      let holes = ValueOrigin.holes(bytes, tokens.tokens[chain[0].lowerBound].range)
      return !holes.isEmpty && holes.allSatisfy { isSafe(text($0.name), isCall: $0.isCall) }
    }
    if let known = memo[best.chain] { return known }
    let result = chain.allSatisfy { operand in
      operand.allSatisfy {
        tokens.tokens[$0].kind != .string || !ValueOrigin.hasHole(bytes[tokens.tokens[$0].range])
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
      return ValueOrigin.holes(bytes, head.range).first { !isSafe(text($0.name), isCall: $0.isCall) }?.name
    case .identifier:
      let name = text(head.range)
      let isCall = operand.count > 1 && tokens.tokens[operand.lowerBound + 1].kind == .open(UInt8(ascii: "("))
      if isSafe(name, isCall: isCall) { return nil }
      // A plain function of constants is a constant: `str(LIMIT)`, `String(50)`. A method
      // (`req.FormValue("age")`) is a value whatever its arguments.
      if isCall
        && (!name.contains(where: { $0 == "." || $0 == ">" || $0 == ":" })
          || ValueOrigin.joinFunctions.contains(name.lowercased()))
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

  // MARK: - Helpers

  private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  private static func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ".") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ":")
      || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "?")
  }

  /// Whether inserted code is request data: by its name (`req.body.x`, `$_GET['id']`,
  /// `request.args`, `params[:id]`, `r.FormValue`), or a variable of the file assigned
  /// such data.
  private func isRequestData(_ range: Range<Int>) -> Bool {
    if ValueOrigin.looksLikeRequest(UnsafeBufferPointer(rebasing: bytes[range.prefix(80)])) { return true }
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

  /// Whether a name (or a call of it) inserts no value: a constant of the file, an
  /// upper-case constant, a keyword, a name that says it holds SQL text or an
  /// identifier, an escaping, quoting or number-making call, or `join`/`map` of a
  /// fragment list (`columnNames.join(", ")`).
  private func isSafe(_ name: String, isCall: Bool) -> Bool {
    if ValueOrigin.looksLikeRequest(name) { return false }
    if isCall {
      if ValueOrigin.isSafeCall(name) || ValueOrigin.isFragmentName(name) { return true }
      guard let dot = name.lastIndex(where: { $0 == "." || $0 == ">" }) else { return false }
      let method = name[name.index(after: dot)...].lowercased()
      let receiver = String(name[..<dot]).trimmingSuffix("-")
      guard ValueOrigin.listMethods.contains(method) else { return false }
      // `columnNames.join(", ")`, `paramNames.Where(…)`: a list of fragments.
      let root = receiver.split(whereSeparator: { $0 == "(" }).first.map(String.init) ?? receiver
      return ValueOrigin.isFragmentName(root) || constants.contains(root)
    }
    return constants.contains(name) || ValueOrigin.keywords.contains(name.lowercased())
      || ValueOrigin.isFragmentName(name)
      || ValueOrigin.isConstantName(name)
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
          case .string: !ValueOrigin.hasHole(bytes[tokens.tokens[index].range])
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

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
    var origin = InsertedOrigin.unknown
    /// It inserts only constants: not a construction after all.
    var dropped = false
  }

  private struct Variable {
    var carried: [Int] = []
    /// A seed the variable holds: its rule.
    var seed: Int?
    /// Where what it was assigned comes from: request data (`$id = $_GET['id']`), a
    /// parameter (`kid = header.get("kid")`), …
    var origin = InsertedOrigin.unknown
    /// Where it was last assigned: inside the function that takes a parameter of the same
    /// name, it replaces the parameter from there on.
    var assignedAt: Int?

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
  /// The file's functions that return only literals (a dialect's `now()`: `"NOW()"`).
  private let constantFunctions: Set<String>
  private let functions: FunctionScopes
  /// Parameters the file's own calls fill with request data, each with the bodies of
  /// the functions that take it.
  private var requestFilled: [String: [Range<Int>]] = [:]

  /// The statement before was a branch's header (`if x:`, `else`, `case X:`).
  private var afterBranch = false
  private static let branchWords: [[UInt8]] = [
    "if", "unless", "while", "else", "elif", "elsif", "case", "default", "when", "try", "except", "catch",
    "rescue",
  ].map {
    Array($0.utf8)
  }

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
    self.functions = FunctionScopes(tokens, bytes)
    self.constantFunctions = Self.constantFunctions(tokens, bytes, functions)
  }

  /// The constructions that reach a sink, each with the sink's callee as its related
  /// range and the value it inserts, where one was told apart.
  mutating func run() -> [DetectedMatch] {
    let annotated = ValueOrigin.requestParameters(tokens, bytes)
    for name in annotated {
      variables[name, default: Variable()].origin = .request
    }
    fillParametersFromCalls(requestNames: annotated)
    for statement in tokens.statements { visit(statement) }
    return items.compactMap { item in
      // A value nothing in the file ties to outside input (a field, a call's result, a
      // loop over metadata) is how query builders and ORMs assemble SQL: not reported.
      guard let sink = item.reached, !item.dropped, item.value == nil || item.origin > .unknown else {
        return nil
      }
      var match = item.match
      match.relatedRange = sink
      match.valueRange = item.value
      match.insertedOrigin = item.origin
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
    // An assignment that may not run (`if (x == null) x = "";`, the statement after
    // `if not x:` or `else {`, `case 'B': bar = …`) is an alternative to what the variable
    // held: it joins the variable's origin and constructions instead of replacing them.
    let first = tokens.tokens[statement.lowerBound]
    if statement.count == 1, case .open = first.kind { return }
    let branch =
      first.kind == .identifier && Self.branchWords.contains { bytes[first.range].elementsEqual($0) }
    let joins = branch || afterBranch
    afterBranch = branch
    let local = items(in: tokens.span(statement))
    if !local.isEmpty {
      let chains = Chains(Self.chains(tokens, statement), tokens: tokens)
      var onlyConstants: [Int: Bool] = [:]
      for index in local where items[index].value == nil {
        let start = items[index].match.start
        // The value reported is the one from the strongest origin, the first on a tie.
        for value in insertedValues(around: start, chains: chains) {
          let origin = origin(of: value)
          if items[index].value == nil || origin > items[index].origin {
            items[index].value = value
            items[index].origin = origin
          }
        }
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
      var callee = tokens.tokens[index].range
      // PHP's `@f(…)` calls `f` with its errors silenced. It follows an operator, a
      // bracket, a comma or `return`, where a Java or C# annotation (`@Query(…)`),
      // which starts a declaration, never stands.
      if bytes[callee.lowerBound] == UInt8(ascii: "@"), index > statement.lowerBound {
        let previous = tokens.tokens[index - 1]
        switch previous.kind {
        case .assign, .concat, .comma, .open, .other:
          callee = (callee.lowerBound + 1)..<callee.upperBound
        case .identifier where bytes[previous.range].elementsEqual("return".utf8):
          callee = (callee.lowerBound + 1)..<callee.upperBound
        default: break
        }
      }
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
      // A collection a value is put in holds it: `list.add(param)`, `map.put(k, param)`,
      // `items.append(param)`.
      if let receiver =
        Accumulation.receiver(bytes, callee, calling: Accumulation.storeMethods)
        ?? Accumulation.receiver(bytes, callee, calling: Accumulation.appendMethods),
        !arguments.isEmpty
      {
        let origin = origin(ofTokens: arguments)
        if origin > .unknown { variables[receiver, default: Variable()].origin.formMax(origin) }
      }
      if let receiver = Accumulation.receiver(bytes, callee, calling: Accumulation.appendMethods) {
        accumulate(into: receiver, from: arguments, appends: true)
        var variable = variables[receiver] ?? Variable()
        let contribution = contributions(arguments)
        variable.carry(contribution.carried)
        variable.seed = variable.seed ?? contribution.seed
        variables[receiver] = variable
      }
    }
    if let (names, source) = loopBinding(statement) {
      let origin = origin(ofTokens: source)
      let at = tokens.tokens[statement.lowerBound].range.lowerBound
      for name in names { variables[name] = Variable(origin: origin, assignedAt: at) }
      return
    }
    guard let (target, operatorIndex) = tokens.assignment(in: statement, bytes: bytes) else { return }
    let right = (operatorIndex + 1)..<statement.upperBound
    let op = bytes[tokens.tokens[operatorIndex].range]
    let name = text(tokens.tokens[target].range)
    let appends = !(op.count == 1 || (op.count == 2 && op[op.startIndex] == UInt8(ascii: ":")))
    let selfReferencing = right.contains {
      tokens.tokens[$0].kind == .identifier && text(tokens.tokens[$0].range) == name
    }
    var variable = appends || selfReferencing || joins ? variables[name] ?? Variable() : Variable()
    let contribution = contributions(right)
    variable.carry(contribution.carried)
    // `x = x.replace(…)` is what its right side makes of `x`; `x += y` and another
    // branch's `x = y` add to what `x` held.
    let assigned = origin(ofTokens: right)
    variable.origin = appends || joins ? max(variable.origin, assigned) : assigned
    variable.assignedAt = tokens.tokens[target].range.lowerBound
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
        origin: origin(of: value)))
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

  /// The values a construction inserts (at most 8): in the innermost concatenation
  /// holding it (the holes of its literals and the operands after it), else in the
  /// arguments of the format call it starts, else in what follows a `%` or `,` after it
  /// (Python's `"…%s" % (x,)`, `Sprintf("…%s", x, y)`); inside a call that is a value
  /// (`format(price, id)`), its value arguments. A bounded look each way.
  private func insertedValues(around offset: Int, chains: Chains) -> [Range<Int>] {
    guard let best = chains.innermost(containing: offset) else { return [] }
    let chain = chains.chains[best.chain]
    let holder = chain[best.position]
    var found: [Range<Int>] = []
    if tokens.tokens[holder.lowerBound].kind == .identifier {
      found = argumentValues(of: holder, skippingFirst: true)
    }
    if found.isEmpty {
      for operand in chain[best.position...].prefix(64) where found.count < 8 {
        let values = valueOperands(operand)
        guard !values.isEmpty else { continue }
        let arguments = argumentValues(of: operand, skippingFirst: false)
        found += arguments.isEmpty ? values : arguments
      }
    }
    // What follows the chain: `% (x, y)`, or `, x, y` after a lone literal (a format
    // string's arguments); not after a literal that interpolates (`${x}`, f"{x}"): what
    // follows it is bound (`rawQuery(`…${where}`, params)`, `execute(f"… {t} WHERE id = %s",
    // (id,))`).
    if chain.count == 1, tokens.tokens[chain[0].lowerBound].kind == .string,
      !ValueOrigin.holes(bytes, tokens.tokens[chain[0].lowerBound].range).isEmpty
    {
      return Array(found.prefix(8))
    }
    var after = chain[chain.count - 1].upperBound
    if found.isEmpty, after < tokens.tokens.count,
      bytes[tokens.tokens[after].range.lowerBound] == UInt8(ascii: "%")
    {
      after += 1
      if after < tokens.tokens.count, tokens.tokens[after].kind == .open(UInt8(ascii: "(")) { after += 1 }
      found = values(ofChainsFrom: after, chains: chains)
    } else if found.isEmpty, chain.count == 1, after < tokens.tokens.count,
      tokens.tokens[after].kind == .comma
    {
      // After a concatenation, the call's next arguments are bound to its placeholders
      // (`query("… AND " + cond, id)`).
      found = values(ofChainsFrom: after + 1, chains: chains)
    }
    return Array(found.prefix(8))
  }

  /// The values of the comma-separated chains starting at a token: `x, y` of `, x, y)`.
  private func values(ofChainsFrom start: Int, chains: Chains) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var next = start
    while found.count < 8, let index = chains.chain(startingAt: next) {
      let chain = chains.chains[index]
      found += chain.prefix(64).flatMap(valueOperands)
      next = chain[chain.count - 1].upperBound
      guard next < tokens.tokens.count, tokens.tokens[next].kind == .comma else { break }
      next += 1
    }
    return found
  }

  /// The values among a call operand's arguments (after the first, a format string,
  /// when asked).
  private func argumentValues(of operand: Range<Int>, skippingFirst: Bool) -> [Range<Int>] {
    guard operand.count > 2, tokens.tokens[operand.lowerBound].kind == .identifier,
      tokens.tokens[operand.lowerBound + 1].kind == .open(UInt8(ascii: "("))
    else { return [] }
    let close = tokens.closing(operand.lowerBound + 1, limit: operand.upperBound)
    let arguments = (operand.lowerBound + 2)..<max(operand.lowerBound + 2, close - 1)
    // The arguments themselves: what a call among them makes of its own arguments is
    // that call's (`new(T).TableName(ctx)` inserts a table name, not `ctx`).
    var chains = Self.chains(
      tokens, arguments.lowerBound..<min(arguments.upperBound, arguments.lowerBound + 64), nested: false)
    if skippingFirst && !chains.isEmpty { chains.removeFirst() }
    return Array(chains.prefix(8).flatMap { $0.flatMap(valueOperands) }.prefix(8))
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
      // (`req.FormValue("age")`), or a function that reads the request (Laravel's
      // `request('name')`), is a value whatever its arguments.
      if isCall && !ValueOrigin.looksLikeRequest(name)
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

  /// Every value of an operand: each hole of a literal that holds one, else the operand
  /// as `valueOperand` sees it.
  private func valueOperands(_ operand: Range<Int>) -> [Range<Int>] {
    let head = tokens.tokens[operand.lowerBound]
    if head.kind == .string {
      return ValueOrigin.holes(bytes, head.range).filter { !isSafe(text($0.name), isCall: $0.isCall) }.map(
        \.name)
    }
    return valueOperand(operand).map { [$0] } ?? []
  }

  private func firstValue(in chain: [Range<Int>]) -> Range<Int>? {
    for operand in chain {
      if let value = valueOperand(operand) { return value }
    }
    return nil
  }

  /// Concatenation chains of a token range: operands (token ranges) joined by `+`, `.`,
  /// `||`, `&`, `..`, outermost first, then (with `nested`) those inside brackets.
  static func chains(
    _ tokens: CodeTokens, _ range: Range<Int>, nested withNested: Bool = true
  ) -> [[Range<Int>]] {
    var result: [[Range<Int>]] = []
    // The ranges inside brackets, looked at after their own range and before the next
    // one beside it (depth first, in text order), from a stack rather than by recursion:
    // eighty thousand `f(` in a row must not take the thread's stack.
    var pending: [Range<Int>] = [range]
    while let next = pending.popLast() {
      let nested = Self.topLevelChains(tokens, next, into: &result)
      guard withNested else { break }
      pending += nested.reversed().filter { !$0.isEmpty }
    }
    return result
  }

  /// The chains of `range` outside its brackets, appended to `result`; returns the
  /// ranges inside its brackets.
  private static func topLevelChains(
    _ tokens: CodeTokens, _ range: Range<Int>, into result: inout [[Range<Int>]]
  ) -> [Range<Int>] {
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
    return nested
  }

  // MARK: - Helpers

  private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  private static func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ".") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ":")
      || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "?")
  }

  // MARK: - Origins

  /// Where a value comes from: the strongest origin of the names in it (`str(user_id)`
  /// is as much a parameter as `user_id`), or of the name a hole starts with.
  private func origin(of value: Range<Int>) -> InsertedOrigin {
    let first = tokens.tokens.partitioningIndex { $0.range.lowerBound >= value.lowerBound }
    var end = first
    while end < tokens.tokens.count && end < first + 64
      && tokens.tokens[end].range.upperBound <= value.upperBound
    {
      end += 1
    }
    // A hole's name, inside a literal, is no token of its own.
    let hole = first == end || tokens.tokens[first].range.lowerBound != value.lowerBound
    return hole ? origin(ofName: value, called: false) : origin(ofTokens: first..<end)
  }

  /// The strongest origin of what a token range (a value, an assignment's right side, a
  /// loop's source) reads: its names, the file's variables among them, and a literal
  /// that names the request body (`file_get_contents('php://input')`). Request data
  /// counts wherever it is; a parameter only outside calls, or inside calls that merely
  /// convert (`str(id)`, `id.trim()`): what a call makes of a parameter
  /// (`getLockSql($mode)`) is the call's.
  private func origin(ofTokens range: Range<Int>) -> InsertedOrigin {
    var best = InsertedOrigin.unknown
    // For each open bracket: whether what is inside it still passes a parameter on.
    var passes: [Bool] = []
    var index = range.lowerBound
    let end = min(range.upperBound, range.lowerBound + Self.argumentBudget)
    while index < end && best < .request {
      let token = tokens.tokens[index]
      index += 1
      switch token.kind {
      case .open:
        let callee = index - 1 > range.lowerBound && tokens.tokens[index - 2].kind == .identifier
        let converts = !callee || ValueOrigin.isConversion(bytes[tokens.tokens[index - 2].range])
        passes.append((passes.last ?? true) && converts)
      case .close:
        _ = passes.popLast()
      case .identifier:
        let called = index < tokens.tokens.count && tokens.tokens[index].kind == .open(UInt8(ascii: "("))
        if called && replacesQuotes(call: index - 1) {
          // `action.replace('\'', '"')`: what it returns holds no quote to break out with.
          index = tokens.closing(index, limit: end)
          continue
        }
        let found = origin(ofName: token.range, called: called)
        if found != .parameter || passes.last ?? true { best = max(best, found) }
      case .string:
        if ValueOrigin.namesRequestBody(bytes[token.range]) { best = .request }
      default: break
      }
    }
    return best
  }

  /// A call that replaces the single quote in a text (`s.replace('\'', "''")`,
  /// `str_replace("'", "", $s)`, `s.gsub("'", "")`): escaping by hand.
  private func replacesQuotes(call index: Int) -> Bool {
    let name = bytes[tokens.tokens[index].range]
    let method =
      name.split(whereSeparator: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ">") }).last ?? name[...]
    guard
      ["replace", "replaceAll", "Replace", "str_replace", "gsub", "replace_all"].contains(where: {
        method.elementsEqual($0.utf8)
      }), index + 2 < tokens.tokens.count, tokens.tokens[index + 2].kind == .string
    else { return false }
    let literal = bytes[tokens.tokens[index + 2].range]
    return literal.count <= 8 && literal.dropFirst().dropLast().contains(UInt8(ascii: "'"))
  }

  /// A name's origin: request data by its name or the variable it is, else a parameter of
  /// the function around it (the parameter itself, an element of it, or a method's
  /// result on it, `header.get("kid")`; not a field, `table.engine`, which is the
  /// parameter's structure rather than its callers' choice), else session data by its name.
  private func origin(ofName range: Range<Int>, called: Bool) -> InsertedOrigin {
    if isRequestData(range) { return .request }
    let path = bytes[range.prefix(80)]
    let root = rootRange(range)
    let separators = path.count {
      $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ":")
    }
    let parameterShaped = root.count == range.count || (called && separators == 1)
    let variable = lookup(range)
    var best = variable?.origin ?? .unknown
    if best == .parameter && !parameterShaped { best = .unknown }
    if best < .parameter && parameterShaped && functions.isParameter(path, at: range.lowerBound)
      && !(variable.map { replacesParameter($0, at: range.lowerBound) } ?? false)
    {
      best = .parameter
    }
    // With the byte after it: `session[…]`.
    if best < .session
      && ValueOrigin.looksLikeSession(bytes[range.lowerBound..<min(bytes.count, range.upperBound + 1)])
    {
      best = .session
    }
    return best
  }

  /// Whether a variable was assigned before a use, in the body of a function both are
  /// in: then it is what the name holds there, not the parameter of that name.
  private func replacesParameter(_ variable: Variable, at offset: Int) -> Bool {
    guard let assigned = variable.assignedAt, assigned < offset else { return false }
    return functions.encloses(assigned, offset)
  }

  /// The leading name of a path: `data` of `data.name`, `$row` of `$row['id']`.
  private func rootRange(_ range: Range<Int>) -> Range<Int> {
    var end = range.lowerBound
    while end < range.upperBound
      && (CodeTokens.isIdentifierByte(bytes[end]) || bytes[end] == UInt8(ascii: "$"))
    { end += 1 }
    return range.lowerBound..<end
  }

  /// Whether inserted code is request data: by its name (`req.body.x`, `$_GET['id']`,
  /// `request.args`, `params[:id]`, `r.FormValue`), a variable of the file assigned such
  /// data, or a parameter the file's calls fill with it.
  private func isRequestData(_ range: Range<Int>) -> Bool {
    // With the bracket after it, if any: `event[…]`, `params[…]`.
    let subscripted = range.upperBound < bytes.count && bytes[range.upperBound] == UInt8(ascii: "[")
    let code = range.lowerBound..<(subscripted ? range.upperBound + 1 : range.upperBound)
    if ValueOrigin.isUserOrSession(bytes[range.lowerBound..<min(bytes.count, range.lowerBound + 24)]) {
      return false
    }
    if ValueOrigin.looksLikeRequest(UnsafeBufferPointer(rebasing: bytes[code.prefix(80)])) { return true }
    let root = rootRange(range)
    guard !root.isEmpty else { return false }
    let name = text(root)
    let variable = variable(named: name)
    if variable?.origin == .request { return true }
    guard let bodies = requestFilled[name], bodies.contains(where: { $0.contains(range.lowerBound) }) else {
      return false
    }
    return !(variable.map { replacesParameter($0, at: range.lowerBound) } ?? false)
  }

  /// A loop that binds names to the elements of a source: `for x in xs`, `for (T x : xs)`,
  /// `for (const x of xs)`, `foreach ($xs as $k => $v)`, `foreach (var x in xs)`. The
  /// names, and the source's token range.
  private func loopBinding(_ statement: Range<Int>) -> (names: [String], source: Range<Int>)? {
    guard let first = statement.first, tokens.tokens[first].kind == .identifier else { return nil }
    let keyword = text(tokens.tokens[first].range)
    guard keyword == "for" || keyword == "foreach" else { return nil }
    var end = statement.upperBound
    var start = first + 1
    if start < end, tokens.tokens[start].kind == .open(UInt8(ascii: "(")) {
      end = max(start + 1, tokens.closing(start, limit: end) - 1)
      start += 1
    }
    let range = start..<min(end, start + 64)
    func word(_ index: Int) -> String? {
      tokens.tokens[index].kind == .identifier ? text(tokens.tokens[index].range) : nil
    }
    func names(_ range: Range<Int>) -> [String] {
      range.compactMap(word).filter {
        !["const", "let", "var", "val", "final", "auto", "mut", "ref", "await"].contains($0)
          && !($0.first?.isUppercase ?? true)
      }
    }
    if keyword == "foreach", let separator = range.first(where: { word($0) == "as" }) {
      return (names((separator + 1)..<end), start..<separator)
    }
    guard
      let separator = range.first(where: {
        tokens.tokens[$0].kind == .colon || word($0) == "in" || word($0) == "of"
      })
    else { return nil }
    return (names(start..<separator), (separator + 1)..<end)
  }

  /// Follows request data from the file's calls into the file's functions: a call
  /// `lookup(userId)` where `userId` is request data (by name, as a parameter a framework
  /// fills, or as a name assigned such data anywhere in the file) makes the parameter
  /// in that position request data inside `lookup`. A few rounds, for chains of calls.
  private mutating func fillParametersFromCalls(requestNames: Set<String>) {
    guard functions.hasNamedFunctions else { return }
    let all = tokens.tokens
    // The file's calls of its own functions, and the names their arguments read: only
    // assignments to those names matter here.
    var calls: [(lists: [(parameters: [[String]], body: Range<Int>)], arguments: Range<Int>)] = []
    var argumentNames: Set<String> = []
    for statement in tokens.statements {
      for index in statement where all[index].kind == .identifier && index + 1 < statement.upperBound {
        guard all[index + 1].kind == .open(UInt8(ascii: "(")) else { continue }
        let lists = functions.parameters(calledAs: bytes[all[index].range])
        guard !lists.isEmpty else { continue }
        let close = tokens.closing(index + 1, limit: statement.upperBound)
        let arguments = (index + 2)..<min(max(index + 2, close - 1), index + 2 + Self.argumentBudget)
        calls.append((lists, arguments))
        for argument in arguments where all[argument].kind == .identifier {
          argumentNames.insert(text(rootRange(all[argument].range)))
        }
      }
    }
    guard !calls.isEmpty else { return }
    var locals = requestNames
    func isRequest(_ index: Int) -> Bool {
      let token = all[index]
      switch token.kind {
      case .identifier:
        if isRequestData(token.range) { return true }
        let name = text(rootRange(token.range))
        return locals.contains(name)
          || requestFilled[name]?.contains { $0.contains(token.range.lowerBound) } == true
      case .string: return ValueOrigin.namesRequestBody(bytes[token.range])
      default: return false
      }
    }
    // The assignments to names that are some call's argument, found once for the rounds.
    var assignments: [(name: String, values: Range<Int>)] = []
    for statement in tokens.statements {
      guard let (target, operatorIndex) = tokens.assignment(in: statement, bytes: bytes) else { continue }
      let name = text(all[target].range)
      guard argumentNames.contains(name) else { continue }
      let values = (operatorIndex + 1)..<min(statement.upperBound, operatorIndex + 1 + Self.argumentBudget)
      assignments.append((name, values))
    }
    for _ in 0..<3 {
      var grew = false
      for assignment in assignments where !locals.contains(assignment.name) {
        if assignment.values.contains(where: isRequest) {
          locals.insert(assignment.name)
          grew = true
        }
      }
      for call in calls {
        var position = 0
        var depth = 0
        for argument in call.arguments {
          switch all[argument].kind {
          case .open: depth += 1
          case .close: depth -= 1
          case .comma where depth == 0: position += 1
          default:
            guard isRequest(argument) else { continue }
            for function in call.lists where position < function.parameters.count {
              for name in function.parameters[position] {
                var known = requestFilled[name, default: []]
                if !known.contains(function.body) && known.count < 64 {
                  known.append(function.body)
                  requestFilled[name] = known
                  grew = true
                }
              }
            }
          }
        }
      }
      if !grew { break }
    }
  }

  /// A variable by name; `$name` (a Kotlin or shell hole) also finds `name`.
  private func variable(named name: String) -> Variable? {
    variables[name] ?? (name.hasPrefix("$") ? variables[String(name.dropFirst())] : nil)
  }

  /// Whether a name (or a call of it) inserts no value: a constant of the file, an
  /// upper-case constant, a keyword, a name that says it holds SQL text or an
  /// identifier, an escaping, quoting or number-making call, a call of the file's own
  /// function that returns only literals, or `join`/`map` of a fragment list
  /// (`columnNames.join(", ")`).
  private func isSafe(_ name: String, isCall: Bool) -> Bool {
    if ValueOrigin.looksLikeRequest(name) { return false }
    if isCall {
      if ValueOrigin.isSafeCall(name) || ValueOrigin.isFragmentName(name) { return true }
      let called =
        name.split(whereSeparator: { $0 == "." || $0 == ">" || $0 == ":" }).last.map(String.init) ?? name
      if constantFunctions.contains(called) { return true }
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

  /// Names assigned only literals (`LIMIT = 10`, `const table = "users"`), or a choice
  /// between literals (`x = cond ? "AND a.b IS NULL" : ""`, Python's `"…" if cond else ""`),
  /// anywhere in the file.
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
      if isLiteral(right, tokens, bytes, depth: 0) || isPlaceholderList(right, tokens, bytes) {
        literal.insert(name)
      } else {
        other.insert(name)
      }
    }
    return literal.subtracting(other)
  }

  /// The names of the file's functions that take no parameter and whose every `return`
  /// gives a literal, or a choice between literals (`func (db *datastore) now() string {
  /// if sqlite { return "strftime(…)" }; return "NOW()" }`); a name another function of
  /// the file has too, with parameters or another kind of return, is left out.
  private static func constantFunctions(
    _ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>, _ functions: FunctionScopes
  ) -> Set<String> {
    var literal: Set<String> = []
    var other: Set<String> = []
    for function in functions.functions {
      guard let name = function.name else { continue }
      // Only functions that take nothing: what they return cannot depend on a caller.
      guard function.parameters.allSatisfy(\.isEmpty) else {
        other.insert(name)
        continue
      }
      var returns = 0
      var onlyLiterals = true
      // The body is a byte range; statements are token ranges.
      func start(_ statement: Range<Int>) -> Int { tokens.tokens[statement.lowerBound].range.lowerBound }
      var index = tokens.statements.partitioningIndex { start($0) >= function.body.lowerBound }
      while onlyLiterals, index < tokens.statements.count,
        start(tokens.statements[index]) < function.body.upperBound
      {
        let statement = tokens.statements[index]
        index += 1
        let head = tokens.tokens[statement.lowerBound]
        guard head.kind == .identifier, bytes[head.range].elementsEqual("return".utf8) else { continue }
        returns += 1
        // Up to the statement's end, without the braces that close blocks after it.
        var end = statement.upperBound
        while end > statement.lowerBound + 1, tokens.tokens[end - 1].kind == .close(UInt8(ascii: "}")) {
          end -= 1
        }
        onlyLiterals = isLiteral((statement.lowerBound + 1)..<end, tokens, bytes, depth: 0)
      }
      if returns > 0 && onlyLiterals { literal.insert(name) } else { other.insert(name) }
    }
    return literal.subtracting(other)
  }

  /// Whether tokens make a list of bind placeholders, one per value: a placeholder
  /// literal repeated (`implode(',', array_fill(0, count($ids), '?'))`,
  /// `str_repeat('?,', n)`, `strings.Repeat("?,", n)`, `Collections.nCopies(n, "?")`,
  /// `['%s'] * len(ids)`). The values themselves are bound, not pasted: only their number
  /// goes into the SQL. Every literal must be placeholders, commas, brackets and spaces,
  /// and every name a call that repeats, joins, trims or counts, or what is counted
  /// (`count($ids)`, `len(ids)`, `ids.size()`): a name beside the list would be pasted.
  private static func isPlaceholderList(
    _ range: Range<Int>, _ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    var repeats = false
    var placeholder = false
    // Just past a counting call's closing bracket, while inside it: what it counts.
    var countedUntil = range.lowerBound
    for index in range {
      let token = tokens.tokens[index]
      let text = bytes[token.range]
      switch token.kind {
      case .string:
        guard let quote = text.firstIndex(where: { $0 == 0x22 || $0 == 0x27 || $0 == 0x60 }) else {
          return false
        }
        var content = Array(text[(quote + 1)...].dropLast())
        if let percent = content.firstIndex(of: UInt8(ascii: "%")), percent + 1 < content.count,
          content[percent + 1] == UInt8(ascii: "s")
        {
          content.removeSubrange(percent...(percent + 1))
          placeholder = true
        }
        guard content.allSatisfy({ Self.placeholderListBytes.contains($0) }) else { return false }
        placeholder = placeholder || content.contains(UInt8(ascii: "?"))
      case .identifier:
        if index < countedUntil { continue }
        let name =
          text.split(whereSeparator: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }).last ?? text[...]
        func isOne(of names: [[UInt8]]) -> Bool {
          names.contains { $0.count == name.count && $0.elementsEqual(name.lazy.map(ValueOrigin.lowercased)) }
        }
        if isOne(of: Self.repeatCalls) {
          repeats = true
        } else if isOne(of: Self.countingCalls) {
          if index + 1 < range.upperBound, case .open = tokens.tokens[index + 1].kind {
            countedUntil = tokens.closing(index + 1, limit: range.upperBound)
          }
        } else if !isOne(of: Self.joiningCalls) {
          return false
        }
      case .other:
        repeats = repeats || text.elementsEqual("*".utf8)
      default: break
      }
    }
    return repeats && placeholder
  }

  private static let placeholderListBytes: Set<UInt8> = Set("?,() \t".utf8)
  private static let repeatCalls: [[UInt8]] = [
    "array_fill", "array_pad", "str_repeat", "repeat", "ncopies", "fill", "times",
  ].map { Array($0.utf8) }
  private static let countingCalls: [[UInt8]] = ["count", "len", "sizeof", "size", "length"].map {
    Array($0.utf8)
  }
  private static let joiningCalls: [[UInt8]] = [
    "implode", "join", "rtrim", "trim", "trimsuffix", "trimend", "rstrip", "substr", "substring",
  ].map { Array($0.utf8) }

  /// Whether tokens are literals joined together, or a conditional choosing between such
  /// (the condition may be anything: it decides which literal, not what goes in).
  private static func isLiteral(
    _ range: Range<Int>, _ tokens: CodeTokens, _ bytes: UnsafeBufferPointer<UInt8>, depth: Int
  ) -> Bool {
    guard !range.isEmpty else { return false }
    let allLiteral = range.allSatisfy { index in
      switch tokens.tokens[index].kind {
      case .number, .concat, .semicolon: true
      case .string: !ValueOrigin.hasHole(bytes[tokens.tokens[index].range])
      default: false
      }
    }
    if allLiteral { return true }
    // Nested conditionals beyond a few are no constant worth the work.
    guard depth < 4 else { return false }
    func text(_ index: Int) -> Substring.UTF8View {
      Substring(decoding: bytes[tokens.tokens[index].range], as: UTF8.self).utf8
    }
    // The top level's `?` and its `:`, or Python's `if` and `else`.
    var level = 0
    var question: Int?
    var pending = 0
    var pythonIf: Int?
    for index in range {
      switch tokens.tokens[index].kind {
      case .open: level += 1
      case .close: level -= 1
      case .other where level == 0 && text(index).elementsEqual("?".utf8):
        if question == nil { question = index } else { pending += 1 }
      case .colon where level == 0 && question != nil:
        if pending > 0 {
          pending -= 1
        } else if let question {
          return question > range.lowerBound
            && isLiteral((question + 1)..<index, tokens, bytes, depth: depth + 1)
            && isLiteral((index + 1)..<range.upperBound, tokens, bytes, depth: depth + 1)
        }
      case .identifier where level == 0 && question == nil:
        if pythonIf == nil && text(index).elementsEqual("if".utf8) {
          pythonIf = index
        } else if let pythonIf, text(index).elementsEqual("else".utf8) {
          return isLiteral(range.lowerBound..<pythonIf, tokens, bytes, depth: depth + 1)
            && isLiteral((index + 1)..<range.upperBound, tokens, bytes, depth: depth + 1)
        }
      default: break
      }
    }
    return false
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

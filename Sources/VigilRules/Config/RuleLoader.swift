import TOMLKit
import VigilDetect
import VigilModel

/// Reads rule files in vigil's format, which is a superset of gitleaks' config.
///
/// Loading never stops at the first problem; every problem goes into the context so
/// that one run shows the user the whole list. `strict` is for vigil's own pack, where
/// every rule must name its category and severity and carry both kinds of examples.
struct RuleLoader {
  var strict: Bool

  func parse(text: String, file: String) -> (RuleFile, [Diagnostic]) {
    let context = LoadContext(file: file, text: text)
    let root: TOMLTable
    do throws(TOMLDocument.SyntaxError) {
      root = try TOMLDocument.parse(text)
    } catch {
      context.add(.error, error.description, line: error.line)
      return (RuleFile(), context.problems)
    }
    let reader = TOMLReader(root, path: "", context: context)
    var result = RuleFile()
    _ = reader.string("title")
    _ = reader.string("description")
    _ = reader.string("minVersion")
    if let extend = reader.table("extend") {
      result.extend = RuleFile.Extend(
        useDefault: extend.bool("useDefault") ?? false,
        path: extend.string("path"),
        disabledRules: extend.strings("disabledRules"))
      extend.finish()
    }
    if let scan = reader.table("scan") {
      result.settings.exclude = scan.strings("exclude")
      if let size = scan.int("maxFileSize") {
        if size < 0 { context.error("'scan.maxFileSize' cannot be negative") }
        result.settings.maxFileSize = size
      }
      if let name = scan.string("failOn") {
        if let level = Severity(rawValue: name) {
          result.settings.failOn = level
        } else {
          context.error("'scan.failOn' must be error, warning or note, not '\(name)'")
        }
      }
      result.disabledRules = scan.strings("disabledRules")
      scan.finish()
    }
    if let severity = reader.table("severity") {
      for (id, name) in severity.stringEntries() {
        if let parsed = Severity(rawValue: name) {
          result.severityOverrides.append((id, parsed))
        } else {
          context.error("'severity.\(id)' must be error, warning or note, not '\(name)'")
        }
      }
    }
    // gitleaks has both the older single `[allowlist]` and the newer `[[allowlists]]`.
    for table in reader.tables("allowlist") + reader.tables("allowlists") {
      if let allowlist = readAllowlist(table, global: true) { result.allowlists.append(allowlist) }
    }
    // Named sink and guard patterns that this file's rules share: `sink = "sql-calls"`,
    // `guard = "tls-switch"`.
    let sinks = Dictionary(
      reader.table("sinks")?.stringEntries() ?? [], uniquingKeysWith: { first, _ in first })
    let guards = Dictionary(
      reader.table("guards")?.stringEntries() ?? [], uniquingKeysWith: { first, _ in first })
    for table in reader.tables("rules") {
      if let rule = readRule(table, file: file, sinks: sinks, guards: guards) { result.rules.append(rule) }
      context.ruleID = nil
      context.ruleLine = nil
    }
    reader.finish()
    return (result, context.problems)
  }

  /// A rule's fields as written, before they are checked.
  struct Draft {
    var description: String
    var category: String?
    var severity: String?
    var securitySeverity: Double?
    var hasRegex: Bool
    var hasPath: Bool
    var entropy: Double?
    var hexEntropy: Double?
    var keywords: [String]
    var skipIn: [String]
    var validate: String?
    var hasSink: Bool
    var accumulates: Bool
    var windowed: Bool
    var windowLines: Int?
    var windowStart: String?
    var prefilter: Bool
    var examples: RuleExamples
  }

  /// A problem a check finds: the key it is about (its line is where it is reported)
  /// and what is wrong.
  typealias Problem = (key: String, message: String)

  /// The checks every rule goes through, each small and on its own. All of them run,
  /// so that one load reports every problem of every rule. (A pattern that does not
  /// compile, and a `secretGroup` beyond its groups, are found when compiling it.)
  static let validators: [@Sendable (Draft, _ strict: Bool) -> [Problem]] = [
    { draft, strict in strict && draft.description.isEmpty ? [("id", "has no 'description'")] : [] },
    { draft, strict in
      guard let name = draft.category else { return strict ? [("id", "has no 'category'")] : [] }
      let known = RuleCategory.allCases.map(\.rawValue).joined(separator: ", ")
      return RuleCategory(rawValue: name) == nil
        ? [("category", "category '\(name)' is not one of: \(known)")] : []
    },
    { draft, strict in
      guard let name = draft.severity else { return strict ? [("id", "has no 'severity'")] : [] }
      return Severity(rawValue: name) == nil
        ? [("severity", "severity '\(name)' is not one of: error, warning, note")] : []
    },
    { draft, _ in
      guard let value = draft.securitySeverity, !(0...10).contains(value) else { return [] }
      return [("securitySeverity", "securitySeverity \(value) is outside 0.0–10.0")]
    },
    { draft, _ in
      draft.hasRegex || draft.hasPath ? [] : [("id", "has neither 'regex' nor 'path': give at least one")]
    },
    { draft, _ in
      guard let entropy = draft.entropy, !(0...8).contains(entropy) else { return [] }
      return [("entropy", "entropy \(entropy) is outside 0–8 bits per byte")]
    },
    { draft, _ in
      guard let floor = draft.hexEntropy else { return [] }
      if draft.entropy == nil { return [("hexEntropy", "hexEntropy needs an 'entropy' for other secrets")] }
      return (0...4).contains(floor)
        ? [] : [("hexEntropy", "hexEntropy \(floor) is outside 0–4 bits per hexadecimal digit")]
    },
    { draft, _ in
      draft.keywords.contains("") ? [("keywords", "has an empty keyword, which would match everything")] : []
    },
    { draft, _ in
      let known = CodeContext.allCases.map(\.rawValue).joined(separator: ", ")
      return draft.skipIn.filter { CodeContext(rawValue: $0) == nil }.map {
        ("skipIn", "skipIn names '\($0)', which is not one of: \(known)")
      }
    },
    { draft, _ in
      guard let name = draft.validate, SecretValidator(rawValue: name) == nil else { return [] }
      let known = SecretValidator.allCases.map(\.rawValue).joined(separator: ", ")
      return [("validate", "validate names '\(name)', which is not one of: \(known)")]
    },
    { draft, _ in
      draft.accumulates && !(draft.hasSink && draft.hasRegex)
        ? [("accumulate", "accumulate needs a 'regex' (where the SQL text starts) and a 'sink'")] : []
    },
    { draft, _ in
      draft.windowed && (!draft.hasRegex || draft.keywords.isEmpty)
        ? [("windowed", "windowed needs a 'regex' and 'keywords': the regex runs around each keyword")] : []
    },
    { draft, _ in
      draft.prefilter && !draft.hasRegex
        ? [("prefilter", "prefilter needs a 'regex': it is the regex that goes into the keyword pass")] : []
    },
    { draft, _ in
      guard let lines = draft.windowLines else { return [] }
      if !draft.windowed { return [("windowLines", "windowLines needs windowed = true")] }
      if draft.windowStart == WindowStart.name.rawValue {
        return [("windowLines", "windowLines counts lines, so it needs windowStart = \"line\"")]
      }
      return (1...8).contains(lines) ? [] : [("windowLines", "windowLines \(lines) is outside 1–8")]
    },
    { draft, _ in
      guard let start = draft.windowStart else { return [] }
      if !draft.windowed { return [("windowStart", "windowStart needs windowed = true")] }
      let known = WindowStart.allCases.map(\.rawValue).joined(separator: ", ")
      return WindowStart(rawValue: start) == nil
        ? [("windowStart", "windowStart '\(start)' is not one of: \(known)")] : []
    },
    { draft, strict in
      guard strict && !(draft.examples.hasPositive && draft.examples.hasNegative) else { return [] }
      return [
        ("id", "needs examples that must match and examples that must not ([rules.examples] match/noMatch)")
      ]
    },
    { draft, strict in
      guard strict && draft.hasRegex && draft.hasPath && draft.examples.path == nil else { return [] }
      return [("id", "has a path and a regex, so its examples need a 'path' that the path regex matches")]
    },
  ]

  /// `[[rules.required]]`: `id`, and optionally `withinLines` and `withinColumns`.
  private func readRequirement(_ table: TOMLReader) -> RuleRequirement? {
    let context = table.context
    guard let id = table.string("id"), !id.isEmpty else {
      context.error("'\(table.path)' needs the 'id' of the rule it requires", key: "required")
      return nil
    }
    let lines = table.int("withinLines")
    let columns = table.int("withinColumns")
    for (key, value) in [("withinLines", lines), ("withinColumns", columns)] {
      if let value, value < 0 { context.error("\(key) \(value) is negative", key: key) }
    }
    table.finish()
    return RuleRequirement(ruleID: id, withinLines: lines, withinColumns: columns)
  }

  private func readRule(_ table: TOMLReader, file: String, sinks: [String: String], guards: [String: String])
    -> Rule?
  {
    let context = table.context
    let errorsBefore = context.problems.count { $0.level == .error }
    guard let id = table.string("id"), !id.isEmpty else {
      context.error("'\(table.path)' has no 'id'")
      return nil
    }
    // An id is printed in every report and named in `vigil:allow` comments: printable
    // ASCII, no blank (no escape sequence, no newline that forges a report line, no
    // invisible or look-alike letter, no right-to-left override).
    guard id.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
      let shown = id.unicodeScalars.map {
        (0x21...0x7E).contains($0.value) ? String($0) : "\\u{\(String($0.value, radix: 16, uppercase: true))}"
      }.joined()
      context.error(
        "rule id '\(shown)' holds a character other than printable ASCII; an id is a word such as 'internal-token'",
        key: "id")
      return nil
    }
    context.ruleID = id
    context.ruleLine = context.line(ofRuleID: id)

    let draft = Draft(
      description: table.string("description") ?? "", category: table.string("category"),
      severity: table.string("severity"), securitySeverity: table.double("securitySeverity"),
      hasRegex: table.has("regex"), hasPath: table.has("path"), entropy: table.double("entropy"),
      hexEntropy: table.double("hexEntropy"), keywords: table.strings("keywords").map { $0.lowercased() },
      skipIn: table.strings("skipIn"),
      validate: table.string("validate"), hasSink: table.has("sink"),
      accumulates: table.bool("accumulate") ?? false, windowed: table.bool("windowed") ?? false,
      windowLines: table.int("windowLines"), windowStart: table.string("windowStart"),
      prefilter: table.bool("prefilter") ?? false,
      examples: table.table("examples").map(readExamples) ?? RuleExamples())
    for validator in Self.validators {
      for problem in validator(draft, strict) { context.error(problem.message, key: problem.key) }
    }

    let regex = table.string("regex").flatMap { compile($0, key: "regex", context: context) }
    let path = table.string("path").flatMap { compile($0, key: "path", context: context) }
    let sink = table.string("sink").flatMap { compile(sinks[$0] ?? $0, key: "sink", context: context) }
    let assignedFrom = table.string("assignedFrom").flatMap {
      compile($0, key: "assignedFrom", context: context)
    }
    let guardPattern = table.string("guard").flatMap {
      compile(guards[$0] ?? $0, key: "guard", context: context)
    }
    let guardLines = table.int("guardLines")
    if let guardLines, !(1...20).contains(guardLines) {
      context.error("guardLines \(guardLines) is outside 1–20", key: "guardLines")
    } else if guardLines != nil && !table.has("guard") {
      context.error("guardLines needs a 'guard' pattern", key: "guardLines")
    }
    let secretGroup = table.int("secretGroup")
    if let secretGroup, let groups = regex?.captureCount, secretGroup < 0 || secretGroup > groups {
      context.error(
        "secretGroup \(secretGroup) is beyond the regex's \(groups) capture group(s)",
        key: "secretGroup")
    }
    if table.string("path") == nil || path != nil {
      checkContexts(draft.skipIn, pathPattern: path?.pattern, context: context)
    }
    var allowlists: [Allowlist] = []
    // `[rules.allowlist]` is gitleaks' older, single form.
    for allowTable in table.tables("allowlists") + table.tables("allowlist") {
      if let allowlist = readAllowlist(allowTable, global: false) { allowlists.append(allowlist) }
    }

    let category = draft.category.flatMap(RuleCategory.init(rawValue:)) ?? .secret
    let rule = Rule(
      id: id, description: draft.description, remediation: table.string("remediation"),
      category: category, severity: draft.severity.flatMap(Severity.init(rawValue:)) ?? .error,
      securitySeverity: draft.securitySeverity ?? category.defaultSecuritySeverity,
      cwe: table.string("cwe") ?? category.defaultCWE, tags: table.strings("tags"), regex: regex?.pattern,
      path: path?.pattern,
      secretGroup: secretGroup, entropy: draft.entropy, hexEntropy: draft.hexEntropy,
      keywords: draft.keywords, allowlists: allowlists,
      skipIn: draft.skipIn.compactMap(CodeContext.init(rawValue:)),
      validator: draft.validate.flatMap(SecretValidator.init(rawValue:)), examples: draft.examples,
      sink: sink?.pattern, accumulates: draft.accumulates, assignedFrom: assignedFrom?.pattern,
      guardPattern: guardPattern?.pattern, guardLines: guardLines.map { min(max($0, 1), 20) } ?? 8,
      windowed: draft.windowed, windowStart: draft.windowStart.flatMap(WindowStart.init(rawValue:)) ?? .line,
      windowLines: draft.windowLines ?? 1, prefilter: draft.prefilter,
      required: table.tables("required").compactMap(readRequirement),
      skipReport: table.bool("skipReport") ?? false, source: file)
    table.finish()
    let errorsAfter = context.problems.count { $0.level == .error }
    return errorsAfter == errorsBefore ? rule : nil
  }

  /// A `skipIn` context that no lexer marks in any file the rule can match would do
  /// nothing: a warning, and in vigil's own pack an error.
  private func checkContexts(_ skipIn: [String], pathPattern: String?, context: LoadContext) {
    guard !skipIn.isEmpty else { return }
    let provided = LexerRegistry.contexts(forPathPattern: pathPattern)
    let lexers = LexerRegistry.languages.map(\.name).joined(separator: ", ")
    for name in skipIn {
      guard let wanted = CodeContext(rawValue: name), !provided.contains(wanted) else { continue }
      let message =
        "skipIn names '\(name)', but no lexer finds \(name) regions in the files this rule matches "
        + "(languages lexed: \(lexers)), so it does nothing there"
      if strict { context.error(message, key: "skipIn") } else { context.warning(message, key: "skipIn") }
    }
  }

  private func readAllowlist(_ table: TOMLReader, global: Bool) -> Allowlist? {
    let context = table.context
    var allowlist = Allowlist()
    allowlist.description = table.string("description")
    if let condition = table.string("condition") {
      if let parsed = Allowlist.Condition(rawValue: condition.uppercased()) {
        allowlist.condition = parsed
      } else {
        context.error("'\(table.path).condition' must be \"OR\" or \"AND\", not '\(condition)'")
      }
    }
    if let target = table.string("regexTarget") {
      if let parsed = Allowlist.Target(rawValue: target) {
        allowlist.regexTarget = parsed
      } else {
        context.error(
          "'\(table.path).regexTarget' must be \"secret\", \"match\" or \"line\", not '\(target)'")
      }
    }
    allowlist.regexes = table.strings("regexes").compactMap {
      compile($0, key: "\(table.path).regexes", context: context)?.pattern
    }
    allowlist.paths = table.strings("paths").compactMap {
      compile($0, key: "\(table.path).paths", context: context)?.pattern
    }
    allowlist.stopwords = table.strings("stopwords").map { $0.lowercased() }
    allowlist.commits = table.strings("commits")
    for commit in allowlist.commits where !(7...40).contains(commit.count) || !commit.allSatisfy(\.isHexDigit)
    {
      context.warning(
        "'\(table.path).commits' lists '\(commit)', which is no commit id (7 to 40 hex digits): it matches nothing"
      )
    }
    if global {
      // An empty list is gitleaks' default: every rule.
      if table.has("targetRules"), case let ids = table.strings("targetRules"), !ids.isEmpty {
        allowlist.targetRules = ids
      }
      if table.has("targetCategories") {
        allowlist.targetCategories = table.strings("targetCategories").compactMap { name in
          if let category = RuleCategory(rawValue: name) { return category }
          let known = RuleCategory.allCases.map(\.rawValue).joined(separator: ", ")
          context.error("'\(table.path).targetCategories' names '\(name)', which is no category (\(known))")
          return nil
        }
      }
    }
    table.finish()
    if allowlist.isEmpty {
      context.warning("'\(table.path)' has no regexes, paths, stopwords or commits; it allows nothing")
    }
    return allowlist
  }

  private func readExamples(_ table: TOMLReader) -> RuleExamples {
    var examples = RuleExamples()
    examples.match = table.strings("match")
    examples.noMatch = table.strings("noMatch")
    examples.matchPaths = table.strings("matchPaths")
    examples.noMatchPaths = table.strings("noMatchPaths")
    examples.path = table.string("path")
    for (index, example) in examples.match.enumerated() {
      let opens = example.filter { $0 == RuleExamples.openMarker }.count
      let closes = example.filter { $0 == RuleExamples.closeMarker }.count
      if opens == 0 || opens != closes {
        table.context.error(
          "'\(table.path).match[\(index)]' must mark each expected finding «like this»")
      }
    }
    table.finish()
    return examples
  }

  /// `pattern` and its capture groups when PCRE2 compiles it, or `nil` with the problem
  /// reported on the line of `key`'s last component.
  private func compile(_ pattern: String, key: String, context: LoadContext)
    -> (pattern: String, captureCount: Int)?
  {
    switch PatternError.captureCount(of: pattern) {
    case .success(let groups):
      return (pattern, groups)
    case .failure(let error):
      let name = key.split(separator: ".").last.map(String.init) ?? key
      context.error("'\(key)' does not compile: \(error.message)", key: name)
      return nil
    }
  }
}

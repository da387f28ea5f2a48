/// One detection rule, validated: plain data, which the detector compiles.
///
/// A rule has a content `regex`, a `path` regex, or both (PCRE2 patterns, as text). With only a path, a file whose
/// path matches is itself the finding (e.g. a committed `.env`). With both, the content
/// regex runs only in files whose path matches.
///
/// A class, immutable once loaded: every worker reads the same rules for every file,
/// and a reference costs one retain where copying a struct of a dozen reference-counted
/// fields cost a dozen, each an atomic write to a cache line the other cores share.
public final class Rule: Sendable, Codable {
  public let id: String
  public let description: String
  /// How to fix it; shown in SARIF help and the text report.
  public let remediation: String?
  public let category: RuleCategory
  public let severity: Severity
  /// 0.0–10.0, as GitHub code scanning reads it.
  public let securitySeverity: Double
  public let cwe: String
  public let tags: [String]
  public let regex: String?
  public let path: String?
  /// Which capture group is the secret; `nil` means the first non-empty group, or the
  /// whole match when the regex has none (gitleaks' rule).
  public let secretGroup: Int?
  /// Minimum Shannon entropy (bits per byte) of the secret; `nil` means no check.
  public let entropy: Double?
  /// The minimum instead for a secret made of hexadecimal digits only, with a letter
  /// among them: 16 symbols hold at most 4 bits, so a random 32-digit hex key scores
  /// 3.5 or less one time in five; `nil` means `entropy` applies to every secret.
  public let hexEntropy: Double?
  /// Lower-cased; the rule runs only on content that contains one of them.
  public let keywords: [String]
  public let allowlists: [Allowlist]
  /// Code contexts where the rule does not apply (tests, comments, strings).
  /// In `CodeContext.allCases` order, each once.
  public let skipIn: [CodeContext]
  /// A structural check the secret must pass (a checksum), if the format has one.
  public let validator: SecretValidator?
  public let examples: RuleExamples
  /// For code rules: a pattern naming the calls (`db.query`, `cursor.execute`) a
  /// construction must reach, in its own statement or through the file's variables, to be
  /// reported; `nil` reports every match.
  public let sink: String?
  /// The regex finds where SQL text starts (a seed) rather than where it is built: the
  /// finding is where a value is then added to the variable holding it (`q += id`,
  /// `sb.append(id)`) and the result reaches the sink.
  public let accumulates: Bool
  /// The match (its secret group) must be a name assigned, earlier in the file, a value
  /// this pattern matches whole: the variable that carries what the rule is about.
  public let assignedFrom: String?
  /// A match is not reported where this pattern matches the text before it, from the
  /// start of the line `guardLines` lines up to the match: a switch that decides (an
  /// `if` on an option, an enclosing function's parameter list) makes it no finding.
  public let guardPattern: String?
  /// How many lines before a match's own `guardPattern` looks at (1–20).
  public let guardLines: Int
  /// Every match holds one of the keywords, with no line break between the match's
  /// start and it: the regex then runs only from the start of each keyword's line up
  /// to the keyword, never over the rest of the file.
  public let windowed: Bool
  /// Where a window starts, back from its keyword.
  public let windowStart: WindowStart
  /// Lines a window spans: the keyword's, and before it this many less one non-blank
  /// lines (a quote at the end of one line, the keyword on the next). At least 1.
  public let windowLines: Int
  /// The regex also goes, in Vectorscan's prefilter mode, into the keyword pass: where
  /// that approximation (which matches more than the regex, never less) finds nothing,
  /// the regex does not run, whatever keywords the file holds. For a rule whose keywords
  /// are common and whose matches are rare (`vigil scan --profile`: many regex calls,
  /// few matches). Without Vectorscan the keywords alone decide, as for any rule.
  public let prefilter: Bool
  /// Other rules that must match near each match for it to count (gitleaks'
  /// composite rules): a secret only where its companion is, within some lines.
  public let required: [RuleRequirement]
  /// The rule's own matches are not reported: it is there as another rule's
  /// requirement (gitleaks' `skipReport`).
  public let skipReport: Bool
  /// The file the rule was loaded from, for messages.
  public let source: String

  public init(
    id: String, description: String, remediation: String? = nil, category: RuleCategory,
    severity: Severity, securitySeverity: Double, cwe: String, tags: [String] = [],
    regex: String?, path: String? = nil, secretGroup: Int? = nil, entropy: Double? = nil,
    hexEntropy: Double? = nil, keywords: [String] = [], allowlists: [Allowlist] = [],
    skipIn: [CodeContext] = [],
    validator: SecretValidator? = nil, examples: RuleExamples = .init(), sink: String? = nil,
    accumulates: Bool = false, assignedFrom: String? = nil, guardPattern: String? = nil, guardLines: Int = 8,
    windowed: Bool = false, windowStart: WindowStart = .line, windowLines: Int = 1, prefilter: Bool = false,
    required: [RuleRequirement] = [], skipReport: Bool = false, source: String
  ) {
    self.id = id
    self.description = description
    self.remediation = remediation
    self.category = category
    self.severity = severity
    self.securitySeverity = securitySeverity
    self.cwe = cwe
    self.tags = tags
    self.regex = regex
    self.path = path
    self.secretGroup = secretGroup
    self.entropy = entropy
    self.hexEntropy = hexEntropy
    self.keywords = keywords
    self.allowlists = allowlists
    self.skipIn = CodeContext.allCases.filter(skipIn.contains)
    self.validator = validator
    self.examples = examples
    self.sink = sink
    self.accumulates = accumulates
    self.assignedFrom = assignedFrom
    self.guardPattern = guardPattern
    self.guardLines = guardLines
    self.windowed = windowed
    self.windowLines = windowLines
    self.windowStart = windowStart
    self.prefilter = prefilter
    self.required = required
    self.skipReport = skipReport
    self.source = source
  }

  /// The same rule with another severity (a configuration's override), path, examples
  /// or text (a configuration's, masked).
  public func with(
    severity: Severity? = nil, path: String? = nil, examples: RuleExamples? = nil, description: String? = nil,
    remediation: String?? = nil, cwe: String? = nil, tags: [String]? = nil
  ) -> Rule {
    Rule(
      id: id, description: description ?? self.description, remediation: remediation ?? self.remediation,
      category: category,
      severity: severity ?? self.severity, securitySeverity: securitySeverity, cwe: cwe ?? self.cwe,
      tags: tags ?? self.tags,
      regex: regex, path: path ?? self.path, secretGroup: secretGroup, entropy: entropy,
      hexEntropy: hexEntropy, keywords: keywords, allowlists: allowlists, skipIn: skipIn,
      validator: validator,
      examples: examples ?? self.examples, sink: sink, accumulates: accumulates, assignedFrom: assignedFrom,
      guardPattern: guardPattern, guardLines: guardLines, windowed: windowed, windowStart: windowStart,
      windowLines: windowLines, prefilter: prefilter, required: required, skipReport: skipReport,
      source: source)
  }

  /// A catch-all rule (tagged `generic`): it steps aside where a provider's own rule
  /// reports the same secret, so one secret gives one finding with the best name.
  /// What reports say about the rule.
  public var info: RuleInfo {
    RuleInfo(
      id: id, name: name, description: description, remediation: remediation, category: category,
      severity: severity, securitySeverity: securitySeverity, cwe: cwe, tags: tags)
  }

  public var isGeneric: Bool { tags.contains("generic") }

  /// A rule with a path and no content regex: the file itself is the finding.
  public var isPathOnly: Bool { regex == nil && path != nil }

  /// A readable name for SARIF's `name`: `aws-access-key-id` → `AwsAccessKeyId`.
  public var name: String {
    id.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
      .map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }
}

/// Where a windowed rule's window starts, back from each keyword: its regex runs from
/// there up to the keyword, and its matches start in that span.
public enum WindowStart: String, Sendable, CaseIterable, Codable {
  /// The start of the keyword's line (or of an earlier one: `Rule.windowLines`).
  case line
  /// The first of the letters, digits and `_ . + -` that run up to the keyword: the
  /// name that holds it (`DB_PASSWORD`, `api.token`), the scheme before `://`.
  case name
}

/// A rule that must also match near a match of the rule that requires it: anywhere in
/// the same content, or within so many lines (before or after) and columns.
public struct RuleRequirement: Sendable, Equatable, Codable {
  public let ruleID: String
  public let withinLines: Int?
  public let withinColumns: Int?

  public init(ruleID: String, withinLines: Int? = nil, withinColumns: Int? = nil) {
    self.ruleID = ruleID
    self.withinLines = withinLines
    self.withinColumns = withinColumns
  }
}

/// Rules are embedded in the binary as JSON (`DefaultRulePack`): a field at its default
/// is left out: a tenth fewer bytes and a third fewer keys, which decoding pays for.
extension Rule {
  private enum CodingKeys: String, CodingKey {
    case id, description, remediation, category, severity, securitySeverity, cwe, tags, regex, path
    case secretGroup, entropy, hexEntropy, keywords, allowlists, skipIn, validator, examples, sink,
      accumulates
    case assignedFrom, guardPattern = "guard", guardLines, windowed, windowStart, windowLines, prefilter,
      required, skipReport
    case source
  }

  public convenience init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func list<T: Decodable>(_ key: CodingKeys) throws -> [T] {
      try c.decodeIfPresent([T].self, forKey: key) ?? []
    }
    self.init(
      id: try c.decode(String.self, forKey: .id),
      description: try c.decode(String.self, forKey: .description),
      remediation: try c.decodeIfPresent(String.self, forKey: .remediation),
      category: try c.decode(RuleCategory.self, forKey: .category),
      severity: try c.decode(Severity.self, forKey: .severity),
      securitySeverity: try c.decode(Double.self, forKey: .securitySeverity),
      cwe: try c.decode(String.self, forKey: .cwe), tags: try list(.tags),
      regex: try c.decodeIfPresent(String.self, forKey: .regex),
      path: try c.decodeIfPresent(String.self, forKey: .path),
      secretGroup: try c.decodeIfPresent(Int.self, forKey: .secretGroup),
      entropy: try c.decodeIfPresent(Double.self, forKey: .entropy),
      hexEntropy: try c.decodeIfPresent(Double.self, forKey: .hexEntropy), keywords: try list(.keywords),
      allowlists: try list(.allowlists), skipIn: try list(.skipIn),
      validator: try c.decodeIfPresent(SecretValidator.self, forKey: .validator),
      examples: try c.decodeIfPresent(RuleExamples.self, forKey: .examples) ?? RuleExamples(),
      sink: try c.decodeIfPresent(String.self, forKey: .sink),
      accumulates: try c.decodeIfPresent(Bool.self, forKey: .accumulates) ?? false,
      assignedFrom: try c.decodeIfPresent(String.self, forKey: .assignedFrom),
      guardPattern: try c.decodeIfPresent(String.self, forKey: .guardPattern),
      guardLines: try c.decodeIfPresent(Int.self, forKey: .guardLines) ?? 8,
      windowed: try c.decodeIfPresent(Bool.self, forKey: .windowed) ?? false,
      windowStart: try c.decodeIfPresent(WindowStart.self, forKey: .windowStart) ?? .line,
      windowLines: try c.decodeIfPresent(Int.self, forKey: .windowLines) ?? 1,
      prefilter: try c.decodeIfPresent(Bool.self, forKey: .prefilter) ?? false, required: try list(.required),
      skipReport: try c.decodeIfPresent(Bool.self, forKey: .skipReport) ?? false,
      source: try c.decode(String.self, forKey: .source))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    func list<T: Encodable>(_ value: [T], _ key: CodingKeys) throws {
      if !value.isEmpty { try c.encode(value, forKey: key) }
    }
    try c.encode(id, forKey: .id)
    try c.encode(description, forKey: .description)
    try c.encodeIfPresent(remediation, forKey: .remediation)
    try c.encode(category, forKey: .category)
    try c.encode(severity, forKey: .severity)
    try c.encode(securitySeverity, forKey: .securitySeverity)
    try c.encode(cwe, forKey: .cwe)
    try list(tags, .tags)
    try c.encodeIfPresent(regex, forKey: .regex)
    try c.encodeIfPresent(path, forKey: .path)
    try c.encodeIfPresent(secretGroup, forKey: .secretGroup)
    try c.encodeIfPresent(entropy, forKey: .entropy)
    try c.encodeIfPresent(hexEntropy, forKey: .hexEntropy)
    try list(keywords, .keywords)
    try list(allowlists, .allowlists)
    try list(skipIn, .skipIn)
    try c.encodeIfPresent(validator, forKey: .validator)
    if examples != RuleExamples() { try c.encode(examples, forKey: .examples) }
    try c.encodeIfPresent(sink, forKey: .sink)
    if accumulates { try c.encode(accumulates, forKey: .accumulates) }
    try c.encodeIfPresent(assignedFrom, forKey: .assignedFrom)
    try c.encodeIfPresent(guardPattern, forKey: .guardPattern)
    if guardLines != 8 { try c.encode(guardLines, forKey: .guardLines) }
    if windowed { try c.encode(windowed, forKey: .windowed) }
    if windowStart != .line { try c.encode(windowStart, forKey: .windowStart) }
    if windowLines != 1 { try c.encode(windowLines, forKey: .windowLines) }
    if prefilter { try c.encode(prefilter, forKey: .prefilter) }
    try list(required, .required)
    if skipReport { try c.encode(skipReport, forKey: .skipReport) }
    try c.encode(source, forKey: .source)
  }
}

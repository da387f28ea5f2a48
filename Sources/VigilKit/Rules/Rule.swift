import PCRE2

/// One detection rule, compiled and validated.
///
/// A rule has a content `regex`, a `path` regex, or both. With only a path, a file whose
/// path matches is itself the finding (e.g. a committed `.env`). With both, the content
/// regex runs only in files whose path matches.
public struct Rule: Sendable {
  public var id: String
  public var description: String
  /// How to fix it; shown in SARIF help and the text report.
  public var remediation: String?
  public var category: RuleCategory
  public var severity: Severity
  /// 0.0–10.0, as GitHub code scanning reads it.
  public var securitySeverity: Double
  public var cwe: String
  public var tags: [String]
  public var regex: Regex?
  public var path: Regex?
  /// Which capture group is the secret; `nil` means the first non-empty group, or the
  /// whole match when the regex has none (gitleaks' rule).
  public var secretGroup: Int?
  /// Minimum Shannon entropy (bits per byte) of the secret; `nil` means no check.
  public var entropy: Double?
  /// Lower-cased; the rule runs only on content that contains one of them.
  public var keywords: [String]
  public var allowlists: [Allowlist]
  public var examples: RuleExamples
  /// The file the rule was loaded from, for messages.
  public var source: String

  public init(
    id: String, description: String, remediation: String? = nil, category: RuleCategory,
    severity: Severity, securitySeverity: Double, cwe: String, tags: [String] = [],
    regex: Regex?, path: Regex? = nil, secretGroup: Int? = nil, entropy: Double? = nil,
    keywords: [String] = [], allowlists: [Allowlist] = [], examples: RuleExamples = .init(),
    source: String
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
    self.keywords = keywords
    self.allowlists = allowlists
    self.examples = examples
    self.source = source
  }

  /// A rule with a path and no content regex: the file itself is the finding.
  public var isPathOnly: Bool { regex == nil && path != nil }

  /// A readable name for SARIF's `name`: `aws-access-key-id` → `AwsAccessKeyId`.
  public var name: String {
    id.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
      .map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }
}

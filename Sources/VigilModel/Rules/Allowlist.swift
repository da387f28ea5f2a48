/// Conditions under which a candidate finding is not reported: gitleaks' allowlist.
///
/// With `condition == .or` (gitleaks' default) any one criterion that is set and holds
/// allows the finding; with `.and`, every criterion that is set must hold.
public struct Allowlist: Sendable, Codable {
  /// What `regexes` are matched against.
  public enum Target: String, Sendable, Codable {
    case secret
    case match
    case line
  }

  public enum Condition: String, Sendable, Codable {
    case or = "OR"
    case and = "AND"
  }

  public var description: String?
  public var condition: Condition = .or
  public var regexTarget: Target = .secret
  /// PCRE2 patterns, as text.
  public var regexes: [String] = []
  public var paths: [String] = []
  /// Lower-cased; a secret containing one of them is allowed.
  public var stopwords: [String] = []
  /// Commit ids; only meaningful when scanning history.
  public var commits: [String] = []
  /// The subtree (`dir/`) the allowlist belongs to, for one from a nested `.vigil.toml`;
  /// `nil` applies everywhere.
  public var scope: String?
  /// A global allowlist's rules (gitleaks' `targetRules`, by id); `nil` for every rule.
  public var targetRules: [String]?
  /// A global allowlist's categories (vigil's `targetCategories`); `nil` for every one.
  public var targetCategories: [RuleCategory]?

  public init() {}

  /// Whether the allowlist answers for findings of `rule` (its targets, if it has any).
  public func targets(_ rule: Rule) -> Bool {
    (targetRules.map { $0.contains(rule.id) } ?? true)
      && (targetCategories.map { $0.contains(rule.category) } ?? true)
  }

  /// Whether it answers for every rule, so that its paths may skip a file outright.
  public var targetsEveryRule: Bool { targetRules == nil && targetCategories == nil }

  public var isEmpty: Bool {
    regexes.isEmpty && paths.isEmpty && stopwords.isEmpty && commits.isEmpty
  }
}

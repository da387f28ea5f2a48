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

  public init() {}

  public var isEmpty: Bool {
    regexes.isEmpty && paths.isEmpty && stopwords.isEmpty && commits.isEmpty
  }
}

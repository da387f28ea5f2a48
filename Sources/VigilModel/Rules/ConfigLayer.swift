/// What a `.vigil.toml` in a subdirectory changes, for that subtree only.
///
/// Its rules (new ids only) and allowlists join the scan's pack, scoped to the
/// subtree; its disabled rules, severity overrides and excludes are applied to the
/// findings under it after the scan.
public struct ConfigLayer: Sendable {
  /// The subtree, relative to the scan root, with a trailing `/`.
  public var prefix: String
  public var disabledRules: Set<String>
  public var severity: [String: Severity]
  /// gitignore-style patterns relative to the subtree.
  public var exclude: [String]

  public init(prefix: String, disabledRules: Set<String>, severity: [String: Severity], exclude: [String]) {
    self.prefix = prefix
    self.disabledRules = disabledRules
    self.severity = severity
    self.exclude = exclude
  }
}

/// What reports say about a rule: its identity and explanation, without the patterns
/// that find it (those belong to detection).
public struct RuleInfo: Sendable, Equatable {
  public var id: String
  /// `id` in UpperCamelCase (SARIF's `name`).
  public var name: String
  public var description: String
  public var remediation: String?
  public var category: RuleCategory
  public var severity: Severity
  /// SARIF's `security-severity`, 0.0 to 10.0.
  public var securitySeverity: Double
  public var cwe: String
  public var tags: [String]

  public init(
    id: String, name: String, description: String, remediation: String?, category: RuleCategory,
    severity: Severity, securitySeverity: Double, cwe: String, tags: [String]
  ) {
    self.id = id
    self.name = name
    self.description = description
    self.remediation = remediation
    self.category = category
    self.severity = severity
    self.securitySeverity = securitySeverity
    self.cwe = cwe
    self.tags = tags
  }
}

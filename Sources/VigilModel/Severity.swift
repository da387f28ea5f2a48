/// How loudly a finding is reported; the names are SARIF's `level` values.
public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
  case error
  case warning
  case note

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .note: 0
    }
  }

  /// One level down: what a finding is reported at when the rule's concern is only
  /// partly shown (SQL built from a value whose origin is unknown).
  public var lower: Severity {
    switch self {
    case .error: .warning
    case .warning, .note: .note
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Why a finding is not counted: an inline comment, the ignore file or the baseline.
///
/// Suppressed findings are kept (not dropped) so that `--include-suppressed` can show
/// them, in SARIF with `suppressions`, and so that stale ignore entries can be told
/// from used ones.
public struct Suppression: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// A `vigil:allow` (or `gitleaks:allow`) comment on the finding's line.
    case inSource
    /// The ignore file or the baseline.
    case external
  }

  public var kind: Kind
  /// Where it came from, for people: `inline`, `.vigilignore`, `baseline`.
  public var source: String
  public var justification: String

  public init(kind: Kind, source: String, justification: String) {
    self.kind = kind
    self.source = source
    self.justification = justification
  }
}

/// One reported problem, ready for any reporter.
///
/// Holds no secret in clear unless the scan was asked not to redact: `snippet` and
/// `secret` are already redacted, and the fingerprint hashes the secret.
public struct Finding: Sendable, Equatable {
  public var ruleID: String
  /// Index of the rule in the scan's pack (SARIF's `ruleIndex`).
  public var ruleIndex: Int
  public var category: RuleCategory
  public var severity: Severity
  /// Relative to the scanned root, with `/` separators.
  public var path: String
  /// Where the reported span starts (1-based line and code-point column).
  public var start: TextPosition
  /// Just past where it ends (SARIF's exclusive `endColumn`).
  public var end: TextPosition
  public var fingerprint: String
  /// The line of the finding, cut around the match, with every secret on it masked.
  public var snippet: String
  /// The secret, masked, for secret rules; `nil` for code rules and secret files.
  public var secret: String?
  public var message: String
  /// The commit that introduced it (history and staged scans); `nil` for files on disk.
  public var commit: CommitInfo?
  /// Set when an inline allow, the ignore file or the baseline silences it.
  public var suppression: Suppression?
  /// A secret or key in test or fixture material (by its path): reported, at `note`.
  public var isFixture = false
  /// Up to `FindingBuilder.contextLines` lines before and after the finding, redacted
  /// like the snippet (for the HTML report).
  public var contextBefore: [String] = []
  public var contextAfter: [String] = []
  /// Other places in the same file the finding involves: where built SQL runs.
  public var related: [RelatedLocation] = []
  /// For a secret found inside encoded text: the encodings undone to reach it,
  /// outermost first (base64, then hex); empty for a secret in plain text.
  public var decodedFrom: [ContentEncoding] = []
  /// For a finding inside an archive: the archive's path in the tree, the part of `path`
  /// before its entries (`path` alone cannot tell: a directory may be named `x.zip!y`).
  public var archive: String?

  public init(
    ruleID: String, ruleIndex: Int, category: RuleCategory, severity: Severity, path: String,
    start: TextPosition, end: TextPosition, fingerprint: String, snippet: String,
    secret: String?, message: String, commit: CommitInfo? = nil, suppression: Suppression? = nil,
    isFixture: Bool = false, contextBefore: [String] = [], contextAfter: [String] = []
  ) {
    self.ruleID = ruleID
    self.ruleIndex = ruleIndex
    self.category = category
    self.severity = severity
    self.path = path
    self.start = start
    self.end = end
    self.fingerprint = fingerprint
    self.snippet = snippet
    self.secret = secret
    self.message = message
    self.commit = commit
    self.suppression = suppression
    self.isFixture = isFixture
    self.contextBefore = contextBefore
    self.contextAfter = contextAfter
  }

  /// A place in the finding's file that the finding involves, with what it is.
  public struct RelatedLocation: Sendable, Equatable {
    public var start: TextPosition
    public var end: TextPosition
    public var message: String

    public init(start: TextPosition, end: TextPosition, message: String) {
      self.start = start
      self.end = end
      self.message = message
    }
  }

  /// The key of SARIF's `partialFingerprints` that holds `fingerprint`.
  public static let fingerprintKey = "vigilFingerprint/v1"

  /// The order every report uses: path, line, column, rule id.
  public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
    if lhs.path != rhs.path { return lhs.path.utf8.lexicographicallyPrecedes(rhs.path.utf8) }
    if lhs.start != rhs.start { return lhs.start < rhs.start }
    if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
    return lhs.fingerprint < rhs.fingerprint
  }
}

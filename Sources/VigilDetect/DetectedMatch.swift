/// What the detector found, as byte ranges into the file; the finding builder turns it
/// into lines, columns, a redacted snippet and a fingerprint.
public struct DetectedMatch: Sendable, Equatable {
  /// Index of the rule in the detector's pack.
  public var ruleIndex: Int
  /// The whole regex match; `nil` when the file itself is the finding (a path rule).
  public var matchRange: Range<Int>?
  /// The span reported and, for secret rules, redacted: the secret group or the match.
  public var secretRange: Range<Int>?
  /// Where what was found goes on to matter: the call an SQL construction reaches.
  public var relatedRange: Range<Int>?
  /// The value a code finding saw inserted, when one was told apart.
  public var valueRange: Range<Int>?
  /// For a construction followed to a sink: whether what it inserts is request data.
  /// `false` reports it one level below the rule's severity; `nil` is no flow finding.
  public var insertsRequestData: Bool?

  public init(ruleIndex: Int, matchRange: Range<Int>?, secretRange: Range<Int>?) {
    self.ruleIndex = ruleIndex
    self.matchRange = matchRange
    self.secretRange = secretRange
  }
}

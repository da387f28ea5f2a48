/// The examples a rule carries: its own test cases.
///
/// In `match` strings, each expected finding is marked «like this»: the marked text is
/// the span the rule must report (its secret group, or the whole match). `noMatch`
/// strings must produce no finding from this rule. Path rules use `matchPaths` and
/// `noMatchPaths`. Content examples are scanned as if they were in the file `path`.
public struct RuleExamples: Sendable, Equatable, Codable {
  public static let openMarker: Character = "«"
  public static let closeMarker: Character = "»"

  public var match: [String] = []
  public var noMatch: [String] = []
  public var matchPaths: [String] = []
  public var noMatchPaths: [String] = []
  /// The file path content examples are scanned under.
  public var path: String?

  public init() {}

  public var hasPositive: Bool { !match.isEmpty || !matchPaths.isEmpty }
  public var hasNegative: Bool { !noMatch.isEmpty || !noMatchPaths.isEmpty }
}

/// What detection cost, per rule and per stage: what `vigil scan --profile` prints.
/// Times are monotonic-clock nanoseconds that each worker thread spent, summed over the
/// workers: with several jobs they add up to more than the scan's wall time, and on a
/// busy machine they include time the thread waited for a core.
public struct ScanProfile: Sendable, Equatable {
  /// One rule's cost over the scan.
  public struct RuleCost: Sendable, Equatable {
    public var ruleID: String
    /// Time in the rule's regex and the checks on its matches (entropy, validators,
    /// allowlists, context).
    public var nanoseconds: UInt64 = 0
    /// Occurrences of the rule's keywords (each occurrence counts).
    public var keywordHits = 0
    /// Files the rule's regex ran over (its keywords occurred, or it has none).
    public var searches = 0
    /// Calls into the regex engine: one per keyword window of a windowed rule, one per
    /// match (and one more) of a rule that searches the whole file. Each call has a fixed
    /// cost, so a rule whose keyword is common pays for its calls even when none matches.
    public var calls = 0
    /// Regex matches, before any check.
    public var matches = 0
    /// Matches that passed every check and were passed on as findings (before inline
    /// suppressions, baselines and the configuration's layers).
    public var kept = 0

    public init(ruleID: String) { self.ruleID = ruleID }

    public mutating func add(_ other: RuleCost) {
      nanoseconds &+= other.nanoseconds
      keywordHits += other.keywordHits
      searches += other.searches
      calls += other.calls
      matches += other.matches
      kept += other.kept
    }
  }

  /// In rule-pack order.
  public var rules: [RuleCost]
  /// The keyword pass over each file that chooses which rules run.
  public var keywordNanoseconds: UInt64 = 0
  /// Lexing and following SQL values through the file (rules with a sink) and
  /// checking assignments (rules with `assignedFrom`).
  public var flowNanoseconds: UInt64 = 0
  /// Files whose content went through detection.
  public var files = 0

  public init(ruleIDs: [String]) { self.rules = ruleIDs.map(RuleCost.init) }

  public var totalNanoseconds: UInt64 {
    rules.reduce(keywordNanoseconds &+ flowNanoseconds) { $0 &+ $1.nanoseconds }
  }

  public mutating func merge(_ other: ScanProfile) {
    for (index, cost) in other.rules.enumerated() where index < rules.count { rules[index].add(cost) }
    keywordNanoseconds &+= other.keywordNanoseconds
    flowNanoseconds &+= other.flowNanoseconds
    files += other.files
  }

  /// `other` added to `profile`, or `other` alone when there is none yet.
  public static func merged(_ profile: ScanProfile?, _ other: ScanProfile) -> ScanProfile {
    guard var profile else { return other }
    profile.merge(other)
    return profile
  }

  /// The rules that cost anything, most expensive first (ties by rule ID).
  public var rulesByCost: [RuleCost] {
    rules.filter { $0.searches > 0 || $0.keywordHits > 0 }.sorted {
      ($0.nanoseconds, $1.ruleID) > ($1.nanoseconds, $0.ruleID)
    }
  }
}

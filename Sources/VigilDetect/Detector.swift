import PCRE2
import Vectorscan
import VigilModel

/// The shared, immutable half of detection: the rules, their keyword matcher and the
/// plan of which rules run where. Workers (`DetectorWorker`) hold the mutable half.
///
/// `Sendable`: everything here is immutable after `init`, and compiled patterns are
/// safe to share (see `Regex`). This is where a pack's patterns are compiled; the only
/// target that imports PCRE2.
public final class Detector: Sendable {
  public let pack: RulePack
  let rules: [CompiledRule]
  let allowlists: [CompiledAllowlist]
  /// Every rule's keywords, each with its rule's index.
  let keywords: [(bytes: [UInt8], payload: Int)]
  /// The keyword pass: Vectorscan's literal matcher where it runs, else (and for a
  /// worker whose Vectorscan scan failed) vigil's own automaton.
  let literals: LiteralSet?
  let automaton: KeywordAutomaton?
  /// The rules each of `literals`' ids switches on:
  /// `literalRules[literalRuleStart[id]..<literalRuleStart[id + 1]]`.
  let literalRuleStart: [Int32]
  let literalRules: [Int32]
  /// Content rules with no keywords: they run on every file.
  let keywordlessRules: [Int]
  /// Path-only rules: the file itself is the finding.
  let pathOnlyRules: [Int]
  /// Global allowlists whose path match skips a file entirely (OR, with paths).
  let excludingAllowlists: [CompiledAllowlist]
  /// Whether any allowlist needs the line around a match.
  let needsLine: Bool

  /// - Throws: the first pattern that does not compile; the rule loader has checked
  ///   the patterns of every pack it made.
  /// How the keyword pass finds keywords.
  enum KeywordMatcher {
    /// Vectorscan where the CPU runs it, else the automaton.
    case best
    case automaton
  }

  /// - Parameter countingKeywords: find every keyword occurrence, as `--profile`
  ///   counts them; otherwise a rule that runs over the whole file needs only the
  ///   first of each of its keywords.
  public convenience init(pack: RulePack, countingKeywords: Bool = false) throws(PatternError) {
    try self.init(pack: pack, keywordMatcher: .best, countingKeywords: countingKeywords)
  }

  init(pack: RulePack, keywordMatcher: KeywordMatcher, countingKeywords: Bool = false) throws(PatternError) {
    self.pack = pack
    var rules: [CompiledRule] = []
    for rule in pack.rules { rules.append(try CompiledRule(rule)) }
    var allowlists: [CompiledAllowlist] = []
    for allowlist in pack.allowlists { allowlists.append(try CompiledAllowlist(allowlist, ruleID: nil)) }
    self.rules = rules
    self.allowlists = allowlists
    var keywords: [(bytes: [UInt8], payload: Int)] = []
    var keywordless: [Int] = []
    var pathOnly: [Int] = []
    for (index, rule) in pack.rules.enumerated() {
      if rule.isPathOnly {
        pathOnly.append(index)
      } else if rule.keywords.isEmpty {
        keywordless.append(index)
      } else {
        keywords += rule.keywords.map { (Array($0.utf8), index) }
      }
    }
    self.keywords = keywords
    // One literal per distinct keyword and kind of rule: a windowed rule needs every
    // occurrence (its windows), any other rule only the first.
    var groups: [Int32] = []
    var groupOf: [[UInt8]: Int] = [:]
    var members: [[Int32]] = []
    var literals: [(bytes: [UInt8], id: UInt32, firstOnly: Bool)] = []
    for (bytes, index) in keywords {
      let everyOccurrence = countingKeywords || pack.rules[index].windowed
      let key = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } + [everyOccurrence ? 1 : 0]
      if let group = groupOf[key] {
        if !members[group].contains(Int32(index)) { members[group].append(Int32(index)) }
      } else {
        groupOf[key] = members.count
        literals.append((bytes, UInt32(members.count), !everyOccurrence))
        members.append([Int32(index)])
      }
    }
    var starts: [Int32] = [0]
    for group in members {
      groups += group
      starts.append(Int32(groups.count))
    }
    self.literalRuleStart = starts
    self.literalRules = groups
    self.literals = keywordMatcher == .best ? LiteralSet(literals: literals, caseless: true) : nil
    self.automaton = self.literals == nil ? KeywordAutomaton(keywords: keywords) : nil
    self.keywordlessRules = keywordless
    self.pathOnlyRules = pathOnly
    self.excludingAllowlists = allowlists.filter { $0.allowlist.condition == .or && !$0.paths.isEmpty }
    self.needsLine = (pack.allowlists + pack.rules.flatMap(\.allowlists)).contains {
      $0.regexTarget == .line && !$0.regexes.isEmpty
    }
  }

  /// A worker with its own match scratch; one per thread.
  /// A worker for one thread; a profiling worker also counts what each rule costs
  /// (`DetectorWorker.profile`: its keyword hits are every occurrence only with a
  /// detector made `countingKeywords`).
  public func makeWorker(profiling: Bool = false) throws(PCRE2Error) -> DetectorWorker {
    try DetectorWorker(detector: self, profiling: profiling)
  }
}

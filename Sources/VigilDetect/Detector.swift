import PCRE2
import Vectorscan
import VigilModel
import VigilSupport

/// Where the keyword pass's compiled Vectorscan sets are kept between scans (vigil's
/// cache directory): compiling one with the rules' prefilters takes a tenth of a second.
/// A set is filed under everything it is made of (`key`); what `load` returns is checked
/// by Vectorscan, and a set that does not load is compiled again.
public protocol CompiledSetStore: Sendable {
  func load(_ key: [UInt8]) -> [UInt8]?
  func save(_ key: [UInt8], _ bytes: [UInt8])
}

/// Inflates a compressed stream found by decoding (gzip inside base64) to at most
/// `limit` bytes: what it holds (one file, or each file of a tar inside), how many bytes
/// it unpacked, and whether the limit cut it short. Given by the scan, which owns the
/// archive reader.
public typealias Decompressor =
  @Sendable (_ bytes: UnsafeBufferPointer<UInt8>, _ limit: Int) -> (
    contents: [[UInt8]], unpacked: Int, cutShort: Bool
  )

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
  /// The distinct keywords (one per keyword and kind of rule), each reported by the
  /// keyword pass as its index here: its bytes, and whether only its first occurrence
  /// in a file matters.
  let keywords: [(bytes: [UInt8], payload: Int, firstOnly: Bool)]
  /// The keyword pass: vigil's own automaton, ready at once; and Vectorscan's literal
  /// matcher, compiled once the scan has read enough to pay for it (`keywordSet`).
  let automaton: KeywordAutomaton
  private let vectorscan: Locked<VectorscanState>
  /// Bytes read after the literals' set is ready before the prefilters go in.
  private let prefiltersAfter: Int
  /// Where compiled sets are kept between scans, if anywhere.
  private let setStore: (any CompiledSetStore)?
  /// The rules each keyword switches on:
  /// `keywordRules[keywordRuleStart[id]..<keywordRuleStart[id + 1]]`.
  let keywordRuleStart: [Int32]
  let keywordRules: [Int32]
  /// Content rules with no keywords: they run on every file.
  let keywordlessRules: [Int]
  /// Rules whose regex goes into the Vectorscan set as a prefilter (`Rule.prefilter`).
  let prefilterRules: [Int]
  /// Path-only rules: the file itself is the finding.
  let pathOnlyRules: [Int]
  /// Global allowlists whose path match skips a file entirely (OR, with paths).
  let excludingAllowlists: [CompiledAllowlist]
  /// For each rule, whether an allowlist it answers to (its own or a global one) reads
  /// the line around a match: only then is the line cut out for it.
  let needsLine: [Bool]
  /// Each rule's requirements (composite rules), by the required rule's index; a
  /// requirement whose rule is not in the pack (disabled) has none, and fails.
  let requirements: [[(index: Int?, withinLines: Int?, withinColumns: Int?)]]
  /// Rules whose matches are not reported (`Rule.skipReport`).
  let skipsReport: [Bool]
  /// Whether any rule has requirements or skips its report.
  let hasComposites: Bool
  /// How many encodings deep a secret is looked for (base64 of hex of …); 0: never.
  public let decodeDepth: Int
  /// Opens gzip found inside base64; without one, such a stream is not read.
  let decompress: Decompressor?
  /// vigil's default: deep enough for a value encoded ten times over, bounded in cost
  /// by the decoded bytes each file may produce.
  public static let defaultDecodeDepth = 10

  /// - Throws: the first pattern that does not compile; the rule loader has checked
  ///   the patterns of every pack it made.
  /// How the keyword pass finds keywords.
  enum KeywordMatcher {
    /// The automaton for the first `vectorscanAfter` bytes of a scan, then Vectorscan
    /// where the CPU runs it.
    case best
    /// Vectorscan from the first byte, where the CPU runs it.
    case vectorscan
    case automaton
  }

  /// Compiling the Vectorscan set takes about 15 ms for vigil's rules, which its speed
  /// over the automaton's wins back in about 8 MB: a scan that reads less (a commit's
  /// staged files, a few files named on the command line) never compiles it.
  static let vectorscanAfter = 8 << 20

  /// With the rules' prefilters (`Rule.prefilter`) the set takes about 0.13 s more to
  /// compile, and 4 MB more memory while it compiles, which the regex calls they save
  /// (about 0.05 s of one core per 100 MB of real code) win back in about 250 MB: the
  /// set is compiled again with them once a scan has read this much more.
  static let prefiltersAfter = 256 << 20

  /// Prefilters past this many (in rule order) are left out: each adds to the set's
  /// compile time, and a configuration, even one inside a scanned repository, may ask
  /// for any number.
  static let maximumPrefilters = 64

  enum VectorscanState {
    case waiting(bytesLeft: Int)
    /// One worker is compiling the set; the others go on with the automaton.
    case compiling
    /// The set, and the bytes left to read before it is compiled again with the
    /// prefilters (nil: it has them, or the pack has none).
    case ready(PatternSet, prefiltersIn: Int?)
    case unavailable
  }

  /// What the keyword pass should use for content of `count` bytes: the Vectorscan set
  /// when it is compiled (compiling it now if the scan has read enough, counting
  /// `count`); `.waiting` or `.compiling` while the automaton should go on;
  /// `.unavailable` for good. The worker that crosses a threshold compiles, outside the
  /// lock: the others do not wait for it (they go on with what they have).
  func keywordSet(reading count: Int) -> VectorscanState {
    enum Compile { case literals, prefilters(keeping: PatternSet) }
    let (state, compile) = vectorscan.withLock { state -> (VectorscanState, Compile?) in
      switch state {
      case .waiting(let left) where count < left:
        state = .waiting(bytesLeft: left - count)
        return (state, nil)
      case .waiting:
        state = .compiling
        return (state, .literals)
      case .ready(let set, let left?) where count < left:
        state = .ready(set, prefiltersIn: left - count)
        return (state, nil)
      case .ready(let set, .some):
        state = .ready(set, prefiltersIn: nil)
        return (state, .prefilters(keeping: set))
      case .compiling, .ready, .unavailable:
        return (state, nil)
      }
    }
    guard let compile else { return state }
    let compiled: VectorscanState
    switch compile {
    case .literals:
      // A set with the prefilters kept by an earlier scan costs nothing to compile: it
      // is used from the start.
      if let full = patternSet(prefilters: true, compiling: prefiltersAfter == 0 || prefilterRules.isEmpty) {
        compiled = .ready(full, prefiltersIn: nil)
      } else {
        compiled =
          patternSet(prefilters: false).map { .ready($0, prefiltersIn: prefiltersAfter) } ?? .unavailable
      }
    case .prefilters(let kept):
      compiled = .ready(patternSet(prefilters: true) ?? kept, prefiltersIn: nil)
    }
    vectorscan.withLock { $0 = compiled }
    return compiled
  }

  /// The keyword pass's set, with or without the rules' prefilters: from `setStore` if
  /// an earlier scan kept it, else compiled (and then kept) unless `compiling` is false.
  private func patternSet(prefilters withPrefilters: Bool, compiling: Bool = true) -> PatternSet? {
    let literals = keywords.map { ($0.bytes, UInt32($0.payload), $0.firstOnly) }
    // A prefilter's id follows the keywords': the rule's index, offset by their count.
    let prefilters =
      !withPrefilters
      ? []
      : prefilterRules.compactMap { index in
        rules[index].rule.regex.map { ($0, UInt32(keywords.count + index)) }
      }
    // What the set is made of, all of it: the key it is kept under.
    var key = Array("vigil keyword set 2\u{0}\(PatternSet.version)\u{0}".utf8)
    for (bytes, id, firstOnly) in literals {
      key += Array("\(id) \(firstOnly) \(bytes.count) ".utf8) + bytes
    }
    for (pattern, id) in prefilters { key += Array("\u{0}\(id) \(pattern.utf8.count) \(pattern)".utf8) }
    let wanted = Set(prefilters.map(\.1))
    if let kept = setStore?.load(key), let set = PatternSet(serialized: kept),
      Set(set.prefilterIDs).isSubset(of: wanted)
    {
      return set
    }
    guard compiling, let set = PatternSet(literals: literals, caseless: true, prefilters: prefilters) else {
      return nil
    }
    if let store = setStore, let bytes = set.serialized() { store.save(key, bytes) }
    return set
  }

  /// - Parameter countingKeywords: find every keyword occurrence, as `--profile`
  ///   counts them; otherwise a rule that runs over the whole file needs only the
  ///   first of each of its keywords.
  ///   - decodeDepth: how many encodings deep to look for secrets (0: not at all).
  ///   - setStore: where the keyword pass's compiled Vectorscan sets are kept between
  ///     scans, so that a later scan with the same rules does not compile them again.
  ///   - decompress: inflates gzip found inside base64 (`Decompressor`).
  public convenience init(
    pack: RulePack, countingKeywords: Bool = false, decodeDepth: Int = Detector.defaultDecodeDepth,
    setStore: (any CompiledSetStore)? = nil, decompress: Decompressor? = nil
  ) throws(PatternError) {
    try self.init(
      pack: pack, keywordMatcher: .best, countingKeywords: countingKeywords, decodeDepth: decodeDepth,
      setStore: setStore, decompress: decompress)
  }

  init(
    pack: RulePack, keywordMatcher: KeywordMatcher, countingKeywords: Bool = false,
    decodeDepth: Int = Detector.defaultDecodeDepth, setStore: (any CompiledSetStore)? = nil,
    decompress: Decompressor? = nil
  ) throws(PatternError) {
    self.decodeDepth = max(0, decodeDepth)
    self.decompress = decompress
    self.setStore = setStore
    self.pack = pack
    var rules: [CompiledRule] = []
    for rule in pack.rules { rules.append(try CompiledRule(rule)) }
    var allowlists: [CompiledAllowlist] = []
    for allowlist in pack.allowlists { allowlists.append(try CompiledAllowlist(allowlist, ruleID: nil)) }
    self.rules = rules
    self.allowlists = allowlists
    var keywordless: [Int] = []
    var pathOnly: [Int] = []
    // One keyword per distinct (case-folded) keyword and kind of rule: a windowed rule
    // needs every occurrence (its windows), any other rule only the first.
    var keywords: [(bytes: [UInt8], payload: Int, firstOnly: Bool)] = []
    var keywordOf: [[UInt8]: Int] = [:]
    var members: [[Int32]] = []
    for (index, rule) in pack.rules.enumerated() {
      if rule.isPathOnly {
        pathOnly.append(index)
        continue
      }
      if rule.keywords.isEmpty { keywordless.append(index) }
      let everyOccurrence = countingKeywords || rule.windowed
      for keyword in rule.keywords {
        let bytes = Array(keyword.utf8)
        let key = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } + [everyOccurrence ? 1 : 0]
        if let known = keywordOf[key] {
          if !members[known].contains(Int32(index)) { members[known].append(Int32(index)) }
        } else {
          keywordOf[key] = keywords.count
          keywords.append((bytes, keywords.count, !everyOccurrence))
          members.append([Int32(index)])
        }
      }
    }
    self.keywords = keywords
    self.keywordRuleStart = members.reduce(into: [0]) { starts, group in
      starts.append((starts.last ?? 0) + Int32(group.count))
    }
    self.keywordRules = members.flatMap { $0 }
    self.automaton = KeywordAutomaton(keywords: keywords.map { ($0.bytes, $0.payload) })
    let state: VectorscanState =
      switch keywordMatcher {
      case .best: .waiting(bytesLeft: Self.vectorscanAfter)
      case .vectorscan: .waiting(bytesLeft: 0)
      case .automaton: .unavailable
      }
    self.prefiltersAfter = keywordMatcher == .best ? Self.prefiltersAfter : 0
    self.vectorscan = Locked(state)
    self.keywordlessRules = keywordless
    self.prefilterRules = Array(
      pack.rules.indices.filter { pack.rules[$0].prefilter && pack.rules[$0].regex != nil }.prefix(
        Self.maximumPrefilters))
    self.pathOnlyRules = pathOnly
    // Only an allowlist for every rule may skip a file before any rule sees it.
    self.excludingAllowlists = allowlists.filter {
      $0.allowlist.condition == .or && !$0.paths.isEmpty && $0.allowlist.targetsEveryRule
    }
    let indexOf = Dictionary(pack.rules.enumerated().map { ($1.id, $0) }) { first, _ in first }
    self.requirements = pack.rules.map { rule in
      rule.required.map { (indexOf[$0.ruleID], $0.withinLines, $0.withinColumns) }
    }
    self.skipsReport = pack.rules.map(\.skipReport)
    self.hasComposites = pack.rules.contains { !$0.required.isEmpty || $0.skipReport }
    func readsLine(_ allowlist: Allowlist) -> Bool {
      allowlist.regexTarget == .line && !allowlist.regexes.isEmpty
    }
    let globalNeedsLine = pack.allowlists.contains(where: readsLine)
    self.needsLine = pack.rules.map { globalNeedsLine || $0.allowlists.contains(where: readsLine) }
  }

  /// A worker with its own match scratch; one per thread.
  /// A worker for one thread; a profiling worker also counts what each rule costs
  /// (`DetectorWorker.profile`: its keyword hits are every occurrence only with a
  /// detector made `countingKeywords`).
  public func makeWorker(profiling: Bool = false) throws(PCRE2Error) -> DetectorWorker {
    try DetectorWorker(detector: self, profiling: profiling)
  }
}

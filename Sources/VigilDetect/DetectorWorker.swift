import PCRE2
import Vectorscan
import VigilModel
import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The per-thread half of detection: PCRE2 scratch and the set of rules a file's
/// keywords switched on, reused from file to file so that scanning a file allocates
/// little beyond its findings.
///
/// Not `Sendable`: one worker belongs to one thread. Warnings (a pattern that hit the
/// match limit) accumulate in `warnings` for the caller to collect once.
public final class DetectorWorker {
  public let detector: Detector
  private let scratch: MatchScratch
  // Private copies of what every file reads, so that two workers never write the same
  // reference count (each read of a shared array retains its buffer, an atomic write to
  // a cache line both cores want).
  private let rules: [CompiledRule]
  /// Vectorscan's set once the detector has it (`Detector.keywordSet`); until then, and
  /// where it cannot run, the automaton.
  private var keywordSet: PatternSet?
  private var keywordScratch: PatternSet.Scratch?
  private var waitingForKeywordSet = true
  /// Rules whose prefilter is in `keywordSet` (`Rule.prefilter`), whether it matched in
  /// the current buffer, and the rules it kept from running there.
  private var gated: [Bool]
  private var prefilterMatched: [Bool]
  private var blocked: [Bool]
  private var blockedRules: [Int] = []
  private let prefilterRules: [Int]
  /// The rules each keyword (by the detector's index) switches on, and its length.
  private let keywordRuleStart: [Int32]
  private let keywordRules: [Int32]
  private let keywordLength: [Int]
  /// Also for a file whose Vectorscan scan failed, so that it is looked at all the same.
  private let automaton: KeywordAutomaton
  private let pathOnlyRules: [Int]
  private let keywordlessRules: [Int]
  private let excludingAllowlists: [CompiledAllowlist]
  private let globalAllowlists: [CompiledAllowlist]
  private var triggered: [Bool]
  private var triggeredRules: [Int] = []
  /// Keyword occurrences per rule in the current file, counted when profiling.
  private var keywordHits: [Int]
  /// Rules that run only around their keywords (`Rule.windowed`), and for each, where
  /// its keywords are in the current file (ascending by end).
  private let isWindowed: [Bool]
  private var keywordSpans: [[Range<Int>]]
  /// Past this many keyword occurrences in one file, a windowed rule searches the whole
  /// file instead (the same matches): memory for keyword offsets stays bounded.
  static let windowLimit = 1 << 16
  /// Values a provider rule recognised but rejected in the current file.
  private var claimedRanges: [Range<Int>] = []
  public private(set) var warnings: [Diagnostic] = []
  /// What detection cost so far, when the worker was made to profile.
  public private(set) var profile: ScanProfile?
  /// The commit the content being scanned comes from (history scans; `nil` otherwise):
  /// allowlists' `commits` are matched against it.
  public var commit: String?
  /// While the entries of an archive are detected: the archive's path in the tree. A
  /// nested config's allowlist reaches them where it reaches the archive (rules see an
  /// entry as `bundle.zip/x`, which a config in a directory `bundle.zip/` of another
  /// commit would otherwise take for its own).
  public var archive: String?

  /// Whether an allowlist scoped to `scope` (a nested config's directory) reaches `path`.
  private func reaches(_ scope: String?, _ path: String) -> Bool {
    guard let scope else { return true }
    return (archive ?? path).hasPrefix(scope)
  }

  init(detector: Detector, profiling: Bool) throws(PCRE2Error) {
    self.detector = detector
    self.scratch = try MatchScratch()
    self.triggered = [Bool](repeating: false, count: detector.pack.rules.count)
    self.keywordHits = [Int](repeating: 0, count: detector.pack.rules.count)
    self.isWindowed = detector.rules.map { $0.rule.windowed && $0.regex?.hasOffsetLimit == true }
    self.keywordSpans = [[Range<Int>]](repeating: [], count: detector.pack.rules.count)
    self.prefilterRules = detector.prefilterRules.map { $0 }
    self.gated = [Bool](repeating: false, count: detector.pack.rules.count)
    self.prefilterMatched = gated
    self.blocked = gated
    self.rules = detector.rules.map { $0 }
    self.keywordRuleStart = detector.keywordRuleStart.map { $0 }
    self.keywordRules = detector.keywordRules.map { $0 }
    self.keywordLength = detector.keywords.map(\.bytes.count)
    self.automaton = detector.automaton.copy()
    self.pathOnlyRules = detector.pathOnlyRules.map { $0 }
    self.keywordlessRules = detector.keywordlessRules.map { $0 }
    self.excludingAllowlists = detector.excludingAllowlists.map { $0 }
    self.globalAllowlists = detector.allowlists.map { $0 }
    if profiling { self.profile = ScanProfile(ruleIDs: detector.pack.rules.map(\.id)) }
  }

  /// Files whose encoded text was not all decoded for the budget (`detectDecoded`).
  public var decodingCutShort = 0
  /// Files (counted once per rule) where a rule's pattern gave up on part of a line.
  public var patternsGaveUp = 0

  /// The warnings so far, which are then forgotten.
  public func takeWarnings() -> [Diagnostic] {
    defer { warnings.removeAll() }
    return warnings
  }

  /// Whether a global allowlist skips this file outright.
  public func isExcluded(path: String) -> Bool {
    let pathBytes = PathText.bytes(display: path)
    return excludingAllowlists.contains { allowlist in
      reaches(allowlist.allowlist.scope, path)
        && allowlist.paths.contains { matches($0, pathBytes, rule: nil, path: path) }
    }
  }

  /// What detection takes from a file's path rather than its content, as a value to
  /// compare: whether a global allowlist skips the file, whether it is test material
  /// (findings there are notes), its extension (which picks the lexer), and which
  /// rules' path patterns and which allowlists' path patterns it matches. The same
  /// content at two paths with equal treatments gives the same findings; git inputs use
  /// it to tell a rename or copy that only moves content from one that moves it where
  /// the rules judge it differently (a fixture moved into the code).
  public func pathTreatment(_ path: String) -> [UInt8] {
    let pathBytes = PathText.bytes(display: path)
    func bit(_ value: Bool) -> UInt8 { value ? 1 : 0 }
    // Rules share path patterns (documentation, examples): each is matched once.
    var known: [String: Bool] = [:]
    func matching(_ pattern: Regex) -> Bool {
      if let answer = known[pattern.pattern] { return answer }
      let answer = matches(pattern, pathBytes, rule: nil, path: path)
      known[pattern.pattern] = answer
      return answer
    }
    func matched(_ allowlist: CompiledAllowlist) -> Bool {
      !allowlist.paths.isEmpty && (allowlist.allowlist.scope.map { path.hasPrefix($0) } ?? true)
        && allowlist.paths.contains(where: matching)
    }
    let name = path.split(separator: "/").last ?? ""
    let fileExtension =
      name.contains(".") ? name.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
    var treatment = [bit(isExcluded(path: path)), bit(ContextAnalyzer.isTestPath(path))]
    // The lexer goes by the name too (a Makefile's comments are skipped, a NOTES file's not).
    treatment += Array(String(describing: LexerRegistry.language(forPath: path)).utf8) + [0]
    treatment += Array(fileExtension.utf8) + [0]
    treatment += globalAllowlists.map { bit(matched($0)) }
    for rule in rules {
      if let pattern = rule.path {
        treatment.append(bit(matching(pattern)))
      }
      treatment += rule.allowlists.map { bit(matched($0)) }
    }
    return treatment
  }

  /// Whether a secret-file rule's path pattern takes in `path` (`.env`, `id_rsa`): a
  /// link so named inside the tree is read through, as what it names is used by that
  /// name (dotenv follows a `.env` link to `docs/notes.txt`).
  public func namesSecretFile(_ path: String) -> Bool {
    let pathBytes = PathText.bytes(display: path)
    return rules.contains { compiled in
      compiled.rule.category == .secretFile
        && compiled.path.map { matches($0, pathBytes, rule: compiled.rule, path: path) } == true
    }
  }

  /// Findings that depend on the path alone: committed secret files.
  public func detectPath(_ path: String) -> [DetectedMatch] {
    let pathBytes = PathText.bytes(display: path)
    var found: [DetectedMatch] = []
    for index in pathOnlyRules {
      let rule = rules[index]
      guard let pattern = rule.path, matches(pattern, pathBytes, rule: rule.rule, path: path) else {
        continue
      }
      let candidate = Candidate(secret: [], match: [], line: [], path: path, pathBytes: pathBytes)
      if !isAllowed(candidate, rule: rule) {
        found.append(DetectedMatch(ruleIndex: index, matchRange: nil, secretRange: nil))
      }
    }
    return found
  }

  /// Findings in the content of a text file, in rule order and then offset order; then
  /// the secrets found by decoding its encoded text (`Detector.decodeDepth`).
  public func detectContent(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> [DetectedMatch] {
    let plain = detectPlain(bytes, path: path, secretsOnly: false)
    guard detector.decodeDepth > 0 else { return plain }
    return plain + detectDecoded(bytes, path: path, plain: plain)
  }

  /// Whether `bytes` (a binary file's) are a program or an image rather than text with
  /// a few NUL or control bytes (`detectSecretsInBinary` reads the two apart).
  public func isProgram(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { !BinaryText.isMostlyText(bytes) }

  /// Findings in a binary file. Text with a few NUL or control bytes in it
  /// (`BinaryText.isMostlyText`) is read by every rule as a text file is, those bytes
  /// included (a NUL in a key block does not break it; one NUL in a comment of a script
  /// that node or rustc still take hides no code finding), and its runs of UTF-16
  /// text too (UTF-16 after a first part without a NUL: CJK, say). In a program or an
  /// image, the runs of text (`BinaryText`), each match within one run, and only the
  /// rules with a format of their own: the generic rules need the code around a value,
  /// which a run of a binary file does not show (a compiled module's docstrings read as
  /// assignments). Ranges are the file's.
  public func detectSecretsInBinary(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> [DetectedMatch] {
    // The runs of UTF-16 and UTF-32 text are read in a file read decoded too: one
    // decoding does not read text in the other (UTF-32 first, UTF-16 after it).
    if BinaryText.isMostlyText(bytes) {
      let plain = detectPlain(bytes, path: path, secretsOnly: false)
      let decoded = detector.decodeDepth > 0 ? detectDecoded(bytes, path: path, plain: plain) : []
      return plain + decoded + detectInRuns(of: BinaryText(bytes, textRuns: false), path: path)
    }
    let found = detectInRuns(of: BinaryText(bytes), path: path)
    // Source code and configuration whatever bytes they hold: NULs or form feeds by the
    // thousand in a comment make a script or a settings file look like a program, and its
    // interpreter or its program still reads it. The generic secret rules, and for source
    // code the code rules, read it whole (the rules with a format of their own have read
    // its runs).
    guard let language = LexerRegistry.language(forPath: path, bytes: bytes) else { return found }
    // Markup and settings are no program's text (an SVG, a binary property list).
    let isCode = !["INI", "XML/HTML"].contains(language.name)
    let whole = detectPlain(bytes, path: path, secretsOnly: !isCode).filter {
      let rule = rules[$0.ruleIndex].rule
      return rule.isGeneric || !rule.category.isSensitive
    }
    return found + whole
  }

  /// The matches within one run of `binary`'s text, at the file's ranges.
  private func detectInRuns(of binary: BinaryText, path: String) -> [DetectedMatch] {
    guard !binary.text.isEmpty else { return [] }
    return binary.text.withUnsafeBufferPointer { text in
      detectPlain(text, path: path, secretsOnly: true, skippingGeneric: true).filter {
        $0.matchRange.map(binary.isWithinOneRun) ?? true
      }
      .map { match in
        var match = match
        // A secret in UTF-16 or UTF-32 is shown and fingerprinted as its characters, not
        // as the file's bytes (NULs after each).
        if let secret = match.secretRange, let encoding = binary.encoding(at: secret.lowerBound) {
          match.decoded = DecodedSecret(encodings: [encoding], secret: Array(text[secret]))
        }
        match.matchRange = match.matchRange.map(binary.fileRange)
        match.secretRange = match.secretRange.map(binary.fileRange)
        return match
      }
    }
  }

  /// Archives and compressed streams found in a file's encoded text unpack to at most
  /// this many times the file (and `decodeAllowance`).
  static let unpackRatio = 8

  /// At most this many decoded bytes per file, beyond twice its size: nesting and
  /// repetition cannot make a file cost more than a few times itself.
  static let decodeAllowance = 64 * 1024

  /// A JavaScript or TypeScript source's name (`.js`, `.mjs`, `.cjs`, `.jsx`, `.ts`, …).
  static func isJavaScript(_ path: String) -> Bool {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
    return ["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"].contains(
      path[path.index(after: dot)...].lowercased())
  }

  /// Secrets inside base64, hex, percent-encoded or escaped text, decoded to the
  /// detector's depth; each reported at the encoded text it was found in. A secret a
  /// plain finding already covers is left to it.
  private func detectDecoded(_ bytes: UnsafeBufferPointer<UInt8>, path: String, plain: [DetectedMatch])
    -> [DetectedMatch]
  {
    var budget = 2 * bytes.count + Self.decodeAllowance
    var cutShort = false
    // What archives and compressed streams in the file unpack to, apart: they unpack to
    // several times themselves (an Office document in base64), and a file of them costs
    // at most this, once.
    let unpackAllowance = Self.unpackRatio * bytes.count + Self.decodeAllowance
    var unpacking = unpackAllowance
    var unpackingCutShort = false
    // `fromLine`: decoded from the file's lines read unescaped (`lines`: for the joined
    // lines themselves, where each of their bytes is in the file).
    var queue:
      [(
        bytes: [UInt8], origin: Range<Int>, encodings: [ContentEncoding], fromLine: Bool,
        lines: EncodedSegments.LineMap?
      )] = []
    var inflatingStopped = false
    // Encoded text found where the depth allows no more decoding (a secret base64-encoded
    // eleven times over): said, and --strict fails.
    var tooDeep = false
    // A segment queued as it decoded; a gzip stream inflated first, within the budget
    // (what it holds as text, or the text runs of a tar inside). The file's lines with
    // punctuation escaped cost nothing: each once, they are no more than the file, and a
    // megabyte of `https:\/\/` must not leave the base64 after it undecoded.
    func enqueue(
      _ segment: EncodedSegments.Segment, origin: Range<Int>, after encodings: [ContentEncoding],
      fromLine: Bool
    ) {
      let lines = encodings.isEmpty ? segment.lines : nil
      if lines == nil { budget -= segment.decoded.count }
      guard segment.compressed else {
        queue.append(
          (segment.decoded, origin, encodings + [segment.encoding], fromLine || lines != nil, lines))
        return
      }
      guard let decompress = detector.decompress else { return }
      guard encodings.count + 1 < detector.decodeDepth else {
        tooDeep = true
        return
      }
      // What every stream unpacks is spent from its allowance, read or not; once one was
      // cut short, no other is inflated (a file of bombs costs its allowance once).
      guard unpacking > 0, !inflatingStopped else {
        unpackingCutShort = true
        return
      }
      let inflated = segment.decoded.withUnsafeBufferPointer { decompress($0, unpacking) }
      unpacking -= inflated.unpacked
      unpackingCutShort = unpackingCutShort || inflated.cutShort
      // Only a spent allowance stops the file's later streams (not an entry too large).
      if unpacking <= 0 { inflatingStopped = true }
      for content in inflated.contents {
        let text = content.withUnsafeBufferPointer {
          BinaryText.isMostlyText($0) ? content : BinaryText($0).text
        }
        let packing: ContentEncoding = segment.decoded.starts(with: [0x1F, 0x8B]) ? .gzip : .archive
        queue.append((text, origin, encodings + [segment.encoding, packing], fromLine, nil))
      }
    }
    // In JavaScript `\/` is a regular expression's slash, in every minified bundle: its
    // lines are not read again unescaped (a tenth of the corpus's script bytes).
    let escapedLines = !Self.isJavaScript(path)
    let top = EncodedSegments.find(in: bytes, budget: budget, escapedLines: escapedLines)
    var fromLines: Set<Int> = []  // the found matches decoded from the escaped lines
    cutShort = top.cutShort
    for segment in top.segments { enqueue(segment, origin: segment.range, after: [], fromLine: false) }
    var found: [DetectedMatch] = []
    var head = 0
    while head < queue.count {
      let item = queue[head]
      head += 1
      // Where a range of the item's text is in the file: its origin, or for the joined
      // lines, the bytes it was read from.
      func origin(of range: Range<Int>) -> Range<Int> { item.lines?.range(of: range) ?? item.origin }
      item.bytes.withUnsafeBufferPointer { buffer in
        for match in detectPlain(buffer, path: path, secretsOnly: true) {
          let at = origin(of: match.secretRange ?? match.matchRange ?? 0..<0)
          var outer = DetectedMatch(ruleIndex: match.ruleIndex, matchRange: at, secretRange: at)
          outer.decoded = DecodedSecret(
            encodings: item.encodings, secret: match.secretRange.map { Array(buffer[$0]) } ?? [])
          if item.fromLine { fromLines.insert(found.count) }
          found.append(outer)
        }
        // With the budget spent, still looked for: a run found then is one not decoded.
        let inner = EncodedSegments.find(in: buffer, budget: budget, escapedLines: escapedLines)
        guard item.encodings.count < detector.decodeDepth else {
          tooDeep = tooDeep || !inner.segments.isEmpty
          return
        }
        cutShort = cutShort || inner.cutShort
        for segment in inner.segments {
          enqueue(
            segment, origin: origin(of: segment.range), after: item.encodings,
            fromLine: item.fromLine)
        }
      }
    }
    // Decoys spent the budget (nested, wrapped base64 decodes to several times itself):
    // what was left encoded is said, and --strict fails.
    if cutShort {
      decodingCutShort += 1
      warnings.append(
        Diagnostic(
          .warning,
          "decoding stopped after \(2 * bytes.count + Self.decodeAllowance) decoded bytes (twice the file and "
            + "64 KiB); encoded text past that was not decoded",
          file: path))
    }
    if unpackingCutShort {
      decodingCutShort += 1
      warnings.append(
        Diagnostic(
          .warning,
          "unpacking archives and compressed streams found in encoded text stopped after \(unpackAllowance) bytes "
            + "(\(Self.unpackRatio) times the file and 64 KiB); what they hold past that was not read",
          file: path))
    }
    if tooDeep {
      decodingCutShort += 1
      warnings.append(
        Diagnostic(
          .warning,
          "encoded text nested deeper than \(detector.decodeDepth) encodings (--max-decode-depth) was not decoded",
          file: path))
    }
    // What a plain finding of the same rule already reports is left to it; another rule's
    // secret inside the value is news (an AWS key in base64 in an `api_key` a generic
    // rule reports: one allow of the generic rule would otherwise hide the key too).
    // A line read unescaped holds the plain findings of the line too: there the same
    // secret is left to them, another one (escaped) is news.
    var covered: [Int: SortedRanges] = [:]
    var plainSecrets: Set<String> = []
    for (rule, matches) in Dictionary(
      grouping: plain.filter { rules[$0.ruleIndex].rule.category.isSensitive }, by: \.ruleIndex)
    {
      covered[rule] = SortedRanges(matches.compactMap(\.secretRange))
      for match in matches {
        if let range = match.secretRange {
          plainSecrets.insert("\(rule) \(String(decoding: bytes[range], as: UTF8.self))")
        }
      }
    }
    // The same secret reached twice where the encoded texts overlap (a value and its copy
    // in one decoded text; a wrapped block and one of its lines) is one finding.
    var kept: [String: [Range<Int>]] = [:]
    return found.indices.compactMap { index -> DetectedMatch? in
      let match = found[index]
      guard let range = match.secretRange else { return nil }
      let secret = String(decoding: match.decoded?.secret ?? [], as: UTF8.self)
      if fromLines.contains(index) {
        if plainSecrets.contains("\(match.ruleIndex) \(secret)") { return nil }
      } else if covered[match.ruleIndex]?.overlap(range) == true {
        return nil
      }
      let key = "\(match.ruleIndex) \(match.decoded?.secret ?? [])"
      // The last few ranges kept for it (a block's lines come right after it): a file of
      // thousands of copies costs linear time.
      if kept[key]?.suffix(4).contains(where: { $0.overlaps(range) || $0 == range }) == true { return nil }
      kept[key, default: []].append(range)
      return match
    }
  }

  /// Findings in text: every rule, or (in decoded text) the secret rules only, or (in
  /// source code full of control bytes) the code rules only.
  private func detectPlain(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, secretsOnly: Bool, skippingGeneric: Bool = false,
    codeOnly: Bool = false
  ) -> [DetectedMatch] {
    let pathBytes = PathText.bytes(display: path)
    for index in triggeredRules {
      triggered[index] = false
      if isWindowed[index] { keywordSpans[index].removeAll(keepingCapacity: true) }
    }
    triggeredRules.removeAll(keepingCapacity: true)
    var started: ContinuousClock.Instant? = profile == nil ? nil : .now
    findKeywords(bytes)
    if profile != nil {
      // A decoded text is part of its file, not a file of its own.
      if !secretsOnly { profile?.files += 1 }
      profile?.keywordNanoseconds &+= Self.nanoseconds(since: started)
      for index in triggeredRules {
        profile?.rules[index].keywordHits += keywordHits[index]
        keywordHits[index] = 0
      }
    }
    // Composite rules last, and only where what they require matched: their own
    // pattern is often loose (any 40-character key) and would cost the whole file.
    var candidates = (keywordlessRules + triggeredRules).sorted()
    if !blockedRules.isEmpty { candidates.removeAll { blocked[$0] } }
    // A rule a composite requires runs, as gitleaks runs it, whatever its own keywords
    // (over the whole text then): its matches there count for the composite only.
    var requirementOnly: Set<Int> = []
    if detector.hasComposites {
      let requirements = detector.requirements
      let running = Set(candidates)
      for index in candidates {
        for required in requirements[index] {
          guard let wanted = required.index, !running.contains(wanted), !blocked[wanted] else { continue }
          requirementOnly.insert(wanted)
        }
      }
      candidates =
        candidates.filter { requirements[$0].isEmpty } + requirementOnly.sorted()
        + candidates.filter { !requirements[$0].isEmpty }
    }
    claimedRanges.removeAll(keepingCapacity: true)
    var found: [DetectedMatch] = []
    // Worked out on first use: most files never need it.
    var regions: ContextRegions?
    var lineFeeds: [Int]?
    for index in candidates {
      if profile != nil { started = .now }
      defer { profile?.rules[index].nanoseconds &+= Self.nanoseconds(since: started) }
      let compiled = rules[index]
      guard let regex = compiled.regex else { continue }
      if secretsOnly && !compiled.rule.category.isSensitive || skippingGeneric && compiled.rule.isGeneric
        || codeOnly && compiled.rule.category.isSensitive
      {
        continue
      }
      if detector.hasComposites,
        !detector.requirements[index].allSatisfy({ required in
          required.index.map { wanted in found.contains { $0.ruleIndex == wanted } } ?? false
        })
      {
        continue
      }
      let rule = compiled.rule
      if let pattern = compiled.path, !matches(pattern, pathBytes, rule: rule, path: path) { continue }
      profile?.rules[index].searches += 1
      search(
        regex, rule: compiled, index: index, in: bytes, path: path, pathBytes: pathBytes,
        keywords: keywordSpans[index], wholeText: requirementOnly.contains(index), lineFeeds: &lineFeeds
      ) { match in
        // A seed's context is looked at only if the file can add to it (followingQueries).
        if !rule.skipIn.isEmpty && !rule.accumulates, let offset = match.secretRange?.lowerBound {
          if regions == nil { regions = ContextAnalyzer.regions(path: path, bytes: bytes) }
          if let regions, rule.skipIn.contains(where: { regions.contains(offset, in: $0) }) { return }
        }
        if let guardPattern = compiled.guardPattern,
          let start = (match.matchRange ?? match.secretRange)?.lowerBound,
          Self.isGuarded(start, by: guardPattern, lines: rule.guardLines, in: bytes, scratch: scratch)
        {
          return
        }
        found.append(match)
      }
    }
    if detector.hasComposites {
      // Back to rule order, then offset order.
      found.sort {
        ($0.ruleIndex, ($0.matchRange ?? $0.secretRange)?.lowerBound ?? 0)
          < ($1.ruleIndex, ($1.matchRange ?? $1.secretRange)?.lowerBound ?? 0)
      }
    }
    // The file's tokens, built once for the flow rules that need them.
    if profile != nil { started = .now }
    var tokens: CodeTokens?
    if found.contains(where: { rules[$0.ruleIndex].sink != nil }) {
      found = followingQueries(found, in: bytes, path: path, regions: &regions, tokens: &tokens)
    }
    if found.contains(where: { rules[$0.ruleIndex].assignedFrom != nil }) {
      found = keepingAssignedFrom(found, in: bytes, path: path, regions: &regions, tokens: &tokens)
    }
    if detector.hasComposites {
      found = keepingRequired(found, in: bytes)
      if !requirementOnly.isEmpty { found.removeAll { requirementOnly.contains($0.ruleIndex) } }
    }
    var kept = removingOverlaps(found)
    if detector.hasComposites { kept.removeAll { detector.skipsReport[$0.ruleIndex] } }
    if profile != nil {
      profile?.flowNanoseconds &+= Self.nanoseconds(since: started)
      for match in kept { profile?.rules[match.ruleIndex].kept += 1 }
    }
    return kept
  }

  /// Whether `guardPattern` matches the text before `offset`, from the start of the
  /// line `lines` lines above it (`Rule.guardPattern`), and at most `guardBytes` back:
  /// many matches on one long line (minified code) must not each read the whole line.
  private static func isGuarded(
    _ offset: Int, by guardPattern: Regex, lines: Int, in bytes: UnsafeBufferPointer<UInt8>,
    scratch: MatchScratch
  ) -> Bool {
    var start = min(offset, bytes.count)
    let earliest = max(0, start - guardBytes)
    var newlines = 0
    while start > earliest {
      if bytes[start - 1] == 0x0A {
        newlines += 1
        if newlines > lines { break }
      }
      start -= 1
    }
    let before = UnsafeBufferPointer(rebasing: bytes[start..<min(offset, bytes.count)])
    return (try? guardPattern.firstMatch(in: before, scratch: scratch)) != nil
  }

  static let guardBytes = 4096

  /// The keyword pass: which rules the file's keywords switch on (`triggeredRules`),
  /// and where the keywords of windowed rules are (`keywordSpans`, ascending by end).
  private func findKeywords(_ bytes: UnsafeBufferPointer<UInt8>) {
    if waitingForKeywordSet {
      switch detector.keywordSet(reading: bytes.count) {
      case .waiting, .compiling: break
      case .ready(let set, let prefiltersIn):
        if set !== keywordSet {
          keywordSet = set
          keywordScratch = set.makeScratch()
          for id in set.prefilterIDs { gated[Int(id) - keywordLength.count] = true }
        }
        // A set without the prefilters is asked about again: they come later.
        waitingForKeywordSet = prefiltersIn != nil
      case .unavailable: waitingForKeywordSet = false
      }
    }
    for index in blockedRules { blocked[index] = false }
    blockedRules.removeAll(keepingCapacity: true)
    let counting = profile != nil
    if let keywordSet, let keywordScratch {
      let scanned = keywordSet.scan(bytes, scratch: keywordScratch) { distribute($0, counting: counting) }
      if scanned {
        // A rule whose prefilter found nothing cannot match: it does not run.
        for index in prefilterRules where gated[index] {
          if !prefilterMatched[index] {
            blocked[index] = true
            blockedRules.append(index)
          }
          prefilterMatched[index] = false
        }
        // Vectorscan reports by end offset; should it not, each list is sorted here.
        for index in triggeredRules where isWindowed[index] {
          let spans = keywordSpans[index]
          if zip(spans, spans.dropFirst()).contains(where: { $0.upperBound > $1.upperBound }) {
            keywordSpans[index].sort { $0.upperBound < $1.upperBound }
          }
        }
        return
      }
      // A scan that failed may have reported some keywords: start again with the automaton.
      for index in prefilterRules { prefilterMatched[index] = false }
      for index in triggeredRules {
        triggered[index] = false
        keywordSpans[index].removeAll(keepingCapacity: true)
        keywordHits[index] = 0
      }
      triggeredRules.removeAll(keepingCapacity: true)
    }
    automaton.scan(bytes) { keyword, end in
      record(keyword, end: end, spans: &keywordSpans, fired: &triggered, counting: counting)
    }
  }

  /// The keywords of a batch from Vectorscan (ids past the keywords' are prefilters: the
  /// rule's index, offset by their count). The per-file state is taken out of the worker
  /// for the batch: one access to each array, not several for each keyword.
  private func distribute(_ hits: UnsafeBufferPointer<UInt64>, counting: Bool) {
    let keywordCount = keywordLength.count
    var spans = keywordSpans
    var fired = triggered
    keywordSpans = []
    triggered = []
    defer {
      keywordSpans = spans
      triggered = fired
    }
    for hit in hits {
      let keyword = Int(PatternSet.id(hit))
      if keyword < keywordCount {
        record(keyword, end: PatternSet.end(hit), spans: &spans, fired: &fired, counting: counting)
      } else {
        prefilterMatched[keyword - keywordCount] = true
      }
    }
  }

  /// Switches on the rules of a keyword that ends at `end`, and keeps where it is for
  /// those that are windowed.
  @inline(__always)
  private func record(
    _ keyword: Int, end: Int, spans: inout [[Range<Int>]], fired: inout [Bool], counting: Bool
  ) {
    for member in Int(keywordRuleStart[keyword])..<Int(keywordRuleStart[keyword + 1]) {
      let index = Int(keywordRules[member])
      if counting { keywordHits[index] += 1 }
      if isWindowed[index] && spans[index].count < Self.windowLimit {
        spans[index].append((end - keywordLength[keyword])..<end)
      }
      if !fired[index] {
        fired[index] = true
        triggeredRules.append(index)
      }
    }
  }

  /// Nanoseconds from `start` to now; 0 without a start (a scan that does not profile).
  private static func nanoseconds(since start: ContinuousClock.Instant?) -> UInt64 {
    guard let start else { return 0 }
    let elapsed = start.duration(to: .now).components
    return UInt64(max(0, elapsed.seconds)) &* 1_000_000_000
      &+ UInt64(max(0, elapsed.attoseconds) / 1_000_000_000)
  }

  /// The file's regions and tokens, each worked out on first use.
  private func codeTokens(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, regions: inout ContextRegions?,
    tokens: inout CodeTokens?
  ) -> CodeTokens {
    if let tokens { return tokens }
    if regions == nil { regions = ContextAnalyzer.regions(path: path, bytes: bytes) }
    let lexed = regions ?? ContextRegions()
    let built = CodeTokens(bytes, strings: lexed.strings, comments: lexed.comments)
    tokens = built
    return built
  }

  /// Keeps a match of a rule with `assignedFrom` only where its name was last assigned,
  /// before it, a value the pattern matches whole (trimmed of spaces and a `;`).
  private func keepingAssignedFrom(
    _ found: [DetectedMatch], in bytes: UnsafeBufferPointer<UInt8>, path: String,
    regions: inout ContextRegions?, tokens: inout CodeTokens?
  ) -> [DetectedMatch] {
    let assignments = Assignments(
      tokens: codeTokens(bytes, path: path, regions: &regions, tokens: &tokens), bytes: bytes)
    return found.filter { match in
      guard let source = rules[match.ruleIndex].assignedFrom else { return true }
      guard let name = match.secretRange,
        var value = assignments.value(
          of: String(decoding: bytes[name], as: UTF8.self), before: name.lowerBound)
      else { return false }
      while let last = value.last, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ";")].contains(bytes[last]) {
        value = value.lowerBound..<last
      }
      let text = UnsafeBufferPointer(rebasing: bytes[value])
      guard let hit = try? source.firstMatch(in: text, from: 0, scratch: scratch) else { return false }
      return hit.range == 0..<text.count
    }
  }

  /// Keeps, of the matches of rules with a sink, those that reach one (`QueryFlow`),
  /// and adds the constructions found by accumulating onto a seed. A file no lexer
  /// reads keeps its matches as they are: without its strings there is no flow to follow.
  private func followingQueries(
    _ found: [DetectedMatch], in bytes: UnsafeBufferPointer<UInt8>, path: String,
    regions: inout ContextRegions?, tokens: inout CodeTokens?
  ) -> [DetectedMatch] {
    guard LexerRegistry.language(forPath: path, bytes: bytes) != nil else {
      return found.filter { !rules[$0.ruleIndex].rule.accumulates }
    }
    var flowing = found.filter { rules[$0.ruleIndex].sink != nil }
    let accumulates = { (match: DetectedMatch) in self.rules[match.ruleIndex].rule.accumulates }
    // Seeds alone, in a file that never adds to a variable, cannot become findings: no
    // need to lex it. Nor in minified code, where following a variable by name across
    // statements means nothing (and a megabyte bundle costs a tenth of a second).
    let others = found.filter { rules[$0.ruleIndex].sink == nil }
    if flowing.allSatisfy(accumulates) {
      let inTests = ContextAnalyzer.isTestPath(path)
      flowing.removeAll { inTests && rules[$0.ruleIndex].rule.skipIn.contains(.test) }
      if flowing.isEmpty || !Accumulation.mayAccumulate(bytes) || Accumulation.isMinified(bytes) {
        return others
      }
    }
    if regions == nil { regions = ContextAnalyzer.regions(path: path, bytes: bytes) }
    let lexed = regions ?? ContextRegions()
    flowing.removeAll { match in
      let skipIn = rules[match.ruleIndex].rule.skipIn
      return accumulates(match) && skipIn.contains { lexed.contains(match.start, in: $0) }
    }
    if flowing.isEmpty { return others }
    let fileTokens = codeTokens(bytes, path: path, regions: &regions, tokens: &tokens)
    let scratch = self.scratch
    let compiled = self.rules
    func named(_ sink: Regex, _ callee: UnsafeBufferPointer<UInt8>) -> Bool {
      (try? sink.firstMatch(in: callee, from: 0, scratch: scratch)) != nil
    }
    var flow = QueryFlow(
      tokens: fileTokens, bytes: bytes,
      constructions: flowing.filter { !compiled[$0.ruleIndex].rule.accumulates },
      seeds: flowing.filter { compiled[$0.ruleIndex].rule.accumulates },
      isSink: { index, callee in compiled[index].sink.map { named($0, callee) } ?? false })
    return others + flow.run()
  }

  /// A file's path and content matches, one finding per thing found. A secret file
  /// named by its path alone (`id_rsa`, `.git-credentials`) is one finding, the most
  /// severe of the secret-file rules that name it (the first on a tie), and the secrets
  /// inside it are left to it. A secret file found by what it holds (a `.env`'s
  /// credential, a `.pgpass` line) is one finding per secret in it, each standing for
  /// the secrets other rules read inside its match; the file's other secrets are
  /// findings of their own. So a key added to a known `.env` is a new finding, and one
  /// moved or removed makes none. A construct two code rules of one category and
  /// weakness report (a wildcard CORS policy with credentials) is one finding, the most
  /// severe. Rules of one category with different weaknesses (a Flask server on every
  /// interface that also runs the debugger) each keep theirs.
  public func consolidated(path pathMatches: [DetectedMatch], content: [DetectedMatch]) -> [DetectedMatch] {
    let all = pathMatches + content
    guard all.count > 1 else { return all }
    func rank(_ match: DetectedMatch) -> (Severity, Int) {
      (rules[match.ruleIndex].rule.severity, -match.ruleIndex)
    }
    func category(_ match: DetectedMatch) -> RuleCategory { rules[match.ruleIndex].rule.category }
    var kept: [DetectedMatch] = []
    let files = all.filter { category($0) == .secretFile }
    let named = files.filter { $0.secretRange == nil }
    // The secrets not yet stood for by a secret-file finding.
    var secrets = all.filter { category($0) == .secret }
    if var file = named.max(by: { rank($0) < rank($1) }) {
      // The file stands for the secrets in it: each is masked where it is shown (a
      // Docker config's second registry's login on the line of the first).
      file.absorbedSecrets = all.filter { category($0).isSensitive }.compactMap(\.secretRange)
      kept.append(file)
      secrets = []
    } else if !files.isEmpty {
      // Of secret-file matches that overlap, the most severe; each stands for the
      // secrets that lie within its match (sorted by start: a binary search each).
      let chosen = Self.mostSevereOfOverlapping(files, rank: rank).sorted {
        ($0.matchRange?.lowerBound ?? 0) < ($1.matchRange?.lowerBound ?? 0)
      }
      var absorbed = [[Range<Int>]](repeating: [], count: chosen.count)
      secrets.removeAll { secret in
        guard let range = secret.secretRange else { return false }
        var index =
          chosen.partitioningIndex(where: { ($0.matchRange?.lowerBound ?? 0) >= range.upperBound }) - 1
        // Matches of different rules may nest: the nearest few before are looked at.
        var looked = 0
        while index >= 0 && looked < 4 {
          if let span = chosen[index].matchRange ?? chosen[index].secretRange, span.overlaps(range) {
            absorbed[index].append(range)
            return true
          }
          index -= 1
          looked += 1
        }
        return false
      }
      for (index, var file) in chosen.enumerated() {
        file.absorbedSecrets = absorbed[index]
        kept.append(file)
      }
    }
    kept += secrets
    // Code matches with a span, by category and weakness; the rest is kept as it is.
    var spans: [String: [DetectedMatch]] = [:]
    for match in all where !category(match).isSensitive {
      if match.secretRange == nil {
        kept.append(match)
      } else {
        let rule = rules[match.ruleIndex].rule
        spans[rule.category.rawValue + " " + rule.cwe, default: []].append(match)
      }
    }
    for (_, group) in spans {
      kept += Self.mostSevereOfOverlapping(group, rank: rank)
    }
    return kept
  }

  /// Of matches that overlap, the ones no overlapping match of another rule outranks.
  /// One sweep in start order: a rule's own matches never overlap (its search moves
  /// past each one), so the matches still open at a start are at most one per rule,
  /// and a file full of findings costs linear time.
  private static func mostSevereOfOverlapping(
    _ group: [DetectedMatch], rank: (DetectedMatch) -> (Severity, Int)
  ) -> [DetectedMatch] {
    guard Set(group.map(\.ruleIndex)).count > 1 else { return group }
    let sorted = group.sorted { ($0.secretRange?.lowerBound ?? 0) < ($1.secretRange?.lowerBound ?? 0) }
    var dropped = [Bool](repeating: false, count: sorted.count)
    var open: [Int] = []
    for (index, match) in sorted.enumerated() {
      guard let range = match.secretRange else { continue }
      open.removeAll { (sorted[$0].secretRange?.upperBound ?? 0) <= range.lowerBound }
      for other in open where sorted[other].ruleIndex != match.ruleIndex {
        if rank(sorted[other]) > rank(match) { dropped[index] = true }
        if rank(match) > rank(sorted[other]) { dropped[other] = true }
      }
      open.append(index)
    }
    return sorted.indices.filter { !dropped[$0] }.map { sorted[$0] }
  }

  /// Composite rules: a match of a rule with requirements is kept only where each
  /// required rule matched too, within the lines and columns it allows (between where
  /// the matches start; columns count bytes from the line's start). Each check looks at a bounded number of the required rule's
  /// matches on the lines allowed, so a file full of both costs linear time.
  private func keepingRequired(_ found: [DetectedMatch], in bytes: UnsafeBufferPointer<UInt8>)
    -> [DetectedMatch]
  {
    let requirements = detector.requirements
    guard found.contains(where: { !requirements[$0.ruleIndex].isEmpty }) else { return found }
    func start(_ match: DetectedMatch) -> Int { (match.matchRange ?? match.secretRange)?.lowerBound ?? 0 }
    let lines = LineIndex(bytes)
    // Each rule's matches as (line, column), in order.
    var positions: [Int: [(line: Int, column: Int)]] = [:]
    for match in found {
      let offset = start(match)
      let line = lines.lineIndex(of: offset)
      positions[match.ruleIndex, default: []].append((line, offset - lines.lineStarts[line]))
    }
    for index in positions.keys { positions[index]?.sort { ($0.line, $0.column) < ($1.line, $1.column) } }
    return found.filter { match in
      let offset = start(match)
      let line = lines.lineIndex(of: offset)
      let column = offset - lines.lineStarts[line]
      return requirements[match.ruleIndex].allSatisfy { requirement in
        guard let required = requirement.index, let others = positions[required], !others.isEmpty else {
          return false
        }
        let span = requirement.withinLines ?? Int.max / 2
        var candidate = others.partitioningIndex { $0.line >= line - span }
        var looked = 0
        while candidate < others.count && others[candidate].line <= line + span && looked < 1024 {
          if requirement.withinColumns.map({ abs(others[candidate].column - column) <= $0 }) ?? true {
            return true
          }
          candidate += 1
          looked += 1
        }
        return false
      }
    }
  }

  /// One secret, one finding: a generic rule steps aside where a provider rule (or a
  /// secret-file rule) saw the same value (even one the provider rule then rejected as a
  /// fake, by its checksum or allowlist); a secret inside a secret file's match is left
  /// for `consolidated` to fold into that finding. Two generic rules that read the same
  /// value give one finding: the rule that checked the value's structure (a JWT is also a
  /// bearer token), else the one whose match takes in more around it (`?key=…` is a bare
  /// key and a URL's credential). A generic rule that did not check the structure also
  /// steps aside where one that did read a value around its own (a key's first line of
  /// several, joined in code, is a key too).
  private func removingOverlaps(_ found: [DetectedMatch]) -> [DetectedMatch] {
    let specific = SortedRanges(
      found.filter { !rules[$0.ruleIndex].rule.isGeneric }.compactMap(\.secretRange) + claimedRanges)
    func checksStructure(_ match: DetectedMatch) -> Bool {
      let validator = rules[match.ruleIndex].rule.validator
      return validator != nil && validator != .generated
    }
    let structured = SortedRanges(
      found.filter {
        let rule = rules[$0.ruleIndex].rule
        return rule.isGeneric && !rule.skipReport && checksStructure($0)
      }
      .compactMap(\.secretRange))
    func precedence(_ match: DetectedMatch) -> (Int, Int) {
      (checksStructure(match) ? 1 : 0, match.matchRange?.count ?? 0)
    }
    var generic: [Range<Int>: Int] = [:]  // a value → the generic match that reports it
    // A rule whose matches are not reported (`skipReport`) wins nothing: its own match
    // would go, and the value with it.
    for (index, match) in found.enumerated()
    where rules[match.ruleIndex].rule.isGeneric && !rules[match.ruleIndex].rule.skipReport {
      guard let range = match.secretRange else { continue }
      if let kept = generic[range], precedence(found[kept]) >= precedence(match) { continue }
      generic[range] = index
    }
    guard !specific.isEmpty || !structured.isEmpty || generic.count < found.count else { return found }
    return found.indices.compactMap { index in
      let match = found[index]
      let rule = rules[match.ruleIndex].rule
      guard let range = match.secretRange else { return match }
      if rule.isGeneric
        && (generic[range] != index || specific.overlap(range)
          || !checksStructure(match) && structured.overlap(range))
      {
        return nil
      }
      return match
    }
  }

  /// Runs one rule's regex over the whole buffer, or for a windowed rule from the start
  /// of each keyword's line (or name) up to the keyword (`keywords`: each occurrence,
  /// ascending by end): the same matches as over the whole buffer, since each of its matches
  /// starts in such a window. When the match limit stops a search, the rule resumes at
  /// the next line so that one pathological line costs only itself.
  private func search(
    _ regex: Regex, rule compiled: CompiledRule, index: Int, in bytes: UnsafeBufferPointer<UInt8>,
    path: String, pathBytes: [UInt8], keywords: [Range<Int>], wholeText: Bool = false,
    lineFeeds: inout [Int]?, _ report: (DetectedMatch) -> Void
  ) {
    let rule = compiled.rule
    let windowed = !wholeText && rule.windowed && regex.hasOffsetLimit && keywords.count < Self.windowLimit
    let needsLine = detector.needsLine[index]
    // The line last cut out: matches on one long line share it (a copy per match would
    // make a line of many matches quadratic).
    var lastLine: (range: Range<Int>, bytes: [UInt8]) = (0..<0, [])
    var start = 0
    var warned = false
    var nextKeyword = 0
    while start <= bytes.count {
      let found: Match
      do {
        if windowed {
          // The next keyword whose window is not behind `start`; its window starts at
          // its line's start (or its name's), or at `start` if that is later (so each
          // byte is looked back over once, whatever the line's length).
          while nextKeyword < keywords.count && keywords[nextKeyword].upperBound - 1 < start {
            nextKeyword += 1
          }
          guard nextKeyword < keywords.count else { return }
          let keyword = keywords[nextKeyword]
          let limit = keyword.upperBound - 1
          start =
            switch rule.windowStart {
            case .line:
              Self.windowStart(
                before: limit, lines: rule.windowLines, notBefore: start, in: bytes,
                lineFeeds: lineFeeds ?? Self.lineFeeds(in: bytes, into: &lineFeeds))
            case .name: Self.nameStart(before: keyword.lowerBound, notBefore: start, in: bytes)
            }
          profile?.rules[index].calls += 1
          guard let next = try regex.firstMatch(in: bytes, from: start, startingBy: limit, scratch: scratch)
          else {
            start = limit + 1
            continue
          }
          found = next
        } else {
          profile?.rules[index].calls += 1
          guard let next = try regex.firstMatch(in: bytes, from: start, scratch: scratch) else {
            return
          }
          found = next
        }
      } catch {
        // Around a keyword, only that keyword's window is lost: the search goes on from
        // the next keyword (a hostile prefix must not hide a password later on its line).
        let skipped =
          windowed ? keywords[nextKeyword].upperBound : Self.nextLineStart(after: start, in: bytes)
        if !warned {
          warned = true
          patternsGaveUp += 1
          warnings.append(
            Diagnostic(
              .warning,
              "the pattern gave up (\(error)) near byte \(start); "
                + (windowed ? "the text up to byte \(skipped)" : "the rest of that line")
                + " was skipped for this rule and the scan went on (--strict fails)",
              file: path, ruleID: rule.id))
        }
        start = skipped
        continue
      }
      profile?.rules[index].matches += 1
      // An empty match reports nothing; step past it so the search always advances.
      start = found.range.isEmpty ? max(found.range.upperBound, start) + 1 : found.range.upperBound
      guard let secret = secretRange(of: found, rule: rule), !secret.isEmpty else { continue }
      if let threshold = rule.entropy {
        let value = UnsafeBufferPointer(rebasing: bytes[secret])
        let floor = rule.hexEntropy.flatMap { Entropy.isHexadecimal(value) ? $0 : nil } ?? threshold
        if Entropy.shannon(value) <= floor || (rule.isGeneric && Entropy.isMadeUp(value)) { continue }
      }
      if let validator = rule.validator, !validator.isValid(bytes[secret]) {
        // A rule run only for a composite claims nothing: none of its matches is reported.
        if !rule.isGeneric && !wholeText { claimedRanges.append(secret) }
        continue
      }
      var line: [UInt8] = []
      if needsLine {
        // The cache holds one line only (a match across lines gets its own range, uncached).
        if lastLine.range.lowerBound <= found.range.lowerBound
          && found.range.upperBound <= lastLine.range.upperBound
        {
          line = lastLine.bytes
        } else {
          let (range, whole) = Self.lineRange(around: found.range, in: bytes)
          line = Array(bytes[range])
          if whole && !bytes[found.range].contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            lastLine = (range, line)
          }
        }
      }
      let candidate = Candidate(
        secret: Array(bytes[secret]), match: Array(bytes[found.range]), line: line, path: path,
        pathBytes: pathBytes)
      if !isAllowed(candidate, rule: compiled) {
        report(DetectedMatch(ruleIndex: index, matchRange: found.range, secretRange: secret))
      } else if !rule.isGeneric && !wholeText {
        claimedRanges.append(secret)
      }
    }
  }

  /// gitleaks' rule: the configured group, else the first group that matched something,
  /// else the whole match.
  private func secretRange(of found: Match, rule: Rule) -> Range<Int>? {
    if let group = rule.secretGroup { return found.group(group) }
    for group in found.groups {
      if let group, !group.isEmpty { return group }
    }
    return found.range
  }

  private struct Candidate {
    var secret: [UInt8]
    var match: [UInt8]
    var line: [UInt8]
    var path: String
    var pathBytes: [UInt8]
  }

  private func isAllowed(_ candidate: Candidate, rule: CompiledRule) -> Bool {
    (globalAllowlists + rule.allowlists).contains { allows($0, candidate, rule: rule.rule) }
  }

  private func allows(_ compiled: CompiledAllowlist, _ candidate: Candidate, rule: Rule) -> Bool {
    let allowlist = compiled.allowlist
    if !reaches(allowlist.scope, candidate.path) { return false }
    if !allowlist.targets(rule) { return false }
    var results: [Bool] = []
    if !compiled.paths.isEmpty {
      results.append(
        compiled.paths.contains { matches($0, candidate.pathBytes, rule: rule, path: candidate.path) })
    }
    if !compiled.regexes.isEmpty {
      let target: [UInt8] =
        switch allowlist.regexTarget {
        case .secret: candidate.secret
        case .match: candidate.match
        case .line: candidate.line
        }
      results.append(
        compiled.regexes.contains { matches($0, target, rule: rule, path: candidate.path) })
    }
    if !allowlist.stopwords.isEmpty {
      let secret = String(decoding: candidate.secret, as: UTF8.self).lowercased()
      results.append(allowlist.stopwords.contains { secret.contains($0) })
    }
    // Commits only exist in history scans: elsewhere the criterion does not hold, so a
    // commit-only allowlist allows nothing and one with condition AND nothing either.
    if !allowlist.commits.isEmpty {
      results.append(
        commit.map { commit in allowlist.commits.contains { Self.names(commit: commit, $0) } } ?? false)
    }
    guard !results.isEmpty else { return false }
    return allowlist.condition == .and ? results.allSatisfy { $0 } : results.contains(true)
  }

  /// Whether an allowlist's `listed` commit id is `commit`: the full id, or an
  /// abbreviation of 7 or more hex digits as git prints them.
  static func names(commit: String, _ listed: String) -> Bool {
    let listed = listed.lowercased()
    return listed.count >= 7 && listed.allSatisfy(\.isHexDigit) && commit.lowercased().hasPrefix(listed)
  }

  /// A match test that turns a match-limit failure into a warning and "no match".
  private func matches(_ regex: Regex, _ subject: [UInt8], rule: Rule?, path: String) -> Bool {
    do {
      return try regex.firstMatch(in: subject, scratch: scratch) != nil
    } catch {
      warnings.append(
        Diagnostic(
          .warning, "an allowlist or path pattern gave up (\(error)); treated as not matching",
          file: path, ruleID: rule?.id))
      return false
    }
  }

  /// Where the window of a keyword ending at `limit` starts: the start of its line, or
  /// of the `lines - 1`th non-blank line before it; or `floor` if that is later. The
  /// keyword's own line is found in the buffer's line feeds (a binary search: every
  /// windowed rule asks, and a long line would be read back over by each of them).
  private static func windowStart(
    before limit: Int, lines: Int, notBefore floor: Int, in bytes: UnsafeBufferPointer<UInt8>,
    lineFeeds: [Int]
  ) -> Int {
    var low = 0
    var high = lineFeeds.count
    while low < high {
      let middle = (low + high) / 2
      if lineFeeds[middle] < limit { low = middle + 1 } else { high = middle }
    }
    var index = max(low > 0 ? lineFeeds[low - 1] + 1 : 0, floor)
    var left = lines - 1
    while left > 0 && index > floor {
      while index > floor && isBlank(bytes[index - 1]) { index -= 1 }
      while index > floor && bytes[index - 1] != 0x0A { index -= 1 }
      left -= 1
    }
    return index
  }

  /// The offsets of `bytes`' line feeds, ascending, stored into `cache` and returned.
  private static func lineFeeds(in bytes: UnsafeBufferPointer<UInt8>, into cache: inout [Int]?) -> [Int] {
    var feeds: [Int] = []
    if let base = bytes.baseAddress {
      var offset = 0
      while offset < bytes.count, let hit = memchr(base + offset, 0x0A, bytes.count - offset) {
        let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        feeds.append(position)
        offset = position + 1
      }
    }
    cache = feeds
    return feeds
  }

  /// The first of the letters, digits and `_ . + -` that run up to `offset` (a
  /// keyword's start), or `floor` if that is later.
  private static func nameStart(
    before offset: Int, notBefore floor: Int, in bytes: UnsafeBufferPointer<UInt8>
  )
    -> Int
  {
    var index = max(offset, floor)
    while index > floor && isNameByte(bytes[index - 1]) { index -= 1 }
    return index
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"),
      UInt8(ascii: "-"):
      true
    default: false
    }
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func nextLineStart(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var index = offset
    while index < bytes.count && bytes[index] != 0x0A && bytes[index] != 0x0D { index += 1 }
    return index + 1
  }

  /// How far either side of a match an allowlist with `regexTarget = "line"` sees the
  /// match's line: a minified file's line can be megabytes, and each match on it would
  /// otherwise hand its allowlists the whole line to search (quadratic in the matches).
  static let lineWindow = 4096

  /// The line around `range`, at most `lineWindow` bytes either side of it; `whole`
  /// when that is the line from its start to its end.
  private static func lineRange(around range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    -> (range: Range<Int>, whole: Bool)
  {
    let floor = max(0, range.lowerBound - lineWindow)
    var start = range.lowerBound
    while start > floor && bytes[start - 1] != 0x0A && bytes[start - 1] != 0x0D { start -= 1 }
    let ceiling = min(bytes.count, range.upperBound + lineWindow)
    var end = range.upperBound
    while end < ceiling && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
    let startsLine = start == 0 || bytes[start - 1] == 0x0A || bytes[start - 1] == 0x0D
    let endsLine = end == bytes.count || bytes[end] == 0x0A || bytes[end] == 0x0D
    return (start..<end, startsLine && endsLine)
  }
}

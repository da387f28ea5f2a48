import Foundation
import Testing
import VigilTestSupport

@testable import VigilDetect
@testable import VigilKit
@testable import VigilRules

/// The detector's decisions: which rules run, what the secret is, and what allowlists,
/// entropy and paths leave out.
@Suite struct DetectorTests {
  private func pack(_ toml: String) throws -> RulePack {
    try DefaultRulePack.load(files: [("test.toml", toml)], strict: false).0
  }

  private func detect(_ toml: String, _ text: String, path: String = "src/app.py") throws
    -> [(id: String, secret: String)]
  {
    let pack = try pack(toml)
    let worker = try Detector(pack: pack).makeWorker()
    let bytes = Array(text.utf8)
    let found = bytes.withUnsafeBufferPointer { worker.detectContent($0, path: path) }
    return found.map { match in
      let secret = match.secretRange.map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""
      return (pack.rules[match.ruleIndex].id, secret)
    }
  }

  @Test func aRuleRunsOnlyWhereOneOfItsKeywordsOccurs() throws {
    // The regex alone would match; without the keyword the rule must not run.
    let rule = "[[rules]]\nid = \"k\"\nregex = '''tok_[0-9]+'''\nkeywords = [\"TOKEN\"]\n"
    #expect(try detect(rule, "x = tok_123").isEmpty)
    #expect(try detect(rule, "token: tok_123").map(\.secret) == ["tok_123"])
    #expect(try detect(rule, "ToKeN tok_1 tok_2").map(\.secret) == ["tok_1", "tok_2"])
  }

  /// A windowed rule runs its regex only from each keyword's line start up to the
  /// keyword: on text where its matches start before the keyword on the keyword's line,
  /// the same matches as over the whole text, however keywords, values and lines mix.
  @Test func aWindowedRuleFindsWhatTheWholeFileSearchFinds() throws {
    let rule = #"""
      [[rules]]
      id = "w"
      regex = '''(?i)(?<![\w.-])[\w.-]*?(?:token|secret)\s*[:=]\s*(["'])([^"'\s]{4,})\1'''
      keywords = ["token", "secret"]
      secretGroup = 2

      """#
    let fragments = [
      "token", "my_secret", "SECRET", " = ", ": ", "=", "\n", "\n\n", "'abc123'", "\"v4lue99\"", "x", " ",
      "api.token", "'", "\"", "secretsecret", "tok", "en", "'short'", "#", "tokens", "a-b+", "x.",
    ]
    var generator = SeededGenerator(seed: 20_261_203)
    var matched = 0
    for round in 0..<600 {
      let text = (0..<Int.random(in: 5...60, using: &generator)).map { _ in
        fragments.randomElement(using: &generator) ?? ""
      }.joined()
      let whole = try detect(rule, text)
      let windowed = try detect(rule + "windowed = true\n", text)
      #expect(windowed.map(\.secret) == whole.map(\.secret), "round \(round): \(text.debugDescription)")
      // The regex's matches start where the name holding the keyword starts.
      let fromName = try detect(rule + "windowed = true\nwindowStart = \"name\"\n", text)
      #expect(fromName.map(\.secret) == whole.map(\.secret), "round \(round): \(text.debugDescription)")
      matched += whole.count
    }
    // The texts do hold matches: the comparison is not between two empty lists.
    #expect(matched > 50)
  }

  /// The keyword pass by Vectorscan and by vigil's own automaton: the same matches on
  /// every example of the built-in rules, all of them in one text too (many keywords,
  /// many rules, windowed ones among them).
  @Test func vectorscanAndTheAutomatonFindTheSameMatches() throws {
    let pack = try DefaultRulePack.load().0
    let best = try Detector(pack: pack, keywordMatcher: .vectorscan).makeWorker()
    let automaton = try Detector(pack: pack, keywordMatcher: .automaton).makeWorker()
    guard case .ready = best.detector.keywordSet(reading: 0) else {
      Issue.record("Vectorscan runs on this machine")
      return
    }
    guard case .unavailable = automaton.detector.keywordSet(reading: 1 << 30) else {
      Issue.record("the automaton's detector never compiles a Vectorscan set")
      return
    }
    // The built-in rules come without their examples (`DefaultRulePack.examples(of:)`).
    let examples = pack.rules.map(DefaultRulePack.examples(of:))
    var texts = examples.flatMap { $0.match + $0.noMatch }.map {
      $0.filter { $0 != RuleExamples.openMarker && $0 != RuleExamples.closeMarker }
    }
    texts.append(texts.joined(separator: "\n"))
    var total = 0
    for (rule, text) in zip(
      zip(pack.rules, examples).flatMap { rule, examples in
        (examples.match + examples.noMatch).map { _ in (rule, examples) }
      } + [(pack.rules[0], examples[0])], texts)
    {
      let (rule, ruleExamples) = rule
      let path = ruleExamples.path ?? "src/app.py"
      let bytes = Array(text.utf8)
      let (first, second) = bytes.withUnsafeBufferPointer { buffer in
        (best.detectContent(buffer, path: path), automaton.detectContent(buffer, path: path))
      }
      let key = { (match: DetectedMatch) in "\(match.ruleIndex) \(String(describing: match.secretRange))" }
      #expect(first.map(key) == second.map(key), "\(rule.id): \(text.prefix(200).debugDescription)")
      total += first.count
    }
    #expect(total > 300)
  }

  /// A rule with a prefilter (`prefilter = true`) runs its regex only in texts where
  /// Vectorscan's approximation of it matches: the same matches as without, on random
  /// texts where keywords, values, quotes and lines mix; and none of the regex calls
  /// where only the keyword occurs.
  @Test func aPrefilteredRuleFindsWhatItFindsWithout() throws {
    let rule = #"""
      [[rules]]
      id = "p"
      regex = '''(?i)(?<![\w.-])[\w.-]*?(?:token|secret)\s*[:=]\s*(["'])((?=[^"'\s]*\d)[^"'\s]{4,})\1'''
      keywords = ["token", "secret"]
      secretGroup = 2
      windowed = true

      """#
    let plain = try Detector(pack: pack(rule), keywordMatcher: .vectorscan).makeWorker(profiling: true)
    let gated = try Detector(pack: pack(rule + "prefilter = true\n"), keywordMatcher: .vectorscan)
      .makeWorker(profiling: true)
    guard case .ready(let set, _) = gated.detector.keywordSet(reading: 0), set.prefilterIDs.count == 1 else {
      Issue.record("Vectorscan runs on this machine and compiles the prefilter")
      return
    }
    let fragments = [
      "token", "my_secret", "SECRET", " = ", ": ", "=", "\n", "'abc123'", "\"v4lue99\"", "x", " ",
      "api.token",
      "'", "\"", "tok", "en", "'nodigit'", "#", "tokens", "a-b+", "9",
    ]
    var generator = SeededGenerator(seed: 20_261_205)
    var matched = 0
    for round in 0..<600 {
      let bytes = Array(
        (0..<Int.random(in: 5...60, using: &generator)).map { _ in
          fragments.randomElement(using: &generator) ?? ""
        }.joined().utf8)
      let (expected, found) = bytes.withUnsafeBufferPointer {
        (plain.detectContent($0, path: "src/app.py"), gated.detectContent($0, path: "src/app.py"))
      }
      let secrets = { (matches: [DetectedMatch]) in matches.map { String(describing: $0.secretRange) } }
      #expect(
        secrets(found) == secrets(expected), "round \(round): \(String(decoding: bytes, as: UTF8.self))")
      matched += expected.count
    }
    #expect(matched > 50)
    // Keywords without a value: the plain rule runs its regex, the prefiltered one does not.
    let keywordsOnly = Array("token secret = x; the token is elsewhere".utf8)
    _ = keywordsOnly.withUnsafeBufferPointer {
      (plain.detectContent($0, path: "src/app.py"), gated.detectContent($0, path: "src/app.py"))
    }
    let plainCalls = plain.profile?.rules[0].calls ?? 0
    let gatedCalls = gated.profile?.rules[0].calls ?? 0
    #expect(gatedCalls < plainCalls, "\(gatedCalls) regex calls with the prefilter, \(plainCalls) without")
  }

  /// Every built-in rule that asks for a prefilter gets one: Vectorscan compiles each.
  @Test func everyBuiltInPrefilterCompiles() throws {
    let detector = try Detector(pack: DefaultRulePack.load().0, keywordMatcher: .vectorscan)
    guard case .ready(let set, _) = detector.keywordSet(reading: 0) else {
      Issue.record("Vectorscan runs on this machine")
      return
    }
    let asked = detector.pack.rules.indices.filter { detector.pack.rules[$0].prefilter }
    #expect(!asked.isEmpty)
    #expect(set.prefilterIDs == asked.map { UInt32(detector.keywords.count + $0) })
  }

  /// A built-in rule with a prefilter still finds each of its `match` examples with the
  /// prefilters in the keyword pass (`rules test` runs the examples with the automaton,
  /// where prefilters never gate): Vectorscan's approximation lets every one through.
  @Test func everyPrefilteredRuleFindsItsExamplesWithItsPrefilter() throws {
    let detector = try Detector(pack: DefaultRulePack.load().0, keywordMatcher: .vectorscan)
    guard case .ready(let set, _) = detector.keywordSet(reading: 0), !set.prefilterIDs.isEmpty else {
      Issue.record("Vectorscan runs on this machine")
      return
    }
    let worker = try detector.makeWorker()
    var checked = 0
    for id in set.prefilterIDs {
      let index = Int(id) - detector.keywords.count
      let rule = detector.pack.rules[index]
      let examples = DefaultRulePack.examples(of: rule)
      for example in examples.match {
        let text = Array(
          example.filter { $0 != RuleExamples.openMarker && $0 != RuleExamples.closeMarker }.utf8)
        let found = text.withUnsafeBufferPointer {
          worker.detectContent($0, path: examples.path ?? "config/settings.txt")
        }
        #expect(found.contains { $0.ruleIndex == index }, "\(rule.id): \(example)")
        checked += 1
      }
    }
    #expect(checked >= 2 * set.prefilterIDs.count)
  }

  /// A set store that remembers what it was given, for the tests.
  private final class MemoryStore: CompiledSetStore, @unchecked Sendable {
    private let lock = NSLock()
    private var sets: [[UInt8]: [UInt8]] = [:]
    private(set) var saves = 0

    func load(_ key: [UInt8]) -> [UInt8]? { lock.withLock { sets[key] } }
    func save(_ key: [UInt8], _ bytes: [UInt8]) {
      lock.withLock {
        sets[key] = bytes
        saves += 1
      }
    }
    func damage() {
      lock.withLock { for key in sets.keys { sets[key] = Array(sets[key, default: []].prefix(100)) } }
    }
  }

  /// A detector keeps the set it compiled; the next one with the same rules loads it
  /// (compiling nothing) and finds the same; a kept set that does not load is compiled.
  @Test func aKeptSetIsLoadedInsteadOfCompiled() throws {
    let pack = try DefaultRulePack.load().0
    let store = MemoryStore()
    let first = try Detector(pack: pack, keywordMatcher: .vectorscan, setStore: store)
    guard case .ready(let compiled, _) = first.keywordSet(reading: 0) else {
      Issue.record("Vectorscan runs on this machine")
      return
    }
    #expect(store.saves == 1)
    let second = try Detector(pack: pack, keywordMatcher: .vectorscan, setStore: store)
    guard case .ready(let loaded, nil) = second.keywordSet(reading: 0) else {
      Issue.record("the kept set was not used")
      return
    }
    #expect(store.saves == 1)
    #expect(loaded.prefilterIDs == compiled.prefilterIDs)
    var tokens = TestTokens(seed: 20_261_205)
    let text = Array("aws_secret_access_key = \"\(tokens.awsSecretKey())\"\nkey token secret".utf8)
    let (a, b) = try text.withUnsafeBufferPointer {
      (
        try first.makeWorker().detectContent($0, path: "a.py"),
        try second.makeWorker().detectContent($0, path: "a.py")
      )
    }
    #expect(a.map(\.ruleIndex) == b.map(\.ruleIndex))
    #expect(!a.isEmpty)
    store.damage()
    let third = try Detector(pack: pack, keywordMatcher: .vectorscan, setStore: store)
    guard case .ready = third.keywordSet(reading: 0) else {
      Issue.record("a damaged kept set stopped Vectorscan")
      return
    }
    #expect(store.saves == 2)
  }

  /// With a kept set that has the prefilters, a scan uses them from the start: no
  /// compiling, so no reason to wait.
  @Test func aKeptSetWithThePrefiltersIsUsedFromTheStart() throws {
    let pack = try DefaultRulePack.load().0
    let store = MemoryStore()
    guard
      case .ready(let full, nil) = try Detector(pack: pack, keywordMatcher: .vectorscan, setStore: store)
        .keywordSet(reading: 0), !full.prefilterIDs.isEmpty
    else {
      Issue.record("Vectorscan runs on this machine")
      return
    }
    let scan = try Detector(pack: pack, setStore: store)
    guard case .ready(let set, nil) = scan.keywordSet(reading: Detector.vectorscanAfter) else {
      Issue.record("the kept set with the prefilters was not used at once")
      return
    }
    #expect(set.prefilterIDs == full.prefilterIDs)
  }

  /// A scan compiles the Vectorscan set only once it has read enough to pay for it,
  /// and compiles it again with the rules' prefilters once it has read enough more.
  @Test func vectorscanIsCompiledOnlyForScansThatReadEnough() throws {
    let detector = try Detector(pack: DefaultRulePack.load().0)
    let half = Detector.vectorscanAfter / 2
    guard case .waiting = detector.keywordSet(reading: half) else {
      Issue.record("compiled for half the bytes")
      return
    }
    guard case .ready(let set, let prefiltersIn?) = detector.keywordSet(reading: half) else {
      Issue.record("not compiled once the scan has read enough, or compiled with the prefilters")
      return
    }
    #expect(set.prefilterIDs.isEmpty)
    #expect(prefiltersIn == Detector.prefiltersAfter)
    guard case .ready(let again, _) = detector.keywordSet(reading: 1) else {
      Issue.record("not kept")
      return
    }
    #expect(set === again)
    guard case .ready(let full, nil) = detector.keywordSet(reading: Detector.prefiltersAfter) else {
      Issue.record("not compiled with the prefilters once the scan has read enough more")
      return
    }
    #expect(full !== set)
    #expect(!full.prefilterIDs.isEmpty)
  }

  /// Composite rules (gitleaks' `[[rules.required]]`): a match counts only where each
  /// required rule matched within the lines and columns allowed; a `skipReport` rule's
  /// own matches are not reported.
  @Test func aCompositeRuleReportsOnlyNearWhatItRequires() throws {
    let rules = #"""
      [[rules]]
      id = "key-id"
      regex = '''\bKID[0-9]{4}\b'''
      keywords = ["kid"]
      skipReport = true

      [[rules]]
      id = "secret"
      regex = '''\bSEC([a-z]{6})\b'''
      keywords = ["sec"]
      [[rules.required]]
      id = "key-id"
      withinLines = 1

      [[rules]]
      id = "same-column"
      regex = '''\bCOL([a-z]{6})\b'''
      keywords = ["col"]
      [[rules.required]]
      id = "key-id"
      withinLines = 3
      withinColumns = 2

      """#
    #expect(try detect(rules, "KID1234\nx = SECabcdef").map(\.id) == ["secret"])
    #expect(try detect(rules, "SECabcdef KID1234").map(\.id) == ["secret"])
    // Two lines away, or no key id at all: nothing, and the key id itself never.
    #expect(try detect(rules, "KID1234\n\nSECabcdef").isEmpty)
    #expect(try detect(rules, "SECabcdef").isEmpty)
    #expect(try detect(rules, "KID1234").isEmpty)
    // Columns count bytes from each line's start, to where each match starts.
    #expect(try detect(rules, "KID1234\n\nCOLabcdef").map(\.id) == ["same-column"])
    #expect(try detect(rules, "KID1234\n\n   COLabcdef").isEmpty)
    // Many of both in one file: each secret near a key id is kept, the others not.
    let text = (0..<2000).map {
      $0 % 2 == 0 ? "KID\(1000 + $0 % 9000)\nSECqwerty" : "\n\n\n\nSECasdfgh\n\n\n"
    }
    .joined(separator: "\n")
    #expect(try detect(rules, text).map(\.secret) == Array(repeating: "qwerty", count: 1000))
  }

  /// A required rule runs wherever its composite runs, as gitleaks runs it, whatever its
  /// own keywords: its match there counts for the composite only, and is not reported.
  @Test func aRequiredRuleRunsWhateverItsKeywords() throws {
    let rules = #"""
      [[rules]]
      id = "key-id"
      regex = '''\bKID[0-9]{4}\b'''
      keywords = ["zzz-not-here"]
      windowed = true

      [[rules]]
      id = "secret"
      regex = '''\bSEC([a-z]{6})\b'''
      keywords = ["sec"]
      [[rules.required]]
      id = "key-id"
      withinLines = 1

      """#
    #expect(try detect(rules, "KID1234\nx = SECabcdef").map(\.id) == ["secret"])
    #expect(try detect(rules, "KID1234\n\nx = SECabcdef").isEmpty)
    // Its matches claim no value: a generic rule is not set aside for a value that only
    // the requirement saw (and its allowlist let pass).
    let claiming = #"""
      [[rules]]
      id = "key-id"
      regex = '''\bKID_([a-z0-9]{12})'''
      keywords = ["zzz-not-here"]
      [[rules.allowlists]]
      regexes = ['^a1s2']

      [[rules]]
      id = "secret"
      regex = '''\bSEC([a-z]{6})\b'''
      keywords = ["sec"]
      [[rules.required]]
      id = "key-id"
      withinLines = 1

      [[rules]]
      id = "generic-x"
      regex = '''\b(?:key|KID)_([a-z0-9]{12})'''
      keywords = ["kid_"]
      tags = ["generic"]

      """#
    #expect(try detect(claiming, "x = SECabcdef\nKID_a1s2d3f4g5h6").map(\.id) == ["generic-x"])
    // With its keyword there, the required rule is reported as any rule is.
    #expect(
      try detect(rules, "KID1234 zzz-not-here\nx = SECabcdef").map(\.id).sorted() == ["key-id", "secret"])
  }

  @Test func aRequirementMustNameALoadedRuleOtherThanItself() throws {
    let rule = "[[rules]]\nid = \"a\"\nregex = 'a'\nkeywords = [\"a\"]\n[[rules.required]]\nid = "
    #expect {
      try DefaultRulePack.load(files: [("test.toml", rule + "\"nope\"\n")], strict: false)
    } throws: { "\($0)".contains("requires the rule 'nope', which is not loaded") }
    #expect {
      try DefaultRulePack.load(files: [("test.toml", rule + "\"a\"\n")], strict: false)
    } throws: { "\($0)".contains("a rule cannot require itself") }
    #expect {
      try DefaultRulePack.load(files: [("test.toml", rule + "\"a\"\nwithinLines = -1\n")], strict: false)
    } throws: { "\($0)".contains("withinLines -1 is negative") }
  }

  /// `windowLines = 2`: a match may start on the last non-blank line before its
  /// keyword's (a quote, then only blank space and line breaks up to the keyword): the
  /// same matches as over the whole text, where one line's window would miss some.
  @Test func aTwoLineWindowFindsMatchesThatStartOnTheLineBefore() throws {
    let rule = #"""
      [[rules]]
      id = "w"
      regex = '''(?i)(["'])\s*select\s+(\w+)'''
      keywords = ["select"]
      secretGroup = 2

      """#
    let fragments = [
      "select", "SELECT ", "\"", "'", "\n", "\n\n", "  ", "\t", "name", "x = ", ";", "from", "\r\n",
    ]
    var generator = SeededGenerator(seed: 20_261_204)
    var matched = 0
    var missedByOneLine = 0
    for round in 0..<400 {
      let text = (0..<Int.random(in: 5...40, using: &generator)).map { _ in
        fragments.randomElement(using: &generator) ?? ""
      }.joined()
      let whole = try detect(rule, text)
      let windowed = try detect(rule + "windowed = true\nwindowLines = 2\n", text)
      #expect(windowed.map(\.secret) == whole.map(\.secret), "round \(round): \(text.debugDescription)")
      if try detect(rule + "windowed = true\n", text).count < whole.count { missedByOneLine += 1 }
      matched += whole.count
    }
    #expect(matched > 50)
    // Some texts do hold a match that one line's window misses.
    #expect(missedByOneLine > 10)
  }

  @Test func windowLinesNeedsAWindowedRuleAndAFewLines() throws {
    let base = "[[rules]]\nid = \"w\"\nregex = 'a'\nkeywords = [\"a\"]\n"
    #expect {
      try DefaultRulePack.load(files: [("test.toml", base + "windowLines = 2\n")], strict: false)
    } throws: { "\($0)".contains("windowLines needs windowed = true") }
    #expect {
      try DefaultRulePack.load(
        files: [("test.toml", base + "windowed = true\nwindowLines = 9\n")], strict: false)
    } throws: { "\($0)".contains("windowLines 9 is outside 1–8") }
    #expect {
      try DefaultRulePack.load(files: [("test.toml", base + "windowStart = \"name\"\n")], strict: false)
    } throws: { "\($0)".contains("windowStart needs windowed = true") }
    #expect {
      try DefaultRulePack.load(
        files: [("test.toml", base + "windowed = true\nwindowStart = \"word\"\n")], strict: false)
    } throws: { "\($0)".contains("windowStart 'word' is not one of: line, name") }
    #expect {
      try DefaultRulePack.load(
        files: [("test.toml", base + "windowed = true\nwindowStart = \"name\"\nwindowLines = 2\n")],
        strict: false)
    } throws: { "\($0)".contains("windowLines counts lines, so it needs windowStart = \"line\"") }
  }

  /// Past `windowLimit` keyword occurrences the rule searches the whole file: the same
  /// matches, with the keyword offsets it keeps bounded.
  @Test func aWindowedRuleWithTooManyKeywordsSearchesTheWholeFile() throws {
    let rule = #"""
      [[rules]]
      id = "w"
      regex = '''(?<![\w.-])[\w.-]*?token\s*=\s*'([^'\s]{4,})''''
      keywords = ["token"]
      secretGroup = 1
      windowed = true

      """#
    for count in [10, DetectorWorker.windowLimit + 10] {
      let text = "a_token = 'first1'\n" + String(repeating: "token ", count: count) + "\nb_token = 'last22'\n"
      #expect(try detect(rule, text).map(\.secret) == ["first1", "last22"], "\(count) keywords")
    }
  }

  @Test func windowedNeedsKeywords() throws {
    #expect {
      try DefaultRulePack.load(
        files: [("test.toml", "[[rules]]\nid = \"w\"\nregex = 'a'\nwindowed = true\n")], strict: false)
    } throws: { "\($0)".contains("windowed needs a 'regex' and 'keywords'") }
  }

  /// However many rules ask for one, a scan's set gets a bounded number of prefilters
  /// (a repository's configuration may ask for thousands), the first in rule order.
  @Test func prefiltersAreBounded() throws {
    let count = Detector.maximumPrefilters + 6
    let toml = (0..<count).map { index in
      "[[rules]]\nid = \"p\(index)\"\nregex = 'tok\(index)_[0-9]{4}'\nkeywords = [\"tok\(index)_\"]\nprefilter = true\n"
    }.joined(separator: "\n")
    let detector = try Detector(pack: pack(toml), keywordMatcher: .vectorscan)
    #expect(detector.prefilterRules == Array(0..<Detector.maximumPrefilters))
    let found = try detect(toml, "tok\(count - 1)_1234 tok0_5678").map(\.secret).sorted()
    #expect(found == ["tok0_5678", "tok\(count - 1)_1234"])
  }

  @Test func aPrefilterNeedsARegex() throws {
    #expect {
      try DefaultRulePack.load(
        files: [("test.toml", "[[rules]]\nid = \"p\"\npath = 'x$'\nprefilter = true\n")], strict: false)
    } throws: { "\($0)".contains("prefilter needs a 'regex'") }
  }

  @Test func aRuleWithoutKeywordsAlwaysRuns() throws {
    #expect(try detect("[[rules]]\nid = \"a\"\nregex = '''zz[0-9]'''\n", "zz1").count == 1)
  }

  @Test func theSecretIsTheGroupAskedForElseTheFirstNonEmptyGroup() throws {
    let text = "key=abc123 other"
    #expect(
      try detect("[[rules]]\nid = \"g\"\nregex = '''(key)=([a-z0-9]+)'''\nsecretGroup = 2\n", text).map(
        \.secret) == ["abc123"])
    #expect(
      try detect("[[rules]]\nid = \"g\"\nregex = '''(x)?key=([a-z0-9]+)'''\n", text).map(\.secret) == [
        "abc123"
      ])
    #expect(
      try detect("[[rules]]\nid = \"g\"\nregex = '''key=[a-z0-9]+'''\n", text).map(\.secret) == ["key=abc123"]
    )
    #expect(
      try detect("[[rules]]\nid = \"g\"\nregex = '''(key)=[a-z0-9]+'''\nsecretGroup = 0\n", text).map(
        \.secret) == ["key=abc123"])
  }

  @Test func entropyBelowTheThresholdIsDropped() throws {
    let rule = "[[rules]]\nid = \"e\"\nregex = '''pw=(\\w+)'''\nentropy = 3.0\n"
    #expect(try detect(rule, "pw=aaaaaaaaaaaa").isEmpty)
    #expect(try detect(rule, "pw=q8Zr2xLm9PvT").map(\.secret) == ["q8Zr2xLm9PvT"])
  }

  /// A random 32-digit hex key scores 3.5 bits or less one time in five; `hexEntropy`
  /// gives values made of hex digits (with a letter) their own floor, and only them.
  @Test func hexEntropyIsTheFloorForHexValuesOnly() throws {
    let rule = "[[rules]]\nid = \"h\"\nregex = '''key=(\\w+)'''\nentropy = 3.5\n"
    let hex = "a4c123b1612dd272d1371c17149d4395"  // 3.32 bits
    #expect(try detect(rule, "key=\(hex)").isEmpty)
    #expect(try detect(rule + "hexEntropy = 3.0\n", "key=\(hex)").map(\.secret) == [hex])
    #expect(
      try detect(rule + "hexEntropy = 3.0\n", "key=\(hex.uppercased())").map(\.secret) == [hex.uppercased()])
    // Not hex (3.39 bits), and digits alone (3.31 bits, a number): the general floor.
    #expect(try detect(rule + "hexEntropy = 3.0\n", "key=qkjrrhnrmxrwm32ztjrhnxjrgjrjqjrk").isEmpty)
    #expect(try detect(rule + "hexEntropy = 3.0\n", "key=81726354091827364509182736450918").isEmpty)
  }

  /// Two generic rules that read one value give one finding: the rule that checked the
  /// value's structure, else the one whose match says more around it.
  @Test func oneValueTwoGenericRulesOneFinding() throws {
    let bare = "[[rules]]\nid = \"bare\"\ntags = [\"generic\"]\nregex = '''key=(\\w+)'''\n"
    let url = "[[rules]]\nid = \"url\"\ntags = [\"generic\"]\nregex = '''https://\\S*?[?&]key=(\\w+)'''\n"
    #expect(try detect(bare + url, "get https://x.test/v1?key=q8Zr2xLm9PvT").map(\.id) == ["url"])
    #expect(try detect(url + bare, "get https://x.test/v1?key=q8Zr2xLm9PvT").map(\.id) == ["url"])
    #expect(try detect(bare + url, "key=q8Zr2xLm9PvT").map(\.id) == ["bare"])
    // Different values (one rule's a prefix of the other's) are two findings.
    let short = "[[rules]]\nid = \"short\"\ntags = [\"generic\"]\nregex = '''key=(\\w{4})'''\n"
    #expect(try detect(bare + short, "key=q8Zr2xLm9PvT").map(\.id).sorted() == ["bare", "short"])
    let signed =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZy03IiwiaWF0IjoxNzY3MjI1NjAwfQ"
      + ".rwBLZxKKj8XxtyqziXDDI8lyVNlG2NL3byLUUci0rXg"
    let jwt =
      "[[rules]]\nid = \"jwt\"\ntags = [\"generic\"]\nregex = '''(eyJ[\\w.-]+)'''\nvalidate = \"jwt\"\n"
    let bearer = "[[rules]]\nid = \"bearer\"\ntags = [\"generic\"]\nregex = '''Bearer ([\\w.-]+)'''\n"
    #expect(try detect(bearer + jwt, "Authorization: Bearer \(signed)").map(\.id) == ["jwt"])
    // A value inside one whose structure a rule checked is part of it: one finding, the
    // checked one (a token's first part, then the whole token).
    let firstPart = "[[rules]]\nid = \"first\"\ntags = [\"generic\"]\nregex = '''t = \"(eyJ[\\w-]+)'''\n"
    let whole = "[[rules]]\nid = \"whole\"\ntags = [\"generic\"]\nregex = '''(eyJ[\\w.-]+)'''\n"
    let code = "t = \"\(signed)\""
    #expect(try detect(firstPart + whole, code).map(\.id).sorted() == ["first", "whole"])
    #expect(try detect(firstPart + whole + "validate = \"jwt\"\n", code).map(\.id) == ["whole"])
    // A rule there only as another's requirement (`skipReport`) takes nothing from the
    // rule that reports.
    let quiet = url + "skipReport = true\n"
    #expect(try detect(bare + quiet, "get https://x.test/v1?key=q8Zr2xLm9PvT").map(\.id) == ["bare"])
  }

  @Test func allowlistRegexTargetsAndStopwords() throws {
    let base = "[[rules]]\nid = \"s\"\nregex = '''secret=(\\w+)'''\n[[rules.allowlists]]\n"
    #expect(try detect(base + "regexes = ['''^dummy''']", "secret=dummy1").isEmpty)
    #expect(try detect(base + "regexes = ['''^dummy''']", "secret=real1").count == 1)
    #expect(try detect(base + "regexTarget = \"line\"\nregexes = ['''# ok$''']", "secret=real1 # ok").isEmpty)
    #expect(try detect(base + "regexTarget = \"match\"\nregexes = ['''^secret=r''']", "secret=real1").isEmpty)
    #expect(try detect(base + "stopwords = [\"EXAMPLE\"]", "secret=myexample9").isEmpty)
  }

  @Test func aLineAllowlistSeesEachMatchsOwnLine() throws {
    func rule(_ regex: String, skippingLinesWith allowed: String) -> String {
      "[[rules]]\nid = \"l\"\nregex = '''\(regex)'''\nsecretGroup = 0\n[[rules.allowlists]]\n"
        + "regexTarget = \"line\"\nregexes = ['''\(allowed)''']"
    }
    // Matches on one line share the line; the next line is its own (the line is cut
    // out once per line, not once per match).
    let text = "secret=a1 secret=b2 # ok\nsecret=c3 secret=d4\nsecret=e5 # ok"
    #expect(
      try detect(rule("secret=\\w+", skippingLinesWith: "# ok$"), text).map(\.secret) == [
        "secret=c3", "secret=d4",
      ])
    // A match across lines sees all of its lines; the single line after it, its own.
    let across = rule("begin(?s:.*?)end", skippingLinesWith: "skip")
    #expect(try detect(across, "begin x\ny end skip\nbegin z end").map(\.secret) == ["begin z end"])
    // On a long line, up to 4 KiB either side of the match: what lies further is not its.
    let near = "secret=a1" + String(repeating: " ", count: 4000) + "# ok"
    let far = "secret=a1" + String(repeating: " ", count: 5000) + "# ok"
    let skipped = rule("secret=\\w+", skippingLinesWith: "# ok$")
    #expect(try detect(skipped, near).isEmpty)
    #expect(try detect(skipped, far).map(\.secret) == ["secret=a1"])
  }

  @Test func allowlistConditionOrAndAnd() throws {
    let rule = """
      [[rules]]
      id = "c"
      regex = '''secret=(\\w+)'''
      [[rules.allowlists]]
      condition = "CONDITION"
      paths = ['''^tests/''']
      stopwords = ["fake"]
      """
    let or = rule.replacingOccurrences(of: "CONDITION", with: "OR")
    let and = rule.replacingOccurrences(of: "CONDITION", with: "AND")
    #expect(try detect(or, "secret=real", path: "tests/a.py").isEmpty)
    #expect(try detect(or, "secret=fake", path: "src/a.py").isEmpty)
    #expect(try detect(and, "secret=real", path: "tests/a.py").count == 1)
    #expect(try detect(and, "secret=fake", path: "src/a.py").count == 1)
    #expect(try detect(and, "secret=fake", path: "tests/a.py").isEmpty)
  }

  /// `commits` hold only for content from a listed commit: outside history the
  /// criterion fails, so an AND allowlist with commits allows nothing there.
  @Test func commitsHoldOnlyForContentFromThoseCommits() throws {
    let toml = """
      [[rules]]
      id = "c"
      regex = '''secret=(\\w+)'''
      [[rules.allowlists]]
      condition = "AND"
      commits = ["3691152a"]
      paths = ['''^tests/''']
      """
    #expect(try detect(toml, "secret=real", path: "tests/a.py").count == 1)
    let worker = try Detector(pack: try pack(toml)).makeWorker()
    let bytes = Array("secret=real".utf8)
    func found(commit: String?) -> Int {
      worker.commit = commit
      return bytes.withUnsafeBufferPointer { worker.detectContent($0, path: "tests/a.py") }.count
    }
    #expect(found(commit: "3691152ab0c4d5e6f708192a3b4c5d6e7f801234") == 0)
    #expect(found(commit: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432") == 1)
    #expect(found(commit: nil) == 1)
  }

  @Test func globalAllowlistAppliesToEveryRuleAndItsPathsExcludeFiles() throws {
    let toml = """
      [allowlist]
      paths = ['''(^|/)vendor/''']
      regexes = ['''^000''']
      [[rules]]
      id = "n"
      regex = '''num=(\\d+)'''
      """
    #expect(try detect(toml, "num=000123").isEmpty)
    #expect(try detect(toml, "num=123").count == 1)
    let worker = try Detector(pack: try pack(toml)).makeWorker()
    #expect(worker.isExcluded(path: "lib/vendor/x.py"))
    #expect(!worker.isExcluded(path: "lib/vendors.py"))
  }

  @Test func aGlobalAllowlistWithTargetsAnswersForThoseRulesOnly() throws {
    let rules = """
      [[rules]]
      id = "a"
      regex = '''a=(\\w+)'''
      [[rules]]
      id = "b"
      category = "sql-injection"
      regex = '''b=(\\w+)'''
      """
    // gitleaks' targetRules: by id.
    let byID = "[[allowlists]]\ntargetRules = [\"a\"]\nstopwords = [\"example\"]\n" + rules
    #expect(try detect(byID, "a=example1 b=example2").map(\.id) == ["b"])
    // vigil's targetCategories: by category.
    let byCategory =
      "[[allowlists]]\ntargetCategories = [\"sql-injection\"]\nstopwords = [\"example\"]\n" + rules
    #expect(try detect(byCategory, "a=example1 b=example2").map(\.id) == ["a"])
    // Paths of a targeted allowlist drop those rules' findings there, but skip no file:
    // the other rules still read it.
    let paths = "[[allowlists]]\ntargetRules = [\"a\"]\npaths = ['''^vendor/''']\n" + rules
    #expect(try detect(paths, "a=x1 b=y2", path: "vendor/lib.py").map(\.id) == ["b"])
    #expect(try detect(paths, "a=x1 b=y2", path: "src/lib.py").map(\.id) == ["a", "b"])
    let worker = try Detector(pack: try pack(paths)).makeWorker()
    #expect(!worker.isExcluded(path: "vendor/lib.py"))
  }

  @Test func pathRulesAndPathRestrictedRules() throws {
    let toml = """
      [[rules]]
      id = "keyfile"
      path = '''\\.pem$'''
      [[rules]]
      id = "rs-only"
      path = '''\\.rs$'''
      regex = '''panic!'''
      """
    let pack = try pack(toml)
    let worker = try Detector(pack: pack).makeWorker()
    #expect(worker.detectPath("certs/server.pem").map(\.ruleIndex) == [0])
    #expect(worker.detectPath("certs/server.pem.txt").isEmpty)
    #expect(try detect(toml, "panic!", path: "src/lib.rs").map(\.id) == ["rs-only"])
    #expect(try detect(toml, "panic!", path: "src/lib.py").isEmpty)
  }

  @Test func aPatternThatHitsTheMatchLimitWarnsAndTheScanGoesOn() throws {
    let toml = """
      [[rules]]
      id = "slow"
      regex = '''(a+)+$'''
      [[rules]]
      id = "fast"
      regex = '''tok_\\d+'''
      """
    let pack = try pack(toml)
    let worker = try Detector(pack: pack).makeWorker()
    let text = String(repeating: "a", count: 5000) + "!\ntok_1\n" + "aaaa"
    let bytes = Array(text.utf8)
    let found = bytes.withUnsafeBufferPointer { worker.detectContent($0, path: "big.txt") }
    let ids = found.map { pack.rules[$0.ruleIndex].id }
    // The slow rule still matches the short line after the pathological one.
    #expect(ids.sorted() == ["fast", "slow"])
    #expect(worker.warnings.count == 1)
    #expect(worker.warnings.first?.ruleID == "slow")
    #expect(worker.warnings.first?.file == "big.txt")
  }

  @Test func aGenericRuleStepsAsideForAProviderRuleOnTheSameSecret() throws {
    let toml = """
      [[rules]]
      id = "generic"
      tags = ["generic"]
      regex = '''key = "(\\w+)"'''
      [[rules]]
      id = "acme"
      regex = '''acme_\\w+'''
      """
    #expect(try detect(toml, #"key = "acme_123""#).map(\.id) == ["acme"])
    #expect(try detect(toml, #"key = "other_123""#).map(\.id) == ["generic"])
  }
}

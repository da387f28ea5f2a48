import Testing
import VigilKit
import VigilTestSupport

@testable import VigilRules

/// A provider rule must let the provider's real keys through, and real keys are random:
/// for each rule whose secret is a literal prefix and one character class of a minimum
/// length (`sk_[a-f0-9]{32}`), random values of that format must pass its entropy floor
/// (a short value has little room for entropy: 29 % of random 14-hex-digit keys score
/// 3.0 bits or less) and be found in the rule's own example.
@Suite struct RuleFormatTests {
  /// The text of capture group `number` of `pattern` (brackets and escapes skipped;
  /// enough for the pack's patterns).
  static func group(_ number: Int, of pattern: String) -> String? {
    let characters = Array(pattern)
    // Each parenthesis outside bracket expressions and escapes, by index.
    var parentheses: [Int] = []
    var index = 0
    var inClass = false
    while index < characters.count {
      switch characters[index] {
      case "\\": index += 1
      case "]" where inClass: inClass = false
      case "[" where !inClass: inClass = true
      case "(", ")": if !inClass { parentheses.append(index) }
      default: break
      }
      index += 1
    }
    func isCapture(_ open: Int) -> Bool {
      let rest = characters[(open + 1)...].prefix(3)
      // `(…)` or `(?<name>…)`; not `(?:`, `(?i)`, `(?=`, `(?<=`, `(?<!`.
      return rest.first != "?" || (rest.dropFirst().first == "<" && !"=!".contains(rest.last ?? "="))
    }
    let captures = parentheses.filter { characters[$0] == "(" && isCapture($0) }
    guard number >= 1, number <= captures.count else { return nil }
    let open = captures[number - 1]
    var depth = 0
    for position in parentheses where position >= open {
      depth += characters[position] == "(" ? 1 : -1
      if depth == 0 { return String(characters[(open + 1)..<position]) }
    }
    return nil
  }

  /// The characters of a bracket expression's body (`a-f0-9_-`), no negation.
  static func members(of body: String) -> [UInt8] {
    let bytes = Array(body.utf8)
    var members: Set<UInt8> = []
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count {
        members.insert(bytes[index + 1])
        index += 2
      } else if index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "-") {
        for byte in bytes[index]...max(bytes[index], bytes[index + 2]) { members.insert(byte) }
        index += 3
      } else {
        members.insert(bytes[index])
        index += 1
      }
    }
    return members.sorted()
  }

  /// A literal prefix and one class of at least `length` characters, as the secret group
  /// of a provider rule usually is. The class as written is the provider's alphabet:
  /// `(?i)` before it lets a pattern match either case, but real keys are in the case
  /// the class names.
  static func shape(of group: String) -> (prefix: [UInt8], alphabet: [UInt8], length: Int)? {
    let body = group.hasPrefix("?-i:") ? String(group.dropFirst(4)) : group
    guard
      let match = body.wholeMatch(of: /([A-Za-z0-9_.\-]*)\[([^\]\^][^\]]*)\]\{(\d+)(?:,\d*)?\}/),
      let length = Int(match.3)
    else { return nil }
    let alphabet = members(of: String(match.2))
    return alphabet.isEmpty ? nil : (Array(match.1.utf8), alphabet, length)
  }

  /// The provider rules (secret, not generic, with a regex) whose secret group has a
  /// shape `shape(of:)` reads, with their index in the pack.
  static func shapedRules(_ keep: (Rule) -> Bool) -> [(
    index: Int, rule: Rule, group: String, shape: (prefix: [UInt8], alphabet: [UInt8], length: Int)
  )] {
    RuleExampleTests.pack.rules.enumerated().compactMap { index, rule in
      guard rule.category == .secret, !rule.isGeneric, keep(rule), let pattern = rule.regex,
        let group = group(rule.secretGroup ?? 1, of: pattern), let shape = shape(of: group)
      else { return nil }
      return (index, rule, group, shape)
    }
  }

  /// At most 1 % of random values at or under the rule's floor.
  @Test func randomKeysPassTheirRulesEntropyFloor() throws {
    var random = SeededGenerator(seed: 20_261_205)
    var checked = 0
    for (_, rule, group, shape) in Self.shapedRules({ $0.entropy != nil }) {
      guard let floor = rule.entropy else { continue }
      checked += 1
      let trials = 400
      let below = (0..<trials).count { _ in
        let value =
          shape.prefix + (0..<shape.length).map { _ in shape.alphabet.randomElement(using: &random)! }
        return Entropy.shannon(value) <= floor || (rule.isGeneric && Entropy.isMadeUp(value))
      }
      #expect(
        below * 100 <= trials,
        "\(rule.id): \(below) of \(trials) random values of \(group) score \(floor) bits or less")
    }
    // The shape is read from most provider rules; a change that reads none checks nothing.
    #expect(checked >= 300, "only \(checked) rules had a secret of a shape this test reads")
  }

  /// The whole rule, not its entropy floor alone: in one of its own examples, the
  /// secret replaced by random values of its format (same length) is reported every
  /// time but rarely (a lookahead that wants a digit, a placeholder filter, an
  /// allowlist). Rules whose values carry a checksum or structure (`validate`) are left
  /// out: random values are not real ones there.
  @Test func randomKeysInARulesOwnExampleAreFound() throws {
    let worker = try Detector(pack: RuleExampleTests.pack, decodeDepth: 0).makeWorker()
    var random = SeededGenerator(seed: 51_205)
    var checked = 0
    for (index, rule, group, shape) in Self.shapedRules({ $0.validator == nil }) {
      let examples = DefaultRulePack.examples(of: rule)
      // The first example marking one secret of this shape, split around it.
      guard
        let example = examples.match.lazy.compactMap({ Self.split($0) }).first(where: { parts in
          parts.secret.starts(with: shape.prefix) && parts.secret.count >= shape.prefix.count + shape.length
            && parts.secret.dropFirst(shape.prefix.count).allSatisfy(shape.alphabet.contains)
        })
      else { continue }
      checked += 1
      let trials = 100
      let randomLength = example.secret.count - shape.prefix.count
      var missed: [String] = []
      for _ in 0..<trials {
        let value =
          shape.prefix + (0..<randomLength).map { _ in shape.alphabet.randomElement(using: &random)! }
        let bytes = example.before + value + example.after
        let span = example.before.count..<(example.before.count + value.count)
        let found = bytes.withUnsafeBufferPointer {
          worker.detectContent($0, path: examples.path ?? "example.txt")
        }
        if !found.contains(where: { $0.ruleIndex == index && $0.secretRange == span }) {
          missed.append(String(decoding: value, as: UTF8.self))
        }
      }
      #expect(
        missed.count * 100 <= 3 * trials,
        "\(rule.id): \(missed.count) of \(trials) random values of \(group) not found, e.g. \(missed.prefix(3))"
      )
    }
    #expect(checked >= 300, "only \(checked) rules had an example of a shape this test reads")
  }

  /// Random bytes in base64, as an image inlined in a page (`data:image/png;base64,…`,
  /// one line of megabytes) and as a PEM-style body (76 characters a line): no secret
  /// rule finds anything in them. A rule whose prefix is short (`BSA`) and whose bounds
  /// let `/` and `+` through finds one in a few megabytes of any image.
  @Test func randomBase64HoldsNoSecret() throws {
    let worker = try Detector(pack: RuleExampleTests.pack, decodeDepth: 0).makeWorker()
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var random = SeededGenerator(seed: 20_261_206)
    let characters = (0..<6_000_000).map { _ in alphabet.randomElement(using: &random)! }
    let inline =
      Array("<svg><image href=\"data:image/png;base64,".utf8) + characters[..<3_000_000]
      + Array("\"/></svg>\n".utf8)
    var wrapped: [UInt8] = []
    for start in stride(from: 3_000_000, to: characters.count, by: 76) {
      wrapped += characters[start..<min(start + 76, characters.count)]
      wrapped.append(0x0A)
    }
    for (path, text) in [("assets/menu.svg", inline), ("certs/blob.txt", wrapped)] {
      let found = text.withUnsafeBufferPointer { worker.detectContent($0, path: path) }
      let secrets = found.filter { RuleExampleTests.pack.rules[$0.ruleIndex].category == .secret }
      #expect(secrets.isEmpty, "\(path): \(secrets.map { RuleExampleTests.pack.rules[$0.ruleIndex].id })")
    }
  }

  /// A match example with one marked secret: the bytes before it, it, and after it.
  static func split(_ marked: String) -> (before: [UInt8], secret: [UInt8], after: [UInt8])? {
    let parts = marked.split(separator: RuleExamples.openMarker, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    let rest = parts[1].split(separator: RuleExamples.closeMarker, omittingEmptySubsequences: false)
    guard rest.count == 2 else { return nil }
    return (Array(parts[0].utf8), Array(rest[0].utf8), Array(rest[1].utf8))
  }
}

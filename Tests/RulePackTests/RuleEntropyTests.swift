import Testing
import VigilKit
import VigilTestSupport

/// A provider rule's entropy floor must let the provider's real (random) keys through:
/// a short value has little room for entropy (14 hex digits: at most log2 14 ≈ 3.8 bits,
/// and 29 % of random ones score 3.0 or less). For each rule whose secret is a literal
/// prefix and one character class of fixed minimum length (`sk_[a-f0-9]{32}`), random
/// values drawn from that class must pass its floor all but 1 % of the time.
@Suite struct RuleEntropyTests {
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
  /// of a provider rule usually is.
  static func shape(of group: String) -> (prefix: [UInt8], alphabet: [UInt8], length: Int)? {
    let body = group.hasPrefix("?-i:") ? String(group.dropFirst(4)) : group
    guard
      let match = body.wholeMatch(of: /([A-Za-z0-9_.\-]*)\[([^\]\^][^\]]*)\]\{(\d+)(?:,\d*)?\}/),
      let length = Int(match.3)
    else { return nil }
    let alphabet = members(of: String(match.2))
    return alphabet.isEmpty ? nil : (Array(match.1.utf8), alphabet, length)
  }

  @Test func randomKeysPassTheirRulesEntropyFloor() throws {
    let rules = RuleExampleTests.pack.rules.filter {
      $0.category == .secret && !$0.isGeneric && $0.entropy != nil && $0.regex != nil
    }
    var random = SeededGenerator(seed: 20_261_205)
    var checked = 0
    for rule in rules {
      guard let pattern = rule.regex, let floor = rule.entropy,
        let group = Self.group(rule.secretGroup ?? 1, of: pattern), let shape = Self.shape(of: group)
      else { continue }
      // A pattern that ignores case takes either case of the class's letters.
      var alphabet = shape.alphabet
      if pattern.hasPrefix("(?i)") && !group.hasPrefix("?-i:") {
        let letters = alphabet.filter { (0x41...0x5A).contains($0 & 0xDF) }
        alphabet = Array(Set(alphabet + letters.map { $0 | 0x20 } + letters.map { $0 & 0xDF })).sorted()
      }
      checked += 1
      let trials = 400
      let below = (0..<trials).count { _ in
        let value = shape.prefix + (0..<shape.length).map { _ in alphabet.randomElement(using: &random)! }
        return Entropy.shannon(value) <= floor
      }
      #expect(
        below * 100 <= trials,
        "\(rule.id): \(below) of \(trials) random values of \(group) score \(floor) bits or less")
    }
    // The shape is read from most provider rules; a change that reads none checks nothing.
    #expect(checked >= 300, "only \(checked) rules had a secret of a shape this test reads")
  }
}

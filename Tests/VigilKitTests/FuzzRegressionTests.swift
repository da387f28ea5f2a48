import Testing

@testable import VigilDetect
@testable import VigilKit
@testable import VigilRules

/// Inputs the fuzz targets in Fuzz/ found crashing or breaking an invariant, each kept
/// with the check that failed (Scripts/fuzz.sh runs the targets).
@Suite struct FuzzRegressionTests {
  /// FuzzRustLexer's invariant: regions lie in the file, sorted, never overlapping.
  private func expectWellFormed(_ regions: ContextRegions, count: Int) {
    for ranges in [regions.comments, regions.strings, regions.tests] {
      for (before, after) in zip(ranges, ranges.dropFirst()) {
        #expect(before.upperBound <= after.lowerBound)
      }
      #expect(ranges.allSatisfy { $0.upperBound <= count })
    }
  }

  /// A test attribute with no item before its block closed (`#[test] f}`) used to stay
  /// pending and mark the next item as test code, from inside the first test region.
  @Test func aDanglingTestAttributeMarksNothing() {
    let source = Array("#[cfg(test)]\nmod tests {\n    #[test]\n    f}\nfn main() { x.unwrap(); }\n".utf8)
    let regions = source.withUnsafeBufferPointer { RustLexer.regions($0) }
    expectWellFormed(regions, count: source.count)
    let main = source.count - 20
    #expect(!regions.contains(main, in: .test))
  }

  /// A control character in a table header made toml++ abort the process (an assertion,
  /// live in release builds too): `[\u{1E}ules.examples]`. Every control character TOML
  /// forbids, wherever it stands, is now a syntax error with its line.
  @Test func controlCharactersInTOMLAreErrorsNotCrashes() {
    let forbidden = Array(0x00...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F) + [0x7F, 0x0D]
    for byte in forbidden {
      let character = String(UnicodeScalar(UInt8(byte)))
      for text in [
        "[\(character)ules.examples]\n", "[rules]\nid\(character) = 1\n", "a = \"x\(character)\"\n",
        "# \(character)x\n", "a = 1\n[[rules\(character)]]\n",
      ] {
        let (_, problems) = RuleLoader(strict: false).parse(text: text, file: "c.toml")
        #expect(
          problems.contains { $0.level == .error && $0.message.hasPrefix("TOML syntax: control character") })
        #expect(problems.first?.line == (text.hasPrefix("a = 1") ? 2 : text.hasPrefix("[rules]") ? 2 : 1))
      }
    }
    let (_, problems) = RuleLoader(strict: false).parse(text: "a = 1\r\nb = \"\t\"\n", file: "ok.toml")
    #expect(problems.filter { $0.level == .error }.isEmpty)
  }

  /// A table header whose first key started with a character no key starts with made
  /// toml++ abort: `[[\u{8E}\u{91}les]]` as the fuzzer wrote it, `[[é]]` as a person would.
  @Test func malformedTableHeadersAreErrorsNotCrashes() {
    for text in ["[[é]]\n", "[ é]\n", "a = 1\n[\t\u{FFFD}]\n", "[#]\n", "[]\n", "[[\n"] {
      let (_, problems) = RuleLoader(strict: false).parse(text: text, file: "c.toml")
      #expect(problems.contains { $0.message.hasPrefix("TOML syntax: a table header must start with a key") })
    }
    // What the check must not refuse: lines inside arrays and multi-line strings.
    let valid = """
      [scan]
      exclude = [
      ["x"], {a = 1},
      ]
      [[rules]]
      id = "a"
      description = \"\"\"
      [é
      \"\"\"
      regex = '''
      [[é'''
      [ "quoted" . 'key' ]
      """
    let (_, problems) = RuleLoader(strict: false).parse(text: valid, file: "ok.toml")
    #expect(!problems.contains { $0.message.hasPrefix("TOML syntax") }, "\(problems)")
  }

  /// A key of 150,000 dotted parts (300 KB) overflowed the stack inside toml++, which
  /// recurses once per table level: a key deeper than 128 tables, by its header's parts,
  /// its own and the inline tables around it, is a syntax error with its line.
  @Test func keysNestedTooDeepAreErrorsNotCrashes() {
    func parts(_ count: Int) -> String { Array(repeating: "a", count: count).joined(separator: ".") }
    for text in [
      parts(150_000) + " = 1\n", "[" + parts(150_000) + "]\n",
      "x = 1\n[" + parts(100) + "]\n" + parts(40) + " = 1\n",
      "x = { " + parts(100) + " = { " + parts(40) + " = 1 } }\n",
    ] {
      let (_, problems) = RuleLoader(strict: false).parse(text: text, file: "c.toml")
      #expect(problems.contains { $0.message.hasPrefix("TOML syntax: ") }, "\(text.prefix(40))")
    }
    // A multi-line string may end in up to five quotes (QQQyQQQQ is "yQ"): read as one
    // string, not as a string and an unclosed one that hid the rest of the file from the
    // scan; and whatever the scan makes of a document, a chain of more than 128 parts
    // joined by dots is refused (quoted parts too).
    let q = "'"
    let qq = "\""
    for text in [
      "x = [\(q)\(q)\(q)y\(q)\(q)\(q)\(q)]\n" + parts(200) + " = 1\n",
      "x = [\(qq)\(qq)\(qq)y\(qq)\(qq)\(qq)\(qq)\(qq)]\n[" + parts(200) + "]\n",
      "x = [\(q)\(q)\(q)y\(q)\(q)\(q)\(q)]\n[[é]]\n", "k = \(q)\(q)\(q)\n" + parts(150_000) + " = 1\n",
      Array(repeating: "\(qq)q\(qq)", count: 200).joined(separator: " . ") + " = 1\n",
    ] {
      let (_, problems) = RuleLoader(strict: false).parse(text: text, file: "c.toml")
      #expect(problems.contains { $0.message.hasPrefix("TOML syntax") }, "\(text.prefix(40))")
    }
    // With one extra quote the depth check itself still reads on: a key of 130 parts
    // made of a 100-part header and a 30-part key.
    let deep = "x = [\(q)\(q)\(q)y\(q)\(q)\(q)\(q)]\n[" + parts(100) + "]\n" + parts(30) + " = 1\n"
    let (_, deepProblems) = RuleLoader(strict: false).parse(text: deep, file: "c.toml")
    #expect(deepProblems.contains { $0.message.hasPrefix("TOML syntax: a key nested more than 128") })
    // At the limit, and dots in values, strings, comments and quoted keys: not refused.
    // (A chain of more than 128 parts is refused even in a string or a comment.)
    let valid =
      "[" + parts(64) + "]\n" + parts(64) + " = 1.5\n"
      + "b = [" + Array(repeating: "1.5", count: 400).joined(separator: ", ") + "]\n"
      + "c = \"" + parts(128) + "\"\n# " + parts(128) + "\n\"" + parts(128) + "\" = { d.e = 2, f = 3.5 }\n"
    let (_, problems) = RuleLoader(strict: false).parse(text: valid, file: "ok.toml")
    #expect(!problems.contains { $0.message.hasPrefix("TOML syntax") }, "\(problems)")
  }

  /// toml++ asserts (aborts) on a `}` where an array expects a value, and on U+2028,
  /// U+2029 or U+0085 there (line ends to it that it does not consume); and a second
  /// byte-order mark (Foundation drops one, toml++ skips the next) hid a bad header from
  /// the scan before it. Each is a syntax error now.
  @Test func closingBracketsOfTheWrongKindAndLineSeparatorsAreErrorsNotCrashes() {
    for text in [
      "a = [}]\n", "a = [1, }]\n", "x = { y = [ [ } ] ] }\n", "a = [\n}]\n", "a = {b = [1]]\n",
      "a = [\u{2028}]\n", "a = [1,\u{85}]\n", "a = \u{2029}1\n", "\u{FEFF}\u{FEFF}[[é]]\n",
      "\u{FEFF}\u{FEFF}[=]\n",
    ] {
      let (_, problems) = RuleLoader(strict: false).parse(text: text, file: "c.toml")
      #expect(problems.contains { $0.message.hasPrefix("TOML syntax") }, "\(text.debugDescription)")
    }
    // Separators inside strings and comments, and one leading mark, are fine.
    let valid = "\u{FEFF}a = \"x\u{2028}y\"\n# \u{2029} \u{85}\nb = [[1], {c = 2}]\n"
    let (_, problems) = RuleLoader(strict: false).parse(text: valid, file: "ok.toml")
    #expect(!problems.contains { $0.message.hasPrefix("TOML syntax") }, "\(problems)")
  }
}

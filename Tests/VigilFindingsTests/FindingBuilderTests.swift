import Testing
import VigilKit

@testable import VigilFindings
@testable import VigilRules

@Suite struct FindingBuilderTests {
  static let toml = """
    [[rules]]
    id = "tok"
    description = "Token"
    regex = '''tok_[A-Za-z0-9]{12}'''
    [[rules]]
    id = "call"
    category = "unwrap"
    regex = '''\\.unwrap\\(\\)'''
    [[rules]]
    id = "assigned"
    regex = '''key = "([A-Za-z0-9]{12})"'''
    secretGroup = 1
    [[rules]]
    id = "quoted"
    regex = '''pw = "([^"]{8,})"'''
    secretGroup = 1
    """

  private func findings(_ text: String, redact: Bool = true, path: String = "a.txt") throws -> [Finding] {
    let pack = try DefaultRulePack.load(files: [("t.toml", Self.toml)], strict: false).0
    let worker = try Detector(pack: pack).makeWorker()
    let builder = FindingBuilder(rules: pack.rules, redact: redact)
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      builder.findings(for: worker.detectContent(buffer, path: path), path: path, bytes: buffer)
    }.sorted(by: Finding.reportOrder)
  }

  @Test func everySecretOnTheLineIsMaskedInEverySnippet() throws {
    let found = try findings("a = tok_Q8zR2xLm9PvT, b = tok_W3nB7kLp0ZxY\n")
    #expect(found.count == 2)
    for finding in found {
      #expect(finding.snippet == "a = tok_*****, b = tok_*****")
      #expect(!finding.snippet.contains("Q8zR") && !finding.snippet.contains("W3nB"))
    }
    #expect(found.map(\.secret) == ["tok_*****", "tok_*****"])
    #expect(found.map(\.message) == ["Token: tok_*****", "Token: tok_*****"])
  }

  /// On a long line (minified code), a marker allows only the findings near it: one at
  /// the end of megabytes nobody reads does not silence the line.
  @Test func onALongLineAMarkerAllowsOnlyWhatIsNearIt() throws {
    let filler = String(repeating: "f(a);", count: 2_000)
    let far = try findings(
      "a = tok_Q8zR2xLm9PvT;" + filler + "/* vigil:allow generated */ b = tok_W3nB7kLp0ZxY\n")
    #expect(far.map { $0.suppression == nil } == [true, false])
    // Within reach on either side, and on a short line anywhere.
    let near = String(repeating: "g", count: FindingBuilder.markerReach - 40)
    let reached = try findings(
      "a = tok_Q8zR2xLm9PvT;" + near + "/* vigil:allow */" + near + "b = tok_W3nB7kLp0ZxY;" + filler + "\n")
    #expect(reached.map { $0.suppression != nil } == [true, true])
    #expect(try findings("a = tok_Q8zR2xLm9PvT; // vigil:allow demo\n").first?.suppression != nil)
  }

  @Test func otherOccurrencesOfASecretAreMaskedToo() throws {
    // Only the first occurrence is a match (the rule needs `key = "`); the others are the
    // same secret all the same.
    let found = try findings("key = \"Q8zR2xLm9PvT\" # Q8zR2xLm9PvT\nprint(\"Q8zR2xLm9PvT\")\n")
    let finding = try #require(found.first)
    #expect(found.count == 1)
    #expect(finding.snippet == "key = \"Q8z*****\" # Q8z*****")
    #expect(finding.contextAfter == ["print(\"Q8z*****\")"])
  }

  @Test func anOccurrenceCutByTheSnippetWindowIsMasked() throws {
    // The second occurrence starts inside the window and ends past it.
    let filler = String(repeating: "x", count: FindingBuilder.contextBytes - 4)
    let line = "key = \"Q8zR2xLm9PvT\"\(filler)Q8zR2xLm9PvT" + String(repeating: "y", count: 300)
    let finding = try #require(try findings(line + "\n").first)
    #expect(finding.snippet.hasSuffix("Q8z*****…"))
    #expect(!finding.snippet.contains("Q8zR"))
  }

  @Test func noRedactShowsTheSecret() throws {
    let value = "tok_Q8zR2xLm9PvT"
    let found = try findings("a = \(value)\n", redact: false)
    #expect(found.first?.snippet == "a = \(value)")
    #expect(found.first?.secret == value)
  }

  @Test func locationsAreOneBasedWithExclusiveEnd() throws {
    let found = try findings("first\n  é tok_Q8zR2xLm9PvT\n")
    #expect(found.first?.start == TextPosition(line: 2, column: 5))
    #expect(found.first?.end == TextPosition(line: 2, column: 21))
  }

  @Test func longLinesAreCutAroundTheMatch() throws {
    let filler = String(repeating: "x", count: 500)
    let found = try findings(filler + " tok_Q8zR2xLm9PvT " + filler)
    let snippet = try #require(found.first?.snippet)
    #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
    #expect(snippet.contains("tok_*****"))
    #expect(snippet.utf8.count < 2 * FindingBuilder.contextBytes + 40)
  }

  @Test func controlCharactersAreEscaped() throws {
    let found = try findings("\u{1B}[31m x.unwrap() \u{07}")
    #expect(found.first?.snippet == "\\x1B[31m x.unwrap() \\x07")
    // Also in the part of a secret a redacted snippet shows.
    let secret = try #require(try findings("pw = \"\u{1B}[2J\u{1B}[1Adeploy-77\"").first)
    #expect(secret.snippet == "pw = \"\\x1B[2J*****\"", "\(secret.snippet)")
    #expect(!secret.snippet.unicodeScalars.contains { $0.value == 0x1B })
    #expect(secret.secret == "\\x1B[2J*****")
  }

  @Test func fingerprintsIgnoreLinesButSeeSecretsAndRepeats() throws {
    let one = try findings("tok_Q8zR2xLm9PvT\n")
    let moved = try findings("\n\n\n    tok_Q8zR2xLm9PvT\n")
    let other = try findings("tok_W3nB7kLp0ZxY\n")
    let twice = try findings("tok_Q8zR2xLm9PvT\ntok_Q8zR2xLm9PvT\n")
    let elsewhere = try findings("tok_Q8zR2xLm9PvT\n", path: "b.txt")
    #expect(one.first?.fingerprint == moved.first?.fingerprint)
    #expect(one.first?.fingerprint != other.first?.fingerprint)
    #expect(one.first?.fingerprint != elsewhere.first?.fingerprint)
    #expect(twice.count == 2)
    #expect(twice[0].fingerprint == one.first?.fingerprint)
    #expect(twice[0].fingerprint != twice[1].fingerprint)
    #expect(one.first?.fingerprint.count == 64)
    // Code findings hash the normalised match: re-indenting keeps the fingerprint.
    #expect(
      try findings("x.unwrap()").first?.fingerprint == findings("\n      x.unwrap()").first?.fingerprint)
  }

  /// A snippet window that cuts a key no rule here knows (another file's secret): the
  /// cut part is masked at either edge; a cut word is not.
  /// A secret given to a name that says it stands in for one is a fixture (at note); the
  /// same secret under another name keeps the rule's severity.
  @Test func aStandInsSecretIsAFixture() throws {
    let found = try findings(
      "TEST_FAKE_TOKEN = tok_Q8zR2xLm9PvT\nDEPLOY_TOKEN = tok_W3nB7kLp0ZxY\n", path: "src/a.py")
    #expect(found.map(\.isFixture) == [true, false])
    #expect(found.map(\.severity) == [.note, found[1].severity])
    #expect(found[1].severity != .note)
  }

  /// An OpenAPI description's values are examples for client developers: fixtures. The
  /// same value in another YAML file is not.
  @Test func anAPIDescriptionsSecretIsAFixture() throws {
    let example = "    client_token: tok_Q8zR2xLm9PvT\n"
    let described = try findings(
      "openapi: 3.0.3\ncomponents:\n  examples:\n" + example, path: "api/openapi.yaml")
    let configured = try findings("service:\n" + example, path: "config/service.yaml")
    #expect(described.map(\.isFixture) == [true])
    #expect(described.map(\.severity) == [.note])
    #expect(configured.map(\.isFixture) == [false])
  }

  @Test func aKeyTheSnippetWindowCutsIsMasked() {
    let material = ["W3Uuor", "Q7yHAH", "aqObX9", "vkiq5a", "Y9QNln", "ZfD4x3", "Lp2A"].joined()
    let line =
      String(repeating: "a", count: 150) + material + "\", \"hook\": \"" + String(repeating: "b", count: 150)
    let bytes = Array(line.utf8)
    let start = 150 + material.count + 12
    let snippet = bytes.withUnsafeBufferPointer {
      FindingBuilder.snippet(line: 0..<$0.count, around: start..<(start + 4), hiding: HiddenSpans(), in: $0)
    }
    #expect(!snippet.contains(String(material.suffix(20))), "\(snippet)")
    #expect(snippet.contains("hook"))
    let words = String(repeating: "lorem ipsum dolor sit amet ", count: 20)
    let plain = Array(words.utf8).withUnsafeBufferPointer {
      FindingBuilder.snippet(line: 0..<$0.count, around: 300..<304, hiding: HiddenSpans(), in: $0)
    }
    #expect(!plain.contains("*****"), "\(plain)")
  }
}

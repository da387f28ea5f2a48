import Testing
import VigilKit

/// Every example of every rule in the default pack, through the real detector, plus
/// variations of each: a multi-byte prefix, invalid UTF-8 before it, CRLF line ends
/// with the example inside a larger file, and the paths where the rule must not apply.
@Suite struct RuleExampleTests {
  static let pack: RulePack = {
    do {
      return try DefaultRulePack.load().0
    } catch {
      Issue.record("the default pack does not load: \(error)")
      return RulePack()
    }
  }()
  static let detector: Detector? = {
    do {
      return try Detector(pack: pack)
    } catch {
      Issue.record("the default pack does not compile: \(error)")
      return nil
    }
  }()
  static let ruleIDs = pack.rules.map(\.id)

  private func rule(_ id: String) throws -> (Int, Rule) {
    let index = try #require(Self.pack.rules.firstIndex { $0.id == id })
    return (index, Self.pack.rules[index])
  }

  private func spans(of index: Int, in bytes: [UInt8], path: String) throws -> [Range<Int>] {
    let worker = try #require(Self.detector).makeWorker()
    let found = bytes.withUnsafeBufferPointer { worker.detectContent($0, path: path) }
    #expect(worker.warnings.isEmpty, "\(worker.warnings)")
    return found.filter { $0.ruleIndex == index }.compactMap(\.secretRange).sorted {
      $0.lowerBound < $1.lowerBound
    }
  }

  private func examplePath(_ rule: Rule) -> String { rule.examples.path ?? "example.txt" }

  @Test func thePackIsNotEmptyAndCoversEveryCategory() {
    #expect(Self.pack.rules.count >= 8)
    for category in RuleCategory.allCases {
      #expect(Self.pack.rules.contains { $0.category == category }, "no \(category) rule")
    }
  }

  @Test(arguments: ruleIDs) func matchExamplesReportTheMarkedSpans(id: String) throws {
    let (index, rule) = try rule(id)
    for marked in rule.examples.match {
      let example = MarkedExample(marked)
      let variants: [(String, MarkedExample)] = [
        ("as written", example),
        ("after multi-byte text", example.wrapped(prefix: Array("é€😀 ".utf8), suffix: [])),
        ("after invalid UTF-8", example.wrapped(prefix: [0xFF, 0xC3, 0x28, 0x20], suffix: [0x20, 0xFE])),
        (
          "inside a CRLF file",
          example.wrapped(prefix: Array("first line\r\n\r\n".utf8), suffix: Array("\r\nlast line\r\n".utf8))
        ),
      ]
      for (variant, text) in variants {
        let found = try spans(of: index, in: text.bytes, path: examplePath(rule))
        #expect(found == text.spans, "\(id) \(variant): \(marked)")
      }
      for path in rule.examples.matchPaths {
        #expect(try spans(of: index, in: example.bytes, path: path) == example.spans, "\(id) at \(path)")
      }
      for path in rule.examples.noMatchPaths {
        #expect(try spans(of: index, in: example.bytes, path: path).isEmpty, "\(id) at \(path)")
      }
    }
  }

  @Test(arguments: ruleIDs) func noMatchExamplesReportNothing(id: String) throws {
    let (index, rule) = try rule(id)
    for text in rule.examples.noMatch {
      #expect(try spans(of: index, in: Array(text.utf8), path: examplePath(rule)).isEmpty, "\(id): \(text)")
    }
  }

  @Test(arguments: ruleIDs) func pathExamples(id: String) throws {
    let (index, rule) = try rule(id)
    guard rule.isPathOnly else { return }
    let worker = try #require(Self.detector).makeWorker()
    for path in rule.examples.matchPaths {
      #expect(worker.detectPath(path).contains { $0.ruleIndex == index }, "\(id) must match \(path)")
      #expect(
        worker.detectPath("nested/dir/" + path).contains { $0.ruleIndex == index }, "\(id) nested \(path)")
    }
    for path in rule.examples.noMatchPaths {
      #expect(!worker.detectPath(path).contains { $0.ruleIndex == index }, "\(id) must not match \(path)")
    }
  }

  @Test(arguments: ruleIDs) func everyRuleIsDocumentedForReports(id: String) throws {
    let (_, rule) = try rule(id)
    #expect(!rule.description.isEmpty)
    #expect(!(rule.remediation ?? "").isEmpty, "\(id) has no remediation")
    #expect(rule.cwe.hasPrefix("CWE-"))
    #expect((0...10).contains(rule.securitySeverity))
  }
}

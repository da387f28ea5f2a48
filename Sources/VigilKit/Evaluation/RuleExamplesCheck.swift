import VigilDetect
import VigilModel
import VigilRules

/// Runs every rule's own examples through the real detector: what `vigil rules test`
/// reports and the test suite asserts for the built-in rules.
///
/// A `match` example marks the secrets it holds «like this»; the rule must report
/// exactly those spans as written, after multi-byte text, after invalid UTF-8 and
/// inside a file with CRLF line ends, and at each of `matchPaths`, and nothing at
/// `noMatchPaths`. A `noMatch` example must give the rule nothing. A path-only rule
/// must name each of `matchPaths` (also nested in directories) and none of
/// `noMatchPaths`. A rule with no example fails: it is untested.
public enum RuleExamplesCheck {
  public struct Failure: Sendable, Equatable, CustomStringConvertible {
    public let ruleID: String
    public let message: String
    public var description: String { "\(ruleID): \(message)" }
  }

  /// What was checked and what failed.
  public struct Report: Sendable {
    public var rules = 0
    public var examples = 0
    public var failures: [Failure] = []
  }

  /// - Parameter ruleIDs: check only these rules (all when nil); the others still run,
  ///   as in a scan, so that a generic rule steps aside for a provider's as it would.
  public static func run(pack: RulePack, ruleIDs: Set<String>? = nil) throws(ScanError) -> Report {
    let worker: DetectorWorker
    do {
      worker = try Detector(pack: pack).makeWorker()
    } catch {
      throw .pattern("\(error)")
    }
    var report = Report()
    for (index, rule) in pack.rules.enumerated() where ruleIDs?.contains(rule.id) ?? true {
      report.rules += 1
      var check = RuleCheck(worker: worker, index: index, rule: rule)
      check.run()
      report.examples += check.examples
      report.failures += check.failures.map { Failure(ruleID: rule.id, message: $0) }
    }
    return report
  }

  /// One rule's examples.
  private struct RuleCheck {
    let worker: DetectorWorker
    let index: Int
    let rule: Rule
    var examples = 0
    var failures: [String] = []

    /// The rule's examples (a built-in rule is loaded without them).
    private var ruleExamples: RuleExamples { DefaultRulePack.examples(of: rule) }
    private var path: String { ruleExamples.path ?? "example.txt" }

    mutating func run() {
      let examples = ruleExamples
      if !examples.hasPositive || !examples.hasNegative {
        failures.append("needs examples that must match and examples that must not")
      }
      if rule.isPathOnly {
        checkPaths()
        return
      }
      for marked in examples.match {
        self.examples += 1
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
          expect(
            spans(in: text.bytes, path: path), text.spans, in: text.bytes, "\(variant) at \(path)", marked)
        }
        checkBacktracking(example.bytes)
        for path in ruleExamples.matchPaths {
          expect(spans(in: example.bytes, path: path), example.spans, in: example.bytes, "at \(path)", marked)
        }
        for path in ruleExamples.noMatchPaths {
          expect(spans(in: example.bytes, path: path), [], in: example.bytes, "at \(path)", marked)
        }
      }
      for text in examples.noMatch {
        self.examples += 1
        let bytes = Array(text.utf8)
        expect(spans(in: bytes, path: path), [], in: bytes, "noMatch at \(path)", text)
      }
    }

    /// The example with a run of 1,000 spaces, then of tabs, before and after each of its
    /// first eight punctuation marks (where a hostile line pads an assignment), followed
    /// by the rest of the example or by `x` alone (where a match then fails): the pattern must
    /// not give up (PCRE2's match limit), as one does whose quantifiers over white space
    /// follow each other (`\s*=?\s*`, cubic in the run's length). What it reports there
    /// is not checked.
    private mutating func checkBacktracking(_ bytes: [UInt8]) {
      let marks = Set("=:(,[{\"'<> ".utf8)
      // Before and after each mark: `name = ` and `name<spaces>=` alike.
      let places = bytes.indices.filter { marks.contains(bytes[$0]) }.prefix(8).flatMap { [$0, $0 + 1] }
      for place in places {
        let offset = place - 1
        for blank in [UInt8(ascii: " "), UInt8(ascii: "\t")] {
          let run = Array(repeatElement(blank, count: 1_000))
          for padded in [
            bytes[..<place] + run + bytes[place...], bytes[..<place] + run + [UInt8(ascii: "x")],
          ] {
            _ = Array(padded).withUnsafeBufferPointer { worker.detectContent($0, path: path) }
            let warnings = worker.takeWarnings()
            if !warnings.isEmpty {
              failures.append(
                "the pattern gave up with 1,000 \(blank == 0x20 ? "spaces" : "tabs") after byte \(offset) "
                  + "(white space its quantifiers share: make one possessive, \\s*+): \(warnings)")
              return
            }
          }
        }
      }
    }

    private mutating func checkPaths() {
      for path in ruleExamples.matchPaths {
        examples += 1
        if !names(path) { failures.append("must name the file \(path)") }
        if !names("nested/dir/" + path) { failures.append("must name the file nested/dir/\(path)") }
      }
      for path in ruleExamples.noMatchPaths {
        examples += 1
        if names(path) { failures.append("must not name the file \(path)") }
      }
    }

    private func names(_ path: String) -> Bool {
      worker.detectPath(path).contains { $0.ruleIndex == index }
    }

    private mutating func expect(
      _ found: [Range<Int>], _ wanted: [Range<Int>], in bytes: [UInt8], _ context: String, _ text: String
    ) {
      guard found != wanted else { return }
      func shown(_ spans: [Range<Int>]) -> String {
        spans.isEmpty
          ? "nothing"
          : spans.map { span in
            span.upperBound <= bytes.count
              ? "«" + String(decoding: bytes[span], as: UTF8.self) + "»" : "\(span)"
          }.joined(separator: ", ")
      }
      failures.append(
        "\(context): reported \(shown(found)), expected \(shown(wanted)) in \(text.prefix(200).debugDescription)"
      )
    }

    /// The rule's secret spans in `bytes`, in order; a pattern that gave up is a failure.
    private mutating func spans(in bytes: [UInt8], path: String) -> [Range<Int>] {
      let found = bytes.withUnsafeBufferPointer { worker.detectContent($0, path: path) }
      let warnings = worker.takeWarnings()
      if !warnings.isEmpty { failures.append("the pattern gave up: \(warnings)") }
      return found.filter { $0.ruleIndex == index }.compactMap(\.secretRange).sorted {
        $0.lowerBound < $1.lowerBound
      }
    }
  }
}

/// A rule example with its expected findings marked «like this», parsed into the text
/// the detector sees and the byte ranges it must report.
struct MarkedExample {
  var bytes: [UInt8]
  var spans: [Range<Int>]

  init(_ marked: String) {
    var bytes: [UInt8] = []
    var spans: [Range<Int>] = []
    var open: Int?
    for character in marked {
      switch character {
      case RuleExamples.openMarker: open = bytes.count
      case RuleExamples.closeMarker:
        if let start = open { spans.append(start..<bytes.count) }
        open = nil
      default: bytes += Array(String(character).utf8)
      }
    }
    self.bytes = bytes
    self.spans = spans
  }

  /// The same example with `prefix` and `suffix` bytes around it.
  func wrapped(prefix: [UInt8], suffix: [UInt8]) -> MarkedExample {
    var copy = self
    copy.bytes = prefix + bytes + suffix
    copy.spans = spans.map { ($0.lowerBound + prefix.count)..<($0.upperBound + prefix.count) }
    return copy
  }
}

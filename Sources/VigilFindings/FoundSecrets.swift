import VigilModel
import VigilSupport

/// The secrets a whole scan found, in clear, to mask in every finding's snippet and
/// context lines once the scan is done: a secret one file's rules found can sit
/// unrecognised in another file (a `.env`'s password on a script's `psql -W` line), whose
/// findings would show it. Per file, `HiddenSpans` masks what that file's rules found.
///
/// Every text is masked, however many the scan found: the automata are built over
/// `HiddenSpans.maximumTextBytes` of texts at a time, each run over every snippet.
/// A secret is also masked as JSON (`\/`) and percent-encoding write it, the copies a
/// configuration or a URL holds of a key found elsewhere.
public final class FoundSecrets: Sendable {
  private let texts = Locked<Set<[UInt8]>>([])

  /// A text longer than this is in no snippet whole (a snippet shows at most
  /// `FindingBuilder.maxSnippetBytes` of a line): not kept (an encoded run a secret was
  /// decoded from can be megabytes).
  static let maximumTextLength = 4 * FindingBuilder.maxSnippetBytes

  public init() {}

  func add(_ text: [UInt8]) {
    guard text.count >= HiddenSpans.minimumTextLength, text.count <= Self.maximumTextLength else { return }
    let copies = [text] + Self.encodedCopies(of: text)
    texts.withLock { found in
      for copy in copies where copy.count <= Self.maximumTextLength { found.insert(copy) }
    }
  }

  /// `text` as a JSON string escapes it (`\/`, `\"`, `\\`) and as percent-encoding does
  /// (upper- and lower-case hex), where those differ from it.
  static func encodedCopies(of text: [UInt8]) -> [[UInt8]] {
    var json: [UInt8] = []
    var upper: [UInt8] = []
    var lower: [UInt8] = []
    let hexUpper = Array("0123456789ABCDEF".utf8)
    let hexLower = Array("0123456789abcdef".utf8)
    for byte in text {
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        json.append(UInt8(ascii: "\\"))
      }
      json.append(byte)
      if byte.isUnreservedInURL {
        upper.append(byte)
        lower.append(byte)
      } else {
        upper += [UInt8(ascii: "%"), hexUpper[Int(byte >> 4)], hexUpper[Int(byte & 15)]]
        lower += [UInt8(ascii: "%"), hexLower[Int(byte >> 4)], hexLower[Int(byte & 15)]]
      }
    }
    return Array(Set([json, upper, lower]).subtracting([text]))
  }

  /// `findings` with every occurrence of a found secret in their snippets and context
  /// lines redacted.
  public func masked(_ findings: [Finding]) -> [Finding] {
    let all = texts.withLock { $0 }
    guard !all.isEmpty else { return findings }
    // Each finding's snippet, then its context lines before and after.
    var strings: [[UInt8]] = []
    for finding in findings {
      strings.append(Array(finding.snippet.utf8))
      strings += finding.contextBefore.map { Array($0.utf8) }
      strings += finding.contextAfter.map { Array($0.utf8) }
    }
    var spans = [[Range<Int>]](repeating: [], count: strings.count)
    SecretTexts.forEachAutomaton(over: all) { automaton in
      for index in strings.indices {
        spans[index] += strings[index].withUnsafeBufferPointer {
          automaton.mergedOccurrences(in: 0..<$0.count, of: $0)
        }
      }
    }
    var next = 0
    func mask() -> String {
      defer { next += 1 }
      let bytes = strings[next]
      var merged: [Range<Int>] = []
      for span in spans[next].sorted(by: { $0.lowerBound < $1.lowerBound }) {
        if let last = merged.last, span.lowerBound <= last.upperBound {
          merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
        } else {
          merged.append(span)
        }
      }
      var masked: [UInt8] = []
      var offset = 0
      for span in merged {
        masked += bytes[offset..<span.lowerBound]
        masked += Array(Redaction.redact(String(decoding: bytes[span], as: UTF8.self)).utf8)
        offset = span.upperBound
      }
      return String(decoding: masked + bytes[offset...], as: UTF8.self)
    }
    return findings.map { finding in
      var finding = finding
      finding.snippet = mask()
      finding.contextBefore = finding.contextBefore.map { _ in mask() }
      finding.contextAfter = finding.contextAfter.map { _ in mask() }
      return finding
    }
  }
}

extension UInt8 {
  /// A byte percent-encoding leaves as it is (RFC 3986's unreserved characters).
  fileprivate var isUnreservedInURL: Bool {
    switch self {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      return true
    default: return false
    }
  }
}

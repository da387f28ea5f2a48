import VigilModel
import VigilSupport

/// The secrets a whole scan found, in clear, to mask in every finding's snippet and
/// context lines once the scan is done: a secret one file's rules found can sit
/// unrecognised in another file (a `.env`'s password on a script's `psql -W` line), whose
/// findings would show it. Per file, `HiddenSpans` masks what that file's rules found.
///
/// Every text is masked, however many the scan found: the automata are built over
/// `HiddenSpans.maximumTextBytes` of texts at a time, each run over every snippet.
/// A secret is also masked where JSON escapes or percent-encoding write it (`Self.decoded`),
/// the copies a configuration or a URL holds of a key found elsewhere.
public final class FoundSecrets: Sendable {
  private let texts = Locked<Set<[UInt8]>>([])

  /// A text longer than this is in no snippet whole (a snippet shows at most
  /// `FindingBuilder.maxSnippetBytes` of a line): not kept (an encoded run a secret was
  /// decoded from can be megabytes).
  static let maximumTextLength = 4 * FindingBuilder.maxSnippetBytes

  public init() {}

  func add(_ text: [UInt8]) {
    guard text.count >= HiddenSpans.minimumTextLength, text.count <= Self.maximumTextLength else { return }
    texts.withLock { _ = $0.insert(text) }
  }

  /// `text` with percent-encoding (`%2F`, either case) and JSON's escapes (`\/`, `\"`,
  /// `\\`, `\uHHHH`) decoded, and for each byte of it the range of `text` it comes from:
  /// nil when there is none. A found secret's copy is masked however it was encoded there,
  /// wholly or in part (`quote()` leaves `/` as it is, .NET writes `+` as `\u002B`).
  static func decoded(_ text: [UInt8]) -> (bytes: [UInt8], origins: [Range<Int>])? {
    guard text.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\") }) else { return nil }
    func hex(_ byte: UInt8) -> UInt32? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
      default: nil
      }
    }
    var bytes: [UInt8] = []
    var origins: [Range<Int>] = []
    var index = 0
    while index < text.count {
      let byte = text[index]
      var length = 1
      var decoded = [byte]
      if byte == UInt8(ascii: "%"), index + 2 < text.count, let high = hex(text[index + 1]),
        let low = hex(text[index + 2])
      {
        decoded = [UInt8(high << 4 | low)]
        length = 3
      } else if byte == UInt8(ascii: "\\"), index + 1 < text.count {
        let next = text[index + 1]
        if next == UInt8(ascii: "/") || next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
          decoded = [next]
          length = 2
        } else if next == UInt8(ascii: "u"), index + 5 < text.count,
          let value = (2...5).reduce(
            UInt32?(0),
            { total, offset in
              total.flatMap { total in hex(text[index + offset]).map { total << 4 | $0 } }
            }), let scalar = Unicode.Scalar(value)
        {
          decoded = Array(String(Character(scalar)).utf8)
          length = 6
        }
      }
      for byte in decoded {
        bytes.append(byte)
        origins.append(index..<(index + length))
      }
      index += length
    }
    return bytes.count < text.count ? (bytes, origins) : nil
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
    let decoded = strings.map(Self.decoded)
    SecretTexts.forEachAutomaton(over: all) { automaton in
      for index in strings.indices {
        spans[index] += strings[index].withUnsafeBufferPointer {
          automaton.mergedOccurrences(in: 0..<$0.count, of: $0)
        }
        guard let (bytes, origins) = decoded[index] else { continue }
        spans[index] += bytes.withUnsafeBufferPointer {
          automaton.mergedOccurrences(in: 0..<$0.count, of: $0)
        }.map { origins[$0.lowerBound].lowerBound..<origins[$0.upperBound - 1].upperBound }
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

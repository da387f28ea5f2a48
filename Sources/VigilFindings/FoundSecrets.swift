import VigilModel
import VigilSupport

/// The secrets a whole scan found, in clear, to mask in every finding's snippet and
/// context lines once the scan is done: a secret one file's rules found can sit
/// unrecognised in another file (a `.env`'s password on a script's `psql -W` line), whose
/// findings would show it. Per file, `HiddenSpans` masks what that file's rules found.
public final class FoundSecrets: Sendable {
  private let texts = Locked<Set<[UInt8]>>([])

  public init() {}

  func add(_ text: [UInt8]) {
    guard text.count >= HiddenSpans.minimumTextLength else { return }
    texts.withLock { _ = $0.insert(text) }
  }

  /// `findings` with every occurrence of a found secret in their snippets and context
  /// lines redacted (shortest first, up to `HiddenSpans.maximumTextBytes` of texts).
  public func masked(_ findings: [Finding]) -> [Finding] {
    guard let automaton = SecretTexts(bounded: texts.withLock { $0 }) else { return findings }
    func mask(_ text: String) -> String {
      let bytes = Array(text.utf8)
      let spans = bytes.withUnsafeBufferPointer { automaton.mergedOccurrences(in: 0..<$0.count, of: $0) }
      guard !spans.isEmpty else { return text }
      var masked: [UInt8] = []
      var offset = 0
      for span in spans {
        masked += bytes[offset..<span.lowerBound]
        masked += Array(Redaction.redact(String(decoding: bytes[span], as: UTF8.self)).utf8)
        offset = span.upperBound
      }
      return String(decoding: masked + bytes[offset...], as: UTF8.self)
    }
    return findings.map { finding in
      var finding = finding
      finding.snippet = mask(finding.snippet)
      finding.contextBefore = finding.contextBefore.map(mask)
      finding.contextAfter = finding.contextAfter.map(mask)
      return finding
    }
  }
}

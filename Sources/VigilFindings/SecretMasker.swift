import VigilDetect
import VigilModel
import VigilRules
import VigilSupport

/// Masks secrets in vigil's own messages, as findings' snippets are masked.
///
/// A message can quote what vigil read: an unknown key or a bad value in a config that
/// came with the scanned tree, a file name, a commit's author. Were that text a secret,
/// a warning would print it in clear in a CI log. Messages are few, so the detector that
/// finds the secrets is made the first time a message is masked, not on every run.
public final class SecretMasker: Sendable {
  private enum State {
    case pending(@Sendable () -> Detector?)
    case ready(DetectorWorker?)
  }

  private let state: Locked<State>

  /// A masker over the detector `make` returns, called on first use.
  public init(_ make: @escaping @Sendable () -> Detector?) {
    state = Locked(.pending(make))
  }

  /// The built-in rules: for messages outside a scan (a config that does not load).
  public static let builtIn = SecretMasker { try? Detector(pack: DefaultRulePack.load().0) }

  /// For a scan with the detector `scanDetector` gives: its rules and every built-in secret rule it lacks (a
  /// config may replace the built-in rules; its messages are still masked with them).
  /// When the scan runs every built-in secret rule, its own detector serves.
  public static func forScan(_ scanDetector: @escaping @Sendable () -> Detector?) -> SecretMasker {
    SecretMasker {
      guard let detector = scanDetector() else { return try? Detector(pack: DefaultRulePack.load().0) }
      guard let builtIn = try? DefaultRulePack.load().0 else { return detector }
      let ids = Set(detector.pack.rules.map(\.id))
      let missing = builtIn.rules.filter { $0.category.isSensitive && !ids.contains($0.id) }
      guard !missing.isEmpty else { return detector }
      return try? Detector(pack: RulePack(rules: detector.pack.rules + missing))
    }
  }

  /// `text` with every secret the rules find in it, and every other occurrence of one,
  /// redacted.
  public func mask(_ text: String) -> String {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      let spans = state.withLock { state -> [Range<Int>] in
        if case .pending(let make) = state { state = .ready(try? make()?.makeWorker()) }
        guard case .ready(let worker?) = state else { return [] }
        let rules = worker.detector.pack.rules
        let secrets = worker.detectContent(buffer, path: "")
          .filter { rules[$0.ruleIndex].category.isSensitive }.compactMap(\.secretRange)
        let whole = 0..<buffer.count
        return HiddenSpans(secrets: secrets, in: buffer).spans(overlapping: whole, within: whole, in: buffer)
      }
      guard !spans.isEmpty else { return text }
      var masked = ""
      var offset = 0
      for span in spans {
        masked += String(decoding: buffer[offset..<span.lowerBound], as: UTF8.self)
        masked += Redaction.redact(String(decoding: buffer[span], as: UTF8.self))
        offset = span.upperBound
      }
      return masked + String(decoding: buffer[offset...], as: UTF8.self)
    }
  }

  /// `diagnostic` with secrets masked in its message and file name.
  public func mask(_ diagnostic: Diagnostic) -> Diagnostic {
    var copy = diagnostic
    copy.message = mask(diagnostic.message)
    copy.file = diagnostic.file.map(mask)
    return copy
  }
}

import VigilSupport

/// Masks secrets in vigil's own messages, as findings' snippets are masked.
///
/// A message can quote what vigil read: an unknown key or a bad value in a config that
/// came with the scanned tree, a file name. Were that text a secret, a warning would
/// print it in clear in a CI log. Messages are few, so the built-in rules that find the
/// secrets are loaded the first time one is masked, not on every run.
public enum SecretMasking {
  private static let worker: Locked<DetectorWorker?> = Locked(
    (try? DefaultRulePack.load()).flatMap { try? Detector(pack: $0.0).makeWorker() })

  /// `text` with every secret the built-in rules find in it, and every other occurrence
  /// of one, redacted.
  public static func mask(_ text: String) -> String {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      let spans = worker.withLock { worker -> [Range<Int>] in
        guard let worker else { return [] }
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
}

extension Diagnostic {
  /// The diagnostic with secrets masked in its message and file name.
  public func masked() -> Diagnostic {
    var copy = self
    copy.message = SecretMasking.mask(message)
    copy.file = file.map(SecretMasking.mask)
    return copy
  }
}

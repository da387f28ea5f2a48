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

  /// `text` with every secret the rules find in it, every token that looks random when
  /// `randomTokens` (`randomTokens(in:)`: a key a message quotes bare, with no name the
  /// rules would know it by; not in a commit's fields, whose object ids and version
  /// strings a report shows as they are), and every other occurrence of one, redacted.
  public func mask(_ text: String, randomTokens: Bool = true) -> String {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      let spans = state.withLock { state -> [Range<Int>] in
        if case .pending(let make) = state { state = .ready(try? make()?.makeWorker()) }
        var secrets = randomTokens ? Self.randomTokens(in: buffer) : []
        if case .ready(let worker?) = state {
          let rules = worker.detector.pack.rules
          // Named as standard input is, a file without an extension: the rules for
          // settings-like text (`DB_PASSWORD=…` unquoted) read it too.
          secrets += worker.detectContent(buffer, path: "<message>")
            .filter { rules[$0.ruleIndex].category.isSensitive }.compactMap(\.secretRange)
        }
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

  /// The runs of letters, digits and `+/=_-` in `text` that look random: 16 bytes or
  /// longer, a part of 10 or more between dashes, underscores and slashes with letters
  /// and digits mixed (not a path of words, nor a name and its version), and at least
  /// 3.5 bits of entropy a byte.
  static func randomTokens(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    func isTokenByte(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
        UInt8(ascii: "_"), UInt8(ascii: "-"):
        return true
      default: return false
      }
    }
    var tokens: [Range<Int>] = []
    var index = 0
    while index < text.count {
      guard isTokenByte(text[index]) else {
        index += 1
        continue
      }
      var end = index
      while end < text.count && isTokenByte(text[end]) { end += 1 }
      let token = text[index..<end]
      func mixed(_ part: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        part.contains { (0x30...0x39).contains($0) }
          && part.contains { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
      }
      // A name of words and a version (`generic-secret-assignment-v2`) is not a key: some
      // part of a key between its dashes and underscores is long and mixed.
      let keyLike = token.split {
        $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "/")
      }
      .contains { $0.count >= 10 && mixed($0) }
      if token.count >= 16, keyLike, Entropy.shannon(token) >= 3.5 {
        tokens.append(index..<end)
      }
      index = end
    }
    return tokens
  }

  /// `diagnostic` with secrets masked in its message and file name.
  public func mask(_ diagnostic: Diagnostic) -> Diagnostic {
    var copy = diagnostic
    copy.message = mask(diagnostic.message)
    // A path is masked by the rules only: names with digits in them are not keys.
    copy.file = diagnostic.file.map { mask($0, randomTokens: false) }
    return copy
  }
}

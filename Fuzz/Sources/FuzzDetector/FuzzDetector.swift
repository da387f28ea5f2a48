@testable import VigilKit

/// The built-in rules over random bytes, then findings built from the matches as the
/// scanner builds them. The first byte picks the file's path, so path rules and the
/// Rust context analysis run too.
///
/// Beyond not crashing: matches lie in the input, and with redaction on no snippet,
/// context line or message holds a secret of 8 or more characters in clear.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDetector(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0, let worker = Shared.worker else { return 0 }
  let path = Shared.paths[Int(data[0]) % Shared.paths.count]
  let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
  let matches = worker.detectPath(path) + worker.detectContent(bytes, path: path)
  for match in matches {
    for range in [match.matchRange, match.secretRange, match.relatedRange, match.valueRange].compactMap({ $0 }
    ) {
      precondition(
        range.lowerBound >= 0 && range.upperBound <= bytes.count,
        "a match past the end: \(worker.detector.pack.rules[match.ruleIndex].id) \(range) in \(bytes.count) bytes"
      )
    }
  }
  let rules = worker.detector.pack.rules
  let secrets = Set(
    matches.filter { rules[$0.ruleIndex].category.isSensitive }.compactMap(\.secretRange).map {
      TerminalText.escaped(String(decoding: bytes[$0], as: UTF8.self))
    }.filter { $0.count >= 8 })
  for finding in FindingBuilder(rules: rules, redact: true).findings(for: matches, path: path, bytes: bytes) {
    for shown in [finding.snippet, finding.message] + finding.contextBefore + finding.contextAfter {
      for secret in secrets {
        precondition(!shown.contains(secret), "a secret shown in clear: \(finding.ruleID)")
      }
    }
  }
  return 0
}

enum Shared {
  static let paths = [
    "config.py", "src/main.rs", "tests/it.rs", ".env", "app.js", "id_rsa", "x.age", "Repo.java", "db.php",
    "q.go",
  ]
  nonisolated(unsafe) static let worker: DetectorWorker? = {
    guard let (pack, _) = try? DefaultRulePack.load() else { return nil }
    return try? Detector(pack: pack).makeWorker()
  }()
}

import VigilModel
import VigilRules

/// Applies the ignore file and the baseline to a scan's findings, and reports the
/// ignore entries that expired or matched nothing.
public struct Suppressor: Sendable {
  public var ignoreList: IgnoreList?
  public var baseline: Baseline?
  /// Today as `YYYY-MM-DD`, for expiry.
  public var today: String

  public init(ignoreList: IgnoreList?, baseline: Baseline?, today: String) {
    self.ignoreList = ignoreList
    self.baseline = baseline
    self.today = today
  }

  public struct Outcome: Sendable {
    public var diagnostics: [Diagnostic]
    /// Ignore entries that matched no finding.
    public var staleEntries: Int
  }

  /// Marks each finding the ignore file or the baseline silences (in place: a scan's
  /// findings can be many).
  /// An entry's fingerprint as a warning quotes it: the start of a hash, or (pasted in
  /// by mistake, it may be a secret) redacted as a secret is.
  static func shown(_ fingerprint: String) -> String {
    let isHash = fingerprint.allSatisfy { $0.isHexDigit || $0 == ":" }
    return isHash ? fingerprint.prefix(12) + "…" : Redaction.redact(fingerprint)
  }

  /// - Parameter judgingStaleness: whether the findings are all the scan of the whole
  ///   tree or history would give, so that an entry matching none is stale; a staged,
  ///   range or partial scan cannot tell.
  public func apply(to findings: inout [Finding], judgingStaleness: Bool = true) -> Outcome {
    var diagnostics: [Diagnostic] = []
    var active: [String: IgnoreList.Entry] = [:]
    for entry in ignoreList?.entries ?? [] {
      if let expires = entry.expires, expires < today {
        diagnostics.append(
          Diagnostic(
            .warning,
            "the entry for \(Self.shown(entry.fingerprint)) expired on \(expires); its finding is reported again (\(entry.reason))",
            file: ignoreList?.file, line: entry.line))
      } else {
        active[entry.fingerprint] = entry
      }
    }
    var used: Set<String> = []
    let baselined = baseline?.fingerprints ?? []
    for index in findings.indices where findings[index].suppression == nil {
      if let entry = active[findings[index].fingerprint] {
        used.insert(entry.fingerprint)
        findings[index].suppression = Suppression(
          kind: .external, source: IgnoreList.fileName, justification: entry.reason)
      } else if baselined.contains(findings[index].fingerprint) {
        findings[index].suppression = Suppression(
          kind: .external, source: "baseline", justification: "in the baseline")
      }
    }
    var stale = 0
    for (fingerprint, entry) in active.sorted(by: { $0.key < $1.key })
    where judgingStaleness && !used.contains(fingerprint) {
      stale += 1
      diagnostics.append(
        Diagnostic(
          .warning,
          "the entry for \(Self.shown(fingerprint)) matches no finding any more; remove it (\(entry.reason))",
          file: ignoreList?.file, line: entry.line))
    }
    return Outcome(diagnostics: diagnostics, staleEntries: stale)
  }
}

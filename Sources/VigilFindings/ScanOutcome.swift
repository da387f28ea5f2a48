import Foundation
import VigilModel
import VigilRules

/// A scan's result made ready to report, in one place for every program that drives a
/// scan: the ignore file and the baseline applied, warnings masked, suppressed findings
/// dropped unless asked for, and what the exit status depends on.
public struct ScanOutcome: Sendable {
  /// What to report.
  public var result: ScanResult
  /// With `recordBaseline`, what `--write-baseline` records: every finding not silenced
  /// by the ignore file or inline (a baselined finding stays in the baseline).
  public var baseline: Baseline?
  /// Findings nothing silences, at or above the `failOn` severity: any makes the scan
  /// fail.
  public var failing: Int
  /// Ignore-file entries that matched no finding.
  public var staleEntries: Int

  /// - Parameters:
  ///   - root: the scan root, where `.vigilignore` is looked for when `ignoreFile` is
  ///     `nil` and `discoversIgnoreFile`; an ignore file inside it may not lead outside it.
  ///   - failOn: the least severity that fails the scan (`--fail-on`).
  ///   - masker: masks secrets in the scan's warnings.
  ///   - today: for ignore entries that expire.
  public init(
    _ scanned: consuming ScanResult, root: String, ignoreFile: String?, baseline baselinePath: String?,
    includeSuppressed: Bool, recordBaseline: Bool = false, failOn: Severity = .warning,
    masker: SecretMasker, today: Date = Date(), judgingStaleness: Bool = true,
    discoversIgnoreFile: Bool = true
  ) throws(ConfigError) {
    let ignorePath =
      ignoreFile
      ?? {
        let discovered = (root as NSString).appendingPathComponent(IgnoreList.fileName)
        return discoversIgnoreFile && FileManager.default.fileExists(atPath: discovered) ? discovered : nil
      }()
    let confinement = ConfigConfinement(root: root)
    let ignoreList = try ignorePath.map { path throws(ConfigError) in
      try IgnoreList.load(path: path, confinement: confinement?.governing(path))
    }
    let recorded = try baselinePath.map { path throws(ConfigError) in try Baseline.load(path: path) }
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    var result = scanned  // consumed, so that the findings, which can be many, exist once
    let applied = Suppressor(ignoreList: ignoreList, baseline: recorded, today: formatter.string(from: today))
      .apply(to: &result.findings, judgingStaleness: judgingStaleness)
    result.diagnostics += applied.diagnostics
    // A warning can quote a scanned file (its name, a config's key): masked like a snippet.
    result.diagnostics = result.diagnostics.map(masker.mask)
    // So can a suppression's reason (an ignore entry's `reason`, written in the tree),
    // which reports show with each suppressed finding: each reason masked once.
    if includeSuppressed {
      var masked: [String: String] = [:]
      for index in result.findings.indices {
        guard let reason = result.findings[index].suppression?.justification else { continue }
        if masked[reason] == nil { masked[reason] = masker.mask(reason) }
        result.findings[index].suppression?.justification = masked[reason] ?? reason
      }
    }
    // A scan of part of the tree or history (`--staged`, a range, a shard, some paths)
    // adds to the baseline it read: it cannot tell the entries for the rest are gone.
    baseline =
      recordBaseline
      ? Baseline(
        findings: result.findings.filter { $0.suppression == nil || $0.suppression?.source == "baseline" },
        keeping: judgingStaleness ? [] : recorded?.entries ?? [])
      : nil
    failing = result.findings.reduce(0) { $0 + ($1.suppression == nil && $1.severity >= failOn ? 1 : 0) }
    if !includeSuppressed { result.findings.removeAll { $0.suppression != nil } }
    self.result = result
    staleEntries = applied.staleEntries
  }

  /// Whether the scan fails (exit status 1): an unsuppressed finding at or above
  /// `failOn`, or with
  /// `failOnStale` an ignore entry that matches nothing.
  public func fails(failOnStale: Bool) -> Bool { failing > 0 || (failOnStale && staleEntries > 0) }
}

/// Everything a scan produced, in report order.
public struct ScanResult: Sendable {
  public var findings: [Finding]
  /// Warnings about the scan itself (unreadable files, patterns that gave up).
  public var diagnostics: [Diagnostic]
  public var summary: ScanSummary
  /// The absolute directory that finding paths are relative to.
  public var root: String
  /// Set for scans of git's index or history.
  public var versionControl: VersionControlInfo?
  /// What each rule cost, when the scan was asked to profile (`ScanOptions.profile`).
  public var profile: ScanProfile?
  /// For a history scan resumed from the cache of the last one: the commits that scan
  /// had read, and those read now.
  public var resumedHistory: (cachedCommits: Int, newCommits: Int)?
  /// What was scanned; `nil` when the result was not made by one of the `Scanner`'s
  /// entry points (a test's, a merge's).
  public var kind: ScanKind?
  /// When the scan started, ISO 8601 in UTC (`2026-01-02T03:04:05Z`), set by the
  /// session that ran it: reports other than the HTML audit leave it out, so that the
  /// same scan gives the same bytes.
  public var startedAt: String?
  /// Why the scan failed although it ran to its end (`--strict`: a file not read whole):
  /// reports say so (SARIF's `executionSuccessful` false), and `vigil merge` of shard
  /// reports fails on it as the scan did.
  public var failure: String?
  /// The shard of a sharded scan, `K/N` (1-based), which reports record so that a merge
  /// can tell a shard missing or given twice.
  public var shard: String?

  public init(
    findings: [Finding], diagnostics: [Diagnostic], summary: ScanSummary, root: String,
    versionControl: VersionControlInfo? = nil
  ) {
    self.versionControl = versionControl
    self.findings = findings
    self.diagnostics = diagnostics
    self.summary = summary
    self.root = root
  }
}

/// What the walk saw: the end-of-scan summary.
public struct ScanSummary: Sendable, Equatable {
  public var filesScanned = 0
  public var bytesScanned = 0
  public var skipped: [SkipReason: Int] = [:]

  public init() {}

  public mutating func merge(_ other: ScanSummary) {
    filesScanned += other.filesScanned
    bytesScanned += other.bytesScanned
    skipped.merge(other.skipped, uniquingKeysWith: +)
  }

  /// Counts files whose encoded text was not all decoded (none: nothing recorded).
  public mutating func count(decodingCutShort files: Int) {
    if files > 0 { skipped[.decodingIncomplete, default: 0] += files }
  }

  /// Counts the files where a rule's pattern gave up (none: nothing recorded).
  public mutating func count(patternGaveUp files: Int) {
    if files > 0 { skipped[.patternGaveUp, default: 0] += files }
  }
}

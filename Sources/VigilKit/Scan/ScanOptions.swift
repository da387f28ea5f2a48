import Foundation

/// What to scan and how.
public struct ScanOptions: Sendable {
  /// Files or directories; empty means the current directory.
  public var paths: [String]
  /// Worker threads; at least 1.
  public var jobs: Int
  public var redact: Bool
  /// Files larger than this many bytes are skipped.
  public var maxFileSize: Int
  /// What relative `paths` are relative to; `nil` means the process's current directory.
  public var workingDirectory: String?
  /// Honour `.gitignore`, `.git/info/exclude` and `core.excludesFile` as git does.
  public var useIgnoreFiles: Bool
  /// Where workers publish running totals, if anyone is watching.
  public var progress: ScanProgress?
  /// gitignore-style patterns (relative to the scan root) from the configuration's
  /// `[scan] exclude`; they apply even when ignore files are not honoured.
  public var exclude: [String] = []
  /// Scan only the files of shard `index` (0-based) of `count`, chosen by a hash of the
  /// path, so that `count` jobs split a tree between them.
  public var shard: (index: Int, count: Int)?
  /// Count what each rule costs (time, keyword hits, regex runs, matches) into
  /// `ScanResult.profile`.
  public var profile = false
  /// How many encodings deep (base64, hex, percent, escapes) to look for secrets; 0
  /// looks at the text only.
  public var maxDecodeDepth = Detector.defaultDecodeDepth
  /// How many archives deep to open (zip in tar in …); 0 leaves archives unopened.
  public var maxArchiveDepth = 10
  /// Whether git inputs read content renamed or copied to a path the rules judge
  /// differently again, at the new path (`Scanner.pathsTreatedAlike`). Off only to
  /// compare the blob reading of a history with the patch reading, which cannot.
  package var rereadsMovedContent = true
  /// Whether a history scan reads unchanged lines around those a commit adds (and the
  /// PEM block they fall in), for matches that span lines (`Scanner.contextLines`);
  /// off only where tests compare it with the patch-based reading, which cannot.
  package var readsContext = true
  /// Where a history scan keeps what it read for the next one (`HistoryCache`);
  /// `nil` for no cache.
  public var historyCache: String?
  /// Where the keyword pass's compiled Vectorscan sets are kept between scans
  /// (`KeywordSetCache`); `nil` to compile them every time.
  public var keywordSetCache: String?
  /// Look up the repository's remote, HEAD and branch for a git input's result
  /// (`ScanResult.versionControl`): three git calls that only SARIF and the HTML audit
  /// use, which a hook's text output can do without.
  public var recordsProvenance = true
  /// Leave out of a walk the files git does not track that vigil wrote: reports and
  /// baselines (`WrittenByVigil`) and `outputPath`. A tracked or staged file is scanned
  /// whatever it looks like, so that a change cannot hide a key by dressing a file up as
  /// a report.
  public var skipOwnReports = false
  /// The file this scan's report goes to (`-o`), as given (relative to the current
  /// directory).
  public var outputPath: String?

  /// Large enough for the minified bundles and generated files where secrets get
  /// pasted (a 20 MB one-line bundle is scanned); each worker holds one file at a time.
  public static let defaultMaxFileSize = 32 * 1024 * 1024

  /// More workers than this only cost memory (each holds a file of up to
  /// `maxFileSize`) and threads: requests above it are lowered to it.
  public static let maxJobs = max(4, 4 * ProcessInfo.processInfo.activeProcessorCount)

  public init(
    paths: [String] = [], jobs: Int = 1, redact: Bool = true,
    maxFileSize: Int = ScanOptions.defaultMaxFileSize, workingDirectory: String? = nil,
    useIgnoreFiles: Bool = true, progress: ScanProgress? = nil
  ) {
    self.paths = paths
    self.jobs = min(max(1, jobs), Self.maxJobs)
    self.redact = redact
    self.maxFileSize = maxFileSize
    self.workingDirectory = workingDirectory
    self.useIgnoreFiles = useIgnoreFiles
    self.progress = progress
  }
}

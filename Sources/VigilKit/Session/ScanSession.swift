import Archives
import Foundation
import VigilFiles
import VigilGit
import VigilSupport

/// What a scan is asked to do: its input, its configuration, and what becomes of its
/// findings. Everything `vigil scan` reads from its arguments.
public struct ScanRequest: Sendable {
  public enum Input: Sendable {
    /// Files and directories on disk; empty means the current directory.
    case paths([String])
    /// One file's bytes from standard input, scanned and reported as the file `name`
    /// (every rule applies, path rules too), else as `<stdin>` (no path rule applies):
    /// the function reads them, refusing more than the byte limit it is given.
    case standardInput(name: String?, read: @Sendable (_ limit: Int) throws -> [UInt8])
    /// What is staged in git's index of the repository holding `directory`.
    case staged(directory: String)
    /// Every commit reachable from HEAD, or those in `range` (`A..B`).
    case history(directory: String, range: String?)
  }

  public var input: Input
  /// A rules file; `nil` looks for `.vigil.toml` or `.gitleaks.toml` at the scan root.
  public var config: String?
  /// `nil` uses `.vigilignore` at the scan root when there is one.
  public var ignoreFile: String?
  public var baseline: String?
  /// Compute the baseline `--write-baseline` records.
  public var recordBaseline = false
  /// Keep suppressed findings in the report (they never fail the scan).
  public var includeSuppressed = false
  public var redact = true
  public var jobs = ProcessInfo.processInfo.activeProcessorCount
  /// `nil`: the config's `scan.maxFileSize`, else `ScanOptions.defaultMaxFileSize`.
  public var maxFileSize: Int?
  public var useIgnoreFiles = true
  /// The least severity that fails the scan; `nil`: the config's `scan.failOn`, else
  /// `warning`.
  public var failOn: Severity?
  /// Shard `index` (0-based) of `count`.
  public var shard: (index: Int, count: Int)?
  public var progress: ScanProgress?
  /// Count what each rule costs into the result's `profile`.
  public var profile = false
  /// `ScanOptions.maxDecodeDepth`; `nil` for vigil's default.
  public var maxDecodeDepth: Int?
  /// `ScanOptions.maxArchiveDepth`; `nil` for vigil's default.
  public var maxArchiveDepth: Int?
  /// Run the code rules (SQL, unwrap, CORS) on a history input too. They describe the
  /// current tree, which a tree or staged scan checks; by default a history scan
  /// looks only for what history keeps: secrets and secret files.
  public var historyCodeRules = false
  /// Use vigil's cache directory: resume a history scan from it and leave one for the
  /// next scan; load the keyword pass's compiled Vectorscan set from it and keep one.
  public var usesCache = true
  /// The report shows where the scanned repository lives and its revision (SARIF, the
  /// HTML audit): `ScanOptions.recordsProvenance`.
  public var recordsProvenance = true
  /// Where the report goes (`-o`): a walk leaves that file out unless git tracks it.
  public var outputFile: String?
  /// Scan the untracked reports and baselines vigil wrote, which a walk leaves out.
  public var includeOwnReports = false

  public init(input: Input = .paths([])) { self.input = input }
}

/// One scan, from request to outcome: picks the configuration for the input, loads
/// the rules, runs the scan, applies every suppression, masks what vigil says and
/// decides whether the scan fails. The command line, `vigil eval` and the tests all
/// drive a scan through it.
public struct ScanSession: Sendable {
  public let request: ScanRequest
  /// Where configs and the ignore file are looked for: the repository's top for a git
  /// input, else the one directory scanned, else the current directory.
  public let root: String
  /// The rules, as loaded; after `run()`, those the scan ran with (a tree walk that
  /// meets a nested config loads the layered configuration then).
  public var pack: RulePack { settled.pack }
  public var scanner: Scanner { settled.scanner }
  /// The configuration's warnings, masked (a nested config's, loaded during `run()`,
  /// come with the result's diagnostics).
  public let warnings: [Diagnostic]

  /// The rules and the scanner made of them.
  private struct Configured: Sendable {
    var pack: RulePack
    var scanner: Scanner
    var warnings: [Diagnostic]
  }
  private let loaded: Configured
  /// Set when `run()` met a nested config and loaded the layered configuration.
  private let layered = Locked<Configured?>(nil)
  private var settled: Configured { layered.withLock { $0 } ?? loaded }
  /// A walk of one directory whose nested configs are not looked for before the scan:
  /// the scan's own walk notices one, and only then are they loaded.
  private let nestedConfigsDeferred: Bool
  private let paths: [String]

  /// Starts decoding the built-in rules on another thread, so that the process's first
  /// steps (parsing arguments, asking git for the repository's configuration) overlap
  /// it; whoever needs the rules first then waits for the rest. Call it first thing.
  public static func prepareBuiltInRules() {
    DispatchQueue.global(qos: .userInitiated).async { _ = try? DefaultRulePack.load() }
  }

  /// Has the local time zone read once (`ArchiveReader.readTimeZoneOnce`): a process
  /// that scans calls it first thing, before any thread starts.
  public static func readTimeZoneOnce() {
    ArchiveReader.readTimeZoneOnce()
  }

  /// Has large buffers go back to the system when freed (`FileReader`): a process
  /// that scans calls it once, first thing.
  public static func returnLargeBuffersToTheSystem() {
    FileReader.returnLargeBuffersToTheSystem()
  }

  /// Loads the configuration and compiles the rules.
  ///
  /// - Throws: `ConfigError` (its problems masked) or `ScanError`.
  public init(_ request: ScanRequest) throws {
    self.request = request
    // No program is taken from what is scanned (a `node_modules/.bin/git` on PATH).
    switch request.input {
    case .paths(let given): UntrustedTrees.add(scanning: given.isEmpty ? ["."] : given)
    case .standardInput: UntrustedTrees.add(scanning: ["."])
    case .staged(let directory), .history(let directory, _): UntrustedTrees.add(scanning: [directory])
    }
    // A path relative to a working directory whose own path is not text would name
    // another directory (`.` not found, "not inside a git work tree"): said as it is.
    let relative: [String]
    switch request.input {
    case .paths(let given): relative = given.isEmpty ? ["."] : given
    case .standardInput: relative = []
    case .staged(let directory), .history(let directory, _): relative = [directory]
    }
    if relative.contains(where: { !$0.hasPrefix("/") }),
      let problem = InvocationText.workingDirectoryProblem()
    {
      throw ScanError.input(problem)
    }
    let paths: [String]
    var layered: Bool
    switch request.input {
    case .paths(let given):
      paths = given
      root = Self.configRoot(paths: given)
      // Nested configs apply to a walk of one directory, where paths are relative to it.
      layered = given.count <= 1 && root == (given.first ?? ".")
    case .standardInput:
      paths = ["-"]
      root = "."
      layered = false
    case .staged(let directory), .history(let directory, _):
      paths = [directory]
      root = Scanner.repositoryTop(containing: directory) ?? directory
      layered = true
    }
    var fromIndex = false
    if case .staged = request.input { fromIndex = true }
    if case .history = request.input { fromIndex = true }
    // A config given by name is the whole configuration: the tree's own files, the root
    // one and the nested ones alike, are not read (in CI the operator's rules; a nested
    // file a pull request adds cannot allow its own secret).
    if request.config != nil { layered = false }
    self.paths = paths
    nestedConfigsDeferred = layered && !fromIndex
    let (pack, warnings) = try ScanConfiguration.load(
      config: request.config, root: root, layered: layered && !nestedConfigsDeferred, fromIndex: fromIndex)
    loaded = Self.configure(pack, warnings: warnings, paths: paths, request: request)
    self.warnings = loaded.warnings
  }

  /// The files a scan of the request's paths would read, as `vigil files` lists them,
  /// and the configuration's warnings with the walk's: the configuration's excludes and
  /// size limit applied, the nested configs' excludes too.
  public func listFiles() throws -> (files: [String], warnings: [Diagnostic]) {
    var configured = loaded
    if nestedConfigsDeferred {
      let (pack, warnings) = try ScanConfiguration.load(config: request.config, root: root, layered: true)
      configured = Self.configure(pack, warnings: warnings, paths: paths, request: request)
    }
    let listing = try configured.scanner.listFilesAndWarnings()
    return (
      ConfigLayer.excluding(configured.pack.layers, from: listing.files),
      configured.warnings + listing.warnings
    )
  }

  /// The scanner for `pack`, with the request's options.
  private static func configure(
    _ pack: RulePack, warnings: [Diagnostic], paths: [String], request: ScanRequest
  )
    -> Configured
  {
    var pack = pack
    if case .history = request.input, !request.historyCodeRules {
      pack.rules.removeAll { !$0.category.isSensitive }
    }
    var options = ScanOptions(
      paths: paths, jobs: request.jobs, redact: request.redact,
      maxFileSize: request.maxFileSize ?? pack.settings.maxFileSize ?? ScanOptions.defaultMaxFileSize,
      useIgnoreFiles: request.useIgnoreFiles, progress: request.progress)
    options.exclude = pack.settings.exclude
    options.shard = request.shard
    options.profile = request.profile
    options.maxDecodeDepth = request.maxDecodeDepth ?? Detector.defaultDecodeDepth
    if let depth = request.maxArchiveDepth { options.maxArchiveDepth = depth }
    var warnings = warnings
    if request.usesCache {
      let (history, refused) = UserCache.directoryOutsideScannedTrees("history")
      options.historyCache = history
      options.keywordSetCache = UserCache.directoryOutsideScannedTrees("keyword-sets").0
      if let refused { warnings.append(refused) }
    }
    options.recordsProvenance = request.recordsProvenance
    if case .paths = request.input, !request.includeOwnReports {
      options.skipOwnReports = true
      options.outputPath = request.outputFile
    }
    let scanner = Scanner(pack: pack, options: options)
    return Configured(pack: pack, scanner: scanner, warnings: warnings.map(scanner.masker.mask))
  }

  /// Runs the scan and applies the ignore file, the baseline and the request's
  /// choices to its findings.
  ///
  /// - Throws: `ScanError`, `ConfigError` (the ignore file or the baseline), or what
  ///   the standard input reader throws.
  public func run(today: Date = Date()) throws -> ScanOutcome {
    let scanned = try scan()
    return try ScanOutcome(
      consume scanned, root: root, ignoreFile: request.ignoreFile, baseline: request.baseline,
      includeSuppressed: request.includeSuppressed, recordBaseline: request.recordBaseline,
      failOn: request.failOn ?? pack.settings.failOn ?? .warning, masker: scanner.masker, today: today,
      // A config given by name is the whole configuration: the tree's `.vigilignore` is
      // read only when named (`--ignore-file`), as a pull request's could allow its own.
      judgingStaleness: coversEverything, discoversIgnoreFile: request.config == nil)
  }

  /// Whether the scan reads all an ignore file can be about (the whole tree or the whole
  /// history), so that an entry no finding matches is stale. A staged, range, sharded or
  /// path-limited scan sees part of it: its entries for the rest are not stale.
  private var coversEverything: Bool {
    guard request.shard == nil else { return false }
    switch request.input {
    case .paths(let given):
      return given.isEmpty || (given.count == 1 && Self.configRoot(paths: given) == given[0])
    case .standardInput, .staged: return false
    case .history(_, let range): return range == nil
    }
  }

  /// The request's input scanned, with when the scan started (for the HTML audit).
  private func scan() throws -> ScanResult {
    let startedAt = ISO8601DateFormatter().string(from: Date())
    var scanned: ScanResult
    switch request.input {
    case .paths where nestedConfigsDeferred:
      if let result = try loaded.scanner.runUnlessNestedConfig() {
        scanned = result
      } else {
        let (pack, warnings) = try ScanConfiguration.load(config: request.config, root: root, layered: true)
        let configured = Self.configure(pack, warnings: warnings, paths: paths, request: request)
        layered.withLock { $0 = configured }
        scanned = try configured.scanner.run()
        // The root config's warnings were shown already; the nested configs' were not.
        scanned.diagnostics =
          configured.warnings.filter { !loaded.warnings.contains($0) } + scanned.diagnostics
      }
    case .paths:
      scanned = try scanner.run()
    case .standardInput(let name, let read):
      let bytes = try read(scanner.options.maxFileSize)
      scanned = try scanner.scan(
        standardInput: bytes, named: name, root: FileManager.default.currentDirectoryPath)
    case .staged(let directory):
      scanned = try scanner.scanStaged(in: directory)
    case .history(let directory, let range):
      scanned = try scanner.scanHistory(in: directory, range: range)
    }
    switch request.input {
    case .standardInput: break
    case .staged: Scanner.takeMarkersGitHides(from: &scanned, cached: true)
    case .paths, .history: Scanner.takeMarkersGitHides(from: &scanned, cached: false)
    }
    scanned.startedAt = startedAt
    return scanned
  }

  /// The one directory scanned, else the current directory.
  static func configRoot(paths: [String]) -> String {
    var isDirectory: ObjCBool = false
    if paths.count == 1, FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return paths[0]
    }
    return "."
  }
}

extension ScanOutcome {
  /// With `--strict`, why the scan is an error (exit status 2) rather than a pass: a
  /// file or directory it could not read, or did not read (or decode) whole.
  public func strictFailure() -> String? {
    let unread = result.summary.skipped[.unreadable] ?? 0
    let archives = result.summary.skipped[.archiveIncomplete] ?? 0
    let large = result.summary.skipped[.tooLarge] ?? 0
    let undecoded = result.summary.skipped[.decodingIncomplete] ?? 0
    let gaveUp = result.summary.skipped[.patternGaveUp] ?? 0
    var missed: [String] = []
    if unread > 0 {
      missed.append(
        "\(unread) file\(unread == 1 ? "" : "s") or director\(unread == 1 ? "y" : "ies") could not be read")
    }
    if archives > 0 {
      missed.append("\(archives) archive\(archives == 1 ? " was" : "s were") not read whole")
    }
    if large > 0 {
      missed.append(
        "\(large) file\(large == 1 ? " was" : "s were") larger than --max-file-size and not read (raise it, or exclude the path)"
      )
    }
    if undecoded > 0 {
      missed.append(
        "\(undecoded) file\(undecoded == 1 ? " was" : "s were") not decoded whole (decoding budget)")
    }
    if gaveUp > 0 {
      missed.append(
        "a rule's pattern gave up on part of \(gaveUp) file\(gaveUp == 1 ? "" : "s") (the warnings say where)"
      )
    }
    if (result.summary.skipped[.historyCut] ?? 0) > 0 {
      missed.append("the repository is a shallow clone: the history before its boundary was not read")
    }
    if (result.summary.skipped[.encodingsLeftOut] ?? 0) > 0 {
      missed.append("the history's .gitattributes name more working-tree encodings than blobs were read in")
    }
    if let lfs = result.summary.skipped[.lfsObjectMissing], lfs > 0 {
      missed.append(
        "\(lfs) Git LFS object\(lfs == 1 ? " was" : "s were") not in the repository and not read (`git lfs fetch` brings them)"
      )
    }
    if (result.summary.skipped[.emptyRange] ?? 0) > 0 {
      missed.append("the range selects no commit: nothing was read")
    }
    return missed.isEmpty ? nil : "--strict: " + missed.joined(separator: "; ")
  }
}

import ArgumentParser
import Foundation
import VigilKit

extension ReportFormat: ExpressibleByArgument {}

/// `vigil scan`: scan files and directories, git's index or history, or standard input,
/// and report what the rules find.
struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan files and directories, git's staged changes or history, for secrets and dangerous code.",
    discussion: """
      Directories are walked in parallel, honouring .gitignore, .git/info/exclude and \
      git's core.excludesFile as git does (--no-ignore scans everything); files git \
      tracks are scanned even when an ignore file lists them. A PATH of - reads standard \
      input, scanned as the file --stdin-filename names.

      --staged scans what is staged for the next commit (the pre-commit mode): new \
      files whole, changed files only on their added lines. --history scans every \
      commit reachable from HEAD (or --range A..B) for secrets and secret files \
      (--code-rules adds the code rules), reading each blob once, and reports each \
      finding once, at the commit that added it.

      Findings go to standard output (or --output); warnings and the summary go to \
      standard error. Secrets are redacted to at most their first 4 characters unless \
      --no-redact is given.

      Secrets and keys under test and fixture paths are reported as fixtures, at note.

      Exit status: 0 no findings at or above --fail-on (default warning), 1 such \
      findings, 2 usage, configuration or I/O error.
      """)

  @Argument(help: "Files or directories to scan, or - for standard input (default: the current directory).")
  var paths: [String] = []

  @OptionGroup var report: ReportOptions

  @OptionGroup var suppression: SuppressionOptions

  @OptionGroup var rules: RuleOptions

  @OptionGroup var walk: WalkOptions

  @Flag(help: "Scan what is staged in git's index instead of files on disk.")
  var staged = false

  @Flag(help: "Scan every commit reachable from HEAD instead of files on disk.")
  var history = false

  @Option(
    help: ArgumentHelp("With --history: only commits in this range (e.g. main..HEAD).", valueName: "A..B"))
  var range: String?

  @Flag(
    help: ArgumentHelp(
      "With --history or --range: run the code rules (SQL, unwrap, CORS) too, not only the secret and secret-file rules."
    ))
  var codeRules = false

  @Flag(
    help: ArgumentHelp(
      "Use no cache: with --history, read every commit again instead of resuming from the cache of the last history scan; compile the keyword pass's Vectorscan set instead of loading the last scan's."
    ))
  var noCache = false

  @Option(
    help: ArgumentHelp("Scan only shard K of N (1-based), chosen by a hash of each path.", valueName: "K/N"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Look for secrets inside base64, hex, percent-encoded and escaped text, this many encodings deep (0: never; default 10).",
      valueName: "depth"))
  var maxDecodeDepth: Int?

  @Option(
    help: ArgumentHelp(
      "Scan the files inside archives (zip, jar, whl, tar, gz, …), this many archives deep (0: never; default 10).",
      valueName: "depth"))
  var maxArchiveDepth: Int?

  @Option(
    name: .customLong("stdin-filename"),
    help: ArgumentHelp(
      "With - as the PATH: scan standard input as this file, so that every rule applies to it as it would to the file (its path rules too); findings name it.",
      valueName: "path"))
  var stdinFilename: String?

  @Flag(name: .shortAndLong, help: "No progress line and no summary on standard error.")
  var quiet = false

  @Flag(
    help:
      "After the scan, print what each rule cost (time, keyword hits, regex runs, matches) on standard error."
  )
  var profile = false

  /// A path as findings name it: without a leading `./`.
  private static func relativeName(_ path: String) -> String {
    var name = Substring(path)
    while name.hasPrefix("./") { name = name.dropFirst(2) }
    return String(name)
  }

  /// Whether two paths name one file: the same path once links, `.` and `..` are
  /// resolved as the system resolves them (a `..` after a link goes up from its target;
  /// a file not there yet by its directory's resolved path), or (existing) the same
  /// device and inode (a hard link).
  private static func sameFile(_ first: String, _ second: String) -> Bool {
    func resolved(_ path: String) -> String {
      func real(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
      }
      if let whole = real(path) { return whole }
      // Not there: its directory resolved, and a dangling link followed to the file it
      // would create (a few hops at most).
      var path = path
      for _ in 0..<8 {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let parent = real(directory.isEmpty ? "." : directory) ?? directory
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: parent + "/" + name)
        else {
          return parent + "/" + name
        }
        path = target.hasPrefix("/") ? target : parent + "/" + target
        if let whole = real(path) { return whole }
      }
      return path
    }
    if resolved(first) == resolved(second) { return true }
    var one = stat()
    var other = stat()
    return stat(first, &one) == 0 && stat(second, &other) == 0 && one.st_dev == other.st_dev
      && one.st_ino == other.st_ino
  }

  /// `K/N` as a 0-based index and a count.
  private var parsedShard: (index: Int, count: Int)? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
    return (parts[0] - 1, parts[1])
  }

  func validate() throws {
    // The report written over the baseline read, or one of the two files lost.
    if let output = report.output {
      for (flag, path) in [
        ("--baseline", suppression.baseline), ("--write-baseline", suppression.writeBaseline),
      ] {
        if let path, Self.sameFile(output, path) {
          throw ValidationError("--output and \(flag) name the same file (\(path)): give each its own.")
        }
      }
    }
    if let maxDecodeDepth, !(0...32).contains(maxDecodeDepth) {
      throw ValidationError("--max-decode-depth takes 0 to 32.")
    }
    if let maxArchiveDepth, !(0...32).contains(maxArchiveDepth) {
      throw ValidationError("--max-archive-depth takes 0 to 32.")
    }
    if shard != nil && parsedShard == nil {
      throw ValidationError("--shard takes K/N with 1 <= K <= N, such as 2/4.")
    }
    if codeRules && !(history || range != nil) {
      throw ValidationError(
        "--code-rules applies to --history and --range: other scans always run the code rules.")
    }
    if hookAdvice && !staged {
      throw ValidationError("--hook-advice applies to --staged, the scan a pre-commit hook runs.")
    }
    if staged && (history || range != nil) {
      throw ValidationError("--staged cannot be combined with --history or --range.")
    }
    if (staged || history || range != nil) && paths.count > 1 {
      throw ValidationError("--staged and --history take at most one PATH: a directory in the repository.")
    }
    if paths.contains("-") && (paths.count > 1 || staged || history || range != nil) {
      throw ValidationError("- (standard input) must be the only PATH.")
    }
    if let stdinFilename {
      if paths != ["-"] {
        throw ValidationError("--stdin-filename names standard input: give - as the only PATH.")
      }
      if Self.relativeName(stdinFilename).isEmpty || stdinFilename.contains(where: \.isNewline)
        || stdinFilename.contains("\u{0}")
      {
        throw ValidationError("--stdin-filename takes a file path, such as config/settings.yml.")
      }
    }
  }

  @Flag(
    help:
      "Scan the reports and baselines vigil wrote that git does not track, and the -o file, with every rule (by default only the secret and secret-file rules read them; tracked files are always scanned whole)."
  )
  var includeReports = false

  @Flag(help: "On a git error, also print the git command that failed and all git said.")
  var verbose = false

  @Flag(
    help:
      "With --staged: when the scan blocks the commit, also say so and how to proceed on standard error, as the pre-commit framework's hook does."
  )
  var hookAdvice = false

  func run() throws {
    guard hookAdvice else { return try scanReportingGitDetail() }
    do {
      try scanReportingGitDetail()
    } catch let status as ExitCode {
      if status.rawValue == ExitStatus.findings {
        Console.error("\n" + CommitHookAdvice.blocked(by: .preCommitFramework))
      }
      throw status
    } catch {
      // Below vigil's own error, as the hook `vigil install-hook` writes says it.
      throw VigilFailure(
        message: Self.message(for: error) + "\n\n" + CommitHookAdvice.failed(by: .preCommitFramework))
    }
  }

  private func scanReportingGitDetail() throws {
    do {
      try scan()
    } catch let error as ScanError where verbose {
      throw VigilFailure(message: error.description + (error.detail.map { "\n" + $0 } ?? ""))
    }
  }

  /// What `vigil` alone would print for `error`, without its prefix.
  private static func message(for error: Error) -> String {
    switch error {
    case let error as VigilFailure: error.message
    default: String(describing: error)
    }
  }

  private func scan() throws {
    let started = Date()
    var request = ScanRequest(input: input)
    request.config = rules.config
    request.ignoreFile = suppression.ignoreFile
    request.baseline = suppression.baseline
    request.recordBaseline = suppression.writeBaseline != nil
    request.includeSuppressed = suppression.includeSuppressed
    request.failOn = suppression.failOn
    request.redact = !report.noRedact
    request.jobs = walk.workers
    request.maxFileSize = walk.maxFileSize
    request.useIgnoreFiles = !walk.noIgnore
    request.historyCodeRules = codeRules
    request.usesCache = !noCache
    request.outputFile = report.output
    let chosen = report.format ?? report.output.flatMap(ReportFormat.init(fileExtensionOf:)) ?? .text
    request.recordsProvenance = chosen == .sarif || chosen == .html
    request.includeOwnReports = includeReports
    request.shard = parsedShard
    request.profile = profile
    request.maxDecodeDepth = maxDecodeDepth
    request.maxArchiveDepth = maxArchiveDepth
    request.progress = quiet || !Console.stderrIsTerminal ? nil : ScanProgress()

    let session = try ScanSession(request)
    for warning in session.warnings { Console.error(warning.description) }
    let line = request.progress.map { ProgressLine(progress: $0) }
    line?.start()
    var outcome: ScanOutcome
    do {
      defer { line?.stop() }
      outcome = try session.run()
    }
    let trees =
      [outcome.result.root]
      + (VigilKit.Scanner.repositoryTop(containing: outcome.result.root).map { [$0] } ?? [])
    for path in [suppression.writeBaseline, report.output].compactMap({ $0 }) {
      if let problem = OutputFile.linkInScannedTree(path, trees: trees) {
        throw VigilFailure(message: problem)
      }
    }
    // A failure the report says too (a sharded scan's, for `vigil merge` to fail on).
    let failure = suppression.strict ? outcome.strictFailure() : nil
    outcome.result.failure = failure
    outcome.result.shard = shard.flatMap { _ in parsedShard.map { "\($0.index + 1)/\($0.count)" } }
    if let path = suppression.writeBaseline, let recorded = outcome.baseline {
      try Console.write(try recorded.encoded(), toFile: path)
    }
    let reporter = chosen.reporter(
      color: report.output == nil && Console.useColor, sarifCategory: report.sarifCategory,
      toFile: report.output != nil)
    let write = { (stream: ReportStream) in
      try reporter.write(outcome.result, rules: session.pack.rules, to: stream)
    }
    if let path = report.output {
      try Console.write(toFile: path, write)
    } else {
      try Console.output(write)
    }
    for diagnostic in outcome.result.diagnostics { Console.error(diagnostic.description) }
    if let profile = outcome.result.profile { Console.error(ProfileText.table(for: profile)) }
    if !quiet {
      Console.error(
        ScanSummaryText.line(for: outcome.result, seconds: Date().timeIntervalSince(started))
          + "; \(session.pack.configSummary)")
    }
    if let failure { throw VigilFailure(message: failure) }
    if outcome.fails(failOnStale: suppression.failOnStale) { throw ExitCode(ExitStatus.findings) }
  }

  private var input: ScanRequest.Input {
    let directory = paths.first ?? "."
    if staged { return .staged(directory: directory) }
    if history || range != nil { return .history(directory: directory, range: range) }
    if paths == ["-"] {
      return .standardInput(name: stdinFilename.map(Self.relativeName)) { limit in
        try Console.readStandardInput(limit: limit)
      }
    }
    return .paths(paths)
  }
}

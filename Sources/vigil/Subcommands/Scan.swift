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
      Directories are walked in parallel, honouring .gitignore, .git/info/exclude and
      git's core.excludesFile as git does (--no-ignore scans everything); files git
      tracks are scanned even when an ignore file lists them. A PATH of - reads standard
      input.

      --staged scans what is staged for the next commit (the pre-commit mode): new
      files whole, changed files only on their added lines. --history scans every
      commit reachable from HEAD (or --range A..B) and reports each finding once, at the
      commit that added it.

      Findings go to standard output (or --output); warnings and the summary go to
      standard error. Secrets are redacted to at most their first 4 characters unless
      --no-redact is given.

      Exit status: 0 no findings, 1 findings, 2 usage, configuration or I/O error.
      """)

  @Argument(help: "Files or directories to scan, or - for standard input (default: the current directory).")
  var paths: [String] = []

  @Option(
    help: ArgumentHelp(
      "Report format: text, json or sarif (default: from the --output extension, else text).",
      valueName: "format"))
  var format: ReportFormat?

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file.", valueName: "file"))
  var output: String?

  @OptionGroup var rules: RuleOptions

  @OptionGroup var walk: WalkOptions

  @Flag(help: "Scan what is staged in git's index instead of files on disk.")
  var staged = false

  @Flag(help: "Scan every commit reachable from HEAD instead of files on disk.")
  var history = false

  @Option(
    help: ArgumentHelp("With --history: only commits in this range (e.g. main..HEAD).", valueName: "A..B"))
  var range: String?

  @Flag(help: "Show secrets in full in the report (they are redacted by default).")
  var noRedact = false

  @Flag(name: .shortAndLong, help: "No progress line and no summary on standard error.")
  var quiet = false

  private var readsStandardInput: Bool { paths == ["-"] }

  func validate() throws {
    if staged && (history || range != nil) {
      throw ValidationError("--staged cannot be combined with --history or --range.")
    }
    if (staged || history || range != nil) && paths.count > 1 {
      throw ValidationError("--staged and --history take at most one PATH: a directory in the repository.")
    }
    if paths.contains("-") && (paths.count > 1 || staged || history || range != nil) {
      throw ValidationError("- (standard input) must be the only PATH.")
    }
  }

  func run() throws {
    let started = Date()
    let progress = quiet || !Console.stderrIsTerminal ? nil : ScanProgress()
    let options = walk.scanOptions(paths: paths, redact: !noRedact, progress: progress)
    let directory = paths.first.flatMap { $0 == "-" ? nil : $0 } ?? "."
    // A staged or history scan reads the repository's config at its top directory.
    let root =
      staged || history || range != nil
      ? ((try? GitCommand(repository: directory).text(["rev-parse", "--show-toplevel"])) ?? directory)
      : configRoot()
    let (pack, warnings) = try rules.loadPack(root: root)
    for warning in warnings { Console.error(warning.description) }

    let scanner = Scanner(pack: pack, options: options)
    let line = progress.map { ProgressLine(progress: $0) }
    line?.start()
    let result: ScanResult
    do {
      if staged {
        result = try scanner.scanStaged(in: directory)
      } else if history || range != nil {
        result = try scanner.scanHistory(in: directory, range: range)
      } else if readsStandardInput {
        let input = Array(FileHandle.standardInput.readDataToEndOfFile())
        result = try scanner.scan(standardInput: input, root: FileManager.default.currentDirectoryPath)
      } else {
        result = try scanner.run()
      }
    } catch {
      line?.stop()
      throw VigilFailure(message: error.description)
    }
    line?.stop()

    let chosen = format ?? output.flatMap(ReportFormat.init(fileExtensionOf:)) ?? .text
    let reporter: any Reporter =
      switch chosen {
      case .text: TextReporter(color: output == nil && Console.useColor)
      case .json: JSONReporter()
      case .sarif: SARIFReporter()
      }
    let report = try reporter.render(result, rules: pack.rules)
    if let output {
      try Console.write(report, toFile: output)
    } else {
      FileHandle.standardOutput.write(Data(report.utf8))
    }
    for diagnostic in result.diagnostics { Console.error(diagnostic.description) }
    if !quiet {
      Console.error(ScanSummaryText.line(for: result, seconds: Date().timeIntervalSince(started)))
    }
    if !result.findings.isEmpty { throw ExitCode(ExitStatus.findings) }
  }

  /// Where a config file is looked for: the one directory scanned, else here.
  private func configRoot() -> String {
    var isDirectory: ObjCBool = false
    if paths.count == 1, FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return paths[0]
    }
    return "."
  }
}

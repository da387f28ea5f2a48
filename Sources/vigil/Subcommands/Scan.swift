import ArgumentParser
import Foundation
import VigilKit

extension ReportFormat: ExpressibleByArgument {}

/// `vigil scan`: scan files and directories and report what the rules find.
struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan files and directories for secrets and dangerous code.",
    discussion: """
      Findings go to standard output (or --output); warnings and the summary go to
      standard error. Secrets are redacted to at most their first 4 characters unless
      --no-redact is given.

      Exit status: 0 no findings, 1 findings, 2 usage, configuration or I/O error.
      """)

  @Argument(help: "Files or directories to scan (default: the current directory).")
  var paths: [String] = []

  @Option(
    help: ArgumentHelp(
      "Report format: text, json or sarif (default: from the --output extension, else text).",
      valueName: "format"))
  var format: ReportFormat?

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file.", valueName: "file"))
  var output: String?

  @OptionGroup var rules: RuleOptions

  @Flag(help: "Show secrets in full in the report (they are redacted by default).")
  var noRedact = false

  @Option(name: .shortAndLong, help: "Worker threads (default: the number of active processors).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Skip files larger than this many bytes.")
  var maxFileSize: Int = ScanOptions.defaultMaxFileSize

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    guard maxFileSize >= 0 else { throw ValidationError("--max-file-size cannot be negative.") }
  }

  func run() throws {
    let options = ScanOptions(
      paths: paths, jobs: jobs, redact: !noRedact, maxFileSize: maxFileSize)
    let root = paths.count == 1 && isDirectory(paths[0]) ? paths[0] : "."
    let (pack, warnings) = try rules.loadPack(root: root)
    for warning in warnings { Console.error(warning.description) }

    let result: ScanResult
    do {
      result = try Scanner(pack: pack, options: options).run()
    } catch {
      throw VigilFailure(message: error.description)
    }
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
    Console.error(ScanSummaryText.line(for: result))
    if !result.findings.isEmpty { throw ExitCode(ExitStatus.findings) }
  }

  private func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}

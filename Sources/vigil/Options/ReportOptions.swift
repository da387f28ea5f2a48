import ArgumentParser
import VigilKit

/// How findings are reported.
struct ReportOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Report format (default: from the --output extension, else text).",
      valueName: "format"))
  var format: ReportFormat?

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Write the report to this file: a regular file is replaced atomically, a device or FIFO written in place; a link is followed, a link to nothing refused.",
      valueName: "file"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "SARIF automationDetails category: runs with different categories keep separate alerts in code scanning.",
      valueName: "name"))
  var sarifCategory: String = "vigil"

  @Flag(help: "Show secrets in full in the report (they are redacted by default).")
  var noRedact = false
}

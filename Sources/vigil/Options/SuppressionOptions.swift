import ArgumentParser
import VigilKit

extension Severity: ExpressibleByArgument {}

/// What silences a finding, and what fails the scan.
struct SuppressionOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Report only findings not in this baseline file.", valueName: "file"))
  var baseline: String?

  @Option(help: ArgumentHelp("Record the current findings as a baseline in this file.", valueName: "file"))
  var writeBaseline: String?

  @Option(
    help: ArgumentHelp(
      "The ignore file (default: .vigilignore at the scan root, if present, and if no --config is given).",
      valueName: "file"))
  var ignoreFile: String?

  @Flag(help: "Also report suppressed findings (in SARIF with `suppressions`); they never fail the scan.")
  var includeSuppressed = false

  @Option(
    help: ArgumentHelp(
      "Exit 1 when a finding at or above this severity is reported: error, warning or note (default: the config's scan.failOn, else warning).",
      valueName: "severity"))
  var failOn: Severity?

  @Flag(help: "Exit 1 when an ignore-file entry matches no finding any more.")
  var failOnStale = false

  @Flag(
    help:
      "Exit 2 when any file or directory could not be read, a file was too large to read, an archive could not be read whole (damaged, a decompression bomb, nested too deep), encoded text was not all decoded, a rule's pattern gave up on part of a file, a path named here was a link not followed, or a history scan met a shallow clone's boundary, so that a scan that missed something never passes."
  )
  var strict = false
}

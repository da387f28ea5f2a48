import ArgumentParser
import Foundation
import VigilKit

/// How files are found and read; shared by `scan` and `files`.
struct WalkOptions: ParsableArguments {
  @Option(
    name: .shortAndLong,
    help: "Worker threads (default: the number of active processors; at most 4 times that, or 4).")
  var jobs: Int?

  /// `--jobs`, else one worker per active processor.
  var workers: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

  @Option(
    help: ArgumentHelp(
      "Skip files larger than this many bytes (default: the config's scan.maxFileSize, else 32 MiB).",
      valueName: "bytes"))
  var maxFileSize: Int?

  @Flag(help: "Do not honour .gitignore, .git/info/exclude or core.excludesFile: scan everything.")
  var noIgnore = false

  func validate() throws {
    guard (jobs ?? 1) >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    guard (maxFileSize ?? 0) >= 0 else { throw ValidationError("--max-file-size cannot be negative.") }
  }

  /// The options for a scan; `settings` are the configuration's, which flags override.
  func scanOptions(
    paths: [String], redact: Bool = true, progress: ScanProgress? = nil,
    settings: ScanSettings = ScanSettings()
  ) -> ScanOptions {
    var options = ScanOptions(
      paths: paths, jobs: workers, redact: redact,
      maxFileSize: maxFileSize ?? settings.maxFileSize ?? ScanOptions.defaultMaxFileSize,
      useIgnoreFiles: !noIgnore, progress: progress)
    options.exclude = settings.exclude
    return options
  }
}

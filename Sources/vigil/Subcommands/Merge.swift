import ArgumentParser
import Foundation
import VigilKit

/// `vigil merge`: one report from the reports of a sharded scan.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the SARIF or JSON reports of `vigil scan --shard K/N` into one.",
    discussion: """
      Exit status: 0 when the merged report has no finding at or above --fail-on that no \
      suppression covers (as the unsharded scan counts them), 1 when it has some, 2 on an error: \
      also when a shard's scan failed although it wrote its report (--strict), or a shard is \
      missing or given twice (each report records its --shard K/N).
      """)

  @Argument(help: "The reports, all SARIF or all JSON.")
  var reports: [String]

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged report to this file.", valueName: "file"))
  var output: String?

  @Option(
    name: .customLong("fail-on"),
    help: ArgumentHelp(
      "Exit 1 when a finding at or above this severity is in the merged report: error, warning or note (default: warning; give the scans' own --fail-on or scan.failOn).",
      valueName: "severity"))
  var failOn: Severity = .warning

  func validate() throws {
    guard !reports.isEmpty else { throw ValidationError("Name at least one report to merge.") }
  }

  func run() throws {
    var inputs: [(name: String, data: Data)] = []
    for path in reports {
      inputs.append((path, Data(try ConfigLoader.readText(path, what: "the report").utf8)))
    }
    let merged: ReportMerger.Merged
    do {
      merged = try ReportMerger.merge(inputs)
    } catch {
      throw VigilFailure(message: error.description)
    }
    if let output {
      // Run in a pull request's checkout (the shard recipe), a link there named as the
      // output was chosen by the pull request: refused, as `scan -o` refuses one.
      let directory = (output as NSString).deletingLastPathComponent
      let trees = [FileManager.default.currentDirectoryPath, directory.isEmpty ? "." : directory]
        .compactMap { VigilKit.Scanner.repositoryTop(containing: $0) }
      if let problem = OutputFile.linkInScannedTree(output, trees: trees) {
        throw VigilFailure(message: problem)
      }
      try Console.write(merged.text, toFile: output)
    } else {
      try Console.output(merged.text)
    }
    if !merged.failures.isEmpty {
      throw VigilFailure(message: "the merged scan failed: " + merged.failures.joined(separator: "; "))
    }
    if merged.failing(at: failOn) > 0 { throw ExitCode(ExitStatus.findings) }
  }
}

import ArgumentParser
import Foundation
import VigilKit

/// `vigil files`: the files a scan would read, for checking ignore rules.
struct Files: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the files a scan of PATH would read: after ignore rules, excludes and the size limit.")

  @Argument(help: "Files or directories (default: the current directory).")
  var paths: [String] = []

  @OptionGroup var walk: WalkOptions

  @OptionGroup var rules: RuleOptions

  func run() throws {
    // The configuration decides what a scan reads (its excludes, its size limit): read
    // as a scan reads it.
    var request = ScanRequest(input: .paths(paths))
    request.config = rules.config
    request.jobs = walk.workers
    request.maxFileSize = walk.maxFileSize
    request.useIgnoreFiles = !walk.noIgnore
    request.usesCache = false
    let listing = try ScanSession(request).listFiles()
    for warning in listing.warnings { Console.error(warning.description) }
    // Names come from the tree: escaped, so that none can drive the terminal.
    try Console.output(listing.files.map { TerminalText.escaped($0) + "\n" }.joined())
  }
}

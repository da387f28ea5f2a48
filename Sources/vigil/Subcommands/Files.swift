import ArgumentParser
import Foundation
import VigilKit

/// `vigil files`: the files a scan would read, for checking ignore rules.
struct Files: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the files a scan of PATH would consider, after ignore rules.")

  @Argument(help: "Files or directories (default: the current directory).")
  var paths: [String] = []

  @OptionGroup var walk: WalkOptions

  func run() throws {
    let files: [String]
    do {
      let listing = try Scanner(pack: RulePack(), options: walk.scanOptions(paths: paths))
        .listFilesAndWarnings()
      files = listing.files
      for warning in listing.warnings { Console.error(warning.description) }
    } catch {
      throw VigilFailure(message: error.description)
    }
    // Names come from the tree: escaped, so that none can drive the terminal.
    try Console.output(files.map { TerminalText.escaped($0) + "\n" }.joined())
  }
}

import ArgumentParser
import Foundation
import VigilKit

/// `vigil init`: write a commented starter `.vigil.toml`.
struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a commented starter .vigil.toml.")

  @Argument(help: "Where to write .vigil.toml.")
  var directory: String = "."

  @Flag(help: "Replace an existing .vigil.toml.")
  var force = false

  func run() throws {
    let path = (directory as NSString).appendingPathComponent(".vigil.toml")
    if FileManager.default.fileExists(atPath: path) && !force {
      throw VigilFailure(message: "\(path) already exists; use --force to replace it")
    }
    // Never through a link the tree holds (a `.vigil.toml` pointing out of it, at a
    // shell's start-up file): its author chose where it points.
    let top = VigilKit.Scanner.repositoryTop(containing: directory).map { [$0] } ?? []
    if let problem = OutputFile.linkInScannedTree(path, trees: [directory] + top) {
      throw VigilFailure(message: problem.replacingOccurrences(of: "the report", with: "the config"))
    }
    try Console.write(StarterConfig.text, toFile: path)
    try Console.output("wrote \(path)\n")
  }
}

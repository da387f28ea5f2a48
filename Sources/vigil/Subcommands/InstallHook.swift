import ArgumentParser
import Foundation
import VigilKit

/// `vigil install-hook`: a git pre-commit hook without the pre-commit framework.
struct InstallHook: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install-hook",
    abstract: "Install a git pre-commit hook that runs `vigil scan --staged`.")

  @Argument(help: "A directory in the repository.")
  var directory: String = "."

  @Flag(help: "Replace an existing pre-commit hook.")
  var force = false

  func run() throws {
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    let path: String
    do {
      path = try HookInstaller.install(in: directory, executable: executable, force: force)
    } catch {
      throw VigilFailure(message: error.description)
    }
    try Console.output("installed \(path)\n")
  }
}

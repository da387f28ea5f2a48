import ArgumentParser
import Foundation
import VigilKit

/// `vigil install-hook`: a git pre-commit hook without the pre-commit framework.
struct InstallHook: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install-hook",
    abstract: "Install a git pre-commit hook that runs `vigil scan --staged`.",
    discussion: """
      The hook runs vigil from PATH, or the executable --vigil names; without one to \
      run now, nothing is installed (exit 2). When vigil blocks a commit, the hook \
      says why and how to proceed: fix the finding, silence a false positive with a \
      vigil:allow comment or a .vigilignore entry, or skip the hook with git commit \
      --no-verify.
      """)

  @Argument(help: "A directory in the repository.")
  var directory: String = "."

  @Option(
    help: ArgumentHelp(
      "The vigil executable the hook runs, instead of vigil from PATH; give a path that stays, not a build folder's.",
      valueName: "path"))
  var vigil: String?

  @Flag(help: "Replace an existing pre-commit hook.")
  var force = false

  func run() throws {
    let path: String
    let executable: HookInstaller.Executable
    do {
      executable = try HookInstaller.executable(
        option: vigil, searchPath: ProcessInfo.processInfo.environment["PATH"],
        currentDirectory: FileManager.default.currentDirectoryPath)
      path = try HookInstaller.install(in: directory, executable: executable, force: force)
    } catch {
      throw VigilFailure(message: error.description)
    }
    let runs = vigil == nil ? "vigil from PATH, now \(executable.found)" : executable.found
    try Console.output("installed \(path); it runs \(runs)\n")
  }
}

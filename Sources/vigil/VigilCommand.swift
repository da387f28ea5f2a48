import ArgumentParser
import Foundation
import VigilKit

/// The root command. Its own `main()` maps every error to vigil's exit codes: 0 no
/// findings, 1 findings, 2 usage, configuration or I/O error (swift-argument-parser's
/// own 64 for a usage error becomes 2).
@main
struct VigilCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vigil",
    abstract: "Find secrets and dangerous configuration committed to a source repository.",
    discussion: """
      EXIT STATUS
        0  no findings
        1  findings at or above --fail-on were reported
        2  usage, configuration or I/O error
      """,
    version: ToolInfo.version,
    subcommands: [Scan.self, Merge.self, Rules.self, Files.self, Eval.self, Init.self, InstallHook.self]
  )

  static func main() {
    // First: it notes which standard streams are closed and holds their descriptors, before
    // anything else (the thread below among them) can be given descriptor 0, 1 or 2.
    Console.prepare()
    ScanSession.readTimeZoneOnce()
    ScanSession.prepareBuiltInRules()
    ScanSession.returnLargeBuffersToTheSystem()
    CrashReport.install()
    if let problem = InvocationText.problem() {
      Console.error("vigil: error: \(problem)")
      Foundation.exit(ExitStatus.usage)
    }
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let word = arguments.first,
      let meant = SubcommandSuggestion.suggestion(
        for: word, among: configuration.subcommands.map { $0._commandName } + ["help"])
    {
      Console.error("vigil: error: '\(word)' is not a vigil command; did you mean 'vigil \(meant)'?")
      Console.error("  See 'vigil --help' for the commands.")
      Foundation.exit(ExitStatus.usage)
    }
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      exit(withVigilError: error)
    }
  }

  private static func exit(withVigilError error: Error) -> Never {
    switch error {
    case let error as ExitCode:
      Foundation.exit(error.rawValue)
    case let error as ConfigError:
      Console.error(error.problems.map { SecretMasker.builtIn.mask($0).description }.joined(separator: "\n"))
      Foundation.exit(ExitStatus.usage)
    // A failure of git or of I/O names objects and paths (a commit's id, which reads as
    // random): masked by the rules only. A config's problems quote the tree's text.
    case let error as VigilFailure:
      Console.error("vigil: error: \(SecretMasker.builtIn.mask(error.message, randomTokens: false))")
      Foundation.exit(ExitStatus.usage)
    case let error as ScanError:
      Console.error("vigil: error: \(SecretMasker.builtIn.mask(error.description, randomTokens: false))")
      Foundation.exit(ExitStatus.usage)
    default:
      let code = exitCode(for: error)
      if code == .success {
        try? Console.output(fullMessage(for: error) + "\n")
        Foundation.exit(0)
      }
      Console.error(fullMessage(for: error))
      Foundation.exit(ExitStatus.usage)
    }
  }
}

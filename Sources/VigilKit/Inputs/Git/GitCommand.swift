import Foundation

/// Runs the real `git` on a repository vigil is scanning, with everything that could
/// run code from that repository switched off.
///
/// A scanned repository is untrusted: its `.git/config` may name hooks, an fsmonitor,
/// textconv or filter drivers, an external diff or a pager. Each invocation overrides
/// those on the command line (`-c`), which beats every config file, without touching
/// the user's own configuration. No shell is involved: arguments go to `execve` as-is.
public struct GitCommand: Sendable {
  public let repository: String
  /// Whether the code-running settings are switched off (always, for repositories
  /// vigil scans); only commands on the user's own configuration turn it off.
  public let hardened: Bool

  public init(repository: String, hardened: Bool = true) {
    self.repository = repository
    self.hardened = hardened
  }

  /// Options placed before every subcommand.
  static let safetyOptions = [
    "--no-pager",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "core.quotePath=false",
    "-c", "core.pager=cat",
  ]

  /// The caller's environment, minus what could make git run something or wait for a
  /// person, in a fixed locale so messages and formats do not vary.
  static let environment: [String: String] = {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment["GIT_OPTIONAL_LOCKS"] = "0"
    environment["GIT_PAGER"] = "cat"
    environment["LC_ALL"] = "C"
    environment.removeValue(forKey: "GIT_EXTERNAL_DIFF")
    return environment
  }()

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var arguments: [String]
    public var status: Int32
    public var message: String

    public var description: String {
      "git \(arguments.joined(separator: " ")) failed (exit \(status)): \(message)"
    }
  }

  /// Runs `git <arguments>` in the repository and returns its standard output.
  /// - Throws: `Failure` when git cannot start or exits non-zero.
  public func run(_ arguments: [String], input: [UInt8]? = nil) throws(Failure) -> [UInt8] {
    var collected: [UInt8] = []
    try execute(arguments, input: input) { collected += $0 }
    return collected
  }

  /// `run`, decoded as text with trailing newlines removed.
  public func text(_ arguments: [String]) throws(Failure) -> String {
    String(decoding: try run(arguments), as: UTF8.self).trimmingCharacters(in: .newlines)
  }

  /// Runs git and hands its standard output to `line` one line at a time (without the
  /// newline) as it arrives, so that a long `git log -p` is never held in memory whole.
  public func streamLines(_ arguments: [String], _ line: (ArraySlice<UInt8>) throws -> Void) throws {
    var pending: [UInt8] = []
    try execute(arguments, input: nil) { chunk in
      pending += chunk
      var start = 0
      while let newline = pending[start...].firstIndex(of: 0x0A) {
        try line(pending[start..<newline])
        start = newline + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty { try line(pending[...]) }
  }

  private func execute(
    _ arguments: [String], input: [UInt8]?, _ output: ([UInt8]) throws -> Void
  ) throws(Failure) {
    let command = ["git", "-C", repository] + (hardened ? Self.safetyOptions : ["--no-pager"]) + arguments
    let outcome: (status: Int32, errors: [UInt8])
    do {
      outcome = try Subprocess.run(command, environment: Self.environment, input: input, output: output)
    } catch let error as Subprocess.Failure {
      throw Failure(arguments: arguments, status: -1, message: error.message)
    } catch {
      throw Failure(arguments: arguments, status: -1, message: "\(error)")
    }
    guard outcome.status == 0 else {
      let message = String(decoding: outcome.errors, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw Failure(arguments: arguments, status: outcome.status, message: message)
    }
  }
}

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

  public init(repository: String) { self.repository = repository }

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
  public func run(_ arguments: [String], input: Data? = nil) throws(Failure) -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", repository] + Self.safetyOptions + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment["GIT_OPTIONAL_LOCKS"] = "0"
    environment["GIT_PAGER"] = "cat"
    environment["LC_ALL"] = "C"
    environment.removeValue(forKey: "GIT_EXTERNAL_DIFF")
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    let inputPipe = input.map { _ in Pipe() }
    process.standardInput = inputPipe ?? FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw Failure(
        arguments: arguments, status: -1, message: "cannot run git: \(error.localizedDescription)")
    }
    // Drain stderr on another thread so that neither pipe can fill and block git.
    let errorData = ErrorCollector(errors.fileHandleForReading)
    if let input, let inputPipe {
      let handle = inputPipe.fileHandleForWriting
      DispatchQueue.global().async {
        handle.write(input)
        try? handle.close()
      }
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let message = String(decoding: errorData.wait(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0 else {
      throw Failure(arguments: arguments, status: process.terminationStatus, message: message)
    }
    return data
  }

  /// `run`, decoded as text with trailing newlines removed.
  public func text(_ arguments: [String]) throws(Failure) -> String {
    String(decoding: try run(arguments), as: UTF8.self)
      .trimmingCharacters(in: .newlines)
  }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
  // Written once by the reading thread before `done` is signalled, read after.
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    DispatchQueue.global().async {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}

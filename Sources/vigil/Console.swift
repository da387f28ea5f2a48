import Foundation
import VigilKit

/// Where the CLI writes: reports to stdout or a file, messages to stderr; and what it
/// reads from stdin. Plain `write(2)` and `read(2)`: Foundation's file handles end the
/// process on a broken pipe or a closed descriptor.
enum Console {
  /// Which of descriptors 0, 1 and 2 were closed when vigil started.
  nonisolated(unsafe) private static var closed: Set<Int32> = []
  /// Standard output's reader went away (`vigil scan | head -1`): nothing more is
  /// written to it, and the exit status stays what it would have been.
  nonisolated(unsafe) private(set) static var outputBroken = false

  /// Call first thing. A write to a closed pipe gives EPIPE instead of killing vigil,
  /// and a closed standard descriptor is noted, then opened on /dev/null so that no
  /// file vigil opens later takes its number (a report must never land in a file
  /// being scanned).
  static func prepare() {
    signal(SIGPIPE, SIG_IGN)
    for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
      closed.insert(fd)
      let null = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
      if null >= 0 && null != fd {
        dup2(null, fd)
        close(null)
      }
    }
  }

  static func error(_ message: String) {
    _ = OutputFile.writeAll(Array((message + "\n").utf8), to: STDERR_FILENO)
  }

  /// Part of a line on stderr (the progress line).
  static func errorText(_ text: String) {
    _ = OutputFile.writeAll(Array(text.utf8), to: STDERR_FILENO)
  }

  /// Writes to standard output.
  /// - Throws: when standard output is closed or fails other than by a broken pipe.
  static func output(_ text: String) throws(VigilFailure) {
    try output { try $0.write(text) }
  }

  /// Writes what `produce` puts on the stream to standard output as it comes.
  static func output(_ produce: (ReportStream) throws -> Void) throws(VigilFailure) {
    if closed.contains(STDOUT_FILENO) {
      throw VigilFailure(message: "cannot write the report: standard output is closed")
    }
    let sink = { (chunk: [UInt8]) throws(VigilFailure) in
      guard !outputBroken else { return }
      guard let problem = OutputFile.writeAll(chunk, to: STDOUT_FILENO) else { return }
      if errno == EPIPE {
        outputBroken = true
        return
      }
      throw VigilFailure(message: "cannot write to standard output: \(problem)")
    }
    do {
      try ReportStream.run(sink: sink, produce)
    } catch let failure as VigilFailure {
      throw failure
    } catch {
      throw VigilFailure(message: "cannot write the report: \(error)")
    }
  }

  /// All of standard input, refusing more than `limit` bytes rather than scanning part.
  static func readStandardInput(limit: Int) throws(VigilFailure) -> [UInt8] {
    if closed.contains(STDIN_FILENO) {
      throw VigilFailure(message: "cannot read standard input: it is closed")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = read(STDIN_FILENO, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw VigilFailure(message: "cannot read standard input: \(String(cString: strerror(errno)))")
      }
      if count == 0 { return bytes }
      if bytes.count + count > limit {
        throw VigilFailure(
          message:
            "standard input is larger than --max-file-size (\(limit) bytes): refusing it rather than scanning part; raise --max-file-size to scan it"
        )
      }
      bytes += chunk[0..<count]
    }
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  static var useColor: Bool {
    stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Writes `text` to `path` by `OutputFile`'s rule: devices and FIFOs in place,
  /// regular files replaced atomically through an unpredictable temporary name.
  static func write(_ text: String, toFile path: String) throws(VigilFailure) {
    try write(toFile: path) { try $0.write(text) }
  }

  /// Writes what `produce` puts on the stream to `path` as it comes, by the same rule.
  static func write(toFile path: String, _ produce: (ReportStream) throws -> Void) throws(VigilFailure) {
    do {
      try OutputFile.write(to: path, produce)
    } catch {
      throw VigilFailure(message: error.description)
    }
  }
}

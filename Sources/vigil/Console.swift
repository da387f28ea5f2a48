import Foundation

/// Where the CLI writes: reports to stdout or a file, messages to stderr.
enum Console {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  static var useColor: Bool {
    stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Writes `text` to `path` by way of a temporary file in the same directory and a
  /// rename, so a failed write never leaves a partial report behind.
  static func write(_ text: String, toFile path: String) throws(VigilFailure) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).vigil-\(getpid()).tmp")
    do {
      try Data(text.utf8).write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw VigilFailure(message: "cannot write \(path): \(reason)")
      }
    } catch let failure as VigilFailure {
      throw failure
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw VigilFailure(message: "cannot write \(path): \(error.localizedDescription)")
    }
  }
}

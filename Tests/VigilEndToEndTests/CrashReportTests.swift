import Foundation
import Testing
import VigilTestSupport

/// A crash prints one line, not the runtime's report of registers and the memory they
/// point at (which can hold the secret being matched).
@Suite struct CrashReportTests {
  /// Starts `vigil scan -` (it waits on its standard input), crashes it with SIGSEGV,
  /// and returns what it printed on stderr and the signal it died of.
  private func crash(environment: [String: String]) throws -> (stderr: String, signal: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: VigilBinary.path)
    process.arguments = ["scan", "-"]
    process.environment = environment
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    // Wait until it blocks reading the pipe: its handlers are installed by then. (A
    // fixed sleep was too short on a loaded machine, where the signal reached the
    // runtime's own handler first.)
    for _ in 0..<1000 {
      let channel =
        (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/wchan", encoding: .utf8)) ?? ""
      if channel.contains("pipe_read") { break }
      usleep(10_000)
    }
    kill(process.processIdentifier, SIGSEGV)
    // The runtime's own handler reports a signal sent by kill() and then returns (no
    // faulting instruction runs again): end the input so that such a vigil exits.
    try input.fileHandleForWriting.close()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (text, process.terminationReason == .uncaughtSignal ? process.terminationStatus : 0)
  }

  @Test func aCrashPrintsOneLineAndDiesOfItsSignal() throws {
    let (stderr, signal) = try crash(environment: ["PATH": "/usr/bin:/bin"])
    #expect(signal == SIGSEGV)
    #expect(stderr.hasPrefix("vigil: crashed; this is a bug in vigil"))
    #expect(!stderr.contains("Registers") && !stderr.contains("Program crashed"))
  }

  @Test func vigilBacktraceKeepsTheRuntimeReport() throws {
    // The control: the runtime's own report, with its register dump, is what the line
    // replaces (in a build under a sanitizer, the sanitizer's report).
    let (stderr, _) = try crash(environment: ["PATH": "/usr/bin:/bin", "VIGIL_BACKTRACE": "1"])
    #expect(
      stderr.contains("Program crashed") || stderr.contains("Sanitizer:DEADLYSIGNAL"), "\(stderr)")
    #expect(!stderr.contains("vigil: crashed"))
  }
}

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
    // Give it time to load its rules and block reading the pipe.
    usleep(500_000)
    kill(process.processIdentifier, SIGSEGV)
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try input.fileHandleForWriting.close()
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

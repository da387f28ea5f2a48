import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessOutput {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  /// The process was still running at the caller's time limit and was killed.
  public var timedOut = false
}

public enum ProcessRunner {
  /// Every live process below `pid`, from /proc.
  static func descendants(of pid: Int32) -> [Int32] {
    var parents: [Int32: [Int32]] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let child = Int32(entry),
        let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      // "pid (name) state ppid …": the name may hold spaces and parentheses.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = Int32(fields[1]) { parents[parent, default: []].append(child) }
    }
    var found: [Int32] = []
    var pending = [pid]
    while let next = pending.popLast() {
      let children = parents[next] ?? []
      found += children
      pending += children
    }
    return found
  }

  /// Runs a Python script (the test machine's python3) in `directory`: files a test
  /// cannot write from Swift (names that are not UTF-8, archives).
  public static func python(_ script: String, _ arguments: [String] = [], in directory: String) throws
    -> ProcessOutput
  {
    try run("/usr/bin/env", ["python3", "-c", script] + arguments, in: directory)
  }

  public static func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String]? = nil, timeout: Double? = nil
  ) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if var environment {
      // Under `Scripts/sanitize.sh` the programs run are sanitized too, and need its options.
      for key in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
        environment[key] = environment[key] ?? ProcessInfo.processInfo.environment[key]
      }
      process.environment = environment
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // A hang the test provokes must fail the test, not stall the suite.
    if let timeout {
      let pid = process.processIdentifier
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
        guard process.isRunning else { return }
        // Its children too: a git it started, blocked on a FIFO, would hold the pipes
        // open and the reads below would never end.
        for descendant in descendants(of: pid) { kill(descendant, SIGKILL) }
        kill(pid, SIGKILL)
      }
    }
    // Read both pipes while the process runs so a large output cannot fill one and block.
    // The group's wait orders the reader's write before the read below (ThreadSanitizer
    // sees that; a poll of `Thread.isFinished` it did not).
    nonisolated(unsafe) var errData = Data()
    let reading = DispatchGroup()
    reading.enter()
    Thread {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      reading.leave()
    }.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    reading.wait()
    return ProcessOutput(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      timedOut: timeout != nil && process.terminationReason == .uncaughtSignal
        && process.terminationStatus == SIGKILL)
  }

  /// The directory of the running test binary, where SwiftPM also puts `vigil`.
  public static var productsDirectory: String {
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var directory = (executable as NSString).deletingLastPathComponent
    // On Linux the test binary is `<products>/vigilPackageTests.xctest`.
    if directory.hasSuffix(".xctest") { directory = (directory as NSString).deletingLastPathComponent }
    return directory
  }
}

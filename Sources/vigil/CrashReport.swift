import Foundation

/// Replaces the Swift runtime's crash report with one line.
///
/// On a crash the runtime's backtracer prints the registers and the bytes they point
/// at. In a scanner those bytes can be the secret being matched, and a CI log keeps
/// them. vigil says it crashed and dies of the same signal (so the exit status still
/// tells); `VIGIL_BACKTRACE=1` keeps the runtime's full report for debugging.
enum CrashReport {
  static func install() {
    guard ProcessInfo.processInfo.environment["VIGIL_BACKTRACE"] != "1" else { return }
    for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
      signal(crash, reportCrash)
    }
  }
}

/// Async-signal-safe only: a fixed message, then the default action.
private func reportCrash(_ number: Int32) {
  let message: StaticString =
    "vigil: crashed; this is a bug in vigil, please report it with the command line. (VIGIL_BACKTRACE=1 prints a backtrace with memory contents, which may hold secrets.)\n"
  _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
  signal(number, SIG_DFL)
  raise(number)
}

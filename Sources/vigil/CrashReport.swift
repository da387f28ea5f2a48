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
    // A stack overflow leaves no stack to run a handler on: the main thread's handlers
    // run on a stack of their own (worker threads overflow into the default action).
    var alternate = stack_t()
    alternate.ss_size = 64 * 1024
    alternate.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: alternate.ss_size, alignment: 16)
    let onStack = sigaltstack(&alternate, nil) == 0
    for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = reportCrash
      action.sa_flags = onStack ? SA_ONSTACK : 0
      sigemptyset(&action.sa_mask)
      sigaction(crash, &action, nil)
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

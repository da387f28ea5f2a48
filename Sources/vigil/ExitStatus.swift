/// vigil's exit codes, an interface scripts rely on.
enum ExitStatus {
  static let clean: Int32 = 0
  static let findings: Int32 = 1
  static let usage: Int32 = 2
}

/// An error the CLI reports in one sentence and exits 2 for.
struct VigilFailure: Error {
  var message: String
}

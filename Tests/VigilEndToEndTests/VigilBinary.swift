import Foundation
import VigilTestSupport

/// Runs the built `vigil` executable, as a user would.
enum VigilBinary {
  /// `VIGIL_BINARY` runs the tests against another build (an older one, to show a
  /// test fails there).
  static let path =
    ProcessInfo.processInfo.environment["VIGIL_BINARY"] ?? ProcessRunner.productsDirectory + "/vigil"

  /// Runs vigil with a minimal environment (`PATH`, `NO_COLOR`) plus `environment`.
  static func run(
    _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
    timeout: Double? = nil
  ) throws -> ProcessOutput {
    try ProcessRunner.run(
      path, arguments, in: directory,
      environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"].merging(environment) { $1 }, timeout: timeout)
  }
}

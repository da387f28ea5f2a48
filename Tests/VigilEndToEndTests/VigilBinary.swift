import VigilTestSupport

/// Runs the built `vigil` executable, as a user would.
enum VigilBinary {
  static let path = ProcessRunner.productsDirectory + "/vigil"

  static func run(_ arguments: [String], in directory: String? = nil) throws -> ProcessOutput {
    try ProcessRunner.run(
      path, arguments, in: directory, environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"])
  }
}

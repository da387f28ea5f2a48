/// A scan that could not start: its inputs are wrong, not its findings.
public enum ScanError: Error, Sendable, CustomStringConvertible {
  case missingPath(String)
  case workerSetup(String)
  /// A rule's pattern does not compile (a pack built in code, not loaded).
  case pattern(String)
  /// Reading the input failed (git, standard input).
  case input(String)

  public var description: String {
    switch self {
    case .missingPath(let path): "\(path): no such file or directory"
    case .workerSetup(let reason): "could not prepare a scan worker: \(reason)"
    case .input(let reason): reason
    case .pattern(let reason): reason
    }
  }
}

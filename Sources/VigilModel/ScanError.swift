/// A scan that could not start: its inputs are wrong, not its findings.
public enum ScanError: Error, Sendable, CustomStringConvertible {
  case missingPath(String)
  /// A path named on the command line that vigil may not read (`reason`: the system's).
  case unreadablePath(String, reason: String)
  case workerSetup(String)
  /// A rule's pattern does not compile (a pack built in code, not loaded).
  case pattern(String)
  /// Reading the input failed (git, standard input); `detail` is what `--verbose`
  /// adds (the git command that failed and all it said).
  case input(String, detail: String? = nil)

  public var description: String {
    switch self {
    case .missingPath(let path): "\(path): no such file or directory"
    case .unreadablePath(let path, let reason): "\(path): cannot read it (\(reason))"
    case .workerSetup(let reason): "could not prepare a scan worker: \(reason)"
    case .input(let reason, _): reason
    case .pattern(let reason): reason
    }
  }

  public var detail: String? {
    if case .input(_, let detail) = self { return detail }
    return nil
  }
}

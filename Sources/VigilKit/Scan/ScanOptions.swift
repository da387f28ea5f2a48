/// What to scan and how.
public struct ScanOptions: Sendable {
  /// Files or directories; empty means the current directory.
  public var paths: [String]
  /// Worker threads; at least 1.
  public var jobs: Int
  public var redact: Bool
  /// Files larger than this many bytes are skipped.
  public var maxFileSize: Int

  public static let defaultMaxFileSize = 10 * 1024 * 1024

  public init(
    paths: [String] = [], jobs: Int = 1, redact: Bool = true,
    maxFileSize: Int = ScanOptions.defaultMaxFileSize
  ) {
    self.paths = paths
    self.jobs = max(1, jobs)
    self.redact = redact
    self.maxFileSize = maxFileSize
  }
}

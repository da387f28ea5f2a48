/// The scan settings a `.vigil.toml` may carry besides rules.
///
/// ```toml
/// [scan]
/// exclude = ["vendor/", "**/*.min.js"]   # gitignore-style patterns, from the scan root
/// maxFileSize = 5242880                   # bytes; --max-file-size wins over it
/// disabledRules = ["rust-unwrap"]
///
/// [severity]                              # per-rule overrides
/// age-encrypted-file = "warning"
/// ```
public struct ScanSettings: Sendable, Equatable {
  /// gitignore-style patterns, relative to the scan root; excluded even with
  /// `--no-ignore`, since they are configuration rather than ignore files.
  public var exclude: [String] = []
  public var maxFileSize: Int?

  public init(exclude: [String] = [], maxFileSize: Int? = nil) {
    self.exclude = exclude
    self.maxFileSize = maxFileSize
  }
}

/// The scan settings a `.vigil.toml` may carry besides rules.
///
/// ```toml
/// [scan]
/// exclude = ["vendor/", "**/*.min.js"]   # gitignore-style patterns, from the scan root
/// maxFileSize = 5242880                   # bytes; --max-file-size wins over it
/// failOn = "error"                        # least severity that fails; --fail-on wins
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
  /// The least severity whose findings make the scan fail; `nil` means `warning`.
  public var failOn: Severity?

  public init(exclude: [String] = [], maxFileSize: Int? = nil, failOn: Severity? = nil) {
    self.exclude = exclude
    self.maxFileSize = maxFileSize
    self.failOn = failOn
  }
}

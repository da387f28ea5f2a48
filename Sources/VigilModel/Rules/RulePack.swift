/// The rules one scan runs, with the allowlists that apply to all of them.
public struct RulePack: Sendable {
  public var rules: [Rule]
  /// Global allowlists: a path match skips the file, other criteria drop findings of
  /// every rule.
  public var allowlists: [Allowlist]
  /// Scan settings from the configuration that built this pack.
  public var settings = ScanSettings()
  /// Subdirectories' `.vigil.toml` files, applied to their subtrees.
  public var layers: [ConfigLayer] = []
  /// A digest of each text the pack was built from (the built-in rules, every config
  /// file read), in the order read: packs from the same texts are the same pack, which
  /// is what a cache of scan results is keyed by.
  public var sources: [String] = []

  public init(rules: [Rule] = [], allowlists: [Allowlist] = []) {
    self.rules = rules
    self.allowlists = allowlists
  }

  public func rule(withID id: String) -> Rule? { rules.first { $0.id == id } }
}

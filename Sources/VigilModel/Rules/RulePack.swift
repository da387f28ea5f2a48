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
  /// The config file that built this pack (`--config`, or the `.vigil.toml` or
  /// `.gitleaks.toml` found at the scan root); `nil` for the built-in rules alone.
  public var configFile: String?
  /// Whether vigil's built-in rules are in the pack: always without a config file, and
  /// with one that says `[extend] useDefault = true` (itself or a file it extends).
  public var includesBuiltInRules = false

  public init(rules: [Rule] = [], allowlists: [Allowlist] = []) {
    self.rules = rules
    self.allowlists = allowlists
  }

  public func rule(withID id: String) -> Rule? { rules.first { $0.id == id } }

  /// Which configuration is in force and how many rules it loaded, for the summary:
  /// `358 built-in rules`, `.vigil.toml: 360 rules, the built-in ones included`,
  /// `.gitleaks.toml: 1 rule, the built-in rules off`.
  public var configSummary: String {
    let count = "\(rules.count) rule\(rules.count == 1 ? "" : "s")"
    guard let configFile else { return "\(rules.count) built-in rule\(rules.count == 1 ? "" : "s")" }
    var name = Substring(configFile)
    while name.hasPrefix("./") { name = name.dropFirst(2) }
    return "\(name): \(count), "
      + (includesBuiltInRules ? "the built-in ones included" : "the built-in rules off")
  }
}

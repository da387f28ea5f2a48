import VigilWalk

/// What a `.vigil.toml` in a subdirectory changes, for that subtree only.
///
/// Its rules (new ids only) and allowlists join the scan's pack, scoped to the
/// subtree; its disabled rules, severity overrides and excludes are applied to the
/// findings under it after the scan.
public struct ConfigLayer: Sendable {
  /// The subtree, relative to the scan root, with a trailing `/`.
  public var prefix: String
  public var disabledRules: Set<String>
  public var severity: [String: Severity]
  /// gitignore-style patterns relative to the subtree.
  public var exclude: [String]

  /// Applies every layer to `findings`: the deepest layer above a finding decides
  /// first, and an outer layer's decisions hold unless an inner one overrides them.
  public static func apply(_ layers: [ConfigLayer], to findings: [Finding]) -> [Finding] {
    guard !layers.isEmpty else { return findings }
    let ordered = layers.sorted { $0.prefix.count < $1.prefix.count }
    let excludes = ordered.map { layer in
      layer.exclude.isEmpty
        ? nil : IgnoreFile(base: [], contents: Array(layer.exclude.joined(separator: "\n").utf8))
    }
    return findings.compactMap { finding in
      var finding = finding
      for (layer, exclude) in zip(ordered, excludes) where finding.path.hasPrefix(layer.prefix) {
        if layer.disabledRules.contains(finding.ruleID) { return nil }
        if let exclude, Scanner.isExcluded(String(finding.path.dropFirst(layer.prefix.count)), by: exclude) {
          return nil
        }
        if let severity = layer.severity[finding.ruleID] { finding.severity = severity }
      }
      return finding
    }
  }
}

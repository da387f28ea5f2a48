import VigilModel
import VigilWalk

extension ConfigLayer {
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
        if let exclude, exclude.excludes(String(finding.path.dropFirst(layer.prefix.count))) {
          return nil
        }
        if let severity = layer.severity[finding.ruleID] { finding.severity = severity }
      }
      return finding
    }
  }
}

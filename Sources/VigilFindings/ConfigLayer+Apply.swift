import VigilModel
import VigilWalk

extension ConfigLayer {
  /// Applies every layer to `findings`: the deepest layer above a finding decides
  /// first, and an outer layer's decisions hold unless an inner one overrides them. A
  /// finding inside an archive is where the archive is: a config in a directory named
  /// `bundle.zip!x` does not reach the entries of `bundle.zip`.
  public static func apply(_ layers: [ConfigLayer], to findings: [Finding]) -> [Finding] {
    guard !layers.isEmpty else { return findings }
    let ordered = layers.sorted { $0.prefix.count < $1.prefix.count }
    let excludes = ordered.map { layer in
      layer.exclude.isEmpty
        ? nil : IgnoreFile(base: [], contents: Array(layer.exclude.joined(separator: "\n").utf8))
    }
    // Whether a layer excludes a path, worked out once per path: one file's thousands
    // of findings under hundreds of nested configs must not cost their product.
    var excluded: [String: Bool] = [:]
    func isExcluded(_ path: String, located: String) -> Bool {
      let key = located == path ? path : located + "\u{0}" + path
      if let known = excluded[key] { return known }
      let answer = zip(ordered, excludes).contains { layer, exclude in
        guard let exclude, located.hasPrefix(layer.prefix), path.hasPrefix(layer.prefix) else { return false }
        return exclude.excludes(String(path.dropFirst(layer.prefix.count)))
      }
      excluded[key] = answer
      return answer
    }
    return findings.compactMap { finding in
      var finding = finding
      let located = finding.archive ?? finding.path
      for layer in ordered where located.hasPrefix(layer.prefix) {
        if layer.disabledRules.contains(finding.ruleID) { return nil }
        if let severity = layer.severity[finding.ruleID] { finding.severity = severity }
      }
      return isExcluded(finding.path, located: located) ? nil : finding
    }
  }
}

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
    var excludes = Excludes(ordered)
    return findings.compactMap { finding in
      var finding = finding
      // An archive's entries are excluded with the archive, as the walk excludes it for
      // the root config's patterns (an entry `b.zip!x.py` is no file of that name).
      let located = finding.archive ?? finding.path
      for layer in ordered where located.hasPrefix(layer.prefix) {
        if layer.disabledRules.contains(finding.ruleID) { return nil }
        if let severity = layer.severity[finding.ruleID] { finding.severity = severity }
      }
      return excludes.excludes(located) ? nil : finding
    }
  }

  /// `paths` (as vigil shows them) without those a layer's `exclude` keeps out.
  public static func excluding(_ layers: [ConfigLayer], from paths: [String]) -> [String] {
    guard !layers.isEmpty else { return paths }
    var excludes = Excludes(layers)
    return paths.filter { !excludes.excludes($0) }
  }

  /// The layers' `exclude` patterns, each applied to the paths below its directory.
  /// Worked out once per path: one file's thousands of findings under hundreds of nested
  /// configs must not cost their product.
  private struct Excludes {
    let layers: [(prefix: String, patterns: IgnoreFile)]
    var known: [String: Bool] = [:]

    init(_ layers: [ConfigLayer]) {
      self.layers = layers.compactMap { layer in
        layer.exclude.isEmpty
          ? nil
          : (layer.prefix, IgnoreFile(base: [], contents: Array(layer.exclude.joined(separator: "\n").utf8)))
      }
    }

    mutating func excludes(_ path: String) -> Bool {
      if let answer = known[path] { return answer }
      let answer = layers.contains { layer in
        path.hasPrefix(layer.prefix) && layer.patterns.excludes(String(path.dropFirst(layer.prefix.count)))
      }
      known[path] = answer
      return answer
    }
  }
}

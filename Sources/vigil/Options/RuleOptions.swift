import ArgumentParser
import Foundation
import VigilKit

/// How the rule pack is chosen; shared by `scan` and `rules`.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A rules file (vigil or gitleaks TOML). Without it, .vigil.toml or .gitleaks.toml at the scan root is used if present, else the built-in rules.",
      valueName: "file"))
  var config: String?

  /// The pack and the loader's warnings, for a scan rooted at `root`; with `layered`,
  /// the `.vigil.toml` files of subdirectories apply to their subtrees. A config file
  /// inside the scanned tree may only read files inside it.
  func loadPack(root: String, layered: Bool = false) throws(ConfigError) -> (RulePack, [Diagnostic]) {
    let confinement = ConfigConfinement(root: root)
    let path = config ?? ConfigLoader.discover(in: root)
    var (pack, warnings) = try ConfigLoader.load(
      configPath: path, confinement: path.flatMap { confinement?.governing($0) })
    guard layered else { return (pack, warnings) }
    for prefix in ConfigLoader.nestedConfigDirectories(root: root) {
      warnings += try ConfigLoader.addLayer(
        path: (root as NSString).appendingPathComponent(prefix + ".vigil.toml"), prefix: prefix, to: &pack,
        confinement: confinement)
    }
    return (pack, warnings)
  }
}

import ArgumentParser
import Foundation
import VigilKit

/// How the rule pack is chosen; shared by `scan` and `rules`.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A rules file (vigil or gitleaks TOML), the whole configuration: the tree's own config files, nested ones included, are not read. Without it, .vigil.toml or .gitleaks.toml at the scan root is used if present, else the built-in rules.",
      valueName: "file"))
  var config: String?

  /// The pack and the loader's warnings, for a scan rooted at `root`; with `layered`,
  /// the `.vigil.toml` files of subdirectories apply to their subtrees. A config file
  /// inside the scanned tree may only read files inside it.
  func loadPack(root: String, layered: Bool = false) throws(ConfigError) -> (RulePack, [Diagnostic]) {
    try ScanConfiguration.load(config: config, root: root, layered: layered)
  }
}

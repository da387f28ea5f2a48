import ArgumentParser
import VigilKit

/// How the rule pack is chosen; shared by `scan` and `rules`.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A rules file (vigil or gitleaks TOML). Without it, .vigil.toml or .gitleaks.toml at the scan root is used if present, else the built-in rules.",
      valueName: "file"))
  var config: String?

  /// The pack and the loader's warnings, for a scan rooted at `root`.
  func loadPack(root: String) throws(ConfigError) -> (RulePack, [Diagnostic]) {
    try ConfigLoader.load(configPath: config ?? ConfigLoader.discover(in: root))
  }
}

import Foundation
import VigilGit
import VigilRules
import VigilSupport

/// The rule pack for a scan rooted at a directory: `--config` or the config found at the
/// root (else the built-in rules) and, for a layered scan, the `.vigil.toml` of every
/// subdirectory applied to its subtree. A config file inside the scanned tree may only
/// read files inside it. Warnings and errors come masked with the built-in rules: a
/// config from the scanned tree can quote a secret.
public enum ScanConfiguration {
  /// - Parameter fromIndex: find the nested configs in git's index (for a staged or
  ///   history scan) rather than by walking the tree: a hook on a large repository
  ///   cannot afford the walk.
  public static func load(config: String?, root: String, layered: Bool, fromIndex: Bool = false)
    throws(ConfigError) -> (RulePack, [Diagnostic])
  {
    do {
      let (pack, warnings) = try unmasked(config: config, root: root, layered: layered, fromIndex: fromIndex)
      return (try maskingRuleText(pack), warnings.map(SecretMasker.builtIn.mask))
    } catch {
      throw ConfigError(problems: error.problems.map(SecretMasker.builtIn.mask))
    }
  }

  /// The pack with secrets masked in the text of the rules a configuration wrote (a
  /// description every finding of the rule quotes, in every format; its remediation,
  /// tags and CWE): a config from the scanned tree may hold one. A rule id that holds one
  /// is an error: an id names the rule in every report and suppression, and two masked
  /// ids could be one. The built-in rules' text is vigil's own.
  static func maskingRuleText(_ pack: RulePack) throws(ConfigError) -> RulePack {
    let builtIn = Dictionary(
      ((try? DefaultRulePack.load().0.rules) ?? []).map { ($0.id, $0) },
      uniquingKeysWith: { first, _ in first })
    let masker = SecretMasker.builtIn
    var pack = pack
    var problems: [Diagnostic] = []
    pack.rules = pack.rules.map { rule in
      if let known = builtIn[rule.id], known.description == rule.description,
        known.remediation == rule.remediation, known.tags == rule.tags, known.cwe == rule.cwe
      {
        return rule
      }
      let shortID = cut(rule.id, 200)
      let id = masker.mask(shortID)
      if id != shortID {
        problems.append(
          Diagnostic(
            .error, "rule id '\(id)' holds what looks like a secret: name the rule otherwise",
            file: rule.source))
      }
      let description = masker.mask(cut(rule.description, 2_000))
      let remediation = rule.remediation.map { masker.mask(cut($0, 2_000)) }
      let cwe = masker.mask(cut(rule.cwe, 200))
      let tags = rule.tags.prefix(100).map { masker.mask(cut($0, 200)) }
      guard
        description != rule.description || remediation != rule.remediation || cwe != rule.cwe
          || tags != rule.tags
      else { return rule }
      return rule.with(description: description, remediation: .some(remediation), cwe: cwe, tags: tags)
    }
    if !problems.isEmpty { throw ConfigError(problems: problems) }
    return pack
  }

  /// At most `limit` code points of a rule's text: a report shows a description, not
  /// megabytes of one (which would also cost its masking time).
  private static func cut(_ text: String, _ limit: Int) -> String {
    guard text.unicodeScalars.count > limit else { return text }
    var kept = String.UnicodeScalarView()
    kept.append(contentsOf: text.unicodeScalars.prefix(limit))
    return String(kept) + "…"
  }

  static func unmasked(config: String?, root: String, layered: Bool, fromIndex: Bool = false)
    throws(ConfigError)
    -> (RulePack, [Diagnostic])
  {
    // The nested configs are looked for (git's index, or a walk) while the root config
    // loads, which waits for the built-in rules.
    let nested =
      layered
      ? Prepared { fromIndex ? trackedConfigDirectories(root: root) : nestedConfigDirectories(root: root) }
      : nil
    let confinement = ConfigConfinement(root: root)
    let path = config ?? ConfigLoader.discover(in: root)
    var (pack, warnings) = try ConfigLoader.load(
      configPath: path, confinement: path.flatMap { confinement?.governing($0) })
    guard let nested else { return (pack, warnings) }
    for prefix in nested.value {
      // The prefix is the directory as findings show it; the file is opened by its name's
      // bytes. A name that is not UTF-8 cannot be opened through this path: said, and the
      // scan goes on under the configs above it.
      guard let directory = String(validating: PathText.bytes(display: prefix), as: UTF8.self) else {
        warnings.append(
          Diagnostic(
            .warning, "a nested config in a directory whose name is not UTF-8 was not read",
            file: prefix + ".vigil.toml"))
        continue
      }
      warnings += try ConfigLoader.addLayer(
        path: (root as NSString).appendingPathComponent(directory + ".vigil.toml"), prefix: prefix, to: &pack,
        confinement: confinement)
    }
    return (pack, warnings)
  }

  /// The subdirectories of `root` (relative, with a trailing `/`) that hold a
  /// `.vigil.toml`, skipping ignored directories: a walk that reads directories only,
  /// with git's ignore rules (and, in a repository, tracked files that they list).
  /// Not `git ls-files --others`: git opens every `.gitignore` with a blocking read,
  /// and the walk skips one that is a FIFO.
  static func nestedConfigDirectories(root: String) -> [String] {
    directories(holding: walkedConfigs(root: root))
  }

  /// The subdirectories whose `.vigil.toml` git's index holds (staged or committed);
  /// the walk when `root` is not in a repository git can read.
  static func trackedConfigDirectories(root: String) -> [String] {
    let git = GitCommand(repository: root)
    guard git.location != nil,
      let listed = try? git.run(["ls-files", "-z", "--cached", "--", ":(glob)**/.vigil.toml"])
    else { return nestedConfigDirectories(root: root) }
    return directories(holding: listed.split(separator: 0).map { PathText.display($0) })
  }

  private static func directories(holding files: [String]) -> [String] {
    files.filter { $0.hasSuffix("/.vigil.toml") }.map { String($0.dropLast(".vigil.toml".count)) }.sorted()
  }

  private static func walkedConfigs(root: String) -> [String] {
    let root = PathText.absolute(root, from: FileManager.default.currentDirectoryPath)
    let files =
      (try? Scanner(pack: RulePack(), options: ScanOptions(paths: [root], jobs: 2)).findFiles(
        named: ".vigil.toml"))
      ?? []
    return files
  }

}

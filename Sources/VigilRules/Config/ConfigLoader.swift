import Digest
import Foundation
import VigilDetect
import VigilModel
import VigilSupport

/// Builds the rule pack for a scan from the default pack and the user's configuration.
///
/// A config file is a gitleaks config or vigil's superset of it. As in gitleaks, a
/// config replaces the default rules unless it says `[extend] useDefault = true`; a rule
/// whose id matches a default rule replaces it, and `disabledRules` removes rules.
public enum ConfigLoader {
  /// Names looked for at the scan root when no `--config` is given, in order.
  public static let discoveredNames = [".vigil.toml", ".gitleaks.toml"]
  /// How deep `[extend] path` chains may go before vigil suspects a cycle.
  static let maxExtendDepth = 8

  /// The config file at `root`, if any.
  public static func discover(in root: String) -> String? {
    for name in discoveredNames {
      let path = root.hasSuffix("/") ? root + name : root + "/" + name
      if FileManager.default.fileExists(atPath: path) { return path }
    }
    return nil
  }

  /// The pack for `configPath`, or the default pack when it is `nil`. With
  /// `confinement`, the file and every file it extends must be in the scanned tree.
  public static func load(configPath: String?, confinement: ConfigConfinement? = nil) throws(ConfigError)
    -> (RulePack, [Diagnostic])
  {
    guard let configPath else { return try DefaultRulePack.load() }
    var (pack, problems) = try load(path: configPath, depth: 0, confinement: confinement)
    pack.configFile = configPath
    if !pack.includesBuiltInRules {
      problems.append(
        Diagnostic(
          .warning,
          "this config replaces the built-in rules with its own \(pack.rules.count) rule\(pack.rules.count == 1 ? "" : "s")"
            + "; add [extend] useDefault = true to keep them",
          file: configPath))
    }
    return (pack, problems)
  }

  static func load(
    path: String, depth: Int, confinement: ConfigConfinement?, extendedFrom parent: String? = nil
  )
    throws(ConfigError) -> (RulePack, [Diagnostic])
  {
    try confinement?.check(path, parent == nil ? "the config file" : "[extend] path", file: parent)
    guard depth < maxExtendDepth else {
      throw ConfigError(problems: [
        Diagnostic(
          .error, "[extend] path chains more than \(maxExtendDepth) files deep; is there a cycle?", file: path
        )
      ])
    }
    let text = try readText(path)
    let (file, fileProblems) = RuleLoader(strict: false).parse(text: text, file: path)
    var problems = fileProblems
    problems += DefaultRulePack.duplicateIDProblems(file.rules)
    var base = RulePack()
    if let extend = file.extend {
      do {
        if extend.useDefault {
          let (defaults, warnings) = try DefaultRulePack.load()
          base = defaults
          problems += warnings
        }
        if let extendPath = extend.path {
          let resolved =
            extendPath.hasPrefix("/")
            ? extendPath
            : (path as NSString).deletingLastPathComponent + "/" + extendPath
          let (extended, warnings) = try load(
            path: resolved, depth: depth + 1, confinement: confinement, extendedFrom: path)
          base = merge(base, extended)
          problems += warnings
        }
      } catch {
        problems += error.problems
      }
      for id in extend.disabledRules where base.rule(withID: id) == nil {
        problems.append(
          Diagnostic(.warning, "disabledRules names '\(id)', which no extended pack has", file: path))
      }
      base.rules.removeAll { extend.disabledRules.contains($0.id) }
    }
    // A file that does not parse has no rules to speak of: its syntax error says all.
    if file.rules.isEmpty && file.extend == nil && !problems.contains(where: { $0.level == .error }) {
      // Likely a config written for settings alone (`title = "x"`, `[scan] exclude`):
      // taken as is, it would replace the built-in rules with none and pass everything.
      problems.append(
        Diagnostic(
          .error,
          "the config has no rules and does not extend any: it would turn every rule off. Add [extend] useDefault = true to build on the built-in rules, or rules of your own",
          file: path))
    }
    var pack = merge(base, RulePack(rules: file.rules, allowlists: file.allowlists))
    pack.sources = base.sources + [SHA256.hex((path + "\u{0}" + text).utf8)]
    problems += DefaultRulePack.requirementProblems(pack.rules)
    apply(file, to: &pack, path: path, problems: &problems)
    // A requirement whose rule the file then disabled: the rule can report nothing.
    for rule in pack.rules {
      for requirement in rule.required where pack.rule(withID: requirement.ruleID) == nil {
        problems.append(
          Diagnostic(
            .warning, "requires '\(requirement.ruleID)', which is disabled: it reports nothing", file: path,
            ruleID: rule.id))
      }
    }
    for allowlist in file.allowlists {
      for id in allowlist.targetRules ?? [] where pack.rule(withID: id) == nil {
        problems.append(
          Diagnostic(
            .warning, "an allowlist's targetRules names '\(id)', which no rule has: it applies to none",
            file: path))
      }
    }
    if problems.contains(where: { $0.level == .error }) { throw ConfigError(problems: problems) }
    return (pack, problems)
  }

  /// The file's scan settings, disabled rules and severity overrides, on top of what
  /// it extends.
  static func apply(_ file: RuleFile, to pack: inout RulePack, path: String, problems: inout [Diagnostic]) {
    if !file.settings.exclude.isEmpty { pack.settings.exclude += file.settings.exclude }
    if let size = file.settings.maxFileSize { pack.settings.maxFileSize = size }
    if let level = file.settings.failOn { pack.settings.failOn = level }
    for id in file.disabledRules where pack.rule(withID: id) == nil {
      problems.append(Diagnostic(.warning, "scan.disabledRules names '\(id)', which no rule has", file: path))
    }
    pack.rules.removeAll { file.disabledRules.contains($0.id) }
    for (id, severity) in file.severityOverrides {
      guard let index = pack.rules.firstIndex(where: { $0.id == id }) else {
        problems.append(Diagnostic(.warning, "severity override for '\(id)', which no rule has", file: path))
        continue
      }
      pack.rules[index] = pack.rules[index].with(severity: severity)
    }
  }

  /// Adds the `.vigil.toml` of subdirectory `prefix` (`dir/`, relative to the scan root)
  /// to `pack` for that subtree: its new rules and allowlists, scoped to it, and a layer
  /// with its disabled rules, severity overrides and excludes.
  ///
  /// A nested file cannot redefine a rule of the root pack (its id would name two rules
  /// in one report): it is told to disable the rule and add one under a new id.
  public static func addLayer(
    path: String, prefix: String, to pack: inout RulePack, confinement: ConfigConfinement? = nil
  ) throws(ConfigError) -> [Diagnostic] {
    try confinement?.check(path, "the config file")
    let text = try readText(path)
    pack.sources.append(SHA256.hex((prefix + "\u{0}" + text).utf8))
    let (file, fileProblems) = RuleLoader(strict: false).parse(text: text, file: path)
    var problems = fileProblems + DefaultRulePack.duplicateIDProblems(file.rules)
    if file.extend != nil {
      problems.append(
        Diagnostic(
          .warning, "[extend] is ignored in a nested config: it always builds on the root one", file: path))
    }
    // Settings of the whole scan are the root config's (and the command line's).
    for (key, set) in [
      ("maxFileSize", file.settings.maxFileSize != nil), ("failOn", file.settings.failOn != nil),
    ]
    where set {
      problems.append(
        Diagnostic(
          .warning,
          "[scan] \(key) is ignored in a nested config: it is a setting of the whole scan, the root config's",
          file: path))
    }
    // Rules' path patterns meet a name's bytes (a directory shown `d\\x41` is named
    // `d\x41`; one shown `cafe\xCC\x81` holds the bytes CC 81): the prefix as bytes,
    // each one past a letter, digit or `/_-` as `\xNN`.
    let escaped = PathText.bytes(display: prefix).map { byte -> String in
      let plain =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || [0x2F, 0x5F, 0x2D].contains(byte)
      let hex = String(byte, radix: 16, uppercase: true)
      return plain ? String(UnicodeScalar(byte)) : "\\x" + (hex.count < 2 ? "0" + hex : hex)
    }.joined()
    for rule in file.rules {
      if pack.rule(withID: rule.id) != nil {
        problems.append(
          Diagnostic(
            .error,
            "a nested config cannot redefine a rule; disable it in [scan] disabledRules and add yours under a new id",
            file: path, ruleID: rule.id))
        continue
      }
      let scoped = rule.path.map { "^(?=\(escaped))(?=[\\s\\S]*?(?:\($0)))" } ?? "^\(escaped)"
      if case .failure(let error) = PatternError.captureCount(of: scoped) {
        problems.append(
          Diagnostic(
            .error, "cannot scope the rule to \(prefix): \(error.message)", file: path, ruleID: rule.id))
      } else {
        pack.rules.append(rule.with(path: scoped))
      }
    }
    pack.allowlists += file.allowlists.map { allowlist in
      var scopedList = allowlist
      scopedList.scope = prefix
      return scopedList
    }
    pack.layers.append(
      ConfigLayer(
        prefix: prefix, disabledRules: Set(file.disabledRules),
        severity: Dictionary(file.severityOverrides.map { ($0.id, $0.severity) }, uniquingKeysWith: { $1 }),
        exclude: file.settings.exclude))
    if problems.contains(where: { $0.level == .error }) { throw ConfigError(problems: problems) }
    return problems
  }

  /// A config file's text (or an ignore file's, a baseline's: `what`), or the error that
  /// names it; `hint` follows the reason.
  public static func readText(_ path: String, what: String = "the config file", hint: String = "")
    throws(ConfigError) -> String
  {
    // Foundation says "You don't have permission" for a FIFO or a device: say what it is.
    var info = stat()
    guard stat(path, &info) == 0 else {
      // Foundation's own words for a missing file or a path through a file are its error
      // codes ("NSCocoaErrorDomain error 256"): the system's are clearer.
      throw ConfigError(problems: [
        Diagnostic(.error, "cannot read \(what): \(String(cString: strerror(errno)))\(hint)", file: path)
      ])
    }
    if info.st_mode & S_IFMT != S_IFREG {
      let kind =
        info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file (a FIFO, a socket or a device)"
      throw ConfigError(problems: [
        Diagnostic(.error, "cannot read \(what): it is \(kind)\(hint)", file: path)
      ])
    }
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(problems: [
        Diagnostic(.error, "cannot read \(what) (\(error.localizedDescription))\(hint)", file: path)
      ])
    }
  }

  /// `overlay`'s rules replace same-id rules of `base` in place; new ones are appended.
  static func merge(_ base: RulePack, _ overlay: RulePack) -> RulePack {
    var merged = base
    for rule in overlay.rules {
      if let index = merged.rules.firstIndex(where: { $0.id == rule.id }) {
        merged.rules[index] = rule
      } else {
        merged.rules.append(rule)
      }
    }
    merged.allowlists += overlay.allowlists
    merged.sources += overlay.sources
    merged.includesBuiltInRules = base.includesBuiltInRules || overlay.includesBuiltInRules
    merged.settings.exclude += overlay.settings.exclude
    merged.settings.maxFileSize = overlay.settings.maxFileSize ?? merged.settings.maxFileSize
    merged.settings.failOn = overlay.settings.failOn ?? merged.settings.failOn
    return merged
  }
}

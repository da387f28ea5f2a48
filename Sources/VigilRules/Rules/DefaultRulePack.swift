import Digest
import VigilModel

/// vigil's own rules, compiled into the binary so that a copied executable keeps them.
///
/// The TOML under `Rules/` is the source; `bash Scripts/regenerate-rules.sh` copies it
/// into `DefaultRulePack+Embedded.swift` (and regenerates `Documentation/Rules.md`),
/// and a test fails when either is stale.
public enum DefaultRulePack {
  /// Loads and validates the embedded pack strictly: every rule needs a category, a
  /// severity and examples of both kinds. Parsed once per process (a scan wants it
  /// for its rules and again for masking its messages; parsing is a third of startup).
  public static func load() throws(ConfigError) -> (RulePack, [Diagnostic]) {
    try loaded.get()
  }

  private static let loaded = Result { () throws(ConfigError) in try load(files: embeddedFiles, strict: true)
  }

  /// Loads a set of rule files as one pack; rule ids must be unique across them.
  static func load(files: [(path: String, text: String)], strict: Bool) throws(ConfigError)
    -> (RulePack, [Diagnostic])
  {
    var pack = RulePack()
    var problems: [Diagnostic] = []
    for file in files {
      let (parsed, fileProblems) = RuleLoader(strict: strict).parse(text: file.text, file: file.path)
      problems += fileProblems
      pack.rules += parsed.rules
      pack.allowlists += parsed.allowlists
    }
    problems += duplicateIDProblems(pack.rules) + requirementProblems(pack.rules)
    pack.sources = [SHA256.hex(files.map { $0.path + "\u{0}" + $0.text + "\u{0}" }.joined().utf8)]
    if problems.contains(where: { $0.level == .error }) { throw ConfigError(problems: problems) }
    return (pack, problems)
  }

  /// Requirements that name no rule of the pack, or the rule itself.
  static func requirementProblems(_ rules: [Rule]) -> [Diagnostic] {
    let ids = Set(rules.map(\.id))
    return rules.flatMap { rule in
      rule.required.compactMap { requirement -> Diagnostic? in
        if requirement.ruleID == rule.id {
          return Diagnostic(.error, "a rule cannot require itself", file: rule.source, ruleID: rule.id)
        }
        guard !ids.contains(requirement.ruleID) else { return nil }
        return Diagnostic(
          .error, "requires the rule '\(requirement.ruleID)', which is not loaded", file: rule.source,
          ruleID: rule.id)
      }
    }
  }

  static func duplicateIDProblems(_ rules: [Rule]) -> [Diagnostic] {
    var seen: [String: Rule] = [:]
    var problems: [Diagnostic] = []
    for rule in rules {
      if let first = seen[rule.id] {
        problems.append(
          Diagnostic(
            .error, "the id is used twice (first in \(first.source)); rule ids must be unique",
            file: rule.source, ruleID: rule.id))
      } else {
        seen[rule.id] = rule
      }
    }
    return problems
  }
}

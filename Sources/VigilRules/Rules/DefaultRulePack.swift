import Digest
import Foundation
import VigilModel

/// vigil's own rules, compiled into the binary so that a copied executable keeps them.
///
/// The TOML under `Rules/` is the source. `bash Scripts/regenerate-rules.sh` loads it
/// strictly (every rule needs a category, a severity and examples of both kinds) and
/// writes the loaded rules into `DefaultRulePack+Embedded.swift` as JSON, one rule per
/// line (and regenerates `Documentation/Rules.md`); a test fails when either is stale.
/// Decoding that JSON takes a millisecond where parsing the TOML took most of startup.
public enum DefaultRulePack {
  /// The built-in pack. Decoded once per process (a scan wants it for its rules and
  /// again for masking its messages).
  public static func load() throws(ConfigError) -> (RulePack, [Diagnostic]) {
    try loaded.get()
  }

  /// The built-in rules' examples by rule id. They are kept apart from the rules
  /// (`embeddedExamplesJSON`): a scan never reads them, and decoding them took a fifth of
  /// vigil's start; `vigil rules test` and `explain` do, through `examples(of:)`.
  private static let builtInExamples: [String: RuleExamples] =
    (try? JSONDecoder().decode([String: RuleExamples].self, from: Data(embeddedExamplesJSON.utf8))) ?? [:]

  /// A rule's examples: its own, or, for a built-in rule (loaded without them), the
  /// built-in rule's.
  public static func examples(of rule: Rule) -> RuleExamples {
    guard rule.examples == RuleExamples(), let pack = try? load().0,
      pack.rule(withID: rule.id)?.source == rule.source
    else { return rule.examples }
    return builtInExamples[rule.id] ?? rule.examples
  }

  private static let loaded = Result { () throws(ConfigError) -> (RulePack, [Diagnostic]) in
    do {
      let embedded = try JSONDecoder().decode(Embedded.self, from: Data(embeddedJSON.utf8))
      var pack = RulePack(rules: embedded.rules, allowlists: embedded.allowlists)
      pack.sources = [embedded.digest]
      pack.includesBuiltInRules = true
      return (pack, [])
    } catch {
      throw ConfigError(problems: [
        Diagnostic(.error, "the built-in rules do not decode (\(error)); rebuild vigil", file: "Rules/")
      ])
    }
  }

  /// What the generator writes: the digest of the TOML it read (a scan cache's key), the
  /// global allowlists and the rules.
  struct Embedded: Codable {
    var digest: String
    var allowlists: [Allowlist]
    var rules: [Rule]
  }

  /// The JSON `embeddedJSON` holds for these rule files, loaded strictly: one rule per
  /// line, keys sorted, so that a change to one rule is a change to one line. Any
  /// problem, even a warning, is an error here: vigil's own rules have none.
  /// With `examples`, the rules' examples instead: an object from rule id to examples
  /// (`embeddedExamplesJSON`), one rule per line; the rules' JSON holds none.
  package static func generatedJSON(files: [(path: String, text: String)], examples: Bool = false)
    throws(ConfigError) -> String
  {
    let (pack, problems) = try load(files: files, strict: true)
    if !problems.isEmpty { throw ConfigError(problems: problems) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    func json(_ value: some Encodable) throws -> String {
      String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    do {
      if examples {
        let lines = try pack.rules.map { "  " + (try json($0.id)) + ": " + (try json($0.examples)) }
        return "{\n" + lines.joined(separator: ",\n") + "\n}"
      }
      let rules = try pack.rules.map { "    " + (try json($0.with(examples: RuleExamples()))) }
        .joined(separator: ",\n")
      return """
        {
          "digest": \(try json(pack.sources.first ?? "")),
          "allowlists": \(try json(pack.allowlists)),
          "rules": [
        \(rules)
          ]
        }
        """
    } catch {
      throw ConfigError(problems: [Diagnostic(.error, "the rules do not encode: \(error)", file: "Rules/")])
    }
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

import ArgumentParser
import VigilKit

/// `vigil rules`: what the loaded pack holds.
struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List, explain or test the loaded rules.",
    subcommands: [List.self, Explain.self, Test.self],
    defaultSubcommand: List.self)

  /// `vigil rules [list]`: one line per rule, or the whole pack as Markdown.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the loaded rules: id, category, severity and description.")

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Print the rules as Markdown (what Documentation/Rules.md holds).")
    var markdown = false

    func run() throws {
      let (pack, warnings) = try rules.loadPack(root: ".")
      for warning in warnings { Console.error(warning.description) }
      if markdown {
        // Rule text from a config file the scanned repository may have written: escaped.
        try Console.output(TerminalText.escapedLines(RuleDocumentation.markdown(pack.rules)))
        return
      }
      let width = pack.rules.map(\.id.count).max() ?? 0
      for rule in pack.rules {
        let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
        let category = rule.category.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        try Console.output(
          "\(TerminalText.escaped(id))  \(category)  \(severity)  \(TerminalText.escaped(rule.description))\n"
        )
      }
      Console.error("vigil: \(pack.configSummary)")
    }
  }

  /// `vigil rules explain ID`: what a rule finds, why it matters and how to fix it.
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Explain one rule: what it finds, why it matters, how to fix it.")

    @Argument(help: "The rule id, as `vigil rules` lists it.")
    var id: String

    @OptionGroup var rules: RuleOptions

    func run() throws {
      let (pack, _) = try rules.loadPack(root: ".")
      guard let rule = pack.rule(withID: id) else {
        throw VigilFailure(message: "no rule has the id '\(id)'; `vigil rules` lists them")
      }
      try Console.output(TerminalText.escapedLines(RuleDocumentation.explanation(rule)))
    }
  }

  /// `vigil rules test`: every rule's own examples through the detector.
  struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Check each rule's examples: match examples report the spans they mark, noMatch examples nothing.",
      discussion: """
        For rule authors: `vigil rules test --config my-rules.toml` runs the examples of \
        the rules in that file (without --config, the built-in rules). A match example \
        marks each secret «like this»; it is also tried after multi-byte text, after \
        invalid UTF-8 and inside a CRLF file, and at the rule's matchPaths and \
        noMatchPaths. A rule without examples fails. Exit 0 when every example holds, \
        1 when one fails, 2 when the rules do not load.
        """)

    @OptionGroup var rules: RuleOptions

    @Option(
      name: .customLong("rule"), help: ArgumentHelp("Check only this rule (repeatable).", valueName: "id"))
    var ids: [String] = []

    func run() throws {
      let (pack, warnings) = try rules.loadPack(root: ".")
      for warning in warnings { Console.error(warning.description) }
      for id in ids where pack.rule(withID: id) == nil {
        throw VigilFailure(message: "no rule has the id '\(id)'; `vigil rules` lists them")
      }
      let report = try RuleExamplesCheck.run(pack: pack, ruleIDs: ids.isEmpty ? nil : Set(ids))
      for failure in report.failures {
        try Console.output(TerminalText.escapedLines("FAIL \(failure)") + "\n")
      }
      let failed = Set(report.failures.map(\.ruleID)).count
      try Console.output(
        "\(report.rules) rules, \(report.examples) examples: "
          + (failed == 0 ? "all hold\n" : "\(failed) rules with failing examples\n"))
      if failed > 0 { throw ExitCode(ExitStatus.findings) }
    }
  }
}

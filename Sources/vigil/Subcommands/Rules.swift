import ArgumentParser
import VigilKit

/// `vigil rules`: what the loaded pack holds.
struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List or explain the loaded rules.",
    subcommands: [List.self, Explain.self],
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
        try Console.output(RuleDocumentation.markdown(pack.rules))
        return
      }
      let width = pack.rules.map(\.id.count).max() ?? 0
      for rule in pack.rules {
        let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
        let category = rule.category.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        try Console.output("\(id)  \(category)  \(severity)  \(rule.description)\n")
      }
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
      try Console.output(RuleDocumentation.explanation(rule))
    }
  }
}

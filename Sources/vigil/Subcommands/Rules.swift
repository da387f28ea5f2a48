import ArgumentParser
import VigilKit

/// `vigil rules`: what the loaded pack holds.
struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the loaded rules: id, category, severity and description.")

  @OptionGroup var rules: RuleOptions

  func run() throws {
    let (pack, warnings) = try rules.loadPack(root: ".")
    for warning in warnings { Console.error(warning.description) }
    let width = pack.rules.map(\.id.count).max() ?? 0
    for rule in pack.rules {
      let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
      let category = rule.category.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
      let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
      print("\(id)  \(category)  \(severity)  \(rule.description)")
    }
  }
}

import ArgumentParser
import Foundation
import VigilKit

/// `vigil eval DIR`: precision, recall and F1 per category on a labelled corpus.
struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan a labelled corpus and print precision, recall and F1 per category.",
    discussion: """
      DIR/labels.json lists the findings the corpus should produce: \
      {"findings": [{"path": "src/a.py", "line": 3, "category": "secret"}, ...]}. \
      Benchmarks/generate-eval-corpus.py writes such a corpus. Exit status 1 when any \
      category's F1 is below --min-f1.
      """)

  @Argument(help: "The corpus directory.")
  var directory: String

  @Option(help: ArgumentHelp("The labels file (default: DIR/labels.json).", valueName: "file"))
  var labels: String?

  @Option(help: "Fail (exit 1) when a category's F1 is below this.")
  var minF1: Double = 0

  @Flag(help: "List every false positive and false negative.")
  var verbose = false

  @OptionGroup var rules: RuleOptions

  func run() throws {
    let labelsPath = labels ?? directory + "/labels.json"
    let decoded: Evaluation.Labels
    let text = try ConfigLoader.readText(labelsPath, what: "the labels")
    do {
      decoded = try JSONDecoder().decode(Evaluation.Labels.self, from: Data(text.utf8))
    } catch {
      // The decoder's own account names the field and what it expected.
      throw VigilFailure(message: "\(labelsPath): the labels are not a labels document: \(error)")
    }
    var request = ScanRequest(input: .paths([directory]))
    request.config = rules.config
    request.useIgnoreFiles = false
    let result = try ScanSession(request).run().result
    let evaluation = Evaluation(
      findings: result.findings.filter { $0.path != "labels.json" }, labels: decoded.findings)
    try Console.output(evaluation.table)
    if verbose {
      for finding in evaluation.falsePositives {
        try Console.output(
          "FP \(finding.path):\(finding.start.line) [\(finding.ruleID)] \(finding.snippet)\n")
      }
      for label in evaluation.falseNegatives {
        try Console.output("FN \(label.path):\(label.line) \(label.category)\n")
      }
    }
    if RuleCategory.allCases.contains(where: { (evaluation.scores[$0]?.f1 ?? 1) < minF1 }) {
      throw ExitCode(ExitStatus.findings)
    }
  }
}

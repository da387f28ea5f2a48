import Foundation

/// Precision, recall and F1 of a scan against a labelled corpus, per category.
///
/// A label says "a finding of this category belongs at this path and line". A finding
/// matches a label with the same path and category whose line lies within the
/// finding's lines; each label is matched at most once, and several findings on one
/// labelled line count once (one leak reported by two rules is still one leak found).
public struct Evaluation: Sendable {
  public struct Label: Codable, Sendable, Hashable {
    public var path: String
    public var line: Int
    public var category: String
  }

  public struct Labels: Codable, Sendable {
    public var findings: [Label]
  }

  public struct Score: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public var precision: Double {
      truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double {
      truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double {
      precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
  }

  public var scores: [RuleCategory: Score] = [:]
  /// Findings no label explains, and labels no finding matched: what to look at.
  public var falsePositives: [Finding] = []
  public var falseNegatives: [Label] = []

  public init(findings: [Finding], labels: [Label]) {
    var unmatched = Set(labels)
    var matchedKeys = Set<String>()
    for finding in findings {
      let candidates = labels.filter {
        $0.path == finding.path && $0.category == finding.category.rawValue
          && (finding.start.line...max(finding.start.line, finding.end.line)).contains($0.line)
      }
      if let label = candidates.first {
        unmatched.remove(label)
        let key = "\(label.path)\u{0}\(label.line)\u{0}\(label.category)"
        if matchedKeys.insert(key).inserted { scores[finding.category, default: Score()].truePositives += 1 }
      } else {
        scores[finding.category, default: Score()].falsePositives += 1
        falsePositives.append(finding)
      }
    }
    for label in unmatched {
      if let category = RuleCategory(rawValue: label.category) {
        scores[category, default: Score()].falseNegatives += 1
      }
    }
    falseNegatives = unmatched.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
  }

  /// A table: category, TP, FP, FN, precision, recall, F1.
  public var table: String {
    var text = "category        TP    FP    FN  precision  recall     F1\n"
    for category in RuleCategory.allCases {
      let score = scores[category] ?? Score()
      let name = category.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
      text +=
        name
        + String(
          format: "%5d %5d %5d  %9.3f  %6.3f  %5.3f\n", score.truePositives, score.falsePositives,
          score.falseNegatives, score.precision, score.recall, score.f1)
    }
    return text
  }
}

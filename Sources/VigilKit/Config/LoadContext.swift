/// Collects the problems found while loading one file, attributing each to the file,
/// the rule being read (if any) and, where it can be found, the line.
final class LoadContext {
  let file: String
  let lines: [Substring]
  private(set) var problems: [Diagnostic] = []
  /// Set while a rule is being read so that its problems name it.
  var ruleID: String?
  var ruleLine: Int?

  init(file: String, text: String) {
    self.file = file
    self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  var hasErrors: Bool { problems.contains { $0.level == .error } }

  func error(_ message: String) { add(.error, message) }
  func warning(_ message: String) { add(.warning, message) }

  func add(_ level: Diagnostic.Level, _ message: String, line: Int? = nil) {
    problems.append(
      Diagnostic(level, message, file: file, line: line ?? ruleLine, ruleID: ruleID))
  }

  /// The 1-based line of `id = "ruleID"`: TOMLKit keeps no positions for values, and a
  /// line is what a user needs to find the rule.
  func line(ofRuleID id: String) -> Int? {
    for (index, line) in lines.enumerated() {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("id") else { continue }
      let rest = trimmed.dropFirst(2).drop { $0 == " " || $0 == "\t" }
      guard rest.hasPrefix("=") else { continue }
      let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      if value.hasPrefix("\"\(id)\"") || value.hasPrefix("'\(id)'") { return index + 1 }
    }
    return nil
  }
}

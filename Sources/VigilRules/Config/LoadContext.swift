import VigilModel

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
    // Split as bytes: splitting by Characters was a tenth of vigil's startup.
    self.lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
      Substring($0)
    }
  }

  var hasErrors: Bool { problems.contains { $0.level == .error } }

  func error(_ message: String) { add(.error, message) }
  func warning(_ message: String) { add(.warning, message) }

  /// A problem with one key of the rule being read, reported on that key's line.
  func error(_ message: String, key: String) { add(.error, message, line: line(ofKeyInRule: key)) }
  func warning(_ message: String, key: String) { add(.warning, message, line: line(ofKeyInRule: key)) }

  /// The 1-based line where the rule being read assigns `key` (its own or its
  /// sub-tables', the first one), searched between the rule's `[[rules]]` header and
  /// the next; `nil` when the rule has no line or the key is not written on one.
  func line(ofKeyInRule key: String) -> Int? {
    guard let ruleLine, ruleLine >= 1, ruleLine <= lines.count else { return nil }
    func isRuleHeader(_ line: Substring) -> Bool {
      line.drop { $0 == " " || $0 == "\t" }.hasPrefix("[[rules]]")
    }
    var start = ruleLine - 1
    while start > 0 && !isRuleHeader(lines[start]) { start -= 1 }
    var index = start + 1
    while index < lines.count && !isRuleHeader(lines[index]) {
      let trimmed = lines[index].drop { $0 == " " || $0 == "\t" }
      if trimmed.hasPrefix(key),
        trimmed.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=")
      {
        return index + 1
      }
      index += 1
    }
    return nil
  }

  func add(_ level: Diagnostic.Level, _ message: String, line: Int? = nil) {
    problems.append(
      Diagnostic(level, message, file: file, line: line ?? ruleLine, ruleID: ruleID))
  }

  /// The 1-based line of `id = "ruleID"`: TOMLKit keeps no positions for values, and a
  /// line is what a user needs to find the rule.
  func line(ofRuleID id: String) -> Int? { line(ofKey: "id", value: id) }

  /// The 1-based line of the first `key = "value"` (or `'value'`). Each key's lines are
  /// indexed in one pass over the file the first time it is asked for, so that a file
  /// of many entries costs linear time, not a search of the file per entry.
  func line(ofKey key: String, value: String) -> Int? {
    guard !value.isEmpty else { return nil }
    if assignments[key] == nil {
      var found: [String: Int] = [:]
      for (index, line) in lines.enumerated() {
        if let value = Self.assignedValue(of: key, in: line), found[value] == nil { found[value] = index + 1 }
      }
      assignments[key] = found
    }
    return assignments[key]?[value]
  }

  private var assignments: [String: [String: Int]] = [:]

  /// `value` from a line `key = "value"` (leading blanks allowed, either quote).
  private static func assignedValue(of key: String, in line: Substring) -> String? {
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    guard trimmed.hasPrefix(key) else { return nil }
    let rest = trimmed.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
    guard rest.hasPrefix("=") else { return nil }
    let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
    guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
    let body = value.dropFirst()
    guard let close = body.firstIndex(of: quote) else { return nil }
    return String(body[..<close])
  }
}

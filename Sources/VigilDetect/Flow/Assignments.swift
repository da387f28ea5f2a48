import VigilSupport

/// Where each name of a file was last assigned, and what: for rules whose match is a
/// name that must have been assigned a value of a kind (`assignedFrom`), such as a
/// variable holding the request's Origin header later echoed in a CORS header.
struct Assignments {
  /// By name, each assignment's statement start and the byte span of what it assigned,
  /// in file order.
  private var byName: [String: [(start: Int, value: Range<Int>)]] = [:]

  init(tokens: CodeTokens, bytes: UnsafeBufferPointer<UInt8>) {
    for statement in tokens.statements {
      guard let (target, op) = tokens.assignment(in: statement, bytes: bytes), op + 1 < statement.upperBound
      else {
        continue
      }
      let name = String(decoding: bytes[tokens.tokens[target].range], as: UTF8.self)
      let value = tokens.span((op + 1)..<statement.upperBound)
      byName[name, default: []].append((tokens.span(statement).lowerBound, value))
    }
  }

  /// What `name` was last assigned in a statement starting before `offset`.
  func value(of name: String, before offset: Int) -> Range<Int>? {
    guard let assignments = byName[name] ?? (name.hasPrefix("$") ? nil : byName["$" + name]) else {
      return nil
    }
    let after = assignments.partitioningIndex { $0.start >= offset }
    return after == 0 ? nil : assignments[after - 1].value
  }
}

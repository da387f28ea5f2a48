import VigilModel

/// A configuration or rule pack that cannot be used, with every problem found in it.
///
/// Loading does not stop at the first problem: a user fixing a rule file wants the whole
/// list at once. `problems` holds the errors and the warnings, in file order.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
  public var problems: [Diagnostic]

  public init(problems: [Diagnostic]) { self.problems = problems }

  public var errors: [Diagnostic] { problems.filter { $0.level == .error } }

  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

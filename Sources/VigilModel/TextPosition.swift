/// A position in a file as people and SARIF count: 1-based line and column, the column
/// in Unicode code points (SARIF's default `columnKind`).
public struct TextPosition: Sendable, Equatable, Comparable {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}

/// One match: byte ranges into the searched buffer.
///
/// Offsets are 0-based byte offsets into the buffer that was searched, never
/// `String.Index`: the buffer may hold invalid UTF-8.
public struct Match: Equatable, Sendable {
  /// The whole match.
  public let range: Range<Int>
  /// Capture groups 1...n; `nil` for a group that did not take part in the match.
  public let groups: [Range<Int>?]

  public init(range: Range<Int>, groups: [Range<Int>?]) {
    self.range = range
    self.groups = groups
  }

  /// Group `index`, where 0 is the whole match.
  public func group(_ index: Int) -> Range<Int>? {
    if index == 0 { return range }
    guard index - 1 < groups.count else { return nil }
    return groups[index - 1]
  }
}

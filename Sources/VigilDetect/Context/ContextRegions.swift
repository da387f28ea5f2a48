import VigilModel
import VigilSupport

/// The byte ranges of a file that are comments, strings or test code.
///
/// Computed once per file, and only for files where a rule that cares has a candidate
/// match; ranges are sorted and do not overlap within one kind.
public struct ContextRegions: Sendable, Equatable {
  public var comments: [Range<Int>] = []
  public var strings: [Range<Int>] = []
  public var tests: [Range<Int>] = []
  /// The whole file is test code (by its path).
  public var wholeFileIsTest = false

  public init() {}

  public func contains(_ offset: Int, in context: CodeContext) -> Bool {
    switch context {
    case .test: wholeFileIsTest || Self.find(offset, in: tests)
    case .comment: Self.find(offset, in: comments)
    case .string: Self.find(offset, in: strings)
    }
  }

  private static func find(_ offset: Int, in ranges: [Range<Int>]) -> Bool {
    let first = ranges.partitioningIndex { $0.upperBound > offset }
    return first < ranges.count && ranges[first].contains(offset)
  }
}

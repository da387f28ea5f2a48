import VigilSupport

/// Ranges asked whether any of them overlaps a given range, in logarithmic time: sorted
/// by start, with the furthest end reached so far at each. A file of a hundred thousand
/// matches asks this once per match.
struct SortedRanges {
  private let starts: [Int]
  private let furthestEnd: [Int]

  init(_ ranges: some Sequence<Range<Int>>) {
    let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
    starts = sorted.map(\.lowerBound)
    var furthest = Int.min
    furthestEnd = sorted.map { range in
      furthest = max(furthest, range.upperBound)
      return furthest
    }
  }

  var isEmpty: Bool { starts.isEmpty }

  /// Whether a range here shares a position with `range` (as `Range.overlaps`).
  func overlap(_ range: Range<Int>) -> Bool {
    guard !range.isEmpty else { return false }
    // The last range that starts before `range` ends; any that overlaps starts no later.
    let last = starts.partitioningIndex(where: { $0 >= range.upperBound }) - 1
    return last >= 0 && furthestEnd[last] > range.lowerBound
  }
}

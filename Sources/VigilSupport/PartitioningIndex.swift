extension RandomAccessCollection {
  /// The first index whose element satisfies `belongs`, in a collection where every
  /// element that does comes after every element that does not (a sorted array asked
  /// "at or past this offset?"); `endIndex` when none does. A binary search: O(log n).
  /// The name and meaning of swift-algorithms' method of the same name.
  @inlinable
  public func partitioningIndex(where belongs: (Element) throws -> Bool) rethrows -> Index {
    var low = startIndex
    var count = self.count
    while count > 0 {
      let half = count / 2
      let middle = index(low, offsetBy: half)
      if try belongs(self[middle]) {
        count = half
      } else {
        low = index(after: middle)
        count -= half + 1
      }
    }
    return low
  }
}

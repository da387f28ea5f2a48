import Testing

@testable import VigilKit

/// Inputs the fuzz targets in Fuzz/ found crashing or breaking an invariant, each kept
/// with the check that failed (Scripts/fuzz.sh runs the targets).
@Suite struct FuzzRegressionTests {
  /// FuzzRustLexer's invariant: regions lie in the file, sorted, never overlapping.
  private func expectWellFormed(_ regions: ContextRegions, count: Int) {
    for ranges in [regions.comments, regions.strings, regions.tests] {
      for (before, after) in zip(ranges, ranges.dropFirst()) { #expect(before.upperBound <= after.lowerBound) }
      #expect(ranges.allSatisfy { $0.upperBound <= count })
    }
  }

  /// A test attribute with no item before its block closed (`#[test] f}`) used to stay
  /// pending and mark the next item as test code, from inside the first test region.
  @Test func aDanglingTestAttributeMarksNothing() {
    let source = Array("#[cfg(test)]\nmod tests {\n    #[test]\n    f}\nfn main() { x.unwrap(); }\n".utf8)
    let regions = source.withUnsafeBufferPointer { RustLexer.regions($0) }
    expectWellFormed(regions, count: source.count)
    let main = source.count - 20
    #expect(!regions.contains(main, in: .test))
  }
}

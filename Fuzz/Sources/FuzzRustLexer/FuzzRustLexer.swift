@testable import VigilDetect

/// Random bytes as Rust source: the lexer must not crash, and its regions must lie in
/// the file, be sorted and not overlap within one kind (the binary search relies on it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRustLexer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let regions = RustLexer.regions(UnsafeBufferPointer(start: data, count: size))
  for ranges in [regions.comments, regions.strings, regions.tests] {
    var previousEnd = 0
    for range in ranges {
      precondition(range.lowerBound >= previousEnd, "regions overlap or are out of order")
      precondition(range.upperBound <= size, "a region past the end of the file")
      previousEnd = range.upperBound
    }
  }
  return 0
}

@testable import VigilDetect

/// Random bytes as source code of one lexed language (the first byte picks it): the
/// lexer must not crash, and its regions must lie in the file, be sorted and not overlap
/// within one kind (the binary search relies on it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLexers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let languages = LexerRegistry.languages
  let language = languages[Int(data[0]) % languages.count]
  let source = UnsafeBufferPointer(start: data + 1, count: size - 1)
  let regions = language.lex(source)
  for ranges in [regions.comments, regions.strings, regions.tests] {
    var previousEnd = 0
    for range in ranges {
      precondition(range.lowerBound >= previousEnd, "\(language.name): regions overlap or are out of order")
      precondition(range.upperBound <= source.count, "\(language.name): a region past the end of the file")
      previousEnd = range.upperBound
    }
  }
  return 0
}

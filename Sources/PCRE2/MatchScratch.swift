import CPCRE2

/// The mutable state one thread needs to run matches: match data, a match context
/// carrying the match limit, and a JIT stack.
///
/// Not `Sendable` on purpose: PCRE2's match data and JIT stacks must not be shared
/// between threads. Each worker makes its own (the detector builds one per worker)
/// and can use it with every `Regex`.
public final class MatchScratch {
  /// Default limit on backtracking steps, well below PCRE2's own 10,000,000 so that
  /// a catastrophic pattern gives up in milliseconds rather than seconds.
  public static let defaultMatchLimit: UInt32 = 1_000_000

  let context: OpaquePointer
  let jitStack: OpaquePointer?
  private(set) var matchData: OpaquePointer
  private(set) var pairCapacity: Int

  /// - Parameter matchLimit: the most backtracking steps one match attempt may take.
  public init(matchLimit: UInt32 = MatchScratch.defaultMatchLimit) throws(PCRE2Error) {
    guard let context = pcre2_match_context_create_8(nil) else { throw .outOfMemory }
    guard let data = pcre2_match_data_create_8(16, nil) else {
      pcre2_match_context_free_8(context)
      throw .outOfMemory
    }
    pcre2_set_match_limit_8(context, matchLimit)
    pcre2_set_depth_limit_8(context, matchLimit)
    // A JIT stack larger than PCRE2's 32 KiB default lets deep (but bounded) patterns
    // succeed instead of failing with a stack-limit error on ordinary input: a lazy
    // repeat over a line takes stack in proportion to the line, and a minified bundle's
    // or a source map's line runs to hundreds of kilobytes. PCRE2 reserves the maximum as
    // address space and uses only what a match needs.
    let stack = pcre2_jit_stack_create_8(32 * 1024, 64 * 1024 * 1024, nil)
    if let stack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack)) }
    self.context = context
    self.jitStack = stack
    self.matchData = data
    self.pairCapacity = 16
  }

  /// Makes sure the match data can hold `pairs` offset pairs.
  func reserve(pairs: Int) throws(PCRE2Error) {
    guard pairs > pairCapacity else { return }
    guard let data = pcre2_match_data_create_8(UInt32(pairs), nil) else { throw .outOfMemory }
    pcre2_match_data_free_8(matchData)
    matchData = data
    pairCapacity = pairs
  }

  deinit {
    pcre2_match_data_free_8(matchData)
    if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    pcre2_match_context_free_8(context)
  }
}

import CPCRE2
import Foundation
import Synchronization

/// A pattern compiled once, and JIT-compiled where the platform allows before its first
/// match: most of a rule pack's patterns never run on a small input (a hook's few
/// staged files), and JIT-compiling all of them took most of vigil's start.
///
/// Thread safety: `@unchecked Sendable` because a compiled `pcre2_code` is read-only
/// once `pcre2_jit_compile` has returned, and PCRE2 documents it as shareable between
/// threads; the JIT compile itself runs once, under a lock, before any match. The
/// per-match mutable state lives in `MatchScratch`, which each thread owns.
///
/// Patterns match bytes by default (no `PCRE2_UTF`): scanned files hold any bytes, and
/// in byte mode an invalid UTF-8 sequence is just bytes that `.` or `[^\n]` can match,
/// as Go's regexp (and so gitleaks) treats it; in UTF mode it would stop such a run.
/// `.utf` turns on `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`, where invalid UTF-8 still
/// never makes a match fail. `PCRE2_NO_UTF_CHECK` is never used.
public final class Regex: @unchecked Sendable {
  /// Compile options vigil uses.
  public struct Options: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Characters are UTF-8 sequences; invalid sequences in a subject never match a
    /// character but do not stop the search.
    public static let utf = Options(rawValue: PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
    public static let caseless = Options(rawValue: PCRE2_CASELESS)
    public static let multiline = Options(rawValue: PCRE2_MULTILINE)
    public static let dotAll = Options(rawValue: PCRE2_DOTALL)
    /// Lets a search say where a match may start at the latest
    /// (`firstMatch(in:from:startingBy:scratch:)`).
    public static let offsetLimit = Options(rawValue: PCRE2_USE_OFFSET_LIMIT)
    /// No search ahead before matching (for a character every match needs, say): for
    /// a pattern tried in small windows, where that search would read far past them.
    public static let noStartOptimize = Options(rawValue: PCRE2_NO_START_OPTIMIZE)
  }

  public let pattern: String
  /// The number of capture groups (not counting group 0).
  public let captureCount: Int
  /// Whether PCRE2's JIT compiled the pattern (doing it now if it is to be and is not
  /// yet); if not, matches use the interpreter.
  public var isJITCompiled: Bool {
    compileForJIT()
    return jitLock.withLock { jit == .compiled }
  }
  /// Whether characters are UTF-8 sequences rather than bytes.
  public let isUTF: Bool
  /// Whether a search may bound where a match starts (`Options.offsetLimit`).
  public let hasOffsetLimit: Bool
  private let code: OpaquePointer
  private enum JITState { case pending, compiled, interpreted }
  /// Under `jitLock` (a pthread mutex, which ThreadSanitizer understands, unlike
  /// `Synchronization.Mutex`'s futex on Linux).
  private var jit: JITState
  private let jitLock = NSLock()
  /// Set once the JIT state is settled: the lock is then never taken again.
  private let jitSettled = Atomic<Bool>(false)

  /// `jit: false` skips the JIT compile, for a pattern that is only checked, not run.
  public init(_ pattern: String, options: Options = [], jit: Bool = true) throws(PCRE2Error) {
    var errorCode: Int32 = 0
    var errorOffset = 0
    let compileOptions = options.rawValue | PCRE2_NEVER_BACKSLASH_C
    // A pattern of length 0 still needs a non-NULL pointer.
    let compiled = Array(pattern.utf8 + [0]).withUnsafeBufferPointer { bytes in
      pcre2_compile_8(
        bytes.baseAddress, bytes.count - 1, compileOptions, &errorCode, &errorOffset, nil)
    }
    guard let compiled else {
      throw .compile(message: PCRE2Error.message(for: errorCode), offset: Int(errorOffset))
    }
    var groups: UInt32 = 0
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &groups)
    self.pattern = pattern
    self.code = compiled
    self.captureCount = Int(groups)
    self.isUTF = options.contains(.utf)
    self.hasOffsetLimit = options.contains(.offsetLimit)
    self.jit = jit ? .pending : .interpreted
    if !jit { jitSettled.store(true, ordering: .releasing) }
  }

  deinit { pcre2_code_free_8(code) }

  /// JIT-compiles the pattern if that is still to do; once, whichever thread asks first.
  private func compileForJIT() {
    guard !jitSettled.load(ordering: .acquiring) else { return }
    jitLock.withLock {
      guard jit == .pending else { return }
      jit = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0 ? .compiled : .interpreted
      jitSettled.store(true, ordering: .releasing)
    }
  }

  /// The first match at or after byte `start`, or `nil`.
  ///
  /// - Throws: `PCRE2Error.resourceLimit` when the match limit was hit; the caller
  ///   decides whether to warn and go on.
  public func firstMatch(
    in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, scratch: MatchScratch
  ) throws(PCRE2Error) -> Match? {
    try match(in: subject, at: start, options: 0, scratch: scratch)
  }

  /// The first match that starts at or after byte `start` and at or before byte `limit`,
  /// or `nil`: PCRE2 stops trying start positions past `limit` (the pattern must have
  /// been compiled with `Options.offsetLimit`). Lookbehinds and the match itself still
  /// see the whole subject.
  public func firstMatch(
    in subject: UnsafeBufferPointer<UInt8>, from start: Int, startingBy limit: Int, scratch: MatchScratch
  ) throws(PCRE2Error) -> Match? {
    precondition(hasOffsetLimit, "a start limit needs a pattern compiled with Options.offsetLimit")
    pcre2_set_offset_limit_8(scratch.context, max(0, limit))
    defer { pcre2_set_offset_limit_8(scratch.context, vigil_pcre2_unset()) }
    return try match(in: subject, at: start, options: 0, scratch: scratch)
  }

  /// Calls `body` with each non-overlapping match, left to right, until it returns
  /// `false`. An empty match is reported once and the search moves on by one character
  /// (one byte in byte mode), as Perl does.
  public func forEachMatch(
    in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
    _ body: (Match) -> Bool
  ) throws(PCRE2Error) {
    var start = 0
    var options: UInt32 = 0
    while start <= subject.count {
      guard let found = try match(in: subject, at: start, options: options, scratch: scratch)
      else {
        // After an empty match the retry at the same place failed: step one character.
        if options == 0 { return }
        options = 0
        start = isUTF ? Self.nextCharacter(after: start, in: subject) : start + 1
        continue
      }
      guard body(found) else { return }
      if found.range.isEmpty {
        options = PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED
      } else {
        options = 0
      }
      start = max(found.range.upperBound, start)
    }
  }

  /// Convenience for tests and small inputs.
  public func firstMatch(in bytes: [UInt8], from start: Int = 0, scratch: MatchScratch)
    throws(PCRE2Error) -> Match?
  {
    try bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
      try firstMatch(in: buffer, from: start, scratch: scratch)
    }
  }

  /// All non-overlapping matches in `bytes`.
  public func matches(in bytes: [UInt8], scratch: MatchScratch) throws(PCRE2Error) -> [Match] {
    var found: [Match] = []
    try bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
      try forEachMatch(in: buffer, scratch: scratch) {
        found.append($0)
        return true
      }
    }
    return found
  }

  private func match(
    in subject: UnsafeBufferPointer<UInt8>, at start: Int, options: UInt32, scratch: MatchScratch
  ) throws(PCRE2Error) -> Match? {
    guard start <= subject.count else { return nil }
    compileForJIT()
    try scratch.reserve(pairs: captureCount + 1)
    let rc: Int32
    if let base = subject.baseAddress {
      rc = pcre2_match_8(
        code, base, subject.count, start, options, scratch.matchData, scratch.context)
    } else {
      // PCRE2 10.42 rejects a NULL subject even when its length is 0.
      var empty: UInt8 = 0
      rc = pcre2_match_8(code, &empty, 0, 0, options, scratch.matchData, scratch.context)
    }
    if rc == PCRE2_ERROR_NOMATCH { return nil }
    if rc < 0 { throw PCRE2Error.fromMatch(code: rc) }
    guard let ovector = pcre2_get_ovector_pointer_8(scratch.matchData) else { return nil }
    let whole = Int(ovector[0])..<max(Int(ovector[0]), Int(ovector[1]))
    var groups: [Range<Int>?] = []
    groups.reserveCapacity(captureCount)
    if captureCount > 0 {
      for index in 1...captureCount {
        let lower = ovector[2 * index]
        let upper = ovector[2 * index + 1]
        groups.append(
          vigil_pcre2_is_unset(lower) != 0 || upper < lower ? nil : Int(lower)..<Int(upper))
      }
    }
    return Match(range: whole, groups: groups)
  }

  /// The offset of the next UTF-8 character after `offset`; an invalid byte counts as one.
  private static func nextCharacter(after offset: Int, in subject: UnsafeBufferPointer<UInt8>)
    -> Int
  {
    var next = offset + 1
    while next < subject.count, subject[next] & 0xC0 == 0x80, next - offset < 4 { next += 1 }
    return next
  }
}

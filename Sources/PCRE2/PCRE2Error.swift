import CPCRE2

/// Every failure that comes out of PCRE2, with PCRE2's own message.
///
/// All calls into the C library report through this one type, so callers see the
/// library's wording (e.g. "quantifier does not follow a repeatable item") and never a
/// bare error number.
public enum PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
  /// The pattern did not compile. `offset` is the byte offset in the pattern (0-based)
  /// at which PCRE2 gave up.
  case compile(message: String, offset: Int)
  /// A match stopped because it hit the match limit, the depth limit, the heap limit
  /// or the JIT stack: the pattern backtracks too much on this input.
  case resourceLimit(message: String)
  /// Any other negative return code from a match.
  case match(code: Int32, message: String)
  /// PCRE2 could not allocate a structure.
  case outOfMemory

  public var description: String {
    switch self {
    case .compile(let message, let offset): "\(message) at offset \(offset)"
    case .resourceLimit(let message): message
    case .match(_, let message): message
    case .outOfMemory: "PCRE2 could not allocate memory"
    }
  }

  /// PCRE2's text for an error code.
  static func message(for code: Int32) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
      guard let base = buffer.baseAddress else { return "PCRE2 error \(code)" }
      let length = pcre2_get_error_message_8(code, base, buffer.count)
      guard length > 0 else { return "PCRE2 error \(code)" }
      return String(decoding: UnsafeBufferPointer(start: base, count: Int(length)), as: UTF8.self)
    }
  }

  /// Maps a negative return code of `pcre2_match` (other than "no match") to an error.
  static func fromMatch(code: Int32) -> PCRE2Error {
    switch code {
    case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT,
      PCRE2_ERROR_JIT_STACKLIMIT:
      .resourceLimit(message: message(for: code))
    case PCRE2_ERROR_NOMEMORY:
      .outOfMemory
    default:
      .match(code: code, message: message(for: code))
    }
  }
}

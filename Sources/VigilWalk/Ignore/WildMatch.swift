import VigilModel

/// git's `wildmatch`: shell-style glob matching with git's `**` rules, over bytes.
///
/// Why by hand: no library here implements gitignore, and git's semantics are in the
/// details (`**/` matching zero directories, `*` stopping at `/` in path mode, bracket
/// expressions with POSIX classes). This follows git's algorithm step by step, so the
/// oracle test against git itself can hold it to the letter.
public enum WildMatch {
  public enum Result: UInt8 {
    case match
    case noMatch
    /// The pattern cannot match this text from any later starting point.
    case abortAll
    /// A `*` cannot match past a `/`; only an enclosing `**` may retry.
    case abortToStarStar
    /// The match took more than `Matcher.maximumSteps`: nothing is known.
    case gaveUp
  }

  /// Whether `pattern` matches all of `text`. With `pathname`, `*`, `?` and brackets
  /// never match `/` and `**` spans directories.
  public static func matches(_ pattern: [UInt8], _ text: [UInt8], pathname: Bool) -> Bool {
    text.withUnsafeBufferPointer { matches(pattern, from: 0, $0, from: 0, pathname: pathname) }
  }

  /// Whether `pattern` from index `patternStart` matches `text` from `textStart` to its
  /// end (the bytes before both starts already compared equal).
  public static func matches(
    _ pattern: [UInt8], from patternStart: Int, _ text: UnsafeBufferPointer<UInt8>, from textStart: Int,
    pathname: Bool
  ) -> Bool {
    result(pattern, from: patternStart, text, from: textStart, pathname: pathname) == .match
  }

  /// The match's result: `.match`, `.gaveUp` when it took more than
  /// `maximumSteps` (a line of hundreds of `**/` groups over a path a thousand deep), or
  /// another for no match.
  public static func result(
    _ pattern: [UInt8], from patternStart: Int, _ text: UnsafeBufferPointer<UInt8>, from textStart: Int,
    pathname: Bool
  ) -> Result {
    var matcher = Matcher(pattern: pattern, text: text, pathname: pathname)
    return matcher.run(patternStart, textStart)
  }

  /// Retries and star steps one match may take, at most.
  public static let maximumSteps = 1 << 16

  /// Results by pattern and text index: an array where the two are small enough (a
  /// path against an ordinary line), else a dictionary of those asked for.
  private struct Table {
    private var dense: [UInt8] = []
    private var sparse: [Int: Result] = [:]

    init(size: Int) {
      if size <= 1 << 22 { dense = Array(repeating: 0, count: size) }
    }

    subscript(key: Int) -> Result? {
      get {
        guard !dense.isEmpty else { return sparse[key] }
        return dense[key] == 0 ? nil : Result(rawValue: dense[key] - 1)
      }
      set {
        guard let newValue else { return }
        if dense.isEmpty { sparse[key] = newValue } else { dense[key] = newValue.rawValue + 1 }
      }
    }
  }

  private static let slash = UInt8(ascii: "/")
  private static let star = UInt8(ascii: "*")
  private static let backslash = UInt8(ascii: "\\")

  /// One match of a pattern against a text. git's algorithm retries the rest of the
  /// pattern from each place a star could stop, which for a pattern of several `**`
  /// groups over a deep path (`**/a/**/a/**/a/b` against `a/a/…/a`) is exponential in
  /// the number of groups; what the rest of the pattern from index `p` gives against
  /// the text from `t` depends on nothing else, so past a few retries each such result
  /// is remembered (`memo`): at most one for each pair, polynomial time, git's answers.
  private struct Matcher {
    let pattern: [UInt8]
    let text: UnsafeBufferPointer<UInt8>
    let pathname: Bool
    var retries = 0
    /// What each retry gave, by pattern index and text index; made once results are
    /// remembered.
    var memo: Table?

    init(pattern: [UInt8], text: UnsafeBufferPointer<UInt8>, pathname: Bool) {
      self.pattern = pattern
      self.text = text
      self.pathname = pathname
    }

    /// Retries before results are remembered: ordinary patterns never get there.
    static let retriesBeforeMemo = 64

    mutating func retry(_ p: Int, _ t: Int) -> Result {
      retries += 1
      guard retries <= WildMatch.maximumSteps else { return .gaveUp }
      guard retries > Self.retriesBeforeMemo else { return run(p, t) }
      if memo == nil {
        memo = Table(size: (pattern.count + 1) * (text.count + 1))
        loops = memo
      }
      let key = p * (text.count + 1) + t
      if let known = memo?[key] { return known }
      let result = run(p, t)
      memo?[key] = result
      return result
    }

    /// What a star's loop over the text gives from `t` on, the rest of the pattern
    /// starting at `p` (`matchSlash`: whether the star may take a `/`). A loop that goes
    /// on past a place goes on as it would from the next one, so once results are
    /// remembered every place a loop passes takes the result it ends with: each place
    /// is looked at once per star, not once per loop that passes it (for a long pattern
    /// over a deep path, the difference between a power of the path's length and a
    /// product).
    var loops: Table?

    mutating func starLoop(_ p: Int, from start: Int, matchSlash: Bool) -> Result {
      var passed: [Int] = []
      var t = start
      var result = Result.abortAll
      while t < text.count {
        let key = p * (text.count + 1) + t
        if let known = loops?[key] {
          result = known
          break
        }
        passed.append(key)
        // As git does: when a literal follows the star, jump to its next occurrence
        // (not past a slash unless the star may match one).
        if !isGlobSpecial(pattern[p]) {
          let literal = pattern[p]
          while t < text.count && (matchSlash || text[t] != slash) && text[t] != literal { t += 1 }
          if t >= text.count || text[t] != literal {
            result = .noMatch
            break
          }
        }
        let found = retry(p, t)
        retries += 1
        if found == .gaveUp || retries > WildMatch.maximumSteps {
          return .gaveUp
        }
        if found != .noMatch {
          if !matchSlash || found != .abortToStarStar {
            result = found
            break
          }
        } else if !matchSlash && text[t] == slash {
          result = .abortToStarStar
          break
        }
        t += 1
      }
      if loops != nil {
        for key in passed { loops?[key] = result }
      }
      return result
    }

    mutating func run(_ startP: Int, _ startT: Int) -> Result {
      WildMatch.run(
        pattern, startP, text, startT, pathname: pathname, retry: { self.retry($0, $1) },
        starLoop: { self.starLoop($0, from: $1, matchSlash: $2) })
    }
  }

  private static func run(
    _ pattern: [UInt8], _ startP: Int, _ text: UnsafeBufferPointer<UInt8>, _ startT: Int, pathname: Bool,
    retry: (Int, Int) -> Result, starLoop: (Int, Int, Bool) -> Result
  ) -> Result {
    var p = startP
    var t = startT
    while p < pattern.count {
      let pc = pattern[p]
      if t >= text.count && pc != star { return .abortAll }
      switch pc {
      case backslash:
        // A backslash makes the next character literal.
        p += 1
        guard p < pattern.count, text[t] == pattern[p] else { return .noMatch }
      case UInt8(ascii: "?"):
        if pathname && text[t] == slash { return .noMatch }
      case star:
        var matchSlash: Bool
        let previous = p - 1
        p += 1
        if p < pattern.count && pattern[p] == star {
          while p < pattern.count && pattern[p] == star { p += 1 }
          if !pathname {
            matchSlash = true
          } else if (previous < 0 || pattern[previous] == slash)
            && (p == pattern.count || pattern[p] == slash
              || (pattern[p] == backslash && p + 1 < pattern.count && pattern[p + 1] == slash))
          {
            // `**/` may match no directory at all.
            if p < pattern.count && pattern[p] == slash {
              switch retry(p + 1, t) {
              case .match: return .match
              case .gaveUp: return .gaveUp
              default: break
              }
            }
            matchSlash = true
          } else {
            // `**` not between slashes is an ordinary `*`.
            matchSlash = false
          }
        } else {
          matchSlash = !pathname
        }
        if p == pattern.count {
          // A trailing `**` matches the rest; a trailing `*` only if no `/` is left.
          if !matchSlash && text[t...].contains(slash) { return .noMatch }
          return .match
        }
        if !matchSlash && pattern[p] == slash {
          // `*/` in path mode: the star is the rest of this directory name.
          guard let next = text[t...].firstIndex(of: slash) else { return .noMatch }
          t = next
          continue
        }
        return starLoop(p, t, matchSlash)
      case UInt8(ascii: "["):
        guard let (matched, end) = bracket(pattern, p + 1, text[t]) else { return .abortAll }
        if !matched || (pathname && text[t] == slash) { return .noMatch }
        p = end
      default:
        if text[t] != pc { return .noMatch }
      }
      p += 1
      t += 1
    }
    return t == text.count ? .match : .noMatch
  }

  /// Matches `byte` against the bracket expression starting after `[` at `start`.
  /// Returns whether it matched and the index of the closing `]`, or `nil` when the
  /// expression never closes (git then gives up on the whole pattern).
  private static func bracket(_ pattern: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
    var p = start
    guard p < pattern.count else { return nil }
    var negated = false
    if pattern[p] == UInt8(ascii: "!") || pattern[p] == UInt8(ascii: "^") {
      negated = true
      p += 1
    }
    var matched = false
    var previous: UInt8 = 0
    var first = true
    while p < pattern.count {
      var c = pattern[p]
      if c == UInt8(ascii: "]") && !first { return (matched != negated, p) }
      first = false
      if c == backslash {
        p += 1
        guard p < pattern.count else { return nil }
        c = pattern[p]
        if c == byte { matched = true }
      } else if c == UInt8(ascii: "-") && previous != 0 && p + 1 < pattern.count
        && pattern[p + 1] != UInt8(ascii: "]")
      {
        p += 1
        var upper = pattern[p]
        if upper == backslash {
          p += 1
          guard p < pattern.count else { return nil }
          upper = pattern[p]
        }
        if previous <= byte && byte <= upper { matched = true }
        c = 0
      } else if c == UInt8(ascii: "[") && p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: ":") {
        // A POSIX class such as [:alpha:].
        guard let close = classEnd(pattern, p + 2) else {
          // Not a class after all: a literal '['.
          if c == byte { matched = true }
          previous = c
          p += 1
          continue
        }
        let name = String(decoding: pattern[(p + 2)..<close], as: UTF8.self)
        guard let test = posixClasses[name] else { return nil }
        if test(byte) { matched = true }
        p = close + 1
        c = 0
      } else if c == byte {
        matched = true
      }
      previous = c
      p += 1
    }
    return nil
  }

  private static func classEnd(_ pattern: [UInt8], _ start: Int) -> Int? {
    var p = start
    while p + 1 < pattern.count {
      if pattern[p] == UInt8(ascii: ":") && pattern[p + 1] == UInt8(ascii: "]") { return p }
      if pattern[p] == UInt8(ascii: "]") { return nil }
      p += 1
    }
    return nil
  }

  private static let posixClasses: [String: @Sendable (UInt8) -> Bool] = [
    "alnum": { isAlpha($0) || isDigit($0) },
    "alpha": { isAlpha($0) },
    "blank": { $0 == 0x20 || $0 == 0x09 },
    "cntrl": { $0 < 0x20 || $0 == 0x7F },
    "digit": { isDigit($0) },
    "graph": { $0 > 0x20 && $0 < 0x7F },
    "lower": { $0 >= 0x61 && $0 <= 0x7A },
    "print": { $0 >= 0x20 && $0 < 0x7F },
    "punct": { $0 > 0x20 && $0 < 0x7F && !isAlpha($0) && !isDigit($0) },
    "space": { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) },
    "upper": { $0 >= 0x41 && $0 <= 0x5A },
    "xdigit": { isDigit($0) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) },
  ]

  private static func isAlpha(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  static func isGlobSpecial(_ byte: UInt8) -> Bool {
    byte == star || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == backslash
  }
}

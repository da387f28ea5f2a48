import PCRE2
import VigilModel

/// A rule with its patterns compiled: what the detector runs.
///
/// A class for the reason `Rule` is one: workers read it for every file, and a
/// reference costs one retain.
final class CompiledRule: Sendable {
  let rule: Rule
  let regex: Regex?
  let path: Regex?
  let sink: Regex?
  let assignedFrom: Regex?
  let guardPattern: Regex?
  let allowlists: [CompiledAllowlist]

  init(_ rule: Rule) throws(PatternError) {
    self.rule = rule
    self.regex = try rule.regex.map { pattern throws(PatternError) in
      // A window from a keyword's name is a few bytes: searching ahead of it for a
      // character every match needs (the `@` of a URL's password) would read far past
      // it for every keyword, so that optimization is off there.
      let options: Regex.Options =
        !rule.windowed ? [] : rule.windowStart == .name ? [.offsetLimit, .noStartOptimize] : [.offsetLimit]
      return try PatternError.compile(pattern, ruleID: rule.id, options: options)
    }
    self.path = try rule.path.map { pattern throws(PatternError) in
      try PatternError.compile(pattern, ruleID: rule.id)
    }
    self.sink = try rule.sink.map { pattern throws(PatternError) in
      try PatternError.compile(pattern, ruleID: rule.id)
    }
    self.assignedFrom = try rule.assignedFrom.map { pattern throws(PatternError) in
      try PatternError.compile(pattern, ruleID: rule.id)
    }
    self.guardPattern = try rule.guardPattern.map { pattern throws(PatternError) in
      try PatternError.compile(pattern, ruleID: rule.id)
    }
    var allowlists: [CompiledAllowlist] = []
    for allowlist in rule.allowlists { allowlists.append(try CompiledAllowlist(allowlist, ruleID: rule.id)) }
    self.allowlists = allowlists
  }
}

/// An allowlist with its patterns compiled.
struct CompiledAllowlist: Sendable {
  let allowlist: Allowlist
  let regexes: [Regex]
  let paths: [Regex]

  init(_ allowlist: Allowlist, ruleID: String?) throws(PatternError) {
    self.allowlist = allowlist
    var regexes: [Regex] = []
    for pattern in allowlist.regexes { regexes.append(try PatternError.compile(pattern, ruleID: ruleID)) }
    var paths: [Regex] = []
    for pattern in allowlist.paths { paths.append(try PatternError.compile(pattern, ruleID: ruleID)) }
    self.regexes = regexes
    self.paths = paths
  }
}

/// A pattern PCRE2 does not compile, with the rule it belongs to.
public struct PatternError: Error, Sendable, CustomStringConvertible {
  /// The rule, or `nil` for a global allowlist.
  public var ruleID: String?
  public var pattern: String
  /// PCRE2's message, with the offset where it gave up.
  public var message: String

  public var description: String {
    "\(ruleID.map { "rule '\($0)': " } ?? "")pattern '\(pattern)' does not compile: \(message)"
  }

  /// The number of capture groups in `pattern`, or PCRE2's message: how the rule
  /// loader checks a pattern without running it.
  public static func captureCount(of pattern: String) -> Result<Int, PatternError> {
    do {
      return .success(try Regex(pattern, jit: false).captureCount)
    } catch {
      return .failure(PatternError(ruleID: nil, pattern: pattern, message: error.description))
    }
  }

  static func compile(_ pattern: String, ruleID: String?, options: Regex.Options = []) throws(PatternError)
    -> Regex
  {
    do {
      return try Regex(pattern, options: options)
    } catch {
      throw PatternError(ruleID: ruleID, pattern: pattern, message: error.description)
    }
  }
}

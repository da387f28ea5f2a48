import Foundation
import TOMLKit
import VigilModel

/// `.vigilignore`: findings silenced one by one, by fingerprint, each with a reason and
/// an optional expiry date.
///
/// ```toml
/// [[ignore]]
/// fingerprint = "3f2a…"               # from the JSON or SARIF report
/// reason = "Revoked test key kept for the parser tests"
/// expires = 2027-03-01                 # optional; after it, the finding is reported again
/// rule = "github-token"                # optional, for people reading the file
/// path = "tests/fixtures/tokens.txt"   # optional, for people reading the file
/// ```
public struct IgnoreList: Sendable {
  public static let fileName = ".vigilignore"

  public struct Entry: Sendable, Equatable {
    public var fingerprint: String
    public var reason: String
    /// `YYYY-MM-DD`; the entry stops suppressing the day after.
    public var expires: String?
    public var line: Int?
  }

  public var entries: [Entry]
  public var file: String

  /// Loads and validates an ignore file; every problem is reported at once.
  /// With `confinement`, the file must be in the scanned tree.
  public static func load(path: String, confinement: ConfigConfinement? = nil) throws(ConfigError)
    -> IgnoreList
  {
    try confinement?.check(path, "the ignore file")
    let text = try ConfigLoader.readText(path, what: "the ignore file")
    let context = LoadContext(file: path, text: text)
    let root: TOMLTable
    do throws(TOMLDocument.SyntaxError) {
      root = try TOMLDocument.parse(text)
    } catch {
      throw ConfigError(problems: [Diagnostic(.error, error.description, file: path, line: error.line)])
    }
    let reader = TOMLReader(root, path: "", context: context)
    var entries: [Entry] = []
    for table in reader.tables("ignore") {
      let fingerprint = table.string("fingerprint") ?? ""
      let line = context.line(ofKey: "fingerprint", value: fingerprint)
      let reason = table.string("reason") ?? ""
      if fingerprint.isEmpty { context.add(.error, "'\(table.path)' has no fingerprint", line: line) }
      if reason.trimmingCharacters(in: .whitespaces).isEmpty {
        context.add(.error, "'\(table.path)' has no reason: say why this finding may stay", line: line)
      }
      var expires: String?
      if let value = table.raw("expires") {
        if let date = value.date {
          expires = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
        } else if let string = value.string, Self.isDate(string) {
          expires = string
        } else {
          context.add(.error, "'\(table.path).expires' must be a date (2027-03-01)", line: line)
        }
      }
      _ = table.string("rule")
      _ = table.string("path")
      table.finish()
      entries.append(Entry(fingerprint: fingerprint, reason: reason, expires: expires, line: line))
    }
    reader.finish()
    if context.hasErrors { throw ConfigError(problems: context.problems) }
    return IgnoreList(entries: entries, file: path)
  }

  private static func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-")
    return parts.count == 3 && parts.map(\.count) == [4, 2, 2]
      && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
  }
}

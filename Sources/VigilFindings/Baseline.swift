import Foundation
import VigilModel
import VigilRules
import VigilSupport

/// The findings a codebase already had when vigil was adopted: recorded once, then
/// only new findings are reported.
///
/// Holds fingerprints, rule ids and paths, sorted, with no secrets, line numbers or
/// timestamps: writing it twice gives the same bytes, and moving code keeps findings
/// matched (fingerprints do not depend on lines).
public struct Baseline: Sendable, Equatable {
  public struct Entry: Codable, Sendable, Hashable, Comparable {
    public var fingerprint: String
    public var ruleId: String
    public var path: String

    public static func < (lhs: Entry, rhs: Entry) -> Bool {
      (lhs.path, lhs.ruleId, lhs.fingerprint) < (rhs.path, rhs.ruleId, rhs.fingerprint)
    }
  }

  struct Document: Codable {
    var version: Int
    var findings: [Entry]
  }

  public var entries: [Entry]

  /// The entries of `findings`, and those `keeping` holds besides.
  public init(findings: [Finding], keeping: [Entry] = []) {
    entries = Array(
      Set(findings.map { Entry(fingerprint: $0.fingerprint, ruleId: $0.ruleID, path: $0.path) }).union(
        keeping)
    ).sorted()
  }

  public var fingerprints: Set<String> { Set(entries.map(\.fingerprint)) }

  public func encoded() throws -> String {
    try encodeJSON(Document(version: 1, findings: entries))
  }

  public static func load(path: String) throws(ConfigError) -> Baseline {
    let text = try ConfigLoader.readText(
      path, what: "the baseline", hint: "; write one with --write-baseline")
    do {
      let document = try JSONDecoder().decode(Document.self, from: Data(text.utf8))
      guard document.version == 1 else {
        throw ConfigError(problems: [
          Diagnostic(
            .error,
            "the baseline is of version \(document.version), which this vigil does not read (it writes version 1); write one with --write-baseline",
            file: path)
        ])
      }
      var baseline = Baseline(findings: [])
      baseline.entries = document.findings.sorted()
      return baseline
    } catch let error as ConfigError {
      throw error
    } catch {
      throw ConfigError(problems: [
        Diagnostic(
          .error, "cannot read the baseline (\(error.localizedDescription)); write one with --write-baseline",
          file: path)
      ])
    }
  }
}

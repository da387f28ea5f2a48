import Foundation
import VigilTestSupport

/// Runs the built `vigil` executable, as a user would.
enum VigilBinary {
  /// `VIGIL_BINARY` runs the tests against another build (an older one, to show a
  /// test fails there).
  static let path =
    ProcessInfo.processInfo.environment["VIGIL_BINARY"] ?? ProcessRunner.productsDirectory + "/vigil"

  /// Runs vigil with a minimal environment (`PATH`, `NO_COLOR`) plus `environment`.
  static func run(
    _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
    timeout: Double? = nil
  ) throws -> ProcessOutput {
    try ProcessRunner.run(
      path, arguments, in: directory,
      environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"].merging(environment) { $1 }, timeout: timeout)
  }

  /// The rule ids of a JSON scan of `directory`, by path, for the findings of `category`.
  static func rulesByPath(scanning directory: String, category: String) throws -> [String: [String]] {
    let output = try run(["scan", "--format", "json", "."], in: directory)
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    guard let findings = document?["findings"] as? [[String: Any]] else {
      throw ScanOutputError(stderr: output.stderr)
    }
    var byPath: [String: [String]] = [:]
    for finding in findings where finding["category"] as? String == category {
      byPath[finding["path"] as? String ?? "", default: []].append(finding["ruleId"] as? String ?? "")
    }
    return byPath
  }

  /// Each rule's SARIF tags (`external/cwe/cwe-…`, the category, the rule's own) as a
  /// SARIF scan of `directory` lists them.
  static func sarifRuleTags(scanning directory: String) throws -> [String: [String]] {
    let output = try run(["scan", "--format", "sarif", "."], in: directory)
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let runs = document?["runs"] as? [[String: Any]]
    let driver = (runs?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
    guard let rules = driver?["rules"] as? [[String: Any]] else {
      throw ScanOutputError(stderr: output.stderr)
    }
    var tags: [String: [String]] = [:]
    for rule in rules {
      tags[rule["id"] as? String ?? ""] = (rule["properties"] as? [String: Any])?["tags"] as? [String] ?? []
    }
    return tags
  }

  struct ScanOutputError: Error, CustomStringConvertible {
    var stderr: String
    var description: String { "no JSON report; vigil said: \(stderr)" }
  }
}

import Foundation

/// `{"findings": [...], "summary": {...}, "warnings": [...]}` with sorted keys, so the
/// same scan gives the same bytes.
public struct JSONReporter: Reporter {
  public init() {}

  struct Document: Codable {
    struct Item: Codable {
      var ruleId: String
      var category: String
      var severity: String
      var path: String
      var line: Int
      var column: Int
      var endLine: Int
      var endColumn: Int
      var fingerprint: String
      var snippet: String
      var secret: String?
      var message: String
      var commit: CommitInfo?
      var suppression: SuppressionItem?
    }

    struct SuppressionItem: Codable {
      var kind: String
      var source: String
      var justification: String
    }

    struct Summary: Codable {
      var findings: Int
      var filesScanned: Int
      var bytesScanned: Int
      var skipped: [String: Int]
    }

    var version: String
    var findings: [Item]
    var summary: Summary
    var warnings: [String]
  }

  public func render(_ result: ScanResult, rules: [Rule]) throws -> String {
    let document = Document(
      version: ToolInfo.version,
      findings: result.findings.map {
        Document.Item(
          ruleId: $0.ruleID, category: $0.category.rawValue, severity: $0.severity.rawValue,
          path: $0.path, line: $0.start.line, column: $0.start.column, endLine: $0.end.line,
          endColumn: $0.end.column, fingerprint: $0.fingerprint, snippet: $0.snippet,
          secret: $0.secret, message: $0.message, commit: $0.commit,
          suppression: $0.suppression.map {
            Document.SuppressionItem(
              kind: $0.kind.rawValue, source: $0.source, justification: $0.justification)
          })
      },
      summary: Document.Summary(
        findings: result.findings.count, filesScanned: result.summary.filesScanned,
        bytesScanned: result.summary.bytesScanned,
        skipped: Dictionary(uniqueKeysWithValues: result.summary.skipped.map { ($0.rawValue, $1) })
      ),
      warnings: result.diagnostics.map(\.description))
    return try encodeJSON(document)
  }
}

/// Pretty, key-sorted JSON without escaped slashes, ending in a newline.
func encodeJSON(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

import Foundation
import VigilModel

/// `{"findings": [...], "summary": {...}, "warnings": [...]}` with sorted keys, so the
/// same scan gives the same bytes; the findings are written one at a time.
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
      /// Present, and true, for a secret in test or fixture material.
      var fixture: Bool?
      /// Other places the finding involves (where built SQL runs).
      var related: [RelatedItem]?
      /// For a secret inside encoded text: the encodings undone, outermost first.
      var decodedFrom: [String]?
    }

    struct RelatedItem: Codable {
      var line: Int
      var column: Int
      var message: String
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
    /// Why the scan failed although it ran to its end (`--strict`), if it did.
    var failure: String?
    /// The shard of a sharded scan, `K/N`.
    var shard: String?
  }

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    let summary = Document.Summary(
      findings: result.findings.count, filesScanned: result.summary.filesScanned,
      bytesScanned: result.summary.bytesScanned,
      skipped: Dictionary(uniqueKeysWithValues: result.summary.skipped.map { ($0.rawValue, $1) }))
    let findings = result.findings
    try StreamedJSON.object([
      ("version", .value(ToolInfo.version)),
      ("findings", .array(count: findings.count) { .value(Self.item(findings[$0])) }),
      ("summary", .value(summary)),
      ("warnings", .value(result.diagnostics.map(\.description))),
      ("failure", result.failure.map { .value($0) }),
      ("shard", result.shard.map { .value($0) }),
    ]).write(to: stream)
  }

  static func item(_ finding: Finding) -> Document.Item {
    Document.Item(
      ruleId: finding.ruleID, category: finding.category.rawValue, severity: finding.severity.rawValue,
      path: finding.path, line: finding.start.line, column: finding.start.column, endLine: finding.end.line,
      endColumn: finding.end.column, fingerprint: finding.fingerprint, snippet: finding.snippet,
      secret: finding.secret, message: finding.message, commit: finding.commit,
      suppression: finding.suppression.map {
        Document.SuppressionItem(kind: $0.kind.rawValue, source: $0.source, justification: $0.justification)
      }, fixture: finding.isFixture ? true : nil,
      related: finding.related.isEmpty
        ? nil
        : finding.related.map {
          Document.RelatedItem(line: $0.start.line, column: $0.start.column, message: $0.message)
        },
      decodedFrom: finding.decodedFrom.isEmpty ? nil : finding.decodedFrom.map(\.rawValue))
  }
}

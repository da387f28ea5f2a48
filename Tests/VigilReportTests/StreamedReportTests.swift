import Foundation
import Testing
import VigilKit
import VigilSupport
import VigilTestSupport

@testable import VigilReport

/// JSON and SARIF are written one finding at a time; the bytes must be those of the
/// whole document encoded at once, whatever the findings hold and however the stream
/// cuts its chunks.
@Suite struct StreamedReportTests {
  private static let pieces = [
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{7F}", "é", "中", "🔑", "=", "<&>", "'",
  ]

  private func text(_ random: inout SeededGenerator, maxLength: Int = 12) -> String {
    (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in Self.pieces.randomElement(using: &random)!
    }
    .joined()
  }

  /// A random result; one seed in ten has thousands of findings (findings are encoded in
  /// batches, on every core).
  private func result(_ random: inout SeededGenerator, seed: UInt64) -> ScanResult {
    let most = seed % 10 == 9 ? 2_500 : 30
    let findings = (0..<Int.random(in: 0...most, using: &random)).map { index in
      Finding(
        ruleID: ["aws-access-key-id", "rust-unwrap", "sql-concat"].randomElement(using: &random)!,
        ruleIndex: index % 3, category: RuleCategory.allCases.randomElement(using: &random)!,
        severity: Severity.allCases.randomElement(using: &random)!, path: text(&random),
        start: TextPosition(line: index + 1, column: 1), end: TextPosition(line: index + 1, column: 9),
        fingerprint: String(format: "%064x", index), snippet: text(&random, maxLength: 40),
        secret: Bool.random(using: &random) ? text(&random) : nil, message: text(&random),
        commit: Bool.random(using: &random)
          ? CommitInfo(
            sha: String(format: "%040x", index), author: text(&random), email: text(&random),
            date: "2026-12-02",
            message: text(&random)) : nil,
        suppression: Bool.random(using: &random)
          ? Suppression(kind: .external, source: text(&random), justification: text(&random)) : nil)
    }
    var summary = ScanSummary()
    summary.filesScanned = Int.random(in: 0...1000, using: &random)
    summary.bytesScanned = Int.random(in: 0...1_000_000, using: &random)
    for reason in SkipReason.allCases where Bool.random(using: &random) {
      summary.skipped[reason] = Int.random(in: 1...9, using: &random)
    }
    let diagnostics = (0..<Int.random(in: 0...3, using: &random)).map { _ in
      Diagnostic(.warning, text(&random), file: Bool.random(using: &random) ? text(&random) : nil)
    }
    return ScanResult(
      findings: findings, diagnostics: diagnostics, summary: summary, root: "/scan/" + text(&random),
      versionControl: Bool.random(using: &random)
        ? VersionControlInfo(repositoryURI: "https://example.com/r.git", revision: nil, branch: "main") : nil)
  }

  private func streamed(_ reporter: some Reporter, _ result: ScanResult, chunkSize: Int) throws -> String {
    var chunks: [[UInt8]] = []
    let stream = ReportStream(chunkSize: chunkSize) { chunks.append($0) }
    try reporter.write(result, rules: [], to: stream)
    try stream.flush()
    #expect(chunks.dropLast().allSatisfy { $0.count >= chunkSize })
    return String(decoding: chunks.joined(), as: UTF8.self)
  }

  @Test(arguments: 0..<40) func jsonEqualsTheWholeDocumentEncodedAtOnce(seed: UInt64) throws {
    var random = SeededGenerator(seed: seed)
    let result = result(&random, seed: seed)
    let whole = try encodeJSON(
      JSONReporter.Document(
        version: ToolInfo.version, findings: result.findings.map(JSONReporter.item),
        summary: .init(
          findings: result.findings.count, filesScanned: result.summary.filesScanned,
          bytesScanned: result.summary.bytesScanned,
          skipped: Dictionary(uniqueKeysWithValues: result.summary.skipped.map { ($0.rawValue, $1) })),
        warnings: result.diagnostics.map(\.description)))
    let chunkSize = Int.random(in: 1...300, using: &random)
    #expect(try streamed(JSONReporter(), result, chunkSize: chunkSize) == whole, "seed \(seed)")
  }

  @Test(arguments: 0..<40) func sarifEqualsTheWholeLogEncodedAtOnce(seed: UInt64) throws {
    var random = SeededGenerator(seed: seed)
    let result = result(&random, seed: seed)
    let reporter = SARIFReporter(category: text(&random))
    let whole = try encodeJSON(reporter.log(for: result, rules: []))
    let chunkSize = Int.random(in: 1...300, using: &random)
    #expect(try streamed(reporter, result, chunkSize: chunkSize) == whole, "seed \(seed)")
  }

  /// A report that fails half-way leaves the file it was replacing as it was, and no
  /// temporary file behind.
  @Test func aFailedReportLeavesTheOldFile() throws {
    let tree = try TemporaryTree()
    let path = tree.path + "/report.json"
    try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
    struct Broken: Error {}
    #expect(throws: OutputFile.Failure.self) {
      try OutputFile.write(to: path) { stream in
        try stream.write(String(repeating: "x", count: 200_000))
        throw Broken()
      }
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path) == ["report.json"])
  }
}

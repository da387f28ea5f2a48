import Foundation
import Testing
import VigilKit
import VigilTestSupport

@testable import VigilReport

/// GitHub code scanning's rules for uploaded SARIF, checked on vigil's output.
@Suite struct SARIFCodeScanningTests {
  private func finding(_ index: Int, severity: Severity) -> Finding {
    Finding(
      ruleID: "rust-unwrap", ruleIndex: 0, category: .unwrap, severity: severity, path: "src/f\(index).rs",
      start: TextPosition(line: 1, column: 1), end: TextPosition(line: 1, column: 10),
      fingerprint: String(format: "%064d", index), snippet: "x.unwrap()", secret: nil, message: "m")
  }

  @Test func oneRunCategoryTagsSeverityURIsAndFingerprints() throws {
    let tree = try TemporaryTree()
    try SampleTree.write(into: tree)
    let pack = try DefaultRulePack.load().0
    let result = try Scanner(pack: pack, options: ScanOptions(paths: [tree.path], jobs: 2)).run()
    let log = SARIFReporter(category: "secrets/main").log(for: result, rules: pack.rules.map(\.info))
    #expect(log.runs.count == 1)
    let run = try #require(log.runs.first)
    #expect(run.automationDetails?.id == "secrets/main/")
    #expect(run.tool.driver.rules.count == pack.rules.count)
    for rule in run.tool.driver.rules {
      #expect(rule.properties.tags.count <= SARIFReporter.maxTags)
      #expect(Double(rule.properties.securitySeverity).map { (0...10).contains($0) } == true)
    }
    #expect(!run.results.isEmpty)
    for result in run.results {
      let location = try #require(result.locations.first?.physicalLocation.artifactLocation)
      #expect(!location.uri.hasPrefix("/") && !location.uri.contains("://"))
      #expect(location.uriBaseId == SARIFReporter.rootBaseID)
      #expect(result.partialFingerprints[Fingerprint.sarifKey]?.count == 64)
    }
  }

  /// A file inside an archive keeps the name the archive gives it, and no `..` in that
  /// name makes the URI resolve to another file of the repository.
  @Test func anArchiveMembersDotSegmentsResolveNowhere() {
    #expect(
      SARIFReporter.relativeURI("lib/app.jar!config/app.properties") == "lib/app.jar%21config/app.properties")
    let hostile = SARIFReporter.relativeURI("a.tar!../../x.py")
    #expect(hostile == "a.tar%21..%2F..%2Fx.py")
    #expect(URL(string: hostile, relativeTo: URL(string: "file:///repo/"))?.standardized.path != "/x.py")
    #expect(SARIFReporter.relativeURI("b.zip!./in.tar!../y.py") == "b.zip%21.%2Fin.tar%21..%2Fy.py")
    #expect(SARIFReporter.relativeURI("src/my file.py") == "src/my%20file.py")
  }

  @Test func tooManyTagsAreCut() throws {
    let rule = Rule(
      id: "tagged", description: "d", category: .secret, severity: .error, securitySeverity: 5,
      cwe: "CWE-798", tags: (0..<40).map { "tag\($0)" }, regex: nil, source: "t")
    let log = SARIFReporter().log(
      for: ScanResult(findings: [], diagnostics: [], summary: ScanSummary(), root: "/r"), rules: [rule.info])
    let tags = try #require(log.runs.first?.tool.driver.rules.first?.properties.tags)
    #expect(tags.count == 20)
    #expect(tags.prefix(3) == ["security", "secret", "external/cwe/cwe-798"])
  }

  @Test func beyond25000ResultsTheMostSevereAreKeptAndAWarningSaysSo() throws {
    let count = SARIFReporter.maxResults + 10
    // Every 1000th finding is an error; the rest are notes.
    let findings = (0..<count).map { finding($0, severity: $0 % 1000 == 0 ? .error : .note) }
    let result = ScanResult(findings: findings, diagnostics: [], summary: ScanSummary(), root: "/r")
    let rules = try DefaultRulePack.load().0.rules.filter { $0.id == "rust-unwrap" }
    let log = SARIFReporter().log(for: result, rules: rules.map(\.info))
    let results = try #require(log.runs.first?.results)
    #expect(results.count == SARIFReporter.maxResults)
    #expect(results.filter { $0.level == "error" }.count == (count + 999) / 1000)
    // The same input keeps the same results.
    #expect(SARIFReporter().log(for: result, rules: rules.map(\.info)) == log)
    let notes = log.runs.first?.invocations.first?.toolExecutionNotifications ?? []
    #expect(notes.contains { $0.message.text.contains("exceed GitHub code scanning's 25000 results") })
  }

  /// Shards that each hold fewer than the limit merge into one run that keeps it too,
  /// the same most severe results a scan would keep; the exit status counts them all.
  @Test func mergedShardsKeep25000ResultsAndCountAll() throws {
    let rules = try DefaultRulePack.load().0.rules.filter { $0.id == "rust-unwrap" }.map(\.info)
    let half = SARIFReporter.maxResults / 2 + 500
    func shard(_ range: Range<Int>) throws -> Data {
      let findings = range.map { finding($0, severity: $0 % 1000 == 0 ? .error : .note) }
      let result = ScanResult(findings: findings, diagnostics: [], summary: ScanSummary(), root: "/r")
      return try JSONEncoder().encode(SARIFReporter().log(for: result, rules: rules))
    }
    let merged = try ReportMerger.merge([
      ("s1.sarif", try shard(0..<half)), ("s2.sarif", try shard(half..<(2 * half))),
    ])
    let log = try JSONDecoder().decode(SARIFLog.self, from: Data(merged.text.utf8))
    let results = try #require(log.runs.first?.results)
    #expect(results.count == SARIFReporter.maxResults)
    #expect(results.filter { $0.level == "error" }.count == (2 * half + 999) / 1000)
    #expect(merged.unsuppressed.count == 2 * half)
    let notes = log.runs.first?.invocations.first?.toolExecutionNotifications ?? []
    #expect(notes.contains { $0.message.text.contains("\(2 * half) findings exceed") })
  }

  /// A report that does not parse is the one named; reports of both formats are refused
  /// as such.
  @Test func aMergeNamesTheReportThatDoesNotParse() throws {
    let result = ScanResult(
      findings: [finding(1, severity: .error)], diagnostics: [], summary: ScanSummary(), root: "/r")
    let sarif = try JSONEncoder().encode(SARIFReporter().log(for: result, rules: []))
    do {
      _ = try ReportMerger.merge([("good.sarif", sarif), ("cut.sarif", sarif.prefix(200))])
      Issue.record("a cut report was merged")
    } catch {
      #expect(error.description.hasPrefix("cut.sarif is neither"), "\(error)")
    }
    do {
      _ = try ReportMerger.merge([("good.sarif", sarif), ("r.json", Data(#"{"version":1}"#.utf8))])
      Issue.record("a report that is not vigil's was merged")
    } catch {
      #expect(error.description.hasPrefix("r.json is neither"), "\(error)")
    }
    let json = Data(
      #"{"version":"1","findings":[],"summary":{"findings":0,"filesScanned":0,"bytesScanned":0,"skipped":{}},"warnings":[]}"#
        .utf8)
    #expect(try ReportMerger.merge([("a.json", json), ("b.json", json)]).format == .json)
    do {
      _ = try ReportMerger.merge([("good.sarif", sarif), ("r.json", json)])
      Issue.record("reports of two formats were merged")
    } catch {
      #expect(error.description.hasPrefix("the reports mix SARIF (good.sarif) and JSON (r.json)"), "\(error)")
    }
  }
}

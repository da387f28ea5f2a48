import Foundation
import VigilModel
import VigilSupport

/// SARIF 2.1.0 for code scanning: one run, every loaded rule described, one result per
/// finding with a relative URI, a region and a fingerprint that does not depend on the
/// line.
public struct SARIFReporter: Reporter, Sendable {
  /// The `uriBaseId` every result location is relative to.
  public static let rootBaseID = "SRCROOT"
  /// GitHub code scanning rejects a run with more results than this.
  public static let maxResults = 25_000
  /// …and ignores tags beyond this many per rule.
  public static let maxTags = 20

  /// Names the analysis in GitHub code scanning (`automationDetails.id` is
  /// `category/`): runs with different categories do not replace each other's alerts.
  public var category: String

  public init(category: String = "vigil") { self.category = category }

  public func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws {
    let (log, findings) = frame(for: result, rules: rules)
    guard let run = log.runs.first else { return }
    let runJSON = StreamedJSON.object([
      ("tool", .value(run.tool)),
      ("automationDetails", run.automationDetails.map { .value($0) }),
      ("originalUriBaseIds", run.originalUriBaseIds.map { .value($0) }),
      ("versionControlProvenance", run.versionControlProvenance.map { .value($0) }),
      ("columnKind", .value(run.columnKind)),
      ("invocations", .value(run.invocations)),
      ("results", .array(count: findings.count) { .value(sarifResult(findings[$0])) }),
    ])
    try StreamedJSON.object([
      (SARIFLog.CodingKeys.schema.rawValue, .value(log.schema)),
      ("version", .value(log.version)),
      ("runs", .array(count: 1) { _ in runJSON }),
    ]).write(to: stream)
  }

  /// The whole log in memory (for tests).
  func log(for result: ScanResult, rules: [RuleInfo]) -> SARIFLog {
    var (log, findings) = frame(for: result, rules: rules)
    log.runs[0].results = findings.map(sarifResult)
    return log
  }

  /// The log without its results, and the findings that become its results.
  private func frame(for result: ScanResult, rules: [RuleInfo]) -> (log: SARIFLog, findings: [Finding]) {
    let driver = SARIFLog.ToolComponent(
      name: ToolInfo.name, version: ToolInfo.version, semanticVersion: ToolInfo.version,
      informationUri: ToolInfo.informationURI, rules: rules.map(descriptor))
    var diagnostics = result.diagnostics
    if let failure = result.failure { diagnostics.append(Diagnostic(.error, failure)) }
    var findings = result.findings
    if findings.count > Self.maxResults {
      findings = Self.mostSevere(findings, limit: Self.maxResults)
      diagnostics.append(Diagnostic(.warning, Self.overLimit(result.findings.count)))
    }
    let notifications = diagnostics.map { diagnostic in
      SARIFLog.Notification(
        level: diagnostic.level == .error ? "error" : "warning",
        message: .init(text: diagnostic.description),
        locations: diagnostic.file.map {
          [SARIFLog.Location(physicalLocation: .init(artifactLocation: artifactLocation(for: $0)))]
        })
    }
    let run = SARIFLog.Run(
      tool: .init(driver: driver),
      automationDetails: .init(id: category.hasSuffix("/") ? category : category + "/"),
      originalUriBaseIds: [
        Self.rootBaseID: .init(description: .init(text: "The directory scanned; paths are relative to it."))
      ],
      // A repository without a remote is named by its local directory, which is the
      // scanning machine's business: no provenance then, as no originalUriBaseIds path.
      versionControlProvenance: result.versionControl.flatMap {
        $0.repositoryURI.hasPrefix("file:")
          ? nil : [.init(repositoryUri: $0.repositoryURI, revisionId: $0.revision, branch: $0.branch)]
      },
      invocations: [
        .init(
          executionSuccessful: result.failure == nil, toolExecutionNotifications: notifications,
          properties: result.shard.map { .init(shard: $0) })
      ],
      results: [])
    return (SARIFLog(runs: [run]), findings)
  }

  private func descriptor(_ rule: RuleInfo) -> SARIFLog.ReportingDescriptor {
    let cweNumber = rule.cwe.lowercased().replacingOccurrences(of: "cwe-", with: "")
    var tags = ["security", rule.category.rawValue, "external/cwe/cwe-\(cweNumber)"]
    tags += rule.tags.filter { !tags.contains($0) }
    tags = Array(tags.prefix(Self.maxTags))
    let summary = rule.description.isEmpty ? rule.id : rule.description
    let fix = rule.remediation ?? "Remove the finding from the code and, for a secret, revoke it."
    return SARIFLog.ReportingDescriptor(
      id: rule.id, name: rule.name, shortDescription: .init(text: summary),
      fullDescription: .init(text: "\(summary) (\(rule.cwe))"),
      help: .init(
        text: "\(summary)\n\nFix: \(fix)", markdown: "**\(summary)**\n\n**Fix:** \(fix)"),
      defaultConfiguration: .init(level: rule.severity.rawValue),
      properties: .init(
        tags: tags, securitySeverity: String(format: "%.1f", rule.securitySeverity),
        category: rule.category.rawValue))
  }

  private func sarifResult(_ finding: Finding) -> SARIFLog.Result {
    // A finding with no extent is a file (a committed key, a .env): its first line, not
    // an empty span before its first character.
    let wholeLine = finding.start == finding.end
    let region = SARIFLog.Region(
      startLine: finding.start.line, startColumn: wholeLine ? nil : finding.start.column,
      endLine: wholeLine ? nil : finding.end.line, endColumn: wholeLine ? nil : finding.end.column,
      snippet: finding.snippet.isEmpty ? nil : .init(text: finding.snippet))
    return SARIFLog.Result(
      ruleId: finding.ruleID, ruleIndex: finding.ruleIndex, level: finding.severity.rawValue,
      message: .init(text: finding.message),
      locations: [
        .init(
          physicalLocation: .init(
            artifactLocation: artifactLocation(for: finding.path), region: region))
      ],
      relatedLocations: finding.related.isEmpty
        ? nil
        : finding.related.enumerated().map { number, related in
          .init(
            id: number + 1,
            physicalLocation: .init(
              artifactLocation: artifactLocation(for: finding.path),
              region: .init(
                startLine: related.start.line, startColumn: related.start.column, endLine: related.end.line,
                endColumn: related.end.column)),
            message: .init(text: related.message))
        },
      partialFingerprints: [Finding.fingerprintKey: finding.fingerprint],
      suppressions: finding.suppression.map {
        [.init(kind: $0.kind.rawValue, justification: "\($0.justification) (\($0.source))")]
      },
      properties: .init(
        category: finding.category.rawValue, commitSha: finding.commit?.sha,
        commitAuthor: finding.commit?.author, commitEmail: finding.commit?.email,
        commitDate: finding.commit?.date, commitMessage: finding.commit?.message,
        fixture: finding.isFixture ? true : nil,
        decodedFrom: finding.decodedFrom.isEmpty ? nil : finding.decodedFrom.map(\.rawValue)))
  }

  /// The `limit` most severe findings (by level, ties in report order), kept in report
  /// order: the same input always keeps the same ones.
  static func mostSevere(_ findings: [Finding], limit: Int) -> [Finding] {
    mostSevere(findings, limit: limit, severity: \.severity)
  }

  /// The same for any items, each of the severity `severity` gives.
  static func mostSevere<Item>(_ items: [Item], limit: Int, severity: (Item) -> Severity) -> [Item] {
    let ranked = items.enumerated().map { (offset: $0.offset, severity: severity($0.element)) }.sorted {
      lhs, rhs in
      if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
      return lhs.offset < rhs.offset
    }
    return ranked.prefix(limit).map(\.offset).sorted().map { items[$0] }
  }

  /// The notification a run whose findings exceed `maxResults` carries.
  static func overLimit(_ count: Int) -> String {
    "\(count) findings exceed GitHub code scanning's \(maxResults) results per run; the \(maxResults) most severe are in this SARIF (JSON or text output has them all)"
  }

  private func artifactLocation(for path: String) -> SARIFLog.ArtifactLocation {
    if path.hasPrefix("/") {
      return .init(uri: "file://" + Self.percentEncoded(path), uriBaseId: nil)
    }
    return .init(uri: Self.relativeURI(path), uriBaseId: Self.rootBaseID)
  }

  /// A report path as a relative URI. A file inside an archive is named by what the
  /// archive says (`bundle.tar!../../x.py`): where a part after a `!` is a `.` or `..`
  /// segment, the slashes after that `!` are encoded, so that no reader resolves the
  /// URI to another file of the repository (`x.py`).
  static func relativeURI(_ path: String) -> String {
    guard let bang = path.firstIndex(of: "!") else { return percentEncoded(path) }
    let inside = path[path.index(after: bang)...]
    let dotted = inside.split(separator: "/", omittingEmptySubsequences: false).contains {
      $0 == "." || $0 == ".." || $0.hasPrefix("..!") || $0.hasPrefix(".!")
    }
    guard dotted else { return percentEncoded(path) }
    return percentEncoded(String(path[..<bang])) + "%21"
      + percentEncoded(String(inside)).replacingOccurrences(of: "/", with: "%2F")
  }

  static func percentEncoded(_ path: String) -> String { FileURI.percentEncoded(path) }

}

import Foundation
import VigilModel
import VigilSupport

/// Joins the reports of a sharded scan (`vigil scan --shard K/N`) into one: SARIF with
/// one run and each rule once, or JSON with the findings and totals of all.
public enum ReportMerger {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  public struct Merged: Sendable {
    public var format: ReportFormat
    public var text: String
    /// The severity of each finding the merged report holds that no suppression covers
    /// (a finding reported with `--include-suppressed` never fails a scan).
    public var unsuppressed: [Severity]

    /// How many findings fail at `failOn`, as the scans' own exit status counts them.
    public func failing(at failOn: Severity) -> Int { unsuppressed.filter { $0 >= failOn }.count }
  }

  /// Merges reports that are all SARIF or all JSON, as vigil writes them.
  public static func merge(_ reports: [(name: String, data: Data)]) throws(Failure) -> Merged {
    guard !reports.isEmpty else { throw Failure(description: "no reports to merge") }
    let decoder = JSONDecoder()
    if let logs = try? reports.map({ try decoder.decode(SARIFLog.self, from: $0.data) }) {
      do {
        let log = mergeSARIF(logs)
        let results = log.runs.first?.results ?? []
        return Merged(
          format: .sarif, text: try encodeJSON(log),
          unsuppressed: results.filter { !($0.suppressions ?? []).contains(where: \.isInEffect) }.map {
            Severity(rawValue: $0.level) ?? .error
          })
      } catch {
        throw Failure(description: "cannot write the merged SARIF: \(error)")
      }
    }
    var documents: [JSONReporter.Document] = []
    for report in reports {
      do {
        documents.append(try decoder.decode(JSONReporter.Document.self, from: report.data))
      } catch {
        throw Failure(
          description:
            "\(report.name) is neither vigil SARIF nor vigil JSON (\(error.localizedDescription)); all inputs must have one format"
        )
      }
    }
    do {
      let document = mergeJSON(documents)
      return Merged(
        format: .json, text: try encodeJSON(document),
        unsuppressed: document.findings.filter { $0.suppression == nil }.map {
          Severity(rawValue: $0.severity) ?? .error
        })
    } catch {
      throw Failure(description: "cannot write the merged JSON: \(error)")
    }
  }

  static func mergeSARIF(_ logs: [SARIFLog]) -> SARIFLog {
    var merged = logs[0]
    var runs = logs.flatMap(\.runs)
    guard var run = runs.first else { return merged }
    var rules: [SARIFLog.ReportingDescriptor] = []
    var index: [String: Int] = [:]
    for descriptor in runs.flatMap(\.tool.driver.rules) where index[descriptor.id] == nil {
      index[descriptor.id] = rules.count
      rules.append(descriptor)
    }
    var results = runs.flatMap(\.results).map { result -> SARIFLog.Result in
      var result = result
      result.ruleIndex = index[result.ruleId] ?? result.ruleIndex
      return result
    }
    results.sort { lhs, rhs in
      let left = (
        lhs.locations.first?.physicalLocation.artifactLocation.uri ?? "",
        lhs.locations.first?.physicalLocation.region?.startLine ?? 0,
        lhs.locations.first?.physicalLocation.region?.startColumn ?? 0, lhs.ruleId
      )
      let right = (
        rhs.locations.first?.physicalLocation.artifactLocation.uri ?? "",
        rhs.locations.first?.physicalLocation.region?.startLine ?? 0,
        rhs.locations.first?.physicalLocation.region?.startColumn ?? 0, rhs.ruleId
      )
      return left < right
    }
    run.tool.driver.rules = rules
    run.results = results
    run.invocations = [
      SARIFLog.Invocation(
        executionSuccessful: runs.allSatisfy { $0.invocations.allSatisfy(\.executionSuccessful) },
        toolExecutionNotifications: runs.flatMap { $0.invocations.flatMap(\.toolExecutionNotifications) })
    ]
    runs = [run]
    merged.runs = runs
    return merged
  }

  static func mergeJSON(_ documents: [JSONReporter.Document]) -> JSONReporter.Document {
    var findings = documents.flatMap(\.findings)
    findings.sort { ($0.path, $0.line, $0.column, $0.ruleId) < ($1.path, $1.line, $1.column, $1.ruleId) }
    var skipped: [String: Int] = [:]
    for document in documents { skipped.merge(document.summary.skipped, uniquingKeysWith: +) }
    return JSONReporter.Document(
      version: documents[0].version, findings: findings,
      summary: .init(
        findings: findings.count, filesScanned: documents.reduce(0) { $0 + $1.summary.filesScanned },
        bytesScanned: documents.reduce(0) { $0 + $1.summary.bytesScanned }, skipped: skipped),
      warnings: documents.flatMap(\.warnings))
  }
}

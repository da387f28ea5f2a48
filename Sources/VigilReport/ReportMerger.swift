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
    /// Why the merged scan failed: a shard's scan that failed although it wrote its
    /// report (`--strict`), or a shard missing or given twice.
    public var failures: [String] = []

    /// How many findings fail at `failOn`, as the scans' own exit status counts them.
    public func failing(at failOn: Severity) -> Int { unsuppressed.filter { $0 >= failOn }.count }
  }

  /// Merges reports that are all SARIF or all JSON, as vigil writes them.
  public static func merge(_ reports: [(name: String, data: Data)]) throws(Failure) -> Merged {
    guard !reports.isEmpty else { throw Failure(description: "no reports to merge") }
    let decoder = JSONDecoder()
    // Each report is read as SARIF, else as JSON: one that is neither is named, and so
    // are reports of both formats given together.
    var logs: [SARIFLog] = []
    var documents: [JSONReporter.Document] = []
    var formats: [(name: String, sarif: Bool)] = []
    for report in reports {
      do {
        logs.append(try decoder.decode(SARIFLog.self, from: report.data))
        formats.append((report.name, true))
      } catch let sarifError {
        do {
          documents.append(try decoder.decode(JSONReporter.Document.self, from: report.data))
          formats.append((report.name, false))
        } catch let jsonError {
          let likelySARIF = report.data.prefix(4096).range(of: Data("\"runs\"".utf8)) != nil
          throw Failure(
            description:
              "\(report.name) is neither vigil SARIF nor vigil JSON (\(Self.reason(likelySARIF ? sarifError : jsonError)))"
          )
        }
      }
    }
    if !logs.isEmpty, !documents.isEmpty {
      let sarif = formats.filter(\.sarif).map(\.name)
      let json = formats.filter { !$0.sarif }.map(\.name)
      throw Failure(
        description:
          "the reports mix SARIF (\(sarif.prefix(3).joined(separator: ", "))\(sarif.count > 3 ? ", …" : "")) and JSON (\(json.prefix(3).joined(separator: ", "))\(json.count > 3 ? ", …" : "")): all inputs must have one format"
      )
    }
    if !logs.isEmpty {
      do {
        let invocations = logs.flatMap { $0.runs.flatMap(\.invocations) }
        // A failed shard's reason is among the notifications the merge keeps; what is
        // wrong with the shards is added to them.
        let failed = invocations.filter { !$0.executionSuccessful }.map { invocation in
          let reasons = invocation.toolExecutionNotifications.filter { $0.level == "error" }.map {
            $0.message.text.hasPrefix("error: ") ? String($0.message.text.dropFirst(7)) : $0.message.text
          }
          return reasons.isEmpty ? "a shard's scan failed" : reasons.joined(separator: "; ")
        }
        let problems = shardProblems(invocations.map { $0.properties?.shard })
        var log = mergeSARIF(logs)
        if !problems.isEmpty, !log.runs.isEmpty, !log.runs[0].invocations.isEmpty {
          log.runs[0].invocations[0].executionSuccessful = false
          log.runs[0].invocations[0].toolExecutionNotifications += problems.map {
            SARIFLog.Notification(level: "error", message: .init(text: $0))
          }
        }
        let failures = failed + problems
        let results = log.runs.first?.results ?? []
        // Code scanning takes at most `maxResults` a run: the most severe are kept, as
        // a scan's own SARIF keeps them; the exit status still counts every finding.
        if results.count > SARIFReporter.maxResults, !log.runs.isEmpty, !log.runs[0].invocations.isEmpty {
          log.runs[0].results = SARIFReporter.mostSevere(results, limit: SARIFReporter.maxResults) {
            Severity(rawValue: $0.level) ?? .error
          }
          log.runs[0].invocations[0].toolExecutionNotifications.append(
            SARIFLog.Notification(
              level: "warning", message: .init(text: SARIFReporter.overLimit(results.count))))
        }
        return Merged(
          format: .sarif, text: try encodeJSON(log),
          unsuppressed: results.filter { !($0.suppressions ?? []).contains(where: \.isInEffect) }.map {
            Severity(rawValue: $0.level) ?? .error
          }, failures: failures)
      } catch {
        throw Failure(description: "cannot write the merged SARIF: \(error)")
      }
    }
    do {
      var document = mergeJSON(documents)
      let failures = documents.compactMap(\.failure) + shardProblems(documents.map(\.shard))
      document.failure = failures.isEmpty ? nil : failures.joined(separator: "; ")
      return Merged(
        format: .json, text: try encodeJSON(document),
        unsuppressed: document.findings.filter { $0.suppression == nil }.map {
          Severity(rawValue: $0.severity) ?? .error
        }, failures: failures)
    } catch {
      throw Failure(description: "cannot write the merged JSON: \(error)")
    }
  }

  /// What a decoding error says went wrong, and where.
  private static func reason(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return error.localizedDescription }
    switch error {
    case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
      .valueNotFound(_, let context):
      let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(
        separator: ".")
      let what =
        context.underlyingError.map { ($0 as NSError).localizedDescription } ?? context.debugDescription
      return path.isEmpty ? what : "\(path): \(what)"
    @unknown default:
      return error.localizedDescription
    }
  }

  /// What is wrong with the shards the reports say they are (`K/N` each, or nil for a
  /// scan not sharded): each of 1 to N once, all of one N; reports of unsharded scans
  /// are merged as they are.
  static func shardProblems(_ shards: [String?]) -> [String] {
    let named = shards.compactMap { $0 }
    guard !named.isEmpty else { return [] }
    guard named.count == shards.count else {
      return ["some reports are of a sharded scan (--shard) and some are not"]
    }
    let parsed = named.map { $0.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) } }
    guard parsed.allSatisfy({ $0.count == 2 && ($0[1] ?? 0) >= 1 && (1...($0[1] ?? 0)).contains($0[0] ?? 0) })
    else { return ["a report names no shard K/N with 1 <= K <= N: \(named.joined(separator: ", "))"] }
    let count = parsed[0][1] ?? 0
    guard parsed.allSatisfy({ $0[1] == count }) else {
      return ["the reports are of scans sharded differently: \(named.joined(separator: ", "))"]
    }
    var problems: [String] = []
    let given = Dictionary(grouping: parsed.compactMap { $0[0] }, by: { $0 })
    // Each of N shards is a report: past the reports given, N says how many are missing.
    let missing = count - given.count
    if missing > 0 {
      let some = (1...count).lazy.filter { given[$0] == nil }.prefix(10).map { "\($0)/\(count)" }
      problems.append(
        "\(missing) shard\(missing == 1 ? "" : "s") missing (\(some.joined(separator: ", "))\(missing > 10 ? ", …" : "")): "
          + "\(missing == 1 ? "its" : "their") files were not scanned")
    }
    let twice = given.filter { $0.value.count > 1 }.keys.sorted()
    if !twice.isEmpty {
      problems.append(
        "shard\(twice.count == 1 ? "" : "s") \(twice.map { "\($0)/\(count)" }.joined(separator: ", ")) given more than once"
      )
    }
    return problems
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
      warnings: documents.flatMap(\.warnings), shard: nil)
  }
}

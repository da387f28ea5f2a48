import VigilKit

/// The one-line summary printed to standard error after a scan.
enum ScanSummaryText {
  static func line(for result: ScanResult, seconds: Double) -> String {
    let count = result.findings.count
    var text = "vigil: \(count) finding\(count == 1 ? "" : "s")"
    let bySeverity = Severity.allCases.compactMap { severity -> String? in
      let number = result.findings.count { $0.severity == severity }
      return number > 0 ? "\(number) \(severity.rawValue)" : nil
    }
    if !bySeverity.isEmpty { text += " (\(bySeverity.joined(separator: ", ")))" }
    let files = result.summary.filesScanned
    text += " in \(files) file\(files == 1 ? "" : "s") (\(ByteCount.text(result.summary.bytesScanned)))"
    text += String(format: " in %.2f s", seconds)
    let skipped = result.summary.skipped.sorted { $0.key < $1.key }.map { "\($1) \($0.rawValue)" }
    if !skipped.isEmpty { text += "; skipped: \(skipped.joined(separator: ", "))" }
    if let resumed = result.resumedHistory {
      text +=
        "; resumed from the history cache (\(resumed.cachedCommits) commits read before, \(resumed.newCommits) new;"
        + " --no-cache reads them all)"
    }
    return text
  }
}

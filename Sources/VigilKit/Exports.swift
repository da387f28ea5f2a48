// The plain values every stage passes along (rules, findings, positions,
// diagnostics), the detector and the reporters are part of VigilKit's interface: a program that imports VigilKit
// sees them.
@_exported import VigilDetect
@_exported import VigilFindings
@_exported import VigilModel
@_exported import VigilReport
@_exported import VigilRules

extension Reporter {
  /// The report of a scan run with `rules` (a pack's rules, as loaded).
  public func write(_ result: ScanResult, rules: [Rule], to stream: ReportStream) throws {
    try write(result, rules: rules.map(\.info), to: stream)
  }

  /// The whole report as one string, for a scan run with `rules`.
  public func render(_ result: ScanResult, rules: [Rule]) throws -> String {
    try render(result, rules: rules.map(\.info))
  }
}

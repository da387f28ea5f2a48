/// Turns a scan's result into the bytes of one output format.
///
/// Reporters receive findings whose snippets and secrets are already redacted (unless
/// the user asked otherwise); they never see a secret the scan did not choose to show.
public protocol Reporter {
  func render(_ result: ScanResult, rules: [Rule]) throws -> String
}

/// The output formats `vigil scan --format` offers.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text
  case json
  case sarif
  case junit
  case csv
  case html

  /// The format an output file's extension implies, if any.
  public init?(fileExtensionOf path: String) {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".sarif") || lowered.hasSuffix(".sarif.json") {
      self = .sarif
    } else if lowered.hasSuffix(".json") {
      self = .json
    } else if lowered.hasSuffix(".xml") {
      self = .junit
    } else if lowered.hasSuffix(".csv") {
      self = .csv
    } else if lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") {
      self = .html
    } else if lowered.hasSuffix(".txt") {
      self = .text
    } else {
      return nil
    }
  }
}

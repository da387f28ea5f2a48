import VigilModel

/// Turns a scan's result into one output format, written piece by piece to a
/// `ReportStream`: a report on a million findings never exists whole in memory.
///
/// Reporters receive findings whose snippets and secrets are already redacted (unless
/// the user asked otherwise); they never see a secret the scan did not choose to show.
public protocol Reporter {
  func write(_ result: ScanResult, rules: [RuleInfo], to stream: ReportStream) throws
}

extension Reporter {
  /// The whole report as one string (for tests and small reports).
  public func render(_ result: ScanResult, rules: [RuleInfo]) throws -> String {
    var bytes: [UInt8] = []
    try ReportStream.run(sink: { bytes += $0 }) { try write(result, rules: rules, to: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Text on its way to a file or a pipe, passed on in chunks of about `chunkSize` bytes.
public final class ReportStream {
  private var buffer: [UInt8] = []
  private let chunkSize: Int
  private let sink: ([UInt8]) throws -> Void

  /// - Parameter sink: receives each chunk; what it throws ends the report.
  public init(chunkSize: Int = 1 << 16, sink: @escaping ([UInt8]) throws -> Void) {
    self.chunkSize = chunkSize
    self.sink = sink
    buffer.reserveCapacity(chunkSize)
  }

  public func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= chunkSize { try flush() }
  }

  /// Runs `produce` on a new stream onto `sink`, then passes on what is left buffered.
  public static func run(
    sink: @escaping ([UInt8]) throws -> Void, _ produce: (ReportStream) throws -> Void
  ) throws {
    let stream = ReportStream(sink: sink)
    try produce(stream)
    try stream.flush()
  }

  /// Passes on whatever is buffered; the report's writer calls it once at the end.
  public func flush() throws {
    guard !buffer.isEmpty else { return }
    let chunk = buffer
    buffer.removeAll(keepingCapacity: true)
    try sink(chunk)
  }
}

/// The output formats `vigil scan --format` offers.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text
  case json
  case sarif
  case junit
  case csv
  case html

  /// This format's reporter. `color` is for text on a terminal; `sarifCategory` names
  /// the analysis in GitHub code scanning; `toFile`: the report is kept as a file (text
  /// then ends with the scan's failure, if any).
  public func reporter(color: Bool = false, sarifCategory: String = "vigil", toFile: Bool = false)
    -> any Reporter
  {
    switch self {
    case .text: TextReporter(color: color, statesFailure: toFile)
    case .json: JSONReporter()
    case .sarif: SARIFReporter(category: sarifCategory)
    case .junit: JUnitReporter()
    case .csv: CSVReporter()
    case .html: HTMLReporter()
    }
  }

  /// The format an output file's extension implies, if any.
  public init?(fileExtensionOf path: String) {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".sarif") || lowered.hasSuffix(".sarif.json") {
      self = .sarif
    } else if lowered.hasSuffix(".json") {
      self = .json
    } else if lowered.hasSuffix(".xml") || lowered.hasSuffix(".junit") {
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

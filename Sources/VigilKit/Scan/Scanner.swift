import Dispatch
import Foundation
import Synchronization

/// Runs a scan: lists the targets, then scans them on `jobs` threads, each with its own
/// worker state, and merges the results once.
///
/// Concurrency by ownership: the detector and the target list are immutable and
/// shared; every worker owns its detector scratch, read buffer and findings, and hands
/// them over once at the end. The output does not depend on the number of jobs.
public struct Scanner: Sendable {
  public let detector: Detector
  public let options: ScanOptions

  public init(pack: RulePack, options: ScanOptions) {
    self.detector = Detector(pack: pack)
    self.options = options
  }

  public func run() throws(ScanError) -> ScanResult {
    let (root, listing) = try collectTargets()
    let builder = FindingBuilder(rules: detector.pack.rules, redact: options.redact)
    let reader = FileReader(maxFileSize: options.maxFileSize)
    let targets = listing.targets
    let next = Atomic<Int>(0)
    // Locked once per worker, when it hands over its results: the merge-once point.
    let outputs = Mutex<[WorkerOutput]>([])
    let setupFailure = Mutex<String?>(nil)
    let jobs = min(options.jobs, max(1, targets.count))
    DispatchQueue.concurrentPerform(iterations: jobs) { _ in
      let worker: DetectorWorker
      do {
        worker = try detector.makeWorker()
      } catch {
        setupFailure.withLock { $0 = "\(error)" }
        return
      }
      var output = WorkerOutput()
      var buffer: [UInt8] = []
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < targets.count else { break }
        scan(
          targets[index], worker: worker, reader: reader, builder: builder,
          buffer: &buffer, into: &output)
      }
      output.diagnostics += worker.warnings
      outputs.withLock { $0.append(output) }
    }
    if let failure = setupFailure.withLock({ $0 }) { throw .workerSetup(failure) }
    var merged = WorkerOutput()
    merged.summary.skipped = listing.skipped
    merged.diagnostics = listing.warnings
    for output in outputs.withLock({ $0 }) {
      merged.findings += output.findings
      merged.diagnostics += output.diagnostics
      merged.summary.merge(output.summary)
    }
    merged.findings.sort(by: Finding.reportOrder)
    merged.diagnostics.sort {
      ($0.file ?? "", $0.ruleID ?? "", $0.message) < ($1.file ?? "", $1.ruleID ?? "", $1.message)
    }
    return ScanResult(
      findings: merged.findings, diagnostics: merged.diagnostics, summary: merged.summary,
      root: root)
  }

  private struct WorkerOutput {
    var findings: [Finding] = []
    var diagnostics: [Diagnostic] = []
    var summary = ScanSummary()
  }

  private func scan(
    _ target: ScanTarget, worker: DetectorWorker, reader: FileReader, builder: FindingBuilder,
    buffer: inout [UInt8], into output: inout WorkerOutput
  ) {
    if worker.isExcluded(path: target.path) {
      output.summary.skipped[.excluded, default: 0] += 1
      return
    }
    // Secret files are findings whatever their content, binary or huge ones included.
    var matches = worker.detectPath(target.path)
    switch reader.read(target.fileSystemPath, into: &buffer) {
    case .text(let count):
      output.summary.filesScanned += 1
      output.summary.bytesScanned += count
      buffer.withUnsafeBufferPointer { whole in
        let bytes = UnsafeBufferPointer(rebasing: whole[0..<count])
        matches += worker.detectContent(bytes, path: target.path)
        output.findings += builder.findings(for: matches, path: target.path, bytes: bytes)
      }
      return
    case .skipped(let reason):
      output.summary.skipped[reason, default: 0] += 1
    case .failed(let reason):
      output.summary.skipped[.unreadable, default: 0] += 1
      output.diagnostics.append(
        Diagnostic(.warning, "cannot read file: \(reason); it was not scanned", file: target.path))
    }
    output.findings += builder.findings(
      for: matches, path: target.path, bytes: UnsafeBufferPointer(start: nil, count: 0))
  }

  /// Decides the root that paths are relative to and lists every target.
  ///
  /// One directory argument is the root itself; otherwise the root is the current
  /// directory and each argument keeps the path the user wrote, normalised.
  private func collectTargets() throws(ScanError) -> (String, FileWalker.Listing) {
    let manager = FileManager.default
    let current = Self.absolute(
      options.workingDirectory ?? manager.currentDirectoryPath, from: manager.currentDirectoryPath)
    let arguments = (options.paths.isEmpty ? ["."] : options.paths).map {
      (given: $0, absolute: Self.absolute($0, from: current))
    }
    var isDirectory: ObjCBool = false
    if arguments.count == 1,
      manager.fileExists(atPath: arguments[0].absolute, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      let root = arguments[0].absolute
      return (root, FileWalker().list(directory: root, prefix: ""))
    }
    var listing = FileWalker.Listing()
    for argument in arguments {
      guard manager.fileExists(atPath: argument.absolute, isDirectory: &isDirectory) else {
        throw .missingPath(argument.given)
      }
      let display = Self.relative(argument.absolute, to: current)
      if isDirectory.boolValue {
        let part = FileWalker().list(
          directory: argument.absolute, prefix: display == "." ? "" : display + "/")
        listing.targets += part.targets
        listing.warnings += part.warnings
        listing.skipped.merge(part.skipped, uniquingKeysWith: +)
      } else {
        listing.targets.append(ScanTarget(path: display, fileSystemPath: argument.absolute))
      }
    }
    return (current, listing)
  }

  static func absolute(_ path: String, from directory: String) -> String {
    let joined = path.hasPrefix("/") ? path : directory + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.path
  }

  /// `path` relative to `root` with `/`, or `path` itself when it is outside `root`.
  static func relative(_ path: String, to root: String) -> String {
    if path == root { return "." }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}

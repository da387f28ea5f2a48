import Synchronization
import VigilWalk

/// Running totals a scan publishes while it works, for a progress line.
///
/// Workers add to relaxed atomic counters once per file; a reader may see totals a
/// file or two behind, which is all a progress line needs.
public final class ScanProgress: Sendable {
  private let files = Atomic<Int>(0)
  private let bytes = Atomic<Int>(0)
  private let findings = Atomic<Int>(0)
  /// Files found so far: by a walk, as it lists directories (so the total grows while
  /// it runs); by a git input, as it hands them on.
  private let found = Atomic<Int>(0)

  public init() {}

  func found(files: Int) {
    found.add(files, ordering: .relaxed)
  }

  func found(_ items: [WalkItem]) {
    let files = items.reduce(0) { count, item in
      if case .files(let targets) = item { return count + targets.count }
      return count
    }
    if files > 0 { found(files: files) }
  }

  /// Back to nothing found: a scan that starts again (with the nested configs it met).
  func restart() {
    files.store(0, ordering: .relaxed)
    bytes.store(0, ordering: .relaxed)
    findings.store(0, ordering: .relaxed)
    found.store(0, ordering: .relaxed)
  }

  func add(files: Int = 1, bytes: Int, findings: Int) {
    self.files.add(files, ordering: .relaxed)
    self.bytes.add(bytes, ordering: .relaxed)
    self.findings.add(findings, ordering: .relaxed)
  }

  public var snapshot: (files: Int, found: Int, bytes: Int, findings: Int) {
    (
      files.load(ordering: .relaxed), found.load(ordering: .relaxed), bytes.load(ordering: .relaxed),
      findings.load(ordering: .relaxed)
    )
  }

  /// What a progress line says after `seconds`: files scanned of those found so far
  /// (a percentage of them), bytes, findings and rate.
  public func statusText(seconds: Double) -> String {
    let (files, found, bytes, findings) = snapshot
    var text = "\(files) of \(max(found, files)) files found so far"
    if found > 0 { text += " (\(min(100, files * 100 / found))%)" }
    text += ", \(ByteCount.text(bytes)), \(findings) finding\(findings == 1 ? "" : "s")"
    return text + " (\(ByteCount.text(Int(Double(bytes) / max(seconds, 0.001))))/s)"
  }
}

import Synchronization

/// Running totals a scan publishes while it works, for a progress line.
///
/// Workers add to relaxed atomic counters once per file; a reader may see totals a
/// file or two behind, which is all a progress line needs.
public final class ScanProgress: Sendable {
  private let files = Atomic<Int>(0)
  private let bytes = Atomic<Int>(0)
  private let findings = Atomic<Int>(0)

  public init() {}

  func add(files: Int = 1, bytes: Int, findings: Int) {
    self.files.add(files, ordering: .relaxed)
    self.bytes.add(bytes, ordering: .relaxed)
    self.findings.add(findings, ordering: .relaxed)
  }

  public var snapshot: (files: Int, bytes: Int, findings: Int) {
    (files.load(ordering: .relaxed), bytes.load(ordering: .relaxed), findings.load(ordering: .relaxed))
  }
}

import Testing
import VigilTestSupport

@testable import VigilKit

/// What the progress line and the summary say about sizes and counts.
@Suite struct ScanProgressTests {
  @Test func byteCountsReadAsPeopleReadThem() {
    #expect(ByteCount.text(1) == "1 byte")
    #expect(ByteCount.text(636) == "636 bytes")
    #expect(ByteCount.text(1536) == "1.5 KB")
    #expect(ByteCount.text(12_900_000) == "12.3 MB")
    #expect(ByteCount.text(3 << 30) == "3.0 GB")
  }

  /// Files scanned of those found so far, with a percentage; one finding is singular.
  @Test func theStatusGivesATotalAndAPercentage() {
    let progress = ScanProgress()
    #expect(progress.statusText(seconds: 1) == "0 of 0 files found so far, 0 bytes, 0 findings (0 bytes/s)")
    progress.found(files: 8)
    progress.add(bytes: 3 << 20, findings: 1)
    progress.add(bytes: 1 << 20, findings: 0)
    #expect(
      progress.statusText(seconds: 2) == "2 of 8 files found so far (25%), 4.0 MB, 1 finding (2.0 MB/s)")
  }

  /// A walk counts the files it finds as it lists directories; every file it scans
  /// was found first.
  @Test func aWalkCountsWhatItFinds() throws {
    let tree = try TemporaryTree()
    for index in 0..<30 { try tree.write("d\(index % 3)/f\(index).txt", "x\n") }
    let progress = ScanProgress()
    var options = ScanOptions(paths: [tree.path])
    options.progress = progress
    _ = try Scanner(pack: ScannerTests.pack, options: options).run()
    let snapshot = progress.snapshot
    #expect(snapshot.files == 30)
    #expect(snapshot.found == 30)
  }
}

import Foundation
import Testing
import VigilTestSupport

/// Closed and broken standard streams: a clear line and exit 2 for a closed one, a quiet
/// end with the status the scan would have had for a broken pipe; never a crash.
@Suite struct StandardStreamsTests {
  /// A tree whose text report is far larger than a pipe's buffer.
  private func bigTree() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x919E)
    try tree.write("many.py", (0..<3000).map { "t\($0) = \"\(tokens.githubToken())\"\n" }.joined())
    return tree
  }

  private func shell(_ script: String, _ tree: TemporaryTree) throws -> ProcessOutput {
    try ProcessRunner.run(
      "/bin/bash", ["-c", script], in: tree.path,
      environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "VIGIL": VigilBinary.path], timeout: 60)
  }

  private func expectNoCrash(_ output: ProcessOutput) {
    for sign in ["bug", "Fatal error", "Illegal instruction", "SIGILL", "Backtrace"] {
      #expect(!output.stderr.contains(sign), "\(output.stderr)")
    }
  }

  @Test func aBrokenPipeEndsQuietlyWithTheStatusTheScanHad() throws {
    let tree = try bigTree()
    for format in ["text", "json", "sarif"] {
      let output = try shell(
        #""$VIGIL" scan --format \#(format) . | head -1 >/dev/null; echo "status=${PIPESTATUS[0]}""#, tree)
      #expect(output.stdout == "status=1\n", "\(format): \(output.stdout) \(output.stderr)")
      expectNoCrash(output)
    }
  }

  @Test func aClosedStandardOutputIsAnIOError() throws {
    let tree = try bigTree()
    let output = try shell(#""$VIGIL" scan . >&-; echo "status=$?""#, tree)
    #expect(output.stdout == "status=2\n", "\(output.stdout) \(output.stderr)")
    #expect(output.stderr.contains("standard output is closed"), "\(output.stderr)")
    expectNoCrash(output)
  }

  @Test func aClosedStandardInputIsAnIOError() throws {
    let tree = try bigTree()
    let output = try shell(#""$VIGIL" scan - <&-; echo "status=$?""#, tree)
    #expect(output.stdout.hasSuffix("status=2\n"), "\(output.stdout) \(output.stderr)")
    #expect(output.stderr.contains("cannot read standard input: it is closed"), "\(output.stderr)")
    expectNoCrash(output)
  }

  /// Standard input has no end a scan can wait for (`yes | vigil scan -`): past
  /// --max-file-size it is refused, never truncated.
  @Test func standardInputPastTheSizeLimitIsRefused() throws {
    let tree = try bigTree()
    let output = try shell(#"yes | "$VIGIL" scan --max-file-size 100000 -; echo "status=$?""#, tree)
    #expect(output.stdout.hasSuffix("status=2\n"), "\(output.stdout) \(output.stderr)")
    #expect(output.stderr.contains("larger than --max-file-size"), "\(output.stderr)")
    let small = try shell(
      #"head -c 5000 many.py | "$VIGIL" scan --max-file-size 100000 - >/dev/null; echo "status=$?""#, tree)
    #expect(small.stdout == "status=1\n", "\(small.stderr)")
  }

  @Test func absurdJobCountsAreCapped() throws {
    let tree = try bigTree()
    let output = try VigilBinary.run(["scan", "-q", "-j", "100000", tree.path], timeout: 60)
    #expect(!output.timedOut)
    #expect(output.status == 1, "\(output.stderr)")
  }
}

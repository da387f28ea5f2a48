import Foundation
import Testing

@testable import VigilGit

/// The two limits a child gets: on its whole run, and on silence (what stops git when a
/// file it reads turns out to be a FIFO).
@Suite struct SubprocessTests {
  private let environment = ["PATH": "/usr/bin:/bin"]

  @Test func aSilentChildIsStopped() throws {
    let started = Date()
    #expect {
      _ = try Subprocess.run(["sleep", "30"], environment: environment, stallTimeout: 0.5) { _ in }
    } throws: { error in
      "\(error)".contains("gave no output for")
    }
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func aChildThatKeepsTalkingIsNotStopped() throws {
    var output: [UInt8] = []
    let outcome = try Subprocess.run(
      ["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo $i; sleep 0.2; done"], environment: environment,
      stallTimeout: 1
    ) { output += $0 }
    #expect(outcome.status == 0)
    #expect(String(decoding: output, as: UTF8.self) == (1...8).map { "\($0)\n" }.joined())
  }

  @Test func aChildPastItsTimeLimitIsStopped() throws {
    #expect {
      _ = try Subprocess.run(
        ["sh", "-c", "while true; do echo x; sleep 0.1; done"], environment: environment, timeout: 0.5,
        stallTimeout: 5
      ) { _ in }
    } throws: { error in
      "\(error)".contains("did not finish within")
    }
  }
}

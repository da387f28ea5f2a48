import Foundation
import Testing
import VigilTestSupport

/// Measured quality: the labelled corpus from Benchmarks/generate-eval-corpus.py,
/// scored by `vigil eval`, must reach F1 ≥ 0.95 in every category.
@Suite struct EvaluationTests {
  @Test func f1IsAtLeast95PercentInEveryCategory() throws {
    let tree = try TemporaryTree()
    let generator = RepositoryPaths.root + "/Benchmarks/generate-eval-corpus.py"
    let generated = try ProcessRunner.run(
      "/usr/bin/env", ["python3", generator, tree.path + "/corpus", "--per-template", "8", "--seed", "3"])
    #expect(generated.status == 0, "\(generated.stderr)")
    let output = try VigilBinary.run(["eval", tree.path + "/corpus", "--min-f1", "0.95"])
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    for category in ["secret-file", "secret", "sql-injection", "unwrap", "cors"] {
      #expect(output.stdout.contains("\n" + category), "no row for \(category)")
    }
  }

  @Test func evalFailsWhenAFindingIsMissed() throws {
    // The command must be able to fail: a label nobody can find drops recall.
    let tree = try TemporaryTree()
    try tree.write("a.py", "x = 1\n")
    try tree.write("labels.json", #"{"findings": [{"path": "a.py", "line": 1, "category": "secret"}]}"#)
    let output = try VigilBinary.run(["eval", tree.path, "--min-f1", "0.95"])
    #expect(output.status == 1)
    #expect(output.stdout.contains("\nsecret            0     0     1 "))
  }

  /// Labels and merged reports are files the user names: a FIFO is refused for what it is
  /// (it was opened and waited on a writer), and a missing one said in the system's words
  /// (Foundation's were "NSCocoaErrorDomain error 256").
  @Test func labelsAndReportsThatAreNoFilesAreRefusedForWhatTheyAre() throws {
    let tree = try TemporaryTree()
    let fifo = tree.path + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    let cases: [([String], String)] = [
      (
        ["eval", tree.path, "--labels", fifo],
        "\(fifo): error: cannot read the labels: it is not a regular file"
      ),
      (
        ["eval", tree.path + "/nowhere"],
        "/nowhere/labels.json: error: cannot read the labels: No such file or directory"
      ),
      (["merge", fifo], "\(fifo): error: cannot read the report: it is not a regular file"),
      (
        ["merge", tree.path + "/none.sarif"],
        "none.sarif: error: cannot read the report: No such file or directory"
      ),
    ]
    for (arguments, message) in cases {
      let output = try VigilBinary.run(arguments, timeout: 30)
      #expect(output.status == 2, "\(arguments)")
      #expect(output.stderr.contains(message), "\(arguments): \(output.stderr)")
    }
  }
}

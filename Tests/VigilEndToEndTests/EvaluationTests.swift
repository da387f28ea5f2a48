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
}

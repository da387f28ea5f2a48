import Foundation
import Testing
import VigilTestSupport

/// What vigil wrote gives no findings again: reports and baselines in the tree that git
/// does not track, and the `-o` file, are scanned with the secret rules only (their
/// rules' help quotes code the code rules report; the secrets in them are masked), so
/// that a key in a file dressed up as a report is still found; a tracked or staged one
/// is scanned like any file.
@Suite struct OwnReportsTests {
  private static func findings(_ output: ProcessOutput) throws -> [String] {
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    return (document?["findings"] as? [[String: Any]] ?? []).map {
      "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")"
    }.sorted()
  }

  @Test func reportsWrittenIntoTheTreeAreNotScannedAgain() throws {
    var tokens = TestTokens(seed: 0x0A11)
    let tree = try Git.repository()
    try tree.write("app.js", "const token = '\(tokens.githubToken())';\napp.use(cors());\n")
    try Git.run(["add", "app.js"], in: tree.path)
    try Git.run(["commit", "-qm", "app"], in: tree.path)
    let first = try Self.findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    #expect(!first.isEmpty)

    // The README's commands, one after another, writing into the tree.
    for arguments in [
      ["--format", "sarif", "-o", "vigil.sarif"], ["--format", "sarif", "-o", "vigil.sarif"],
      ["-o", "audit.html"],
      ["--format", "json", "-o", "report.json"], ["--write-baseline", "baseline.json"],
      ["--format", "csv", "-o", "report.csv"], ["--format", "junit", "-o", "report.xml"],
    ] {
      _ = try VigilBinary.run(["scan"] + arguments + ["."], in: tree.path)
    }
    let summary = try VigilBinary.run(["scan", "."], in: tree.path).stderr
    // Scanned, with the secret rules only: the same findings as before them.
    #expect(summary.contains("in 8 files"), "\(summary)")
    #expect(try Self.findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)) == first)

    // The text report has no marker: a scan leaves out its own -o file.
    for _ in 0..<2 { _ = try VigilBinary.run(["scan", "-o", "report.txt", "."], in: tree.path) }
    let text = try String(contentsOfFile: tree.path + "/report.txt", encoding: .utf8)
    #expect(text.contains("app.js:") && !text.contains("report.txt:"), "\(text)")

    // --include-reports scans them: the rule help and snippets inside come back.
    let included = try Self.findings(
      VigilBinary.run(["scan", "--include-reports", "--format", "json", "."], in: tree.path))
    #expect(included.count > first.count)

    // A file git tracks is scanned whatever it looks like: a report with a key in it.
    let sarif = try String(contentsOfFile: tree.path + "/vigil.sarif", encoding: .utf8)
    try tree.write("vigil.sarif", sarif + "\n\(tokens.githubToken())\n")
    try Git.run(["add", "vigil.sarif"], in: tree.path)
    let staged = try Self.findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    #expect(staged.contains("github-token vigil.sarif"), "\(staged)")
    // The same for a scan rooted in a subdirectory of the repository.
    let json = try String(contentsOfFile: tree.path + "/report.json", encoding: .utf8)
    try tree.write("sub/report.json", json + "\n\(tokens.githubToken())\n")
    try tree.write("sub/untracked.json", json + "\n\(tokens.githubToken())\n")
    try Git.run(["add", "sub/report.json"], in: tree.path)
    let sub = try Self.findings(VigilBinary.run(["scan", "--format", "json", "sub"], in: tree.path))
    #expect(sub == ["github-token report.json", "github-token untracked.json"], "\(sub)")

    // Files not tracked, outside any repository, dressed up with a report's first
    // lines: what they hold is still found.
    let loose = try TemporaryTree()
    try loose.write(
      "config.py",
      "ruleId,category,severity,path,line,column,endLine,endColumn,fingerprint,secret,message,snippet,commit\r\n"
        + "token = \"\(tokens.githubToken())\"\n")
    try loose.write(
      ".env",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vigil\" >\nDB_PASSWORD=Xk29dLq8vPz3\n")
    let dressed = try Self.findings(VigilBinary.run(["scan", "--format", "json", "."], in: loose.path))
    #expect(dressed == ["dotenv-file .env", "github-token config.py"], "\(dressed)")
  }
}

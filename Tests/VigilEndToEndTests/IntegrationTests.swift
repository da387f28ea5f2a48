import Foundation
import Testing
import VigilTestSupport

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The integrations as their users run them: the pre-commit framework, shards merged
/// back, JUnit, CSV and the HTML report in a real browser (the git hook has
/// `InstallHookTests`).
@Suite struct IntegrationTests {
  /// The pre-commit framework runs the hook this repository defines
  /// (`.pre-commit-hooks.yaml`), as a local hook on the vigil already built: the same
  /// entry, arguments and options, without the framework's release build of vigil (ten
  /// minutes here). `Scripts/check-pre-commit.sh` runs the from-source case below.
  @Test func preCommitFrameworkRunsTheHookDefinedHere() throws {
    try expectPreCommitBlocksASecret { tree in
      let script = """
        import sys, yaml
        hook = yaml.safe_load(open(sys.argv[1]))[0]
        program, _, rest = hook["entry"].partition(" ")
        assert program == "vigil", hook["entry"]
        hook.update(entry=sys.argv[2] + " " + rest, language="system")
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, open(".pre-commit-config.yaml", "w"))
        """
      let written = try ProcessRunner.run(
        "/usr/bin/env",
        ["python3", "-c", script, RepositoryPaths.root + "/.pre-commit-hooks.yaml", VigilBinary.path],
        in: tree.path)
      #expect(written.status == 0, "\(written.stderr)")
      try Git.run(["add", ".pre-commit-config.yaml"], in: tree.path)
      return ["run"]
    }
  }

  /// The same through `pre-commit try-repo` on this checkout: the framework builds vigil
  /// from source in release mode, as a user's first run does.
  @Test(
    .enabled(if: ProcessInfo.processInfo.environment["VIGIL_PRE_COMMIT_FROM_SOURCE"] != nil),
    .timeLimit(.minutes(30)))
  func preCommitFrameworkBuildsTheHookFromSource() throws {
    try expectPreCommitBlocksASecret { _ in ["try-repo", RepositoryPaths.root, "vigil", "--verbose"] }
  }

  /// A clean staged change passes the hook and a staged secret fails it, unprinted.
  private func expectPreCommitBlocksASecret(_ setUp: (TemporaryTree) throws -> [String]) throws {
    let tree = try Git.repository()
    let home = try TemporaryTree()
    var environment = ProcessInfo.processInfo.environment
    environment["PRE_COMMIT_HOME"] = home.path
    let arguments = try setUp(tree)
    func preCommit() throws -> ProcessOutput {
      try ProcessRunner.run(
        "/usr/bin/env", ["python3", "-m", "pre_commit"] + arguments, in: tree.path, environment: environment)
    }
    try tree.write("notes.txt", "nothing secret\n")
    try Git.run(["add", "notes.txt"], in: tree.path)
    let clean = try preCommit()
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(clean.stdout.contains("vigil"))

    var tokens = TestTokens(seed: 92)
    let token = tokens.githubToken()
    try tree.write("app.env.sh", "export TOKEN=\(token)\n")
    try Git.run(["add", "app.env.sh"], in: tree.path)
    let leaked = try preCommit()
    #expect(leaked.status != 0)
    #expect(leaked.stdout.contains("github-token"), "\(leaked.stdout)")
    #expect(leaked.stdout.contains("vigil: commit blocked by the findings above"), "\(leaked.stdout)")
    #expect(leaked.stdout.contains("`SKIP=vigil git commit` skips this hook"))
    #expect(!(leaked.stdout + leaked.stderr).contains(token))
  }

  @Test func theUnionOfShardsIsTheFullScan() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 93)
    for index in 0..<40 {
      try tree.write("pkg\(index % 5)/f\(index).py", "t = '\(tokens.githubToken())'\n")
      try tree.write("pkg\(index % 5)/g\(index).rs", "fn f() { x.unwrap(); }\n")
    }
    let full = try VigilBinary.run(["scan", "--format", "json", tree.path])
    var shardFiles: [String] = []
    var shardSARIF: [String] = []
    for shard in 1...3 {
      let json = tree.path + "/../shard-\(shard)-\(UUID().uuidString).json"
      let sarif = tree.path + "/../shard-\(shard)-\(UUID().uuidString).sarif"
      shardFiles.append(json)
      shardSARIF.append(sarif)
      let output = try VigilBinary.run(["scan", "--shard", "\(shard)/3", "-o", json, tree.path])
      #expect(output.status == 1, "\(output.stderr)")
      _ = try VigilBinary.run(["scan", "--shard", "\(shard)/3", "-o", sarif, tree.path])
    }
    defer { for file in shardFiles + shardSARIF { try? FileManager.default.removeItem(atPath: file) } }
    let merged = try VigilBinary.run(["merge"] + shardFiles)
    #expect(merged.status == 1)
    func findings(_ text: String) throws -> [NSDictionary] {
      let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
      return (object?["findings"] as? [NSDictionary]) ?? []
    }
    let expected = try findings(full.stdout)
    #expect(expected.count == 80)
    #expect(try findings(merged.stdout) == expected)
    // Each shard is a proper part: none holds everything.
    for file in shardFiles {
      let part = try findings(try String(contentsOfFile: file, encoding: .utf8))
      #expect(!part.isEmpty && part.count < expected.count)
    }
    let mergedSARIF = try VigilBinary.run(["merge"] + shardSARIF)
    #expect(try SARIFValidator.errors(in: mergedSARIF.stdout) == [])
    let log = try JSONSerialization.jsonObject(with: Data(mergedSARIF.stdout.utf8)) as? [String: Any]
    let runs = try #require(log?["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    #expect((runs[0]["results"] as? [Any])?.count == 80)
    let ruleIDs =
      (((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])?
      .compactMap { $0["id"] as? String } ?? []
    #expect(Set(ruleIDs).count == ruleIDs.count)
    #expect(try VigilBinary.run(["scan", "--shard", "4/3", tree.path]).status == 2)
  }

  /// `vigil merge` exits as the unsharded scan does: suppressed findings and fixture
  /// notes do not fail it, `--fail-on` moves the bar, a finding at it fails.
  @Test func mergeExitsAsTheScanDoes() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 94)
    try tree.write("app/tests/fixture.py", "TOKEN = '\(tokens.githubToken())'\n")
    try tree.write("app/allowed.py", "T = '\(tokens.githubToken())'  # vigil:allow a revoked token\n")
    let root = tree.path + "/app"
    #expect(try VigilBinary.run(["scan", "-q", root]).status == 0)
    var reports: [String] = []
    defer { for file in reports { try? FileManager.default.removeItem(atPath: file) } }
    for format in ["json", "sarif"] {
      let report = tree.path + "/../merge-\(UUID().uuidString).\(format)"
      reports.append(report)
      let shard = try VigilBinary.run(
        ["scan", "-q", "--include-suppressed", "--shard", "1/1", "--format", format, "-o", report, root])
      #expect(shard.status == 0, "\(shard.stderr)")
      #expect(try VigilBinary.run(["merge", report]).status == 0, "\(format)")
      #expect(try VigilBinary.run(["merge", "--fail-on", "note", report]).status == 1, "\(format)")
      guard format == "sarif" else { continue }
      // A suppression marked rejected (a later review's) is not in effect: it fails.
      let text = try String(contentsOfFile: report, encoding: .utf8)
      let rejected = report + ".rejected.sarif"
      reports.append(rejected)
      try text.replacingOccurrences(
        of: "\"justification\"", with: "\"status\":\"rejected\",\"justification\""
      )
      .write(toFile: rejected, atomically: true, encoding: .utf8)
      #expect(try VigilBinary.run(["merge", rejected]).status == 1)
    }
    try tree.write("app/settings.py", "TOKEN = '\(tokens.githubToken())'\n")
    for format in ["json", "sarif"] {
      let report = tree.path + "/../merge-\(UUID().uuidString).\(format)"
      reports.append(report)
      _ = try VigilBinary.run(["scan", "-q", "--format", format, "-o", report, root])
      #expect(try VigilBinary.run(["merge", report]).status == 1, "\(format)")
      #expect(try VigilBinary.run(["merge", "--fail-on", "error", report]).status == 1, "\(format)")
    }
  }

  /// A shard's scan that failed under `--strict` (a file larger than --max-file-size
  /// not read) says so in its report (SARIF's executionSuccessful false, JSON's
  /// `failure`), and the merge fails as the unsharded scan does; so does a merge missing
  /// a shard, or given one twice (each report records its K/N).
  @Test func mergeFailsWhereAShardFailedOrIsMissing() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 95)
    try tree.write("big.py", "T = '\(tokens.githubToken())'\n" + String(repeating: "#", count: 4000) + "\n")
    for index in 0..<20 { try tree.write("n\(index).txt", "note \(index)\n") }
    let strict = ["--strict", "--max-file-size", "200"]
    #expect(try VigilBinary.run(["scan", "-q"] + strict + [tree.path]).status == 2)
    var reports: [String] = []
    defer { for file in reports { try? FileManager.default.removeItem(atPath: file) } }
    for format in ["json", "sarif"] {
      var shards: [String] = []
      var lenient: [String] = []
      for shard in 1...2 {
        let report = tree.path + "/../strict-\(shard)-\(UUID().uuidString).\(format)"
        let plain = tree.path + "/../plain-\(shard)-\(UUID().uuidString).\(format)"
        reports += [report, plain]
        shards.append(report)
        lenient.append(plain)
        _ = try VigilBinary.run(
          ["scan", "-q", "--shard", "\(shard)/2", "--format", format, "-o", report] + strict + [tree.path])
        _ = try VigilBinary.run([
          "scan", "-q", "--shard", "\(shard)/2", "--format", format, "-o", plain, tree.path,
        ])
      }
      let merged = try VigilBinary.run(["merge"] + shards)
      #expect(merged.status == 2, "\(format): \(merged.stderr)")
      #expect(merged.stderr.contains("larger than --max-file-size"), "\(merged.stderr)")
      if format == "sarif" {
        #expect(try SARIFValidator.errors(in: merged.stdout) == [])
        let log = try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any]
        let invocation = ((log?["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?
          .first
        #expect(invocation?["executionSuccessful"] as? Bool == false)
        // The failed shard's reason once, as it gave it.
        let notes = invocation?["toolExecutionNotifications"] as? [[String: Any]] ?? []
        #expect(notes.count { ($0["level"] as? String) == "error" } == 1, "\(notes)")
      }
      #expect(try VigilBinary.run(["merge"] + lenient).status == 1, "\(format)")
      if format == "json" {
        // JUnit, the HTML audit and a text report kept as a file say the failure too (a
        // test case in error; a line).
        for name in ["report.junit", "report.html", "report.txt"] {
          let report = tree.path + "/../\(UUID().uuidString)-\(name)"
          reports.append(report)
          #expect(try VigilBinary.run(["scan", "-q", "-o", report] + strict + [tree.path]).status == 2)
          let text = try String(contentsOfFile: report, encoding: .utf8)
          #expect(text.contains("larger than --max-file-size"), "\(name)")
          #expect(!name.hasSuffix("junit") || text.contains("errors=\"1\""))
        }
      }
      let missing = try VigilBinary.run(["merge", lenient[0]])
      #expect(missing.status == 2 && missing.stderr.contains("1 shard missing (2/2)"), "\(missing.stderr)")
      let twice = try VigilBinary.run(["merge"] + lenient + [lenient[1]])
      #expect(twice.status == 2 && twice.stderr.contains("given more than once"), "\(twice.stderr)")
      // A shard out of range, or a count past all reason: said, at once.
      for shard in ["3/2", "0/2", "1/0", "1/99999999999"] {
        let text = try String(contentsOfFile: lenient[0], encoding: .utf8)
        let forged = lenient[0] + ".forged.\(format)"
        reports.append(forged)
        try text.replacingOccurrences(of: "\"1/2\"", with: "\"\(shard)\"").write(
          toFile: forged, atomically: true, encoding: .utf8)
        let merged = try VigilBinary.run(["merge", forged], timeout: 30)
        #expect(merged.status == 2, "\(shard): \(merged.stderr)")
      }
    }
  }

  @Test func junitAndCSV() throws {
    let tree = try TemporaryTree()
    try SampleTree.write(into: tree)
    try tree.write(
      "web/formula.js",
      "const rows = db.query(\"SELECT * FROM t WHERE a = '\" + req.body.x); // =cmd|' /C calc'!A0\n")
    let junit = try VigilBinary.run(["scan", "--format", "junit", tree.path])
    #expect(junit.status == 1)
    let parser = XMLParser(data: Data(junit.stdout.utf8))
    #expect(parser.parse(), "JUnit output is not well-formed XML")
    #expect(junit.stdout.contains("<testsuites name=\"vigil\""))
    #expect(junit.stdout.contains("failures=\"8\""))
    #expect(junit.stdout.components(separatedBy: "<failure ").count - 1 == 8)

    let csv = try VigilBinary.run(["scan", "--format", "csv", tree.path])
    #expect(csv.status == 1)
    let rows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(rows.first?.hasPrefix("ruleId,category,severity,path,line,column") == true)
    #expect(rows.count == 9)
    #expect(!csv.stdout.contains(",=cmd"))
  }

  @Test func htmlReportRendersInARealBrowser() throws {
    let tree = try TemporaryTree()
    let secrets = try SampleTree.write(into: tree)
    try tree.write(
      "xss.py", "t = 1\nk = '\(TestTokens(seed: 94).awsKeyIDFromSeed())'  # <img src=x onerror=alert(1)>\n")
    let report = tree.path + "/../report-\(UUID().uuidString).html"
    defer { try? FileManager.default.removeItem(atPath: report) }
    let output = try VigilBinary.run(["scan", "-o", report, tree.path])
    #expect(output.status == 1)
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))
    #expect(!html.contains("<img src=x"))
    #expect(!html.contains(secrets.githubToken) && !html.contains(secrets.awsSecret))
    let dom = try Self.renderedDOM(of: report)
    #expect(dom.status == 0, "\(dom.stderr)")
    #expect(dom.stdout.contains("data-ready=\"true\""), "the page's script did not run")
    #expect(dom.stdout.contains("Showing 8 of 8 findings"))
    #expect(dom.stdout.components(separatedBy: "class=\"finding\"").count - 1 == 8)
    let size = try Self.screenshotSize(of: report, in: tree, window: "1200,900")
    #expect(size > 20_000, "the screenshot is nearly empty")
  }
  /// `vigil scan --history -o audit.html` in a real browser: the header says what was
  /// scanned, each finding names its commit (a hostile subject shown as text), the
  /// timeline is drawn, and a path-only finding has no empty snippet box.
  @Test func historyAuditNamesEachCommitInARealBrowser() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 95)
    let token = tokens.githubToken()
    try tree.write("src/client.py", "TOKEN = '\(token)'\n")
    try Git.run(["add", "."], in: tree.path)
    let subject = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>"
    try Git.run(
      [
        "commit", "-qm", subject, "--author", "Mallory & \"Co\" Ltd <mallory@example.invalid>",
        "--date", "2025-03-05T10:00:00Z",
      ], in: tree.path)
    let leak = try Git.run(["rev-parse", "HEAD"], in: tree.path).trimmingCharacters(
      in: .whitespacesAndNewlines)
    try tree.write("backup.tar.age", "age-encryption.org/v1\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add backup"], in: tree.path)
    let head = try Git.run(["rev-parse", "HEAD"], in: tree.path).trimmingCharacters(
      in: .whitespacesAndNewlines)

    let report = tree.path + "/../audit-\(UUID().uuidString).html"
    defer { try? FileManager.default.removeItem(atPath: report) }
    let output = try VigilBinary.run(["scan", "--history", "--no-cache", "-o", report], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(!html.contains(token) && !html.contains(String(token.prefix(8))))
    #expect(!html.contains(tree.path), "the local path of the checkout stays off the page")

    let dom = try Self.renderedDOM(of: report)
    #expect(dom.status == 0, "\(dom.stderr)")
    let page = dom.stdout
    #expect(page.contains("data-ready=\"true\""), "the page's script did not run")
    #expect(page.contains("Showing 2 of 2 findings"))
    let version = try VigilBinary.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let name = URL(fileURLWithPath: tree.path).lastPathComponent
    for field in [
      "<dt>Scanned</dt><dd>\(name)</dd>", "<dt>Scan</dt><dd>history: every commit reachable from HEAD</dd>",
      "<dt>Revision</dt><dd>main at \(head.prefix(12))</dd>", "<dt>Started</dt><dd>20",
      "<dt>vigil</dt><dd>\(version)</dd>",
    ] {
      #expect(page.contains(field), "missing \(field)")
    }
    #expect(page.contains(">\(leak.prefix(12))</code>"))
    #expect(page.contains(">2025-03-05</time>"))
    #expect(page.contains("Mallory &amp; \"Co\" Ltd</div>"))
    #expect(
      page.contains("&lt;script&gt;alert(1)&lt;/script&gt; \"&gt;&lt;img src=x onerror=alert(2)&gt;</div>"))
    #expect(!page.contains("<img") && !page.contains("<script>alert"))
    #expect(page.contains("<svg id=\"timeline\""))
    #expect(page.contains("<title>2025-03: 1 finding</title>"))
    #expect(page.contains("id=\"commit-filter\""))
    // The token's row has its snippet; the age file's row (a path alone) has none.
    #expect(page.components(separatedBy: "<pre>").count - 1 == 1)

    let size = try Self.screenshotSize(of: report, in: tree, window: "1280,1600")
    #expect(size > 20_000, "the screenshot is nearly empty")
  }

  /// The page as headless Chromium leaves it once its script has run.
  private static func renderedDOM(of page: String) throws -> ProcessOutput {
    try ProcessRunner.run(
      "/usr/bin/env",
      ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + page])
  }

  /// The size in bytes of a headless Chromium screenshot of the page (removed after).
  private static func screenshotSize(of page: String, in tree: TemporaryTree, window: String) throws -> Int {
    let shot = tree.path + "/../shot-\(UUID().uuidString).png"
    defer { try? FileManager.default.removeItem(atPath: shot) }
    _ = try ProcessRunner.run(
      "/usr/bin/env",
      [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--window-size=" + window,
        "--screenshot=" + shot, "file://" + page,
      ])
    return (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
  }
}

import Foundation
import Testing
import VigilTestSupport

/// Usage errors, I/O errors and the informational commands.
@Suite struct CommandLineTests {
  @Test func usageErrorsExitTwo() throws {
    let unknownFlag = try VigilBinary.run(["scan", "--frobnicate"])
    #expect(unknownFlag.status == 2)
    #expect(unknownFlag.stderr.contains("--frobnicate"))
    #expect(try VigilBinary.run(["scan", "--jobs", "0", "."]).status == 2)
    #expect(try VigilBinary.run(["scan", "--format", "xml", "."]).status == 2)
    #expect(try VigilBinary.run(["nonsense"]).status == 2)
  }

  @Test func aMissingPathExitsTwo() throws {
    let output = try VigilBinary.run(["scan", "/nonexistent/vigil-path"])
    #expect(output.status == 2)
    #expect(output.stderr.contains("/nonexistent/vigil-path: no such file or directory"))
  }

  @Test func anUnwritableOutputExitsTwoAndLeavesNoFile() throws {
    let tree = try TemporaryTree()
    try tree.write("a.rs", "x.unwrap();\n")
    let target = tree.path + "/missing-dir/report.sarif"
    let output = try VigilBinary.run(["scan", "-o", target, tree.path + "/a.rs"])
    #expect(output.status == 2)
    #expect(output.stderr.contains("cannot write"))
    #expect(!FileManager.default.fileExists(atPath: target))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: tree.path)
    #expect(leftovers == ["a.rs"])
  }

  @Test func versionAndHelp() throws {
    let version = try VigilBinary.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.2.0")
    let help = try VigilBinary.run(["scan", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("Exit status: 0 no findings at or above --fail-on"))
    let rootHelp = try VigilBinary.run(["--help"])
    #expect(rootHelp.status == 0)
    #expect(rootHelp.stdout.contains("EXIT STATUS"))
  }

  /// An argument or a working directory that is not UTF-8 text was read with each bad
  /// byte as U+FFFD: `vigil scan k<FF>.py` scanned `k\u{FFFD}.py` and passed, and a tree
  /// under such a directory was "not found". Both are refused, saying what to do.
  @Test func argumentsAndDirectoriesThatAreNotTextAreRefusedSayingSo() throws {
    let tree = try TemporaryTree()
    let run = try ProcessRunner.python(
      "import os, subprocess, sys\n"
        + "os.mkdir(b'r\\xe9'); open(b'k\\xff.py', 'w').write('x = 1\\n')\n"
        + "open(b'k\\xef\\xbf\\xbd.py', 'w').write('x = 1\\n')\n"
        + "for args, cwd in (([b'scan', b'k\\xff.py'], b'.'), ([b'scan', b'.'], b'r\\xe9'), ([b'--version'], b'r\\xe9')):\n"
        + "    r = subprocess.run([sys.argv[1].encode()] + args, cwd=cwd, capture_output=True)\n"
        + "    print(r.returncode, r.stderr.decode(errors='replace').strip(), sep=':')\n",
      [VigilBinary.path], in: tree.path)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "\(run.stdout)\(run.stderr)")
    #expect(
      lines.first
        == "2:vigil: error: the argument k\\xFF.py is not UTF-8 text, which vigil cannot name a file by; "
        + "name the directory that holds it (names below it are read as they are)")
    #expect(lines.dropFirst().first?.hasPrefix("2:vigil: error: the current directory's path (") == true)
    #expect(lines.dropFirst().first?.contains("/r\\xE9) is not UTF-8 text") == true)
    #expect(lines.last == "0:", "help and the version need no directory")
  }

  /// Help at 80 columns, for every command: paragraphs wrap without leaving a lone word
  /// on a line mid-paragraph (a sign of text wrapped by hand), and no option states its
  /// default twice.
  @Test func helpWrapsCleanlyAndStatesEachDefaultOnce() throws {
    for command in [
      [], ["scan"], ["merge"], ["rules"], ["rules", "explain"], ["rules", "test"], ["files"],
      ["eval"], ["init"], ["install-hook"],
    ] {
      let help = try VigilBinary.run(command + ["--help"], environment: ["COLUMNS": "80"])
      #expect(help.status == 0)
      let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for (index, line) in lines.enumerated() where index + 1 < lines.count {
        let words = line.split(separator: " ")
        let next = lines[index + 1].trimmingCharacters(in: .whitespaces)
        let continues =
          !next.isEmpty && !next.hasPrefix("-") && !next.hasPrefix("<") && !next.hasPrefix("(")
          && next.first?.isLowercase == true
        let endsSentence = [".", ":", ")", ","].contains { line.hasSuffix($0) }
        #expect(
          !(words.count == 1 && !endsSentence && continues
            && line.hasPrefix(" ") == lines[index + 1].hasPrefix(" ")),
          "vigil \(command.joined(separator: " ")) --help, a lone word: \(line)")
        // USAGE lists the options on one line, as swift-argument-parser writes it.
        #expect(
          line.count <= 80 || line.hasPrefix("USAGE:"),
          "vigil \(command.joined(separator: " ")) --help: \(line)")
      }
      // One option's entry runs from its flag to the next flag.
      var entries: [String] = []
      for line in lines {
        if line.hasPrefix("  -") || line.hasPrefix("  <") {
          entries.append(line)
        } else if !entries.isEmpty {
          entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
        }
      }
      for entry in entries {
        #expect(
          entry.components(separatedBy: "(default").count <= 2,
          "vigil \(command.joined(separator: " ")) --help states a default twice: \(entry)")
      }
    }
  }

  /// The summary says which configuration is in force and how many rules it loaded; a
  /// config that replaces the built-in rules says so, once.
  @Test func theSummaryNamesTheConfigurationInForce() throws {
    let tree = try TemporaryTree()
    try tree.write("app.txt", "nothing here\n")
    let builtIn = try VigilBinary.run(["scan", "."], in: tree.path)
    let count = try VigilBinary.run(["rules"], in: tree.path).stdout.split(separator: "\n").count
    #expect(count > 300)
    #expect(builtIn.stderr.hasSuffix("; \(count) built-in rules\n"), "\(builtIn.stderr)")

    try tree.write(".gitleaks.toml", "[[rules]]\nid = \"only\"\nregex = 'ONLY[0-9]{4}'\n")
    let replaced = try VigilBinary.run(["scan", "."], in: tree.path)
    #expect(
      replaced.stderr.hasSuffix("; .gitleaks.toml: 1 rule, the built-in rules off\n"), "\(replaced.stderr)")
    #expect(replaced.stderr.components(separatedBy: "replaces the built-in rules").count == 2)
    let listed = try VigilBinary.run(["rules"], in: tree.path)
    #expect(listed.stdout.split(separator: "\n").count == 1)
    #expect(listed.stderr.contains("vigil: .gitleaks.toml: 1 rule, the built-in rules off"))

    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n")
    let extended = try VigilBinary.run(["scan", "."], in: tree.path)
    #expect(extended.stderr.hasSuffix("; .vigil.toml: \(count) rules, the built-in ones included\n"))
    #expect(!extended.stderr.contains("replaces the built-in rules"))
  }

  /// A made-up GitHub, npm or Grafana token fails its checksum and is not reported;
  /// `rules explain` says why and gives a fresh token with a valid checksum, which a scan
  /// does report.
  @Test func explainGivesATestTokenThatIsReported() throws {
    // Each rule, its prefix, its tokens' length and a checksum no real token has.
    let rules = [
      ("github-token", "ghp_", 40, "AAAAAA"), ("npm-access-token", "npm_", 40, "AAAAAA"),
      ("grafana-service-account-token", "glsa_", 46, "00000000"),
    ]
    for (rule, prefix, length, wrongChecksum) in rules {
      let explained = try VigilBinary.run(["rules", "explain", rule])
      #expect(explained.status == 0)
      #expect(explained.stdout.contains("A made-up token is not reported"))
      let token = try #require(
        explained.stdout.split(whereSeparator: \.isWhitespace).first {
          $0.hasPrefix(prefix) && $0.count == length
        })
      let tree = try TemporaryTree()
      let madeUp = String(token.dropLast(wrongChecksum.count)) + wrongChecksum
      try tree.write("real.py", "TOKEN = '\(token)'\n")
      try tree.write("made_up.py", "TOKEN = '\(madeUp)'\n")
      let scan = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
      let document = try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any]
      let found = (document?["findings"] as? [[String: Any]] ?? []).map {
        "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")"
      }
      #expect(found == ["\(rule) real.py"], "\(scan.stderr)")
      // A second explanation makes another token: nothing to copy into a real config.
      let again = try VigilBinary.run(["rules", "explain", rule])
      #expect(!again.stdout.contains(String(token)))
    }
  }

  /// A mistyped command gets a suggestion.
  @Test func aMistypedCommandGetsASuggestion() throws {
    let output = try VigilBinary.run(["scna", "."])
    #expect(output.status == 2)
    #expect(output.stderr.contains("'scna' is not a vigil command; did you mean 'vigil scan'?"))
    let other = try VigilBinary.run(["instal-hook"])
    #expect(other.stderr.contains("did you mean 'vigil install-hook'?"))
  }

  @Test func rulesListsTheLoadedRules() throws {
    let output = try VigilBinary.run(["rules"])
    #expect(output.status == 0)
    for id in [
      "aws-access-key-id", "aws-secret-access-key", "github-token", "dotenv-file", "sql-string-concatenation",
      "rust-unwrap", "cors-permissive-tower-http",
    ] {
      #expect(output.stdout.contains(id))
    }
  }

  /// `vigil rules test`: the built-in rules' examples all hold (exit 0); a rules file
  /// with an example its regex misses, a noMatch example it matches and a rule without
  /// examples names each (exit 1); an unknown `--rule` is a usage error (exit 2).
  @Test func rulesTestRunsEachRulesExamples() throws {
    let builtIn = try VigilBinary.run(["rules", "test"])
    #expect(builtIn.status == 0, "\(builtIn.stdout)\n\(builtIn.stderr)")
    #expect(builtIn.stdout.contains("examples: all hold"))
    let tree = try TemporaryTree()
    try tree.write(
      "rules.toml",
      """
      [[rules]]
      id = "acme-token"
      description = "Acme token"
      regex = '''acme_[a-z0-9]{8}'''
      keywords = ["acme_"]
      [rules.examples]
      match = ["t = «acme_q7x2m9k4»", "x = «acme_zz»"]
      noMatch = ["acme_p3v8n1w6"]

      [[rules]]
      id = "bare"
      regex = '''zz[0-9]+'''

      """)
    let failing = try VigilBinary.run(["rules", "test", "--config", "rules.toml"], in: tree.path)
    #expect(failing.status == 1, "\(failing.stdout)\n\(failing.stderr)")
    #expect(
      failing.stdout.contains(
        "FAIL acme-token: as written at example.txt: reported nothing, expected «acme_zz»"))
    #expect(failing.stdout.contains("FAIL acme-token: noMatch at example.txt: reported «acme_p3v8n1w6»"))
    #expect(failing.stdout.contains("FAIL bare: needs examples"))
    #expect(failing.stdout.contains("2 rules, 3 examples: 2 rules with failing examples"))
    let one = try VigilBinary.run(
      ["rules", "test", "--config", "rules.toml", "--rule", "bare"], in: tree.path)
    #expect(one.status == 1)
    #expect(!one.stdout.contains("acme-token"))
    let unknown = try VigilBinary.run(["rules", "test", "--rule", "no-such-rule"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no rule has the id 'no-such-rule'"))
  }

  /// A gitleaks config with a composite rule (gitleaks 8.28's `[[rules.required]]` and
  /// `skipReport`) loads without a warning and means the same: the secret is reported
  /// where its account id is within two lines, the account id itself never.
  @Test func aGitleaksCompositeRuleLoadsAndMeansTheSame() throws {
    let tree = try TemporaryTree()
    try tree.write(
      ".gitleaks.toml",
      """
      [extend]
      useDefault = true

      [[rules]]
      id = "acme-account"
      regex = '''\\bACME-[0-9]{6}\\b'''
      keywords = ["acme-"]
      skipReport = true

      [[rules]]
      id = "acme-secret"
      regex = '''\\bsecret: ([a-z0-9]{24})\\b'''
      keywords = ["secret:"]
      [[rules.required]]
      id = "acme-account"
      withinLines = 2

      """)
    try tree.write("near.yml", "account: ACME-204817\nsecret: q8z2m4x7c1v9b3n6k5j0h2g4\n")
    try tree.write("far.yml", "account: ACME-204817\n\n\n\nsecret: w7e3r9t1y5u2i8o4p6a0s3d5\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(!output.stderr.contains("warning"), "\(output.stderr)")
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let findings = try #require(document?["findings"] as? [[String: Any]])
    let reported = findings.map { "\($0["ruleId"] ?? "") \($0["path"] ?? "")" }
    // The built-in generic rule still sees a bare secret in config where no acme rule
    // claimed it.
    #expect(reported.filter { $0.hasPrefix("acme-") } == ["acme-secret near.yml"])
    #expect(reported.contains("generic-secret-config far.yml"))
  }

  @Test func theRepositoryScansCleanWithItsOwnConfig() throws {
    let output = try VigilBinary.run(["scan", RepositoryPaths.root])
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    // Clean as README says: not a note either (a fixture in a test is a finding too).
    #expect(output.stdout.isEmpty, "\(output.stdout)")
  }

  @Test func aCopiedBinaryKeepsItsRules() throws {
    let tree = try TemporaryTree()
    let copy = tree.path + "/vigil-copy"
    try FileManager.default.copyItem(atPath: VigilBinary.path, toPath: copy)
    try tree.write("work/a.rs", "x.unwrap();\n")
    let output = try ProcessRunner.run(copy, ["scan", "work"], in: tree.path)
    #expect(output.status == 1)
    #expect(output.stdout.contains("[rust-unwrap]"))
  }
}

import Foundation
import Testing
import VigilTestSupport

/// `vigil scan` end to end: exit codes, formats, redaction, configs.
@Suite struct ScanCommandTests {
  @Test func awsKeyPairInPythonExitsOneWithValidRedactedSARIF() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 2024)
    let keyID = tokens.awsAccessKeyID()
    let secret = tokens.awsSecretKey()
    try tree.write(
      "src/config.py", "import os\n\n\nAWS_KEY = \"\(keyID)\"\naws_secret_access_key = '\(secret)'\n")
    let output = try VigilBinary.run(["scan", "--format", "sarif", "-o", "out.sarif", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let sarif = try String(contentsOfFile: tree.path + "/out.sarif", encoding: .utf8)
    #expect(try SARIFValidator.errors(in: sarif) == [])
    for clear in [keyID, secret] {
      for shown in [output.stdout, output.stderr, sarif] {
        #expect(!shown.contains(String(clear.prefix(5))), "more than 4 characters of a secret shown")
      }
    }
    let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let results = try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
    let located = results.map { result -> (String, String, Int) in
      let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any]
      let uri = (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
      let line = (physical?["region"] as? [String: Any])?["startLine"] as? Int ?? 0
      return (result["ruleId"] as? String ?? "", uri, line)
    }
    #expect(located.map(\.0) == ["aws-access-key-id", "aws-secret-access-key"])
    #expect(located.map(\.1) == ["src/config.py", "src/config.py"])
    #expect(located.map(\.2) == [4, 5])
  }

  @Test func aCleanTreeExitsZero() throws {
    let tree = try TemporaryTree()
    try tree.write("main.py", "print('hello')\n")
    try tree.write(".env.example", "TOKEN=changeme\n")
    let output = try VigilBinary.run(["scan", tree.path])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.isEmpty)
    #expect(output.stderr.contains("0 findings in 2 files"))
  }

  @Test func textReportNamesPlaceRuleAndRedactedSnippet() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    let token = tokens.githubToken()
    try tree.write("ci/deploy.sh", "#!/bin/sh\ncurl -H \"Authorization: token \(token)\" api\n")
    let output = try VigilBinary.run(["scan"], in: tree.path)
    #expect(output.status == 1)
    #expect(output.stdout.hasPrefix("ci/deploy.sh:2:31: error[github-token] "))
    #expect(output.stdout.contains("curl -H \"Authorization: token ghp_*****\" api"))
    #expect(!output.stdout.contains(String(token.prefix(5))))
  }

  @Test func noRedactShowsTheSecret() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    let token = tokens.githubToken()
    try tree.write("a.txt", token)
    let output = try VigilBinary.run(["scan", "--no-redact", "--format", "json", tree.path])
    #expect(output.status == 1)
    #expect(output.stdout.contains(token))
  }

  @Test func jsonReportHasTheDocumentedFields() throws {
    let tree = try TemporaryTree()
    try tree.write("src/lib.rs", "fn f() { g().unwrap(); }\n")
    let output = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(output.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let finding = try #require((object?["findings"] as? [[String: Any]])?.first)
    #expect(finding["ruleId"] as? String == "rust-unwrap")
    #expect(finding["path"] as? String == "src/lib.rs")
    #expect(finding["line"] as? Int == 1)
    #expect(finding["column"] as? Int == 13)
    #expect(finding["endColumn"] as? Int == 22)
    #expect(finding["category"] as? String == "unwrap")
    #expect(finding["severity"] as? String == "warning")
  }

  @Test func outputExtensionPicksTheFormat() throws {
    let tree = try TemporaryTree()
    try tree.write("a.rs", "x.unwrap();\n")
    let output = try VigilBinary.run(["scan", "--output", "report.sarif", "a.rs"], in: tree.path)
    #expect(output.status == 1)
    let report = try String(contentsOfFile: tree.path + "/report.sarif", encoding: .utf8)
    #expect(report.contains("\"version\" : \"2.1.0\""))
  }

  @Test func malformedConfigExitsTwoNamingFileRuleAndReason() throws {
    let tree = try TemporaryTree()
    try tree.write("bad.toml", "[[rules]]\nid = \"my-rule\"\nregex = '''(unclosed'''\n")
    let output = try VigilBinary.run(["scan", "--config", "bad.toml", "."], in: tree.path)
    #expect(output.status == 2)
    #expect(
      output.stderr.contains(
        "bad.toml:3: error: rule 'my-rule': 'regex' does not compile: missing closing parenthesis"))
    #expect(output.stdout.isEmpty)

    try tree.write("syntax.toml", "[[rules]\nid = 1\n")
    let syntax = try VigilBinary.run(["scan", "--config", "syntax.toml", "."], in: tree.path)
    #expect(syntax.status == 2)
    #expect(syntax.stderr.contains("syntax.toml:1: error: TOML syntax"))
  }

  @Test func aDiscoveredVigilTomlIsBrokenTooExitsTwo() throws {
    let tree = try TemporaryTree()
    try tree.write(".vigil.toml", "[[rules]]\nid = \"x\"\n")
    let output = try VigilBinary.run(["scan", tree.path])
    #expect(output.status == 2)
    #expect(output.stderr.contains(".vigil.toml"))
    #expect(output.stderr.contains("has neither 'regex' nor 'path'"))
  }

  @Test func gitleaksConfigWithOneCustomRuleReportsItsID() throws {
    let tree = try TemporaryTree()
    try tree.write(
      ".gitleaks.toml",
      """
      title = "team config"

      [[rules]]
      id = "internal-service-token"
      description = "Internal service token"
      regex = '''\\b(svc_[a-f0-9]{32})\\b'''
      secretGroup = 1
      entropy = 3.0
      keywords = ["svc_"]
      tags = ["internal"]

      [[rules.allowlists]]
      regexTarget = "line"
      regexes = ['''# test fixture''']

      [allowlist]
      paths = ['''^fixtures/''']
      """)
    try tree.write("app.env.sh", "TOKEN=svc_9f86d081884c7d659a2feaa0c55ad015\n")
    try tree.write("other.sh", "TOKEN=svc_0a1b2c3d4e5f60718293a4b5c6d7e8f9 # test fixture\n")
    try tree.write("fixtures/x.sh", "TOKEN=svc_9f86d081884c7d659a2feaa0c55ad015\n")
    // Discovered at the root...
    let discovered = try VigilBinary.run(["scan", "--format", "json", tree.path])
    #expect(discovered.status == 1, "\(discovered.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(discovered.stdout.utf8)) as? [String: Any]
    let findings = try #require(object?["findings"] as? [[String: Any]])
    #expect(findings.map { $0["ruleId"] as? String } == ["internal-service-token"])
    #expect(findings.map { $0["path"] as? String } == ["app.env.sh"])
    // ...and the same file given with --config from elsewhere.
    let other = try TemporaryTree()
    try other.write("b.sh", "x svc_9f86d081884c7d659a2feaa0c55ad015\n")
    let explicit = try VigilBinary.run(["scan", "--config", tree.path + "/.gitleaks.toml", other.path])
    #expect(explicit.status == 1)
    #expect(explicit.stdout.contains("[internal-service-token]"))
  }
}

import Foundation
import Testing
import VigilKit
import VigilTestSupport

@Suite struct ScannerTests {
  static let pack: RulePack = (try? DefaultRulePack.load().0) ?? RulePack()

  private func scan(_ paths: [String], jobs: Int = 2, maxFileSize: Int = ScanOptions.defaultMaxFileSize)
    throws -> ScanResult
  {
    try Scanner(pack: Self.pack, options: ScanOptions(paths: paths, jobs: jobs, maxFileSize: maxFileSize))
      .run()
  }

  /// A tree scan gives up at the first nested config (a file or a link so named, at any
  /// depth, among many files), for the session to load layers and scan again; the root's
  /// own config and a tree without nested ones scan through, as `run()` does.
  @Test func aScanStopsAtANestedConfigOnly() throws {
    let tree = try TemporaryTree()
    for index in 0..<200 { try tree.write("d\(index % 9)/e\(index % 4)/f\(index).rs", "x.unwrap();\n") }
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n")
    let scanner = Scanner(pack: Self.pack, options: ScanOptions(paths: [tree.path], jobs: 2))
    let whole = try #require(try scanner.runUnlessNestedConfig())
    #expect(whole.findings == (try scanner.run()).findings)
    #expect(whole.findings.count == 200)

    try tree.write("d3/e1/.vigil.toml", "[extend]\nuseDefault = true\n")
    #expect(try scanner.runUnlessNestedConfig() == nil)
    try FileManager.default.removeItem(atPath: tree.path + "/d3/e1/.vigil.toml")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/d5/.vigil.toml", withDestinationPath: tree.path + "/.vigil.toml")
    #expect(try scanner.runUnlessNestedConfig() == nil)
  }

  @Test func theResultDoesNotDependOnTheNumberOfJobs() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 99)
    for index in 0..<60 {
      try tree.write("d\(index % 7)/f\(index).py", "k = \"\(tokens.githubToken())\"\nx.unwrap()\n")
    }
    let one = try scan([tree.path], jobs: 1)
    #expect(one.findings.count == 60)
    for jobs in [2, 3, 8] {
      let many = try scan([tree.path], jobs: jobs)
      #expect(many.findings == one.findings)
      #expect(many.summary == one.summary)
    }
  }

  @Test func largeAndSpecialFilesAreSkippedAndCountedAndBinaryOnesReadForSecrets() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    let token = tokens.githubToken()
    try tree.write("bin.dat", bytes: Array("t = \(token)".utf8) + [0, 1, 2])
    try tree.write("big.txt", String(repeating: "a", count: 2000) + token)
    try tree.write("ok.txt", token)
    #expect(mkfifo(tree.path + "/pipe", 0o600) == 0)
    let result = try scan([tree.path], maxFileSize: 1000)
    #expect(result.findings.map(\.path) == ["bin.dat", "ok.txt"])
    #expect(result.findings.first?.start == TextPosition(line: 1, column: 5))
    #expect(result.summary.skipped[.tooLarge] == 1)
    #expect(result.summary.skipped[.special] == 1)
    #expect(result.summary.filesScanned == 2)
  }

  /// A rule on the path alone reports the file whatever it holds; a `.env` is reported
  /// only when it assigns a credential.
  @Test func secretFilesAreFoundEvenWhenBinaryOrEmpty() throws {
    let tree = try TemporaryTree()
    try tree.write("deploy/id_ed25519", "")
    try tree.write("certs/client.p12", bytes: [0, 0, 0])
    try tree.write(".env", "")
    try tree.write("prod.env", "PORT=8080\nLOG_LEVEL=info\n")
    try tree.write("stage.env", "PORT=8080\nAPI_TOKEN=Qe7-v2Lm9xTr\n")
    let result = try scan([tree.path])
    #expect(result.findings.map(\.path) == ["certs/client.p12", "deploy/id_ed25519", "stage.env"])
    #expect(result.findings.map(\.ruleID) == ["pkcs12-keystore-file", "ssh-private-key-file", "dotenv-file"])
  }

  /// One thing found, one finding: a key file named by two file rules and holding a
  /// key the content rules know, and a CORS policy two rules describe.
  @Test func oneFileOrOneConstructIsOneFinding() throws {
    let tree = try TemporaryTree()
    let header = "-----BEGIN OPENSSH " + "PRIVATE KEY-----"
    try tree.write(
      "home/.ssh/id_ed25519",
      "\(header)\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n")
    try tree.write(
      "api/main.py",
      "app.add_middleware(CORSMiddleware, allow_origins=[\"*\"], allow_credentials=True)\n")
    let result = try scan([tree.path])
    #expect(
      result.findings.map(\.ruleID) == ["cors-any-origin-with-credentials-fastapi", "ssh-private-key-file"])
  }

  @Test func symlinksAreNeverFollowedOutOfTheRoot() throws {
    let outside = try TemporaryTree()
    var tokens = TestTokens()
    try outside.write("secret.txt", tokens.githubToken())
    let tree = try TemporaryTree()
    try tree.write("inside.txt", "nothing")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/link.txt", withDestinationPath: outside.path + "/secret.txt")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/linkdir", withDestinationPath: outside.path)
    try FileManager.default.createSymbolicLink(atPath: tree.path + "/loop", withDestinationPath: tree.path)
    let result = try scan([tree.path])
    #expect(result.findings.isEmpty)
    #expect(result.summary.skipped[.symlink] == 3)
  }

  @Test func gitDirectoriesAreNotScanned() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    try tree.write(".git/config", tokens.githubToken())
    try tree.write("src/a.txt", "clean")
    let result = try scan([tree.path])
    #expect(result.findings.isEmpty)
    #expect(result.summary.filesScanned == 1)
  }

  @Test func fileArgumentsAndSeveralPathsKeepRelativePaths() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    try tree.write("a/one.txt", tokens.githubToken())
    try tree.write("b/two.txt", tokens.githubToken())
    let options = ScanOptions(paths: ["a/one.txt", "./b"], workingDirectory: tree.path)
    let result = try Scanner(pack: Self.pack, options: options).run()
    #expect(result.findings.map(\.path) == ["a/one.txt", "b/two.txt"])
  }

  @Test func aMissingPathIsAnError() {
    #expect(throws: ScanError.self) { try scan(["/nonexistent/vigil/path", "/tmp"]) }
  }
}

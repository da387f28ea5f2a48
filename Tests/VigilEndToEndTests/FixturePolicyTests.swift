import Foundation
import Testing
import VigilTestSupport

/// One policy for secrets in test material, and `--fail-on` deciding what fails.
@Suite struct FixturePolicyTests {
  /// The same key in a test file, a test directory's key file and production code: the
  /// first two are reported as fixtures at note, the last at its rule's severity.
  private func tree() throws -> (TemporaryTree, String) {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 77)
    let keyID = tokens.awsAccessKeyID()
    try tree.write("tests/test_upload.py", "AWS_KEY = \"\(keyID)\"\n")
    try tree.write(
      "spec/fixtures/server.key", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    try tree.write("app/settings.py", "AWS_KEY = \"\(keyID)\"\n")
    return (tree, keyID)
  }

  private func findings(_ output: ProcessOutput) throws -> [[String: Any]] {
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    return try #require(document?["findings"] as? [[String: Any]])
  }

  @Test func secretsInTestMaterialAreFixturesAtNote() throws {
    let (tree, _) = try tree()
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let found = try findings(output).map {
      ($0["path"] as? String ?? "", $0["severity"] as? String ?? "", $0["fixture"] as? Bool ?? false)
    }
    #expect(found.contains { $0 == ("app/settings.py", "error", false) })
    #expect(found.contains { $0 == ("tests/test_upload.py", "note", true) })
    #expect(found.contains { $0 == ("spec/fixtures/server.key", "note", true) })
    let text = try VigilBinary.run(["scan", "tests"], in: tree.path)
    #expect(text.stdout.contains("note[aws-access-key-id] (fixture)"), "\(text.stdout)")
  }

  @Test func failOnDecidesTheExitStatus() throws {
    let (tree, _) = try tree()
    try FileManager.default.removeItem(atPath: tree.path + "/app")
    // Fixtures only: seen, but at note they do not fail by default.
    #expect(try VigilBinary.run(["scan", "."], in: tree.path).status == 0)
    #expect(try VigilBinary.run(["scan", "--fail-on", "note", "."], in: tree.path).status == 1)
    // The config can set it; the flag wins over the config.
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n\n[scan]\nfailOn = \"note\"\n")
    #expect(try VigilBinary.run(["scan", "."], in: tree.path).status == 1)
    #expect(try VigilBinary.run(["scan", "--fail-on", "error", "."], in: tree.path).status == 0)
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n\n[scan]\nfailOn = \"loud\"\n")
    let bad = try VigilBinary.run(["scan", "."], in: tree.path)
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("'scan.failOn' must be error, warning or note, not 'loud'"))
    #expect(try VigilBinary.run(["scan", "--fail-on", "loud", "."], in: tree.path).status == 2)
  }

  /// A warning-level finding fails at the default threshold and passes at error.
  @Test func warningsFailByDefaultAndNotAtError() throws {
    let tree = try TemporaryTree()
    try tree.write("src/main.rs", "fn main() { let x = y.unwrap(); }\n")
    #expect(try VigilBinary.run(["scan", "."], in: tree.path).status == 1)
    #expect(try VigilBinary.run(["scan", "--fail-on", "error", "."], in: tree.path).status == 0)
  }
}

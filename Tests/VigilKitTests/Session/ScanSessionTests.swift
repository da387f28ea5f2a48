import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// A scan driven through the library as the command line drives it.
@Suite struct ScanSessionTests {
  /// A config can quote a secret (here as a key it does not know); the warning is masked
  /// with the scan's own rules, not only the built-in ones.
  @Test func warningsAreMaskedWithTheScansOwnRules() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens()
    let secret = "acme_" + tokens.string(24, from: "abcdefghijklmnopqrstuvwxyz0123456789")
    try tree.write(
      ".vigil.toml",
      """
      \(secret) = 1

      [extend]
      useDefault = true

      [[rules]]
      id = "acme-token"
      description = "ACME token"
      regex = '''\\b(acme_[a-z0-9]{24})\\b'''
      keywords = ["acme_"]
      """)
    let session = try ScanSession(ScanRequest(input: .paths([tree.path])))
    let messages = session.warnings.map(\.description).joined(separator: "\n")
    #expect(!session.warnings.isEmpty)
    #expect(messages.contains("acme*"), "\(messages)")
    #expect(!messages.contains(secret))
  }

  /// The ignore file at the scan root silences a finding; what is left decides the exit.
  @Test func theIgnoreFileAtTheRootAppliesAndTheRestFails() throws {
    let tree = try TemporaryTree()
    try tree.write("src/a.rs", "fn main() { x.unwrap(); }\n")
    try tree.write("src/b.rs", "fn main() { y.unwrap(); }\n")
    let first = try ScanSession(ScanRequest(input: .paths([tree.path]))).run()
    #expect(first.result.findings.count == 2)
    let silenced = try #require(first.result.findings.first { $0.path == "src/a.rs" })
    try tree.write(
      ".vigilignore", "[[ignore]]\nfingerprint = \"\(silenced.fingerprint)\"\nreason = \"known\"\n")
    let second = try ScanSession(ScanRequest(input: .paths([tree.path]))).run()
    #expect(second.result.findings.map(\.path) == ["src/b.rs"])
    #expect(second.fails(failOnStale: false))
  }
}

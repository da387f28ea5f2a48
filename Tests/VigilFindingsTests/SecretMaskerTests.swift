import Testing
import VigilKit
import VigilTestSupport

@Suite struct SecretMaskerTests {
  /// A warning can quote text from the scanned tree bare, with no name around it that a
  /// rule would know a key by (an unknown config key, an ignore entry's reason): a
  /// token that looks random is masked there; names, identifiers, object ids and
  /// fingerprints a reader acts on are not.
  @Test func randomTokensAreMaskedInMessagesNotNamesOrObjectIDs() {
    var tokens = TestTokens(seed: 0x5EC)
    let key = tokens.string(40, from: TestTokens.alphanumeric)
    let masker = SecretMasker.builtIn
    let quoted = masker.mask("unknown key 'scan.\(key)' is ignored; expired (rotated \(key))")
    #expect(!quoted.contains(key))
    #expect(quoted.contains("scan." + key.prefix(4) + Redaction.mask))
    // A key with slashes, and one of hexadecimal digits (a GitHub OAuth client secret).
    for key in [
      tokens.string(18, from: TestTokens.alphanumeric) + "/"
        + tokens.string(21, from: TestTokens.alphanumeric),
      tokens.string(40, from: "0123456789abcdef"),
    ] {
      #expect(!masker.mask("unknown key 'scan.\(key)' is ignored").contains(key))
    }
    // A commit's fields keep their object ids and version strings.
    let sha = tokens.string(40, from: "0123456789abcdef")
    #expect(masker.mask("This reverts commit \(sha).", randomTokens: false) == "This reverts commit \(sha).")
    // An unquoted credential in a commit's subject, read as a settings line is.
    let password = tokens.string(16, from: TestTokens.alphanumeric)
    let subject = masker.mask("hotfix: prod DB_PASSWORD=\(password) (rotate later)", randomTokens: false)
    #expect(
      !subject.contains(password) && subject.contains("DB_PASSWORD=" + password.prefix(4)), "\(subject)")
    for kept in [
      "the entry for 3f2a9c0b1d2e… is stale", "cannot read src/main/resources/application/config.yml",
      "disabledRules names 'generic-secret-assignment-v2', which no rule has",
      "archives nested more than 10 deep (--max-archive-depth); not opened",
    ] {
      #expect(masker.mask(kept) == kept)
    }
    // A path is masked by the rules only: a file name with digits is not a key.
    let diagnostic = masker.mask(
      Diagnostic(.warning, "cannot read file", file: "src/components/Widget2024Panel9x/index.ts"))
    #expect(diagnostic.file == "src/components/Widget2024Panel9x/index.ts")
  }
}

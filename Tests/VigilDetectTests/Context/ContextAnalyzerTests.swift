import Testing

@testable import VigilDetect

@Suite struct ContextAnalyzerTests {
  private func namesAStandIn(_ prefix: String) -> Bool {
    Array(prefix.utf8).withUnsafeBufferPointer { ContextAnalyzer.namesAStandIn($0) }
  }

  @Test func aNameThatSaysItStandsInForASecret() {
    for prefix in [
      "pub const TEST_FAKE_RSA_KEY_0: &str = \"", "dummyPassword = '", "let mock_token = \"",
      "auth = FakeCredentials(\"ci\", \"", "BOGUS-SECRET=",
    ] {
      #expect(namesAStandIn(prefix), "\(prefix)")
    }
  }

  /// Only the nearest name that names a credential counts: not other names or prose before
  /// it, not words that only start as a stand-in's do, not a gRPC `stub`, not test-mode
  /// names (a provider's test key is a credential).
  @Test func otherNamesDoNotSayItStandsIn() {
    for prefix in [
      "STRIPE_TEST_SECRET_KEY=", "mockingbird_token = \"", "stubborn_password: ", "FAKER_SEED = \"",
      "const apiKey = \"", "", "fake", "{\"useMockData\":false,\"stripeSecretKey\":\"",
      "docker run -e USE_MOCK_PAYMENTS=false -e STRIPE_SECRET_KEY=", "# not a fake: export GITHUB_TOKEN=",
      "stub.GetFeature(req, metadata=((\"authorization\",\"Bearer ", "    stubs.api_key: ",
      "curl -d description=\"fake order\" -u ",
    ] {
      #expect(!namesAStandIn(prefix), "\(prefix)")
    }
  }

  /// A doctest's line and the output line after it show an example; the line after that
  /// is the module's own.
  @Test func aDoctestShowsAnExample() {
    let text = """
      def url(db, redis):
          \"\"\"
          >>> url(1, {"password": "your-pass"})
          'redis://anonymous:your-pass@localhost:6379/1'
          \"\"\"
      PASSWORD = "your-pass"
      ...  # overridden below
      TOKEN = "your-pass"
      """
    let bytes = Array(text.utf8)
    var offsets: [Int] = []
    var from = bytes.startIndex
    while let found = bytes[from...].firstRange(of: Array("your-pass".utf8)) {
      offsets.append(found.lowerBound)
      from = found.upperBound
    }
    let marked = bytes.withUnsafeBufferPointer { buffer in
      offsets.map { ContextAnalyzer.marksAStandIn(at: $0, in: buffer) }
    }
    #expect(marked == [true, true, false, false])
  }

  /// An Ansible module's DOCUMENTATION, EXAMPLES and RETURN strings, and nothing else: not
  /// another triple-quoted string, not the code between them.
  @Test func anAnsibleModulesDocumentationIsFound() {
    let text = """
      DOCUMENTATION = r\'\'\'
      options:
        login_password: {description: Login password.}
      \'\'\'
      EXAMPLES = \'\'\'
      - mysql_user: {name: bob, login_password: your-pass}
      \'\'\'
      HELP = \'\'\'
      login_password: your-pass
      \'\'\'
      PASSWORD = "your-pass"
      """
    let bytes = Array(text.utf8)
    let blocks = bytes.withUnsafeBufferPointer { ContextAnalyzer.moduleDocumentation(in: $0) }
    let texts = blocks.map { String(decoding: bytes[$0], as: UTF8.self) }
    #expect(texts.count == 2)
    #expect(texts.first?.contains("description: Login password.") == true)
    #expect(texts.last?.contains("name: bob") == true)
  }
}

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

  /// An OpenAPI or Swagger description names the version of the specification at its top
  /// level, in YAML or JSON; a file that only mentions OpenAPI, has settings or a service
  /// named so, or is no YAML or JSON, is none.
  @Test func anAPIDescriptionSaysWhatItIs() {
    func isDescription(_ path: String, _ text: String) -> Bool {
      Array(text.utf8).withUnsafeBufferPointer { ContextAnalyzer.isAPIDescription(path: path, bytes: $0) }
    }
    #expect(isDescription("data/web/api/openapi.yaml", "openapi: 3.0.0\ninfo: {title: Mail API}\n"))
    #expect(isDescription("spec/api.json", "{\n  \"swagger\": \"2.0\",\n  \"paths\": {}\n}\n"))
    #expect(isDescription("spec/min.json", "{\"openapi\":\"3.1.0\",\"paths\":{}}"))
    #expect(!isDescription("config/app.yaml", "name: api\ndocs: openapi.yaml\n"))
    // settings and services named after it, which name no version
    #expect(!isDescription("config/application.yml", "spring:\n  port: 8080\nswagger:\n  enabled: true\n"))
    #expect(!isDescription("docker-compose.yml", "services:\n  swagger:\n    image: swaggerapi/swagger-ui\n"))
    #expect(!isDescription("config/default.json", "{\n  \"swagger\": {\"enabled\": true}\n}\n"))
    #expect(!isDescription("deploy/values.yaml", "api:\n  openapi: 3.0.0\n"))
    #expect(!isDescription("src/openapi.ts", "openapi: 3.0.0\n"))
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

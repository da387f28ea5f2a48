import Foundation
import Testing
import VigilTestSupport

/// TLS certificate verification turned off, written the ways each language and tool
/// spells it, each found once with CWE-295 in SARIF; and the same words where they turn
/// nothing off (a setting's value, a test, a comment, a template's switch).
@Suite struct TLSVerificationTests {
  private func hardeningFindings(in tree: TemporaryTree) throws -> [String: [String]] {
    try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening")
  }

  @Test func everyLanguagesSwitchIsFoundOnce() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "svc/billing/client.py",
      "import requests\n\ndef charge(payload):\n    return requests.post(\n        BILLING_URL,\n        json=payload,\n        verify=False,\n    )\n"
    )
    try tree.write(
      "svc/feeds/fetch.py",
      "import ssl\nimport urllib.request\n\nctx = ssl.create_default_context()\nctx.check_hostname = False\n")
    try tree.write(
      "cmd/proxy/main.go",
      "package main\n\nimport \"crypto/tls\"\n\nvar upstream = &tls.Config{\n\tInsecureSkipVerify: true,\n}\n"
    )
    try tree.write(
      "web/src/db.ts",
      "import { Pool } from 'pg';\nexport const pool = new Pool({\n  connectionString: process.env.DATABASE_URL,\n  ssl: { rejectUnauthorized: false },\n});\n"
    )
    try tree.write(
      "agent/src/http.rs",
      "pub fn client() -> reqwest::Result<reqwest::Client> {\n    reqwest::Client::builder()\n        .danger_accept_invalid_certs(true)\n        .build()\n}\n"
    )
    try tree.write(
      "gateway/src/main/java/com/acme/Http.java",
      "class Http {\n  static HttpClient build() {\n    return HttpClients.custom()\n        .setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE)\n        .build();\n  }\n}\n"
    )
    try tree.write(
      "Api/Handlers.cs",
      "var handler = new HttpClientHandler();\nhandler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n"
    )
    try tree.write(
      "deploy/install.sh", "#!/bin/sh\nset -e\ncurl -fsSLk https://packages.internal.example/agent.sh | sh\n")
    try tree.write(
      "deploy/servicemonitor.yaml",
      "spec:\n  endpoints:\n    - port: https\n      scheme: https\n      tlsConfig:\n        insecureSkipVerify: true\n"
    )
    try tree.write(
      "config/app.env", "DATABASE_URL=postgres://app@orders.db.example.net:5432/orders?sslmode=disable\n")

    let found = try hardeningFindings(in: tree)
    let expected: [String: String] = [
      "svc/billing/client.py": "tls-verification-disabled-python",
      "svc/feeds/fetch.py": "tls-unverified-context-python",
      "cmd/proxy/main.go": "tls-insecure-skip-verify-go",
      "web/src/db.ts": "tls-reject-unauthorized-node",
      "agent/src/http.rs": "tls-accept-invalid-certs-rust",
      "gateway/src/main/java/com/acme/Http.java": "tls-trust-all-jvm",
      "Api/Handlers.cs": "tls-accept-any-certificate-dotnet",
      "deploy/install.sh": "tls-verification-disabled-cli",
      "deploy/servicemonitor.yaml": "tls-skip-verify-config",
      "config/app.env": "tls-sslmode-disable-remote",
    ]
    for (path, rule) in expected {
      #expect(found[path] == [rule], "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")

    // SARIF names the weakness, so that code scanning groups these with CWE-295's.
    let tags = try #require(try VigilBinary.sarifRuleTags(scanning: tree.path)["tls-insecure-skip-verify-go"])
    #expect(tags.contains("external/cwe/cwe-295") && tags.contains("hardening"), "\(tags)")
  }

  /// A setting's value, a test, a comment, a Helm template's switch, a local database:
  /// nothing here turns verification off for good.
  @Test func switchesTestsCommentsAndLocalDatabasesAreNotReported() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "svc/billing/client.py",
      "# verify=False only while the CA was missing\nresponse = requests.get(url, verify=settings.CA_BUNDLE)\n"
    )
    try tree.write(
      "svc/billing/tests/test_client.py", "def test_insecure():\n    requests.get(url, verify=False)\n")
    try tree.write(
      "cmd/proxy/main_test.go", "package main\n\nvar cfg = &tls.Config{InsecureSkipVerify: true}\n")
    try tree.write(
      "cmd/proxy/main.go",
      "package main\n\n// InsecureSkipVerify: true is not allowed\nvar cfg = &tls.Config{InsecureSkipVerify: opts.Insecure}\n"
    )
    try tree.write(
      "chart/templates/servicemonitor.yaml",
      "      tlsConfig:\n        {{- if .Values.insecureSkipVerify }}\n        insecureSkipVerify: true\n        {{- end }}\n"
    )
    try tree.write(
      "docker-compose.yml",
      "    environment:\n      DATABASE_URL: postgres://app@db:5432/app?sslmode=disable\n")
    try tree.write("docs/setup.md", "Run `curl -k https://localhost:8443/health` to check the service.\n")
    try tree.write(
      "web/src/agent.ts", "const agent = new https.Agent({ rejectUnauthorized: config.strictTls });\n")
    #expect(try hardeningFindings(in: tree).isEmpty)
  }
}

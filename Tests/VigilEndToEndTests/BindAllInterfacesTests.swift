import Foundation
import Testing
import VigilTestSupport

/// Servers bound to every interface, in each language's spelling, found once as notes
/// with CWE-1327; and where the same address is no finding (a setting decides, a
/// container definition, a client socket, a comment).
@Suite struct BindAllInterfacesTests {
  private func hardeningFindings(in tree: TemporaryTree) throws -> [String: [String]] {
    try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening")
  }

  @Test func everyLanguagesListenerIsFoundOnce() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "admin/app.py",
      "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n"
    )
    try tree.write(
      "cmd/metrics/main.go",
      "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":9100\", nil)\n}\n")
    try tree.write(
      "server/index.js",
      "const app = require('express')();\napp.listen(8080, '0.0.0.0', () => console.log('up'));\n")
    try tree.write(
      "src/main.rs",
      "#[tokio::main]\nasync fn main() {\n    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await.unwrap_or_else(|e| panic!(\"{e}\"));\n    drop(listener);\n}\n"
    )
    try tree.write("src/main/resources/application.properties", "server.port=8081\nserver.address=0.0.0.0\n")
    let found = try hardeningFindings(in: tree)
    let expected: [String: String] = [
      "admin/app.py": "bind-all-interfaces-python",
      "cmd/metrics/main.go": "bind-all-interfaces-go",
      "server/index.js": "bind-all-interfaces-node",
      "src/main.rs": "bind-all-interfaces-rust",
      "src/main/resources/application.properties": "bind-all-interfaces-config",
    ]
    for (path, rule) in expected {
      #expect(found[path] == [rule], "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")

    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let findings = try #require(document?["findings"] as? [[String: Any]])
    let binds = findings.filter { ($0["ruleId"] as? String)?.hasPrefix("bind-") == true }
    #expect(binds.count == 5 && binds.allSatisfy { $0["severity"] as? String == "note" }, "\(binds)")
  }

  @Test func settingsContainersClientsAndCommentsAreNotReported() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "admin/app.py",
      "# app.run(host='0.0.0.0') exposes it\napp.run(host=os.environ.get('HOST', '127.0.0.1'), port=5000)\nudp.bind(('', 0))\n"
    )
    try tree.write(
      "cmd/metrics/main.go", "package main\n\nfunc main() {\n\thttp.ListenAndServe(*listenAddress, nil)\n}\n")
    try tree.write("server/index.js", "app.listen(port, process.env.HOST || '127.0.0.1');\n")
    try tree.write(
      "docker-compose.yml", "services:\n  api:\n    environment:\n      SERVER_ADDRESS: 0.0.0.0\n")
    try tree.write("charts/api/values.yaml", "server:\n  address: 0.0.0.0\n")
    try tree.write("deploy/app/tests/test_server.py", "app.run(host='0.0.0.0', port=5000)\n")
    #expect(try hardeningFindings(in: tree).isEmpty)
  }
}

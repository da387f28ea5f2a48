import Foundation
import Testing
import VigilTestSupport

/// Debug features left on where production runs, in Python (Django, Flask), Java
/// (Spring Boot), Ruby (Rails), JavaScript (Express) and Rust (Cargo), each found once
/// with CWE-489 in SARIF; and the same switches where development owns them (a file
/// named for it, a profile, an environment branch, a setting).
@Suite struct DebugFeaturesTests {
  @Test func everyFrameworksDebugSwitchIsFoundOnce() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "shop/settings.py",
      "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = True\nALLOWED_HOSTS = ['*']\n")
    try tree.write(
      "api/server.py",
      "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(port=8000, debug=True)\n"
    )
    try tree.write(
      "src/main/resources/application.yml",
      "server:\n  port: 8080\nmanagement:\n  endpoints:\n    web:\n      exposure:\n        include: \"*\"\n")
    try tree.write(
      "config/environments/production.rb",
      "Rails.application.configure do\n  config.cache_classes = true\n  config.consider_all_requests_local = true\nend\n"
    )
    try tree.write(
      "web/app.js",
      "const express = require('express')\nconst errorhandler = require('errorhandler')\nconst app = express()\napp.use(express.json())\napp.use(errorhandler())\napp.listen(3000, '127.0.0.1')\n"
    )
    try tree.write(
      "relay/Cargo.toml",
      "[package]\nname = \"relay\"\nversion = \"0.1.0\"\n\n[features]\ndefault = [\"std\", \"debug-dump\"]\nstd = []\ndebug-dump = []\n"
    )
    let found = try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening")
    let expected: [String: String] = [
      "shop/settings.py": "debug-django-settings",
      "api/server.py": "debug-flask-run",
      "src/main/resources/application.yml": "debug-spring-actuator-exposed",
      "config/environments/production.rb": "debug-rails-all-requests-local",
      "web/app.js": "debug-express-errorhandler",
      "relay/Cargo.toml": "debug-cargo-default-feature",
    ]
    for (path, rule) in expected {
      #expect(found[path] == [rule], "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")

    // SARIF names the weakness, for code scanning to group them.
    let tagsByRule = try VigilBinary.sarifRuleTags(scanning: tree.path)
    for id in Set(expected.values) {
      let tags = try #require(tagsByRule[id], "\(id) not in SARIF")
      #expect(tags.contains("external/cwe/cwe-489") && tags.contains("hardening"), "\(id): \(tags)")
    }
  }

  /// Two weaknesses in one call are two findings: the debugger, and every interface.
  @Test func aDebugServerOnEveryInterfaceIsTwoFindings() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "app.py", "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000, debug=True)\n")
    let found = try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening")
    #expect(found["app.py"]?.sorted() == ["bind-all-interfaces-python", "debug-flask-run"], "\(found)")
  }

  /// Files and profiles named for development, a branch on the environment, a value
  /// read from the environment, tests: development owns these switches.
  @Test func developmentFilesProfilesBranchesAndSettingsAreNotReported() throws {
    let tree = try TemporaryTree()
    try tree.write("shop/settings/dev.py", "from .base import *\n\nDEBUG = True\n")
    try tree.write("shop/settings/base.py", "DEBUG = True\nINSTALLED_APPS = []\n")
    try tree.write("shop/settings/production.py", "from .base import *\n\nDEBUG = False\n")
    try tree.write("shop/local_settings.py", "DEBUG = True\n")
    try tree.write(
      "api/server.py",
      "import os\n\nif __name__ == '__main__':\n    app.run(debug=os.environ.get('FLASK_DEBUG') == '1')\n")
    try tree.write("api/tests/test_server.py", "def test_run():\n    app.run(debug=True)\n")
    try tree.write(
      "src/main/resources/application-dev.yml",
      "management:\n  endpoints:\n    web:\n      exposure:\n        include: \"*\"\n")
    try tree.write(
      "src/main/resources/application.properties", "management.endpoints.web.exposure.include=health,info\n")
    try tree.write(
      "config/environments/development.rb",
      "Rails.application.configure do\n  config.consider_all_requests_local = true\nend\n")
    try tree.write(
      "web/app.js",
      "const errorhandler = require('errorhandler')\nif (process.env.NODE_ENV === 'development') {\n  app.use(errorhandler())\n}\n"
    )
    try tree.write(
      "web/errors.js", "const errorHandler = require('./middleware/error-handler')\napp.use(errorHandler())\n"
    )
    try tree.write(
      "relay/Cargo.toml", "[package]\nname = \"relay\"\n\n[features]\ndefault = [\"std\"]\ndebug = []\n")
    #expect(try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening").isEmpty)
  }
}

import Foundation
import Testing
import VigilTestSupport

/// No output stream of vigil holds a secret in clear unless `--no-redact` is given:
/// not the reports in any format, the terminal, warnings, errors, the baseline, nor a
/// file left in the temporary directory.
@Suite struct SecretLeakTests {
  /// A repository full of secrets: committed, staged, repeated, on a long line, in a
  /// private key, in UTF-16, next to invalid UTF-8, quoted by a broken config, by a
  /// commit message (with no name a rule would know it by) and by the reason of an
  /// inline allow.
  private struct Planted {
    let repository: TemporaryTree
    /// Each is a finding's secret.
    let secrets: [String]
    /// Lines of a private key: the finding is the key file, and no report shows them.
    let keyLines: [String]
    /// A found secret as JSON escapes it and as a URL encodes it, on other findings' lines.
    let copies: [String]
  }

  private func plant() throws -> Planted {
    let repository = try Git.repository()
    var tokens = TestTokens(seed: 808)
    let aws = (tokens.awsAccessKeyID(), tokens.awsSecretKey())
    let github = (0..<7).map { _ in tokens.githubToken() }
    let keyBody = (0..<4).map { _ in tokens.string(64, from: TestTokens.base64) }
    try repository.write(
      "app/settings.py", "AWS_ACCESS_KEY_ID = \"\(aws.0)\"\naws_secret_access_key = \"\(aws.1)\"\n")
    // A password the .env's rule finds, and on a script's line no rule reads it from,
    // beside another finding: masked there too.
    let password = tokens.string(18, from: TestTokens.base64)
    try repository.write("deploy/.env", "GITHUB_TOKEN=\(github[0])\nOTHER=1\nDB_PASSWORD=\(password)\n")
    let otherKey = tokens.awsAccessKeyID()
    try repository.write("deploy/run.sh", "psql -W \(password) -c 'select 1'; export KEY_ID=\(otherKey)\n")
    try repository.write("notes.txt", "t = \(github[1])\n# again: echo \(github[1]) | login\n")
    // A key with a slash, found in one file, copied escaped into others beside other findings.
    let slashed =
      tokens.string(19, from: TestTokens.alphanumeric) + "/" + tokens.string(20, from: TestTokens.base64)
    let copies = [
      slashed.replacingOccurrences(of: "/", with: "\\/"),
      slashed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
    ]
    let carriers = (0..<2).map { _ in tokens.githubToken() }
    try repository.write("config/creds.cfg", "aws_secret_access_key=\(slashed)\n")
    try repository.write("web/settings.json", "{\"n\": \"\(copies[0])\", \"t\": \"\(carriers[0])\"}\n")
    try repository.write("web/app.py", "x = \"\(copies[1])\" + \"\(carriers[1])\"\n")
    try repository.write(
      "web/bundle.min.js",
      String(repeating: "var a=function(b){return b};", count: 4000) + "t=\"\(github[2])\";")
    try repository.write(
      "certs/server.key",
      (["-----BEGIN RSA PRIVATE KEY-----"] + keyBody + ["-----END RSA PRIVATE KEY-----"]).joined(
        separator: "\n")
        + "\n")
    try repository.write(
      "utf16.txt",
      bytes: [0xFF, 0xFE] + Array("k = \(github[3])\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    try repository.write(
      "invalid.txt", bytes: [0xC3, 0x28, 0x20] + Array("t=\(github[4]) ".utf8) + [0xC3, 0x0A])
    // A nested config whose unknown key is a secret: its warning quotes the key.
    try repository.write("sub/.vigil.toml", "\(github[5]) = 1\n")
    try repository.write(
      "allowed.js", "/* vigil:allow github-token a fixture */ const t = \"\(github[6])\";\n")
    try Git.run(["add", "."], in: repository.path)
    try Git.run(["commit", "-qm", "secrets for now: \(aws.1) and \(github[1])"], in: repository.path)
    // One more, staged only.
    let staged = tokens.githubToken()
    try repository.write("staged.py", "token = '\(staged)'\n")
    try Git.run(["add", "staged.py"], in: repository.path)
    return Planted(
      repository: repository,
      secrets: [aws.0, aws.1, staged] + github + [password, otherKey, slashed] + carriers,
      keyLines: keyBody, copies: copies)
  }

  /// Text the tree writes that reports repeat with findings: an ignore entry's reason
  /// (shown with each suppressed finding) and a rule's description from the tree's
  /// `.vigil.toml` (shown with each of its findings), each quoting a secret.
  @Test func reasonsAndRuleTextFromTheTreeAreMasked() throws {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 809)
    let quoted = tokens.githubToken()
    let ignored = tokens.githubToken()
    try tree.write(
      ".vigil.toml",
      "[extend]\nuseDefault = true\n[[rules]]\nid = \"acme-token\"\n"
        + "description = \"ACME token (the old CI one was \(quoted))\"\nregex = 'acme_[a-z]{10}'\nkeywords = [\"acme_\"]\n"
        + "tags = [\"ci\", \"\(quoted)\"]\ncwe = \"CWE-798 \(quoted)\"\n")
    try tree.write("src/a.py", "k = \"acme_abcdefghij\"\n")
    try tree.write("src/b.py", "K = \"\(ignored)\"\n")
    let first = try VigilBinary.run(["scan", "--format", "json", "src/b.py"], in: tree.path)
    let fingerprint = try #require(try findings(first).first?["fingerprint"] as? String)
    try tree.write(
      ".vigilignore", "[[ignore]]\nfingerprint = \"\(fingerprint)\"\nreason = \"revoked: \(ignored)\"\n")
    for format in ["text", "json", "sarif", "junit", "csv", "html"] {
      let output = try VigilBinary.run(
        ["scan", "--include-suppressed", "--format", format, "."], in: tree.path)
      #expect(output.status == 1, "\(format): \(output.stderr)")
      for secret in [quoted, ignored] {
        #expect(!(output.stdout + output.stderr).contains(hiddenPart(of: secret)), "\(format)")
      }
    }
    // The control: in clear, the reason and the description are there.
    let clear = try VigilBinary.run(
      ["scan", "--no-redact", "--include-suppressed", "--format", "json", "."], in: tree.path)
    #expect(clear.stdout.contains("revoked: \(ignored)") && clear.stdout.contains("one was \(quoted)"))
    // A rule id holding one is an error, which shows it masked.
    try tree.write(
      ".vigil.toml",
      "[extend]\nuseDefault = true\n[[rules]]\nid = \"\(quoted)\"\ndescription = \"d\"\nregex = 'acme_[a-z]{10}'\n"
    )
    let named = try VigilBinary.run(["scan", "."], in: tree.path)
    #expect(named.status == 2 && named.stderr.contains("holds what looks like a secret"), "\(named.stderr)")
    #expect(!(named.stdout + named.stderr).contains(hiddenPart(of: quoted)))
  }

  /// The parts of `secret` that redaction never shows: all but its first four characters.
  private func hiddenPart(of secret: String) -> String { String(secret.dropFirst(4)) }

  @Test func noStreamHoldsASecretInClear() throws {
    let planted = try plant()
    let repository = planted.repository.path
    let scratch = try TemporaryTree()
    let temporary = scratch.path + "/tmp"
    let reports = scratch.path + "/reports"
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
    try scratch.write(
      "broken.toml",
      "[[rules]]\nid = \"x\"\nregex = \"(\(planted.secrets[3])\"\nseverity = \"\(planted.secrets[4])\"\n")
    let environment = [
      "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TMPDIR": temporary, "HOME": scratch.path,
      "SWIFT_BACKTRACE": "enable=yes",
    ]
    func vigil(_ arguments: [String]) throws -> ProcessOutput {
      try ProcessRunner.run(VigilBinary.path, arguments, in: repository, environment: environment)
    }

    var streams: [(name: String, text: String)] = []
    var statuses: [String: Int32] = [:]
    func record(_ name: String, _ arguments: [String]) throws {
      let output = try vigil(arguments)
      statuses[name] = output.status
      streams += [("\(name) stdout", output.stdout), ("\(name) stderr", output.stderr)]
    }
    for format in ["text", "json", "sarif", "junit", "csv", "html"] {
      try record(format, ["scan", "--format", format, "-o", "\(reports)/report.\(format)", "."])
    }
    try record("stdout", ["scan", "--include-suppressed", "."])
    try record("baseline", ["scan", "--write-baseline", "\(reports)/baseline.json", "."])
    try record("staged", ["scan", "--staged", "--format", "json"])
    try record("history", ["scan", "--history", "--format", "sarif"])
    try record("broken config", ["scan", "--config", scratch.path + "/broken.toml", "."])

    #expect(statuses["broken config"] == 2)
    for (name, status) in statuses where name != "broken config" { #expect(status == 1, "\(name)") }
    let stderr = streams.first { $0.name == "json stderr" }?.text ?? ""
    #expect(stderr.contains("unknown key"), "the nested config's warning should be there, masked")
    // Whatever vigil wrote, wherever it wrote it.
    for directory in [reports, temporary] {
      for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
        let data = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
        streams.append((directory + "/" + name, String(decoding: data, as: UTF8.self)))
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: reports).sorted().count == 7)
    #expect(streams.count > 20)
    for (name, text) in streams {
      for secret in planted.secrets + planted.keyLines + planted.copies {
        #expect(!text.contains(hiddenPart(of: secret)), "\(name) shows \(secret.prefix(4))…")
      }
    }

    // The control: with --no-redact every secret is there, so the search above can see them.
    let clear = try vigil(["scan", "--no-redact", "--format", "json", "--include-suppressed", "."])
    let staged = try vigil(["scan", "--no-redact", "--staged", "--format", "json"])
    let clearText = try vigil(["scan", "--no-redact", "."])
    for copy in planted.copies {
      #expect(clearText.stdout.contains(hiddenPart(of: copy)), "\(copy.prefix(4))…")
    }
    for secret in planted.secrets {
      #expect(
        (clear.stdout + staged.stdout).contains(hiddenPart(of: secret)), "\(secret.prefix(4))… is not found")
    }
    #expect(try findings(clear).contains { $0["path"] as? String == "certs/server.key" })
  }
}

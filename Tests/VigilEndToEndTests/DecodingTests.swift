import Foundation
import Testing
import VigilTestSupport

/// Secrets inside encoded text, through the built binary: base64 (a Kubernetes
/// `Secret`, a PEM key stored as base64, a value encoded ten times over), hex,
/// percent-encoding and `\x` escapes; each reported where the encoded text is, saying
/// how it was decoded, and found no deeper than `--max-decode-depth`.
@Suite struct DecodingTests {
  /// A Stripe-shaped live key made up for the test (the built-in rule's format).
  private static let stripeKey = "sk_live_" + "q7Zt2LmV0pX7rK4wN9sB6yD3"
  private static let awsKeyID = "AKIA" + "HXOCMWNWJSWT56S7"

  private func base64(_ text: String, times: Int = 1) -> String {
    var value = Data(text.utf8)
    for _ in 0..<times { value = Data(value.base64EncodedString().utf8) }
    return String(decoding: value, as: UTF8.self)
  }

  private func makeTree() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    try tree.write(
      "k8s/secret.yaml",
      """
      apiVersion: v1
      kind: Secret
      metadata:
        name: payments
      data:
        STRIPE_KEY: \(base64(Self.stripeKey))
        AWS_ID: \(base64(Self.awsKeyID))
        LOG_LEVEL: \(base64("debug-verbose-mode-on"))

      """)
    // Split so that this source does not hold a key block (or a URL with a password)
    // itself: the repository scans clean.
    let marker = "RSA " + "PRIVATE KEY"
    let pem =
      "-----BEGIN \(marker)-----\n"
      + (0..<8).map { row in String(repeating: "Mq8Zt2LmV0pX7rK4wN9sB6yD3hF1jC5gA\(row)", count: 2) }.joined(
        separator: "\n") + "\n-----END \(marker)-----\n"
    try tree.write("chart/values.yaml", "tls:\n  defaultKey: \(base64(pem))\n")
    try tree.write("deep.cfg", "blob = \(base64(Self.stripeKey, times: 10))\n")
    try tree.write(
      "hex.cfg", "token_hex = \(Data(Self.stripeKey.utf8).map { String(format: "%02x", $0) }.joined())\n")
    try tree.write(
      "service.cfg",
      "DATABASE_URL=postgres%3A%2F%2Fadmin%3A" + "Qw8%21zR2mLp%40db.internal%3A5432%2Fapp\n")
    let escaped = Self.stripeKey.utf8.map { String(format: "\\x%02x", $0) }.joined()
    try tree.write("src/config.js", "const key = \"\(escaped)\";\n")
    // Random bytes in base64 decode to noise: not text, not looked into.
    try tree.write("noise.cfg", "salt = Zm9vYmFy/+Qx8L2kPz7mWc9vN1aR5tY3uE6iO0pS4dF8gH2j\n")
    return tree
  }

  private func findings(_ arguments: [String], in tree: TemporaryTree) throws -> [(
    rule: String, path: String, message: String
  )] {
    let output = try VigilBinary.run(["scan", "--format", "json"] + arguments + ["."], in: tree.path)
    #expect(output.status <= 1, "\(output.stderr)")
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let findings = try #require(document?["findings"] as? [[String: Any]])
    return findings.map {
      ($0["ruleId"] as? String ?? "", $0["path"] as? String ?? "", $0["message"] as? String ?? "")
    }
  }

  @Test func secretsInEncodedTextAreFoundWhereTheEncodedTextIs() throws {
    let tree = try makeTree()
    let found = try findings([], in: tree)
    let byPath = Dictionary(grouping: found, by: \.path)
    #expect(byPath["k8s/secret.yaml"]?.map(\.rule).sorted() == ["aws-access-key-id", "stripe-secret-key"])
    #expect(byPath["k8s/secret.yaml"]?.allSatisfy { $0.message.hasSuffix("(decoded from base64)") } == true)
    #expect(byPath["chart/values.yaml"]?.map(\.rule) == ["private-key"])
    #expect(byPath["deep.cfg"]?.map(\.rule) == ["stripe-secret-key"])
    #expect(
      byPath["deep.cfg"]?.first?.message.hasSuffix(
        "(decoded from " + Array(repeating: "base64", count: 10).joined(separator: ", then ") + ")") == true)
    #expect(byPath["hex.cfg"]?.first?.message.hasSuffix("(decoded from hex)") == true)
    #expect(
      byPath["service.cfg"]?.contains {
        $0.rule == "database-url-password" && $0.message.hasSuffix("(decoded from percent)")
      } == true)
    #expect(byPath["src/config.js"]?.first?.message.hasSuffix("(decoded from escapes)") == true)
    #expect(byPath["noise.cfg"] == nil)
    // The secret is never printed whole, decoded or not.
    #expect(!found.contains { $0.message.contains(Self.stripeKey) || $0.message.contains(Self.awsKeyID) })
  }

  /// JSON and SARIF say how a finding was decoded in a field of its own, outermost
  /// encoding first; a plain finding has none.
  @Test func reportsCarryTheEncodingsUndone() throws {
    let tree = try makeTree()
    try tree.write("plain.cfg", "stripe = \(Self.stripeKey)\n")
    func decodedFrom(_ findings: [[String: Any]], path: String) -> [String]? {
      findings.first { $0["path"] as? String == path }.flatMap { $0["decodedFrom"] as? [String] }
    }
    let json = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let items = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["findings"]
        as? [[String: Any]])
    #expect(decodedFrom(items, path: "deep.cfg") == Array(repeating: "base64", count: 10))
    #expect(decodedFrom(items, path: "hex.cfg") == ["hex"])
    #expect(items.contains { $0["path"] as? String == "plain.cfg" })
    #expect(decodedFrom(items, path: "plain.cfg") == nil)

    let sarif = try VigilBinary.run(["scan", "--format", "sarif", "."], in: tree.path)
    let runs = try #require(
      (try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"]
        as? [[String: Any]])
    let results = try #require(runs.first?["results"] as? [[String: Any]])
    func uri(_ result: [String: Any]) -> String? {
      let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
      return (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
    }
    let escaped = results.first { uri($0) == "src/config.js" }
    #expect((escaped?["properties"] as? [String: Any])?["decodedFrom"] as? [String] == ["escapes"])
    let plain = results.first { uri($0) == "plain.cfg" }
    #expect(plain != nil && (plain?["properties"] as? [String: Any])?["decodedFrom"] == nil)
  }

  /// Another rule's secret inside a value a plain finding reports is reported too (an
  /// AWS key in base64 in an `api_key`): an allow of the generic rule does not hide it.
  @Test func anotherRulesSecretInsideAReportedValueIsReported() throws {
    let tree = try TemporaryTree()
    let awsKeyID = "AKIA" + "QX7Z3RMWTVB5LK2P"
    let value = base64("aws_access_key_id = \(awsKeyID)\n")
    try tree.write(
      "settings.py", "api_key = \"\(value)\"  # vigil:allow generic-secret-assignment test value\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let rules = (document?["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }
    #expect(rules == ["aws-access-key-id"], "\(rules)")
  }

  /// Punctuation escaped as JSON (PHP's json_encode writes `\/`) and Java properties
  /// files (`\:`, `\=`) write it: the line is read unescaped, its name with it, and the
  /// secret is masked in every finding's snippet.
  @Test func escapedPunctuationIsReadUnescaped() throws {
    let tree = try TemporaryTree()
    let material = "Tq8Wz2Lm7Xr4Vt9P" + "/" + "bN3cK6hJ1gF5dS8aQ0eRx7Y"
    try tree.write(
      "config.json",
      "{\"AccessKeyId\": \"\(Self.awsKeyID)\", \"SecretAccessKey\": \""
        + material.replacingOccurrences(of: "/", with: "\\/") + "\"}\n")
    try tree.write(
      "app.properties", "mongo.uri=mongodb\\://app\\:" + "Pz8Kq2Wm7Lr4@db.internal\\:27017/app\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let found = try findings([], in: tree)
    #expect(
      found.contains {
        $0.path == "config.json" && $0.rule == "aws-secret-access-key"
          && $0.message.hasSuffix("(decoded from escapes)")
      }, "\(found)")
    #expect(found.contains { $0.path == "app.properties" && $0.rule == "database-url-password" }, "\(found)")
    #expect(!output.stdout.contains(String(material.prefix(16))))
  }

  /// A finding on a line read unescaped is placed at its own escaped bytes, not at the
  /// whole line: its column, and a snippet that masks it alone. A line may be megabytes
  /// (the whole line as its place cost a gigabyte for a 24 MB line).
  @Test func aFindingOnAnEscapedLineIsAtItsOwnBytes() throws {
    let tree = try TemporaryTree()
    let material = "Tq8Wz2Lm7Xr4Vt9P" + "\\/" + "bN3cK6hJ1gF5dS8aQ0eRx7Y"
    let before =
      "{\"url\": \"https:\\/\\/example.org\\/\", \"AccessKeyId\": \"\(Self.awsKeyID)\", \"SecretAccessKey\": \""
    try tree.write("config.json", before + material + "\", \"region\": \"eu\"}\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let found = try #require(
      (document?["findings"] as? [[String: Any]])?.first {
        $0["ruleId"] as? String == "aws-secret-access-key"
      })
    #expect(found["column"] as? Int == before.count + 1, "\(found)")
    #expect(found["endColumn"] as? Int == before.count + material.count + 1, "\(found)")
    let snippet = try #require(found["snippet"] as? String)
    #expect(snippet.contains("\"SecretAccessKey\": \"Tq8W*****\", \"region\""), "\(snippet)")
  }

  /// A zip, an xz or a bzip2 stream in base64 (a Kubernetes Secret made
  /// `--from-file=creds.zip`) is unpacked as a gzip stream is, and says so.
  @Test func packedFilesInBase64AreUnpacked() throws {
    let tree = try TemporaryTree()
    let made = try ProcessRunner.python(
      """
      import base64, bz2, io, lzma, zipfile
      text = b'stripe = \(Self.stripeKey)\\n'
      packed = io.BytesIO()
      with zipfile.ZipFile(packed, 'w', zipfile.ZIP_DEFLATED) as z:
          # An Office document's parts unpack to several times the base64 they come in.
          import random
          random.seed(5)
          words = ['<w:t>%s</w:t>' % ''.join(random.choice('abcdefghij') for _ in range(6)) for _ in range(6000)]
          z.writestr('word/document.xml', ''.join(words))
          z.writestr('creds.cfg', text)
      lines = ['kind: Secret', 'data:']
      for name, blob in (('zip', packed.getvalue()), ('xz', lzma.compress(text)), ('bz2', bz2.compress(text))):
          lines.append('  %s: %s' % (name, base64.b64encode(blob).decode()))
      open('secret.yaml', 'w').write('\\n'.join(lines) + '\\n')
      """, in: tree.path)
    #expect(made.status == 0, "\(made.stderr)")
    let found = try findings([], in: tree).filter { $0.rule == "stripe-secret-key" }
    #expect(found.count == 3, "\(found)")
    #expect(found.allSatisfy { $0.message.contains("decoded from base64, then archive") }, "\(found)")
    let strict = try VigilBinary.run(["scan", "--strict", "-q", "."], in: tree.path)
    #expect(strict.status == 1, "\(strict.stderr)")
  }

  /// Lines read unescaped cost the decoding budget nothing (the file's lines, each once,
  /// are no more than the file): a megabyte of `https:\/\/` leaves the gzip in base64
  /// after it decoded. And on a line of two credentials, the escaped one is its own
  /// finding, masked in the other's snippet.
  @Test func escapedLinesSpendNoBudgetAndHideNoSecondCredential() throws {
    let tree = try TemporaryTree()
    let made = try ProcessRunner.python(
      """
      import base64, gzip, random, string
      random.seed(7)
      r = lambda n: ''.join(random.choice(string.ascii_letters + string.digits) for _ in range(n))
      lines = ['{"id":%d,"url":"https:\\\\/\\\\/cdn.example.org\\\\/a\\\\/%s.png","title":"%s"}' % (i, r(16), r(60)) for i in range(8000)]
      text = ('# log line %s\\n' % ('x' * 60)) * 20000 + 'stripe = \(Self.stripeKey)\\n'
      blob = base64.b64encode(gzip.compress(text.encode())).decode()
      open('data.json', 'w').write('\\n'.join(lines) + '\\n{"release":"%s"}\\n' % blob)
      open('config.json', 'w').write('{"db_password":"%s","api_secret":"%s"}\\n' % (r(16), r(14) + '\\\\/' + r(14)))
      """, in: tree.path)
    #expect(made.status == 0, "\(made.stderr)")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(!output.stderr.contains("decoding stopped"), "\(output.stderr)")
    let found = try findings([], in: tree)
    #expect(found.contains { $0.path == "data.json" && $0.rule == "stripe-secret-key" }, "\(found)")
    #expect(
      found.count { $0.path == "config.json" && $0.rule == "generic-secret-assignment" } == 2, "\(found)")
    let config = try String(contentsOfFile: tree.path + "/config.json", encoding: .utf8)
    let escaped = config.split(separator: "\"")[7].replacingOccurrences(of: "\\/", with: "/")
    #expect(!output.stdout.contains(escaped.prefix(14)), "\(output.stdout)")
  }

  /// A secret found decoded is masked wherever its plain text is too (a note quoting
  /// the key unescaped after its escaped copy), and an encoded run of tens of kilobytes
  /// it was decoded from is masked in its copies too (a snippet shows the bytes around).
  @Test func aDecodedSecretIsMaskedWhereverItsTextIs() throws {
    let tree = try TemporaryTree()
    let material = "Tq8Wz2Lm7Xr4Vt9P" + "/" + "bN3cK6hJ1gF5dS8aQ0eRx7Y"
    try tree.write(
      "config.json",
      "{\"aws_secret_access_key\":\"\(material.replacingOccurrences(of: "/", with: "\\/"))\",\"note\":\"was \(material)\"}\n"
    )
    let run = base64(
      String(repeating: "lorem ipsum dolor sit amet ", count: 800) + "stripe = \(Self.stripeKey)\n")
    try tree.write("values.yaml", "copy: x\(run) blob: \(run)\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    #expect(!output.stdout.contains(String(material.suffix(20))), "\(output.stdout)")
    #expect(!output.stdout.contains(String(run.suffix(40))), "\(output.stdout)")
  }

  /// A secret inside one long encoded run: the run is the finding's place, and nothing
  /// downstream copies or indexes it whole (masking its text everywhere in the file built
  /// an automaton over it: 780 MB for a 14 MB run). Under an address-space limit (two
  /// malloc arenas, two workers) the scan fits in 800 MB with room to spare.
  @Test func aSecretInALongEncodedRunCostsLittleMemory() throws {
    guard ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil else { return }
    let tree = try TemporaryTree()
    let text =
      String(repeating: "lorem ipsum dolor sit amet ", count: 400_000) + "stripe = \(Self.stripeKey)\n"
    try tree.write("blob.txt", "data: " + base64(text) + "\n")
    let output = try ProcessRunner.run(
      "/bin/bash", ["-c", "ulimit -v 800000; exec \"$0\" scan -j 2 --format json .", VigilBinary.path],
      in: tree.path, environment: ["MALLOC_ARENA_MAX": "2", "PATH": "/usr/bin:/bin"])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(output.stdout.contains("\"stripe-secret-key\""))
  }

  @Test func theDepthBoundsHowFarDecodingGoes() throws {
    let tree = try makeTree()
    let none = try findings(["--max-decode-depth", "0"], in: tree)
    #expect(!none.contains { $0.message.contains("decoded from") })
    let shallow = try findings(["--max-decode-depth", "3"], in: tree)
    #expect(shallow.contains { $0.path == "k8s/secret.yaml" })
    #expect(!shallow.contains { $0.path == "deep.cfg" })
    let refused = try VigilBinary.run(["scan", "--max-decode-depth", "99", "."], in: tree.path)
    #expect(refused.status == 2)
  }

  /// Encoded text left encoded at the depth limit is said, and --strict fails on it: a
  /// secret base64-encoded more times than the limit is not dropped silently.
  @Test func encodedTextPastTheDepthIsAWarning() throws {
    let tree = try TemporaryTree()
    var value = Self.stripeKey
    for _ in 0..<4 { value = base64(value) }
    try tree.write("app.py", "blob = '\(value)'\n")
    let shallow = try VigilBinary.run(["scan", "--strict", "--max-decode-depth", "3", "."], in: tree.path)
    #expect(shallow.status == 2, "\(shallow.stderr)")
    #expect(
      shallow.stderr.contains(
        "app.py: warning: encoded text nested deeper than 3 encodings (--max-decode-depth)"),
      "\(shallow.stderr)")
    let deep = try VigilBinary.run(["scan", "--strict", "--max-decode-depth", "4", "."], in: tree.path)
    #expect(deep.status == 1, "\(deep.stderr)")
    #expect(!deep.stderr.contains("nested deeper"), "\(deep.stderr)")
  }

  /// Hostile input: text that decodes to more of itself, level after level, and many
  /// such values; the scan ends, and a file decodes to at most a few times its size.
  /// Decoding has a budget (twice the file and 64 KiB): decoys that spend it (wrapped
  /// base64 nested nine deep decodes to several times itself) leave what follows
  /// undecoded, which a warning says and `--strict` fails on; without them the same
  /// value is found.
  @Test func aSpentDecodingBudgetIsSaidAndFailsStrict() throws {
    let tree = try TemporaryTree()
    let value = "v: " + base64("key = " + Self.stripeKey, times: 3) + "\n"
    var decoys = ""
    for index in 0..<40 {
      let words = String(repeating: "alpha beta gamma delta ", count: 1 + (index % 7) * 20)
      let nested = base64(words, times: 9)
      decoys +=
        "k\(index): |\n"
        + stride(from: 0, to: nested.count, by: 76).map { start in
          let from = nested.index(nested.startIndex, offsetBy: start)
          return "  "
            + nested[from..<(nested.index(from, offsetBy: 76, limitedBy: nested.endIndex) ?? nested.endIndex)]
        }.joined(separator: "\n") + "\n"
    }
    try tree.write("values.yaml", decoys + value)
    try tree.write("alone.yaml", value)
    let output = try VigilBinary.run(["scan", "--strict", "--format", "json", "."], in: tree.path)
    #expect(output.status == 2, "\(output.stderr)")
    #expect(output.stderr.contains("values.yaml: warning: decoding stopped"), "\(output.stderr)")
    #expect(output.stderr.contains("not decoded whole"), "\(output.stderr)")
    #expect(!output.stderr.contains("alone.yaml: warning"))
    #expect(try findings([], in: tree).map(\.path).contains("alone.yaml"))
  }

  @Test func nestedEncodingsStayBounded() throws {
    let tree = try TemporaryTree()
    let nested = base64("x = " + base64(Self.stripeKey, times: 12), times: 12)
    try tree.write("nested.cfg", String(repeating: "v = \(nested)\n", count: 20))
    let found = try findings([], in: tree)
    // Twelve plus twelve levels is past the default depth: nothing, and no hang.
    #expect(found.isEmpty)
  }

  /// gzip inside base64 (cloud-init's `encoding: gz+b64`, a Kubernetes `binaryData`, a
  /// Helm release: base64 of base64 of gzip) is inflated and read, within the decoding
  /// budget: a gzip bomb in base64 is a warning, not an outage; with archives not
  /// opened (`--max-archive-depth 0`), neither is gzip in base64.
  @Test func gzipInsideBase64IsInflatedWithinTheBudget() throws {
    let tree = try TemporaryTree()
    let output = try ProcessRunner.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        """
        import base64, gzip, io, tarfile
        key = '\(Self.stripeKey)'
        packed = base64.b64encode(gzip.compress(('STRIPE=' + key + '\\n').encode())).decode()
        open('cloud-init.yaml', 'w').write('write_files:\\n- path: /etc/app.env\\n  encoding: gz+b64\\n  content: ' + packed + '\\n')
        wrapped = '\\n'.join('    ' + packed[i:i + 76] for i in range(0, len(packed), 76))
        open('wrapped.yaml', 'w').write('data: |\\n' + wrapped + '\\n')
        release = base64.b64encode(base64.b64encode(gzip.compress(('{"config":{"stripe":"' + key + '"}}').encode()))).decode()
        open('release.yaml', 'w').write('kind: Secret\\ntype: helm.sh/release.v1\\ndata:\\n  release: ' + release + '\\n')
        tar = io.BytesIO()
        with tarfile.open(fileobj=tar, mode='w') as t:
            data = ('stripe.key=' + key + '\\n').encode()
            info = tarfile.TarInfo('conf/app.properties'); info.size = len(data); t.addfile(info, io.BytesIO(data))
        open('bundle.yaml', 'w').write('bundle: ' + base64.b64encode(gzip.compress(tar.getvalue())).decode() + '\\n')
        big = io.BytesIO()
        with tarfile.open(fileobj=big, mode='w') as t:
            info = tarfile.TarInfo('zeros.bin'); info.size = 300000; t.addfile(info, io.BytesIO(bytes(300000)))
        later = base64.b64encode(gzip.compress(('STRIPE=' + key + '\\n').encode())).decode()
        open('large-first.yaml', 'w').write('a: ' + base64.b64encode(gzip.compress(big.getvalue())).decode() + '\\nb: ' + later + '\\n')
        bomb = base64.b64encode(gzip.compress(b'A' * (64 << 20))).decode()
        open('bomb.yaml', 'w').write('blob: ' + bomb + '\\nkey: ' + base64.b64encode(gzip.compress(key.encode())).decode() + '\\n')
        """,
      ],
      in: tree.path)
    #expect(output.status == 0, "\(output.stderr)")
    let found = try findings([], in: tree)
    // An entry too large to read in one stream does not stop the file's later streams.
    for path in ["cloud-init.yaml", "wrapped.yaml", "release.yaml", "bundle.yaml", "large-first.yaml"] {
      #expect(found.contains { $0.path == path && $0.rule == "stripe-secret-key" }, "\(path): \(found)")
    }
    #expect(found.contains { $0.path == "cloud-init.yaml" && $0.message.contains("base64, then gzip") })
    let strict = try VigilBinary.run(["scan", "--strict", "."], in: tree.path)
    #expect(strict.status == 2, "\(strict.stderr)")
    #expect(
      strict.stderr.contains("bomb.yaml: warning: unpacking archives and compressed streams"),
      "\(strict.stderr)")
    #expect(try findings(["--max-archive-depth", "0"], in: tree).isEmpty)
  }
}

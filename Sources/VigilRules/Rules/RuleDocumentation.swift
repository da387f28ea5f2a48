import VigilDetect
import VigilModel

/// The rule pack described for people: `Documentation/Rules.md` and
/// `vigil rules explain ID` come from here, so the two never disagree with the rules.
public enum RuleDocumentation {
  /// Why each category matters, shown for every rule in it.
  public static func why(_ category: RuleCategory) -> String { category.why }

  /// The whole pack as Markdown, grouped by category, in a stable order.
  public static func markdown(_ rules: [Rule]) -> String {
    var text = """
      <!-- Generated from Rules/ by `vigil rules --markdown`; do not edit. A test fails when it is stale. -->
      # Rules

      vigil's built-in rules, \(rules.count) in all. Each rule's examples (text it must
      match and text it must not) run through the real detector in the test suite.


      """
    text += "| category | rules |\n| --- | --- |\n"
    for category in RuleCategory.allCases {
      text += "| `\(category.rawValue)` | \(rules.count { $0.category == category }) |\n"
    }
    for category in RuleCategory.allCases {
      let members = rules.filter { $0.category == category }.sorted { $0.id < $1.id }
      guard !members.isEmpty else { continue }
      text += "\n## \(category.rawValue)\n\n\(why(category))\n\n"
      text += "| id | severity | security-severity | CWE | what |\n| --- | --- | --- | --- | --- |\n"
      for rule in members {
        text +=
          "| [`\(rule.id)`](#\(rule.id)) | \(rule.severity.rawValue) | \(severity(rule)) | \(rule.cwe) | \(escape(rule.description)) |\n"
      }
      for rule in members {
        text += "\n### \(rule.id)\n\n" + details(rule, markdown: true)
      }
    }
    return text
  }

  /// One rule for the terminal (`vigil rules explain ID`), with how to test it where a
  /// made-up value would not be reported.
  public static func explanation(_ rule: Rule) -> String {
    "\(rule.id)\n\n" + details(rule, markdown: false)
      + (testing(rule).map { "\nTesting this rule:\n" + $0 } ?? "")
  }

  /// What a test value must be for a rule that checks a secret's structure: a made-up
  /// value is not reported, which a user trying vigil would otherwise take for a miss.
  /// For a checksum format, a fresh value with a valid checksum.
  static func testing(_ rule: Rule) -> String? {
    switch rule.validator {
    case nil:
      return nil
    case .crc32Base62:
      let prefixes = DefaultRulePack.examples(of: rule).match.compactMap { example -> String? in
        guard let open = example.firstIndex(of: RuleExamples.openMarker) else { return nil }
        let marked = example[example.index(after: open)...].prefix(4)
        return marked.count == 4 && marked.hasSuffix("_") ? String(marked) : nil
      }
      let prefix = prefixes.first ?? "ghp_"
      return """
        - A made-up token is not reported: its last 6 characters must be the CRC32 of the 30 \
        before them, in base62, as the issuer computes it. A random token with a valid \
        checksum, made just now (it names no account; use it in a test file):
              \(SecretValidator.testToken(prefix: prefix))

        """
    case .jwt:
      return """
        - Only a signed token is reported: three base64url parts; a header that decodes to a \
        JSON object whose alg is not none; a payload that decodes to a JSON object with at \
        least one claim; a signature that is not empty.

        """
    case .crc32HexLE:
      return """
        - A made-up token is not reported: its last 8 hex digits must be the CRC-32 of the \
        text before the last underscore, least significant byte first, as Grafana computes it. \
        A random token with a valid checksum, made just now (it names no account; use it in \
        a test file):
              \(SecretValidator.testGrafanaToken())

        """
    case .gitlabRoutable:
      return """
        - A made-up token is not reported: its last 7 characters must be the CRC-32 of the \
        rest in base 36, and its base64 part as long as the digits before them say, as GitLab \
        computes it. A random token with a valid checksum, made just now (it names no account; \
        use it in a test file):
              \(SecretValidator.testGitLabRoutableToken(prefix: "glpat-"))

        """
    case .bech32:
      return """
        - A made-up key is not reported: it is Bech32 text whose last six characters are the \
        checksum of the rest, as age writes its identities (age-keygen makes a real one).

        """
    case .nkey:
      return """
        - A made-up seed is not reported: it must be base32 whose last two bytes are the \
        CRC-16 (XMODEM) of the rest, as NATS writes its nkeys. A random user seed with a \
        valid checksum, made just now (it names no account; use it in a test file):
              \(SecretValidator.testNKeySeed(kind: "U"))

        """
    case .base58Check:
      return """
        - A made-up key is not reported: it is Base58Check text whose last four decoded \
        bytes are the double SHA-256 of the rest, as Bitcoin wallets write their keys (a \
        wallet's export makes a real one).

        """
    case .basicAuth:
      return """
        - The base64 value must decode to printable user:password text with a password.

        """
    case .jenkinsSecret:
      return """
        - A made-up value is not reported: it must decode to what Jenkins writes (version 1, \
        a 16-byte IV, then whole AES blocks, the lengths it states adding up).

        """
    case .generated:
      return """
        - The value must look generated: base64 of readable text and paths ending in a file \
        name are not reported.

        """
    case .derPrivateKey:
      return """
        - A made-up value is not reported: the base64 must decode to a whole private key in \
        DER (PKCS #1, PKCS #8 or SEC 1). A real one, made just now, is the body of \
        `openssl genpkey -algorithm ed25519` without its BEGIN and END lines.

        """
    case .pkcs12:
      return """
        - A made-up value is not reported: the base64 must decode to a whole PKCS #12 key \
        store. A real one, made just now, is `openssl pkcs12 -export` of any certificate and \
        key, in base64.

        """
    case .opensshPrivateKey:
      return """
        - A made-up value is not reported: the base64 must decode to an OpenSSH private key \
        whose sections are as long as they say. A real one, made just now, is the body of \
        `ssh-keygen -t ed25519 -N '' -f k` (file k) without its BEGIN and END lines.

        """
    }
  }

  private static func details(_ rule: Rule, markdown: Bool) -> String {
    var lines = [
      "- What: \(rule.description)",
      "- Why: \(rule.category.why(cwe: rule.cwe))",
      "- Fix: \(rule.remediation ?? "Remove it and, for a credential, revoke it.")",
      "- Category: \(rule.category.rawValue); severity: \(rule.severity.rawValue); security-severity: \(severity(rule)); \(rule.cwe)",
    ]
    if !rule.skipIn.isEmpty {
      let contexts = CodeContext.allCases.filter(rule.skipIn.contains).map { context in
        switch context {
        case .test: "test code"
        case .comment: "comments"
        case .string: "string literals"
        }
      }
      lines.append("- Not reported in: \(contexts.joined(separator: ", "))")
    }
    if let validator = rule.validator {
      lines.append("- " + checked(validator))
    }
    if rule.isPathOnly { lines.append("- Fires on the file's path, whatever its content.") }
    let body = lines.map { markdown ? escape($0) : $0 }.joined(separator: "\n")
    return body + "\n"
  }

  /// What a rule's validator checks, in one line.
  private static func checked(_ validator: SecretValidator) -> String {
    switch validator {
    case .crc32Base62, .crc32HexLE, .gitlabRoutable, .bech32, .nkey, .base58Check:
      "The secret's checksum is verified, so random look-alikes are not reported."
    case .jwt: "The token is decoded: only a signed one with claims is reported."
    case .basicAuth: "The value is decoded: only a user:password credential is reported."
    case .jenkinsSecret: "The value is decoded: only Jenkins' encrypted form, lengths adding up, is reported."
    case .generated: "The value must look generated, not encoded readable text or a file's path."
    case .derPrivateKey: "The value is decoded: only a whole private key in DER is reported."
    case .opensshPrivateKey: "The value is decoded: only a whole OpenSSH private key is reported."
    case .pkcs12: "The value is decoded: only a whole PKCS #12 key store is reported."
    }
  }

  private static func severity(_ rule: Rule) -> String {
    let tenths = Int((rule.securitySeverity * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }

  /// Keeps a table cell or list item from breaking Markdown.
  private static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}

import Testing
import VigilKit

@testable import VigilRules

/// Each validation the loader makes, and that it reports every problem at once.
@Suite struct RuleLoaderTests {
  private func problems(_ toml: String, strict: Bool = false) -> [Diagnostic] {
    RuleLoader(strict: strict).parse(text: toml, file: "rules.toml").1
  }

  private func errors(_ toml: String, strict: Bool = false) -> [Diagnostic] {
    problems(toml, strict: strict).filter { $0.level == .error }
  }

  @Test func validRuleLoads() throws {
    let (file, problems) = RuleLoader(strict: false).parse(
      text: """
        [[rules]]
        id = "demo"
        description = "Demo token"
        regex = '''demo_([a-z0-9]{8})'''
        secretGroup = 1
        entropy = 2.5
        keywords = ["DEMO_"]
        tags = ["demo"]
        """, file: "rules.toml")
    #expect(problems.isEmpty)
    #expect(file.rules.count == 1)
    let rule = try #require(file.rules.first)
    #expect(rule.id == "demo")
    #expect(rule.keywords == ["demo_"])
    #expect(rule.category == .secret)
    #expect(rule.severity == .error)
    #expect(rule.secretGroup == 1)
    #expect(rule.entropy == 2.5)
  }

  /// `sink` names a pattern of the file's `[sinks]` table, or is a pattern itself;
  /// `accumulate` needs both a regex and a sink.
  @Test func flowKeysLoad() throws {
    let (file, problems) = RuleLoader(strict: false).parse(
      text: #"""
        [sinks]
        calls = '(?:^|\.)(?:query|execute)$'

        [[rules]]
        id = "named"
        category = "sql-injection"
        regex = '"SELECT[^"]*" \+'
        sink = "calls"

        [[rules]]
        id = "inline"
        category = "sql-injection"
        regex = '"SELECT'
        sink = 'run$'
        accumulate = true

        [[rules]]
        id = "origin"
        category = "cors"
        regex = 'origin, (\w+)'
        assignedFrom = 'req\.headers\.origin'
        """#, file: "rules.toml")
    #expect(problems.isEmpty, "\(problems)")
    #expect(file.rules.map(\.sink) == [#"(?:^|\.)(?:query|execute)$"#, "run$", nil])
    #expect(file.rules.map(\.accumulates) == [false, true, false])
    #expect(file.rules.last?.assignedFrom == #"req\.headers\.origin"#)
    let missing = errors("[[rules]]\nid = \"x\"\nregex = 'a'\naccumulate = true\n")
    #expect(missing.contains { $0.message.contains("accumulate needs") }, "\(missing)")
    let broken = errors("[[rules]]\nid = \"x\"\nregex = 'a'\nsink = '(unclosed'\n")
    #expect(broken.contains { $0.message.contains("does not compile") }, "\(broken)")
  }

  /// `guard` names a pattern of the file's `[guards]` table, or is a pattern itself;
  /// `guardLines` needs a guard and stays within 1–20.
  @Test func guardKeysLoad() throws {
    let (file, problems) = RuleLoader(strict: false).parse(
      text: #"""
        [guards]
        option = '\bif\b[^\n]*insecure'

        [[rules]]
        id = "named"
        category = "hardening"
        regex = 'verify=False'
        guard = "option"

        [[rules]]
        id = "inline"
        category = "hardening"
        regex = 'verify=False'
        guard = 'def\s+\w+\([^)]*\z'
        guardLines = 2
        """#, file: "rules.toml")
    #expect(problems.isEmpty, "\(problems)")
    #expect(file.rules.map(\.guardPattern) == [#"\bif\b[^\n]*insecure"#, #"def\s+\w+\([^)]*\z"#])
    #expect(file.rules.map(\.guardLines) == [8, 2])
    let far = errors("[[rules]]\nid = \"x\"\nregex = 'a'\nguard = 'b'\nguardLines = 21\n")
    #expect(far.contains { $0.message.contains("guardLines 21 is outside 1–20") }, "\(far)")
    let alone = errors("[[rules]]\nid = \"x\"\nregex = 'a'\nguardLines = 3\n")
    #expect(alone.contains { $0.message.contains("guardLines needs a 'guard'") }, "\(alone)")
    let broken = errors("[[rules]]\nid = \"x\"\nregex = 'a'\nguard = '(unclosed'\n")
    #expect(broken.contains { $0.message.contains("does not compile") }, "\(broken)")
  }

  /// An id is printed in reports and named in comments: printable ASCII only; a blank,
  /// a control character (an escape sequence, a newline that forges a report line), a
  /// bidirectional override or an invisible letter is an error, shown escaped.
  @Test func anIdIsPrintableASCII() {
    for id in [
      "x\\u001b[2J", "a\\nvigil: 0 findings", "two words", "rev\\u202Eyp", "tab\\tid", "fill\\u3164er",
      "zero\\u200Bwidth",
    ] {
      let found = errors("[[rules]]\nid = \"\(id)\"\nregex = \"zq\"\n")
      #expect(found.count == 1, "\(id)")
      #expect(
        found.first?.message.contains("holds a character other than printable ASCII") == true, "\(found)")
      #expect(
        found.first.map { $0.message.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 } } == true)
    }
    #expect(errors("[[rules]]\nid = \"internal-token.v2:x/y\"\nregex = \"zq\"\n").isEmpty)
  }

  @Test func tomlSyntaxErrorHasALineNumber() {
    let found = errors("[[rules]]\nid = \"x\"\nregex = 'a\nkeywords = [\n")
    #expect(found.count == 1)
    #expect(found.first?.line == 3)
    #expect(found.first?.message.contains("TOML syntax") == true)
  }

  @Test func unknownKeysAreWarningsWithTheirPath() {
    let found = problems(
      """
      colour = "blue"
      [[rules]]
      id = "x"
      regex = "x"
      sevrity = "error"
      [[rules.allowlists]]
      regexes = ["y"]
      pathz = ["z"]
      """)
    #expect(found.allSatisfy { $0.level == .warning })
    let messages = found.map(\.message)
    #expect(messages.contains("unknown key 'colour' is ignored"))
    #expect(messages.contains("unknown key 'rules[0].sevrity' is ignored"))
    #expect(messages.contains("unknown key 'rules[0].allowlists[0].pathz' is ignored"))
  }

  /// gitleaks reads its keys in any case (viper): a migrated config's `secretgroup`,
  /// `Keywords` or `targetrules` mean what they say, not "unknown key".
  @Test func keysAreReadInAnyCaseAsGitleaksReadsThem() throws {
    let (file, found) = RuleLoader(strict: false).parse(
      text: """
        [[rules]]
        id = "demo"
        Regex = '''demo_([a-z]{4})_([a-z0-9]{8})'''
        secretgroup = 2
        Keywords = ["DEMO_"]
        [[allowlists]]
        targetrules = ["demo"]
        stopWords = ["sample"]
        """, file: "rules.toml")
    #expect(found.isEmpty, "\(found)")
    let rule = try #require(file.rules.first)
    #expect(rule.secretGroup == 2)
    #expect(rule.keywords == ["demo_"])
    #expect(file.allowlists.first?.targetRules == ["demo"])
    #expect(file.allowlists.first?.stopwords == ["sample"])
    // The exact spelling wins; another spelling beside it is an unknown key.
    let twice = problems("[[rules]]\nid = \"x\"\nregex = \"x\"\nsecretGroup = 1\nsecretgroup = 2\n")
    #expect(twice.map(\.message).contains("unknown key 'rules[0].secretgroup' is ignored"))
  }

  @Test func badRegexNamesTheRuleAndGivesPCRE2sMessageAndOffset() {
    let found = errors(
      """
      [[rules]]
      id = "broken"
      regex = '''(abc'''
      """)
    #expect(found.count == 1)
    #expect(found.first?.ruleID == "broken")
    #expect(found.first?.line == 3, "the regex's own line, not the id's")
    #expect(found.first?.message == "'regex' does not compile: missing closing parenthesis at offset 4")
  }

  /// Every check runs: one load reports every problem of every rule, each on the line
  /// of the key it is about (a rule's missing parts on its id line).
  @Test func everyProblemOfEveryRuleIsReportedOnItsKeysLine() {
    let found = errors(
      """
      [[rules]]
      description = "first"
      id = "one"
      severity = "loud"
      regex = '''(a)'''
      secretGroup = 3
      entropy = 9.5
        keywords = ["", "x"]
      skipIn = ["comment", "docs"]

      [[rules]]
      id = "two"
      category = "spam"
      validate = "nope"
      [[rules.allowlists]]
      regexes = ['''[z''']
      """)
    let seen = Set(found.map { "\($0.ruleID ?? "-"):\($0.line ?? 0):\($0.message.prefix(14))" })
    #expect(
      seen == [
        "one:4:severity 'loud", "one:6:secretGroup 3 ", "one:7:entropy 9.5 is", "one:8:has an empty k",
        "one:9:skipIn names '", "two:12:has neither 'r", "two:13:category 'spam", "two:14:validate names",
        "two:16:'rules[1].allo",
      ], "\(found)")
  }

  /// A `skipIn` context no lexer finds in the files a rule matches would do nothing:
  /// a warning on its line for a user's rule, an error in vigil's own pack.
  @Test func aContextNoLexerProvidesForTheRulesPathsIsReported() {
    let rule = """
      [[rules]]
      id = "py"
      description = "d"
      category = "sql-injection"
      severity = "warning"
      path = '''\\.sql$'''
      regex = '''execute'''
      skipIn = ["test", "comment"]
      [rules.examples]
      path = "schema.sql"
      match = ["«execute»"]
      noMatch = ["run"]
      """
    let loose = problems(rule)
    #expect(loose.map(\.level) == [.warning], "\(loose)")
    #expect(loose.first?.line == 8)
    #expect(
      loose.first?.message.hasPrefix("skipIn names 'comment', but no lexer finds comment regions") == true)
    #expect(problems(rule, strict: true).map(\.level) == [.error])
    // For Rust files, or any file, the Rust lexer provides comments: nothing to say.
    #expect(
      problems(
        rule.replacingOccurrences(of: "sql$", with: "rs$").replacingOccurrences(
          of: "schema.sql", with: "a.rs")
      ).isEmpty)
  }

  @Test func secretGroupBeyondTheCaptureCount() {
    let found = errors(
      """
      [[rules]]
      id = "groups"
      regex = '''(a)(b)'''
      secretGroup = 3
      """)
    #expect(found.map(\.message) == ["secretGroup 3 is beyond the regex's 2 capture group(s)"])
  }

  @Test func duplicateIDsAcrossFiles() throws {
    let rule = "[[rules]]\nid = \"same\"\nregex = \"x\"\n"
    #expect(throws: ConfigError.self) {
      try DefaultRulePack.load(files: [("a.toml", rule), ("b.toml", rule)], strict: false)
    }
    do {
      _ = try DefaultRulePack.load(files: [("a.toml", rule), ("b.toml", rule)], strict: false)
    } catch {
      #expect(
        error.errors.map(\.message) == ["the id is used twice (first in a.toml); rule ids must be unique"])
      #expect(error.errors.first?.file == "b.toml")
    }
  }

  @Test func strictPackRulesNeedBothKindsOfExamplesAndTheirFields() {
    let found = errors(
      """
      [[rules]]
      id = "bare"
      regex = "x"
      [rules.examples]
      match = ["«x»"]
      """, strict: true)
    let messages = found.map(\.message)
    #expect(messages.contains("has no 'description'"))
    #expect(messages.contains("has no 'category'"))
    #expect(messages.contains("has no 'severity'"))
    #expect(messages.contains { $0.hasPrefix("needs examples that must match and examples that must not") })
    // The same rule is fine in a user's config.
    #expect(errors("[[rules]]\nid = \"bare\"\nregex = \"x\"\n").isEmpty)
  }

  @Test func everyProblemIsReportedAtOnce() {
    let found = errors(
      """
      [[rules]]
      id = "one"
      regex = '''[a-'''
      [[rules]]
      id = "two"
      category = "secrets"
      regex = "x"
      [[rules]]
      id = "three"
      severity = "fatal"
      securitySeverity = 11.0
      entropy = 9
      keywords = [1]
      [[rules]]
      description = "no id"
      regex = "x"
      """)
    #expect(found.count == 8)
    #expect(found.map(\.ruleID) == ["one", "two", "three", "three", "three", "three", "three", nil])
    #expect(found.last?.message == "'rules[3]' has no 'id'")
  }

  @Test func hexEntropyNeedsAnEntropyAndAtMostFourBits() {
    let rule = "[[rules]]\nid = \"h\"\nregex = \"k=(x)\"\n"
    #expect(errors(rule + "entropy = 3.5\nhexEntropy = 3.0\n").isEmpty)
    #expect(
      errors(rule + "hexEntropy = 3.0\n").map(\.message) == [
        "hexEntropy needs an 'entropy' for other secrets"
      ])
    #expect(
      errors(rule + "entropy = 3.5\nhexEntropy = 4.5\n").map(\.message) == [
        "hexEntropy 4.5 is outside 0–4 bits per hexadecimal digit"
      ])
  }

  @Test func valueChecks() {
    let found = errors(
      """
      [[rules]]
      id = "values"
      regex = 5
      [[rules]]
      id = "neither"
      [[rules]]
      id = "marks"
      regex = "x"
      [rules.examples]
      match = ["x without marks"]
      [[rules.allowlists]]
      condition = "XOR"
      regexTarget = "file"
      regexes = ["("]
      """)
    let messages = found.map(\.message)
    #expect(messages.contains("'rules[0].regex' must be a string, not integer"))
    #expect(messages.contains("has neither 'regex' nor 'path': give at least one"))
    #expect(messages.contains("'rules[2].examples.match[0]' must mark each expected finding «like this»"))
    #expect(messages.contains("'rules[2].allowlists[0].condition' must be \"OR\" or \"AND\", not 'XOR'"))
    #expect(messages.contains { $0.hasPrefix("'rules[2].allowlists[0].regexTarget' must be") })
    #expect(
      messages.contains {
        $0.hasPrefix("'rules[2].allowlists[0].regexes' does not compile: missing closing parenthesis")
      })
  }

  @Test func aGlobalAllowlistsTargetsAreRead() throws {
    let source = """
      [[allowlists]]
      targetRules = ["a"]
      targetCategories = ["secret", "cors"]
      stopwords = ["example"]
      [[allowlists]]
      stopwords = ["sample"]
      [[rules]]
      id = "a"
      regex = "x"
      """
    let (file, problems) = RuleLoader(strict: false).parse(text: source, file: "rules.toml")
    #expect(problems.isEmpty)
    #expect(file.allowlists[0].targetRules == ["a"])
    #expect(file.allowlists[0].targetCategories == [.secret, .cors])
    #expect(file.allowlists[1].targetRules == nil && file.allowlists[1].targetsEveryRule)
    #expect(
      errors("[[allowlists]]\ntargetCategories = [\"secrets\"]\nstopwords = [\"x\"]\n").map(\.message)
        .contains {
          $0.hasPrefix("'allowlists[0].targetCategories' names 'secrets', which is no category")
        })
  }
}

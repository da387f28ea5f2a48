import Foundation
import Testing
import VigilTestSupport

@testable import VigilRules

/// gitleaks configs load unchanged; `[extend]` builds on the default pack.
@Suite struct ConfigLoaderTests {
  static let gitleaksConfig = """
    title = "Custom Gitleaks configuration"

    [extend]
    useDefault = true
    disabledRules = ["github-fine-grained-pat"]

    [[rules]]
    id = "acme-api-key"
    description = "ACME API key"
    regex = '''(?i)acme[_-]?key\\s*[:=]\\s*['"]?(acme_[a-z0-9]{24})'''
    secretGroup = 1
    entropy = 3.0
    keywords = ["acme"]
    tags = ["acme", "api"]

    [[rules.allowlists]]
    description = "Test keys in test files"
    condition = "AND"
    paths = ['''(?:^|/)test''']
    stopwords = ["test"]

    [allowlist]
    description = "Global allowlist"
    paths = ['''(?:^|/)vendor/''']
    regexes = ['''^acme_0+$''']
    """

  @Test func gitleaksConfigExtendsTheDefaultPack() throws {
    let tree = try TemporaryTree()
    let path = try tree.write(".gitleaks.toml", Self.gitleaksConfig)
    #expect(ConfigLoader.discover(in: tree.path) == path)
    let (pack, warnings) = try ConfigLoader.load(configPath: path)
    #expect(warnings.isEmpty, "\(warnings)")
    let (defaults, _) = try DefaultRulePack.load()
    let ids = pack.rules.map(\.id)
    #expect(ids.contains("acme-api-key"))
    #expect(!ids.contains("github-fine-grained-pat"))
    #expect(ids.count == defaults.rules.count)  // one disabled, one added
    let custom = try #require(pack.rule(withID: "acme-api-key"))
    #expect(custom.allowlists.first?.condition == .and)
    // The config's global allowlist, after the built-in ones.
    #expect(pack.allowlists.count == defaults.allowlists.count + 1)
    #expect(pack.allowlists.last?.description == "Global allowlist")
  }

  @Test func aTargetRuleNoRuleHasIsAWarningAndAnEmptyListMeansEveryRule() throws {
    let tree = try TemporaryTree()
    let config = """
      [extend]
      useDefault = true
      [[allowlists]]
      targetRules = ["github-tokn"]
      stopwords = ["x"]
      [[allowlists]]
      targetRules = []
      commits = ["HEAD"]
      stopwords = ["y"]
      """
    let path = try tree.write("vigil.toml", config)
    let (pack, warnings) = try ConfigLoader.load(configPath: path)
    let messages = warnings.map(\.message)
    #expect(messages.contains { $0.contains("targetRules names 'github-tokn', which no rule has") })
    #expect(messages.contains { $0.contains("lists 'HEAD', which is no commit id") })
    #expect(pack.allowlists.last?.targetRules == nil)
  }

  @Test func withoutExtendOnlyTheConfigsRulesRun() throws {
    let tree = try TemporaryTree()
    let config = Self.gitleaksConfig.replacingOccurrences(of: "useDefault = true", with: "useDefault = false")
    let path = try tree.write("custom.toml", config)
    let (pack, _) = try ConfigLoader.load(configPath: path)
    #expect(pack.rules.map(\.id) == ["acme-api-key"])
  }

  @Test func aRuleWithADefaultIDReplacesIt() throws {
    let tree = try TemporaryTree()
    let path = try tree.write(
      "c.toml",
      """
      [extend]
      useDefault = true
      [[rules]]
      id = "rust-unwrap"
      description = "Stricter unwrap"
      regex = '''\\.unwrap\\(\\)'''
      severity = "note"
      """)
    let (pack, _) = try ConfigLoader.load(configPath: path)
    let rules = pack.rules.filter { $0.id == "rust-unwrap" }
    #expect(rules.count == 1)
    #expect(rules.first?.severity == .note)
  }

  @Test func extendPathIsResolvedNextToTheConfig() throws {
    let tree = try TemporaryTree()
    try tree.write("base/base.toml", "[[rules]]\nid = \"base-rule\"\nregex = \"x\"\n")
    let path = try tree.write(
      "top.toml", "[extend]\npath = \"base/base.toml\"\n[[rules]]\nid = \"top-rule\"\nregex = \"y\"\n")
    let (pack, _) = try ConfigLoader.load(configPath: path)
    #expect(pack.rules.map(\.id) == ["base-rule", "top-rule"])
  }

  @Test func extendCycleIsAnError() throws {
    let tree = try TemporaryTree()
    let path = try tree.write("loop.toml", "[extend]\npath = \"loop.toml\"\n")
    #expect(throws: ConfigError.self) { try ConfigLoader.load(configPath: path) }
  }

  @Test func missingConfigFileIsAnErrorNamingIt() throws {
    do {
      _ = try ConfigLoader.load(configPath: "/nonexistent/vigil.toml")
      Issue.record("a missing config loaded")
    } catch {
      #expect(error.errors.first?.file == "/nonexistent/vigil.toml")
      #expect(error.errors.first?.message == "cannot read the config file: No such file or directory")
    }
  }

  /// A FIFO where the config should be is named for what it is (Foundation called it a
  /// permission problem), and never opened: opening a FIFO waits for a writer.
  @Test func aConfigThatIsAFIFOIsRefusedForWhatItIs() throws {
    let tree = try TemporaryTree()
    let path = tree.path + "/vigil.toml"
    #expect(mkfifo(path, 0o600) == 0)
    do {
      _ = try ConfigLoader.load(configPath: path)
      Issue.record("a FIFO loaded")
    } catch {
      #expect(
        error.errors.first?.message
          == "cannot read the config file: it is not a regular file (a FIFO, a socket or a device)")
    }
  }
}

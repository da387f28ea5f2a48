import PCRE2
import VigilModel

/// A language whose files vigil can lex for context regions.
public struct Language: Sendable {
  public let name: String
  /// File extensions, lower-case, without the dot.
  public let extensions: Set<String>
  /// Interpreter names a `#!` line may give (`python3`, `env node`: the last word).
  public let interpreters: Set<String>
  /// File names without a telling extension (`Dockerfile`, `Gemfile`, `.htaccess`).
  public let fileNames: Set<String>
  /// The contexts its lexer marks inside a file (test code by path is every language's).
  public let contexts: Set<CodeContext>
  let lex: @Sendable (UnsafeBufferPointer<UInt8>) -> ContextRegions

  init(
    name: String, extensions: Set<String>, fileNames: Set<String> = [], interpreters: Set<String> = [],
    contexts: Set<CodeContext>, lex: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> ContextRegions
  ) {
    self.name = name
    self.extensions = extensions
    self.fileNames = fileNames
    self.interpreters = interpreters
    self.contexts = contexts
    self.lex = lex
  }

  /// A language whose comments and strings a `Syntax` table describes.
  init(
    name: String, extensions: Set<String>, fileNames: Set<String> = [], interpreters: Set<String> = [],
    syntax: Syntax
  ) {
    self.init(
      name: name, extensions: extensions, fileNames: fileNames, interpreters: interpreters,
      contexts: syntax.quotes.isEmpty && !syntax.heredocs ? [.comment] : [.comment, .string],
      lex: { SyntaxLexer.regions($0, syntax: syntax) })
  }
}

/// The languages vigil can lex, looked up by a file's extension and then by its `#!`
/// line: where a rule's `skipIn` gets the regions it names.
///
/// A new language is a lexer that returns `ContextRegions` and one entry in `languages`.
public enum LexerRegistry {
  public static let languages: [Language] = [
    Language(
      name: "Rust", extensions: ["rs"], interpreters: ["rust-script"], contexts: [.comment, .string, .test],
      lex: RustLexer.regions),
    Language(
      name: "Python", extensions: ["py", "pyw", "pyi"], interpreters: ["python", "python2", "python3"],
      syntax: Syntax(
        lineComments: [Syntax.line("#")],
        quotes: [
          .init("\"\"\"", multiline: true), .init("'''", multiline: true), .init("\""), .init("'"),
        ])),
    Language(
      name: "JavaScript/TypeScript", extensions: ["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"],
      interpreters: ["node", "nodejs", "deno", "bun", "ts-node", "tsx"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/")],
        quotes: [.init("\""), .init("'"), .init("`", multiline: true)], regexLiterals: true)),
    Language(
      name: "Go", extensions: ["go"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/")],
        quotes: [.init("\""), .init("'"), .init("`", escapes: false, multiline: true)])),
    // Java's and Groovy's block comments end at the first */; Kotlin's and Scala's nest.
    Language(
      name: "Java/Groovy", extensions: ["java", "groovy", "gradle"], interpreters: ["groovy"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/")],
        quotes: [.init("\"\"\"", multiline: true), .init("\""), .init("'")])),
    Language(
      name: "Kotlin/Scala", extensions: ["kt", "kts", "scala", "sc"], interpreters: ["kotlin", "scala"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/", nests: true)],
        quotes: [.init("\"\"\"", multiline: true), .init("\""), .init("'")])),
    Language(
      name: "C#", extensions: ["cs", "csx"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/")],
        quotes: [
          .init("\"\"\"", multiline: true), .init("@\"", "\"", escapes: false, multiline: true),
          .init("$@\"", "\"", escapes: false, multiline: true),
          .init("@$\"", "\"", escapes: false, multiline: true),
          .init("\""), .init("'"),
        ])),
    Language(
      name: "PHP", extensions: ["php", "phtml", "php3", "php4", "php5", "phps"], interpreters: ["php"],
      syntax: Syntax(
        lineComments: [Syntax.line("//"), Syntax.line("#")], blockComments: [.init("/*", "*/")],
        quotes: [.init("\"", multiline: true), .init("'", multiline: true), .init("`", multiline: true)],
        heredocs: true)),
    Language(
      name: "Ruby", extensions: ["rb", "rake", "gemspec", "ru", "rbw"],
      fileNames: ["Gemfile", "Rakefile", "Guardfile", "Vagrantfile", "Podfile", "Fastfile"],
      interpreters: ["ruby"],
      syntax: Syntax(
        lineComments: [Syntax.line("#")], blockComments: [.init("=begin", "=end", atLineStart: true)],
        quotes: [.init("\"", multiline: true), .init("'", multiline: true), .init("`", multiline: true)],
        heredocs: true)),
    Language(
      name: "Swift", extensions: ["swift"], interpreters: ["swift"],
      syntax: Syntax(
        lineComments: [Syntax.line("//")], blockComments: [.init("/*", "*/", nests: true)],
        quotes: [
          .init("#\"\"\"", "\"\"\"#", escapes: false, multiline: true), .init("#\"", "\"#", escapes: false),
          .init("\"\"\"", multiline: true), .init("\""),
        ])),
    Language(
      name: "Shell and configuration (# comments)",
      extensions: [
        "sh", "bash", "zsh", "ksh", "yaml", "yml", "toml", "env", "conf", "cfg", "cnf", "properties",
        "service",
        "dockerfile", "containerfile", "nginx", "mk",
      ],
      fileNames: [
        "Dockerfile", "Containerfile", "Makefile", "GNUmakefile", ".htaccess", "httpd.conf", ".env", ".envrc",
        ".bashrc", ".profile", ".zshrc",
      ],
      interpreters: ["sh", "bash", "zsh", "dash", "ksh"],
      syntax: Syntax(
        lineComments: [Syntax.line("#", afterSpace: true)], quotes: [.init("\""), .init("'")], heredocs: true)
    ),
    Language(
      name: "INI", extensions: ["ini", "editorconfig", "gitconfig"],
      syntax: Syntax(
        lineComments: [Syntax.line(";", lineStart: true), Syntax.line("#", lineStart: true)],
        quotes: [.init("\"")])),
    Language(
      name: "HCL/Terraform", extensions: ["tf", "tfvars", "hcl", "nomad"],
      syntax: Syntax(
        lineComments: [Syntax.line("#"), Syntax.line("//")], blockComments: [.init("/*", "*/")],
        quotes: [.init("\"")], heredocs: true)),
    Language(
      name: "XML/HTML",
      extensions: ["xml", "html", "htm", "xhtml", "config", "csproj", "props", "targets", "plist", "svg"],
      syntax: Syntax(blockComments: [.init("<!--", "-->")])),
  ]

  /// The language of the file at `path`: by extension, else by a `#!` line in `bytes`.
  public static func language(forPath path: String, bytes: UnsafeBufferPointer<UInt8>? = nil) -> Language? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if let language = languages.first(where: { $0.fileNames.contains(name) }) { return language }
    if name.hasPrefix(".env.") || name.hasPrefix("Dockerfile.") || name.hasSuffix(".Dockerfile") {
      return languages.first { $0.fileNames.contains(".env") }
    }
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      let fileExtension = name[name.index(after: dot)...].lowercased()
      if let language = languages.first(where: { $0.extensions.contains(fileExtension) }) { return language }
    }
    guard let bytes, let interpreter = interpreter(in: bytes) else { return nil }
    return languages.first { $0.interpreters.contains(interpreter) }
  }

  /// The interpreter a `#!` first line names: its last word that is not an option,
  /// without a directory (`#!/usr/bin/env -S python3 -u` → `python3`).
  static func interpreter(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
    guard bytes.count > 2, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "!") else { return nil }
    let end = bytes.prefix(256).firstIndex(of: 0x0A) ?? min(bytes.count, 256)
    let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[2..<end]), as: UTF8.self)
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
    guard let program = words.first?.split(separator: "/").last.map(String.init) else { return nil }
    if program != "env" { return program }
    return words.dropFirst().first { !$0.hasPrefix("-") && !$0.contains("=") }
  }

  /// What some lexer provides, for a rule that matches every path.
  private static let everyContext = languages.reduce(into: Set<CodeContext>([.test])) {
    $0.formUnion($1.contexts)
  }

  /// The contexts some lexer provides for a file a rule with path pattern `pattern`
  /// (`nil`: any file) can match: test code always (it is found by path); comments and
  /// strings where a registered language's files can match. The rule loader warns when
  /// a rule's `skipIn` names a context outside this set, which would do nothing.
  public static func contexts(forPathPattern pattern: String?) -> Set<CodeContext> {
    guard let pattern else { return everyContext }
    var provided: Set<CodeContext> = [.test]
    let regex = try? Regex(pattern, jit: false)
    guard regex != nil else { return provided }
    let scratch = try? MatchScratch()
    for language in languages {
      // Names path patterns commonly require: any file, or a settings or
      // environment file of a framework (settings.py, application.yml, production.rb).
      let samples =
        language.extensions.flatMap { ext in
          ["main", "src/lib/main", "settings", "application", "config/environments/production"].map {
            "\($0).\(ext)"
          }
        }
        + language.fileNames.map { "app/\($0)" }
        + ["bin/tool"]
      let matches = samples.contains { sample in
        guard let regex, let scratch else { return true }
        return (try? regex.firstMatch(in: Array(sample.utf8), scratch: scratch)) != nil
      }
      if matches { provided.formUnion(language.contexts) }
    }
    return provided
  }
}

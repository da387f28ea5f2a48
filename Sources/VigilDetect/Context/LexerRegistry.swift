import PCRE2
import VigilModel

/// A language whose files vigil can lex for context regions.
public struct Language: Sendable {
  public let name: String
  /// File extensions, lower-case, without the dot.
  public let extensions: Set<String>
  /// Interpreter names a `#!` line may give (`python3`, `env node`: the last word).
  public let interpreters: Set<String>
  /// The contexts its lexer marks inside a file (test code by path is every language's).
  public let contexts: Set<CodeContext>
  let lex: @Sendable (UnsafeBufferPointer<UInt8>) -> ContextRegions
}

/// The languages vigil can lex, looked up by a file's extension and then by its `#!`
/// line: where a rule's `skipIn` gets the regions it names.
///
/// A new language is a lexer that returns `ContextRegions` and one entry in `languages`.
public enum LexerRegistry {
  public static let languages: [Language] = [
    Language(
      name: "Rust", extensions: ["rs"], interpreters: ["rust-script"], contexts: [.comment, .string, .test],
      lex: RustLexer.regions)
  ]

  /// The language of the file at `path`: by extension, else by a `#!` line in `bytes`.
  public static func language(forPath path: String, bytes: UnsafeBufferPointer<UInt8>? = nil) -> Language? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
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

  /// The contexts some lexer provides for a file a rule with path pattern `pattern`
  /// (`nil`: any file) can match: test code always (it is found by path); comments and
  /// strings where a registered language's files can match. The rule loader warns when
  /// a rule's `skipIn` names a context outside this set, which would do nothing.
  public static func contexts(forPathPattern pattern: String?) -> Set<CodeContext> {
    var provided: Set<CodeContext> = [.test]
    let regex = pattern.flatMap { try? Regex($0, jit: false) }
    guard pattern == nil || regex != nil else { return provided }
    let scratch = try? MatchScratch()
    for language in languages {
      let samples = language.extensions.flatMap { ["main.\($0)", "src/lib/main.\($0)"] } + ["bin/tool"]
      let matches = samples.contains { sample in
        guard let regex, let scratch else { return true }
        return (try? regex.firstMatch(in: Array(sample.utf8), scratch: scratch)) != nil
      }
      if matches { provided.formUnion(language.contexts) }
    }
    return provided
  }
}

import Testing
import VigilKit

@testable import VigilDetect

/// Which lexer a file gets, and which contexts a rule's paths can have.
@Suite struct LexerRegistryTests {
  private func language(_ path: String, _ text: String = "") -> String? {
    Array(text.utf8).withUnsafeBufferPointer { LexerRegistry.language(forPath: path, bytes: $0)?.name }
  }

  @Test func theExtensionChoosesFirstThenTheShebang() {
    #expect(language("src/main.rs") == "Rust")
    #expect(language("src/MAIN.RS") == "Rust")
    #expect(language("scripts/build", "#!/usr/bin/env rust-script\nfn main() {}\n") == "Rust")
    #expect(language("scripts/build", "#!/usr/bin/env -S rust-script --quiet\n") == "Rust")
    // The extension wins over a shebang; one no lexer knows falls through to it.
    #expect(language("tool.rs", "#!/usr/bin/env python3\n") == "Rust")
    #expect(language("tool.cgi", "#!/usr/bin/env rust-script\n") == "Rust")
    #expect(language("scripts/build", "#!/bin/sh\n") == "Shell and configuration (# comments)")
    #expect(language("scripts/report", "#!/usr/bin/awk -f\n") == nil)
    #expect(language("app/Gemfile") == "Ruby")
    #expect(language("deploy/.env.production") == "Shell and configuration (# comments)")
    #expect(language(".rs") == nil)
  }

  @Test func theInterpreterIsTheLastWordOfTheShebangThatIsNotAnOption() {
    func interpreter(_ text: String) -> String? {
      Array(text.utf8).withUnsafeBufferPointer { LexerRegistry.interpreter(in: $0) }
    }
    #expect(interpreter("#!/usr/bin/python3 -u\n") == "python3")
    #expect(interpreter("#!/usr/bin/env -S NODE_OPTIONS=x node\n") == "node")
    #expect(interpreter("#! /bin/bash\r\n") == "bash")
    #expect(interpreter("# not a shebang\n") == nil)
    #expect(interpreter("#!") == nil)
  }

  /// Comments and strings are found only where a lexed language's files can match.
  @Test func contextsFollowThePathsARuleCanMatch() {
    #expect(LexerRegistry.contexts(forPathPattern: nil) == [.test, .comment, .string])
    #expect(LexerRegistry.contexts(forPathPattern: #"\.rs$"#) == [.test, .comment, .string])
    #expect(LexerRegistry.contexts(forPathPattern: #"\.py$"#) == [.test, .comment, .string])
    #expect(LexerRegistry.contexts(forPathPattern: #"(^|/)Dockerfile$"#) == [.test, .comment, .string])
    #expect(LexerRegistry.contexts(forPathPattern: #"\.xml$"#) == [.test, .comment])
    #expect(LexerRegistry.contexts(forPathPattern: #"\.sql$"#) == [.test])
  }

  /// The analyzer goes through the registry: comments of a Rust script without an
  /// extension are found by its shebang.
  @Test func theAnalyzerUsesTheShebang() {
    let source = Array("#!/usr/bin/env rust-script\n// x.unwrap()\nfn main() {}\n".utf8)
    let regions = source.withUnsafeBufferPointer { ContextAnalyzer.regions(path: "bin/tool", bytes: $0) }
    #expect(regions.contains(30, in: .comment))
    #expect(!regions.contains(45, in: .comment))
  }
}

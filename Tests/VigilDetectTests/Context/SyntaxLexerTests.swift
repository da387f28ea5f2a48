import Testing
import VigilKit

@testable import VigilDetect

/// Comments and strings of every lexed language, on snippets written for these tests:
/// each expectation names a piece of text and the region it must (or must not) be in.
@Suite struct SyntaxLexerTests {
  enum Place: Equatable { case comment, string, code }

  /// Where the `occurrence`-th `needle` of `text` starts, lexed as the file `path`.
  private func place(_ needle: String, in text: String, path: String, occurrence: Int = 0) throws -> Place {
    let bytes = Array(text.utf8)
    let regions = try #require(
      bytes.withUnsafeBufferPointer { buffer in
        LexerRegistry.language(forPath: path, bytes: buffer).map { $0.lex(buffer) }
      }, "no lexer for \(path)")
    var offsets: [Int] = []
    var from = text.startIndex
    while let found = text.range(of: needle, range: from..<text.endIndex) {
      offsets.append(text.utf8.distance(from: text.startIndex, to: found.lowerBound))
      from = found.upperBound
    }
    let offset = try #require(offsets.count > occurrence ? offsets[occurrence] : nil, "\(needle) not found")
    if regions.contains(offset, in: .comment) { return .comment }
    if regions.contains(offset, in: .string) { return .string }
    return .code
  }

  @Test func python() throws {
    let text = """
      query = "SELECT # not a comment"  # a comment
      doc = '''multi
      # inside a string
      '''
      run(query)
      """
    #expect(try place("# not", in: text, path: "app.py") == .string)
    #expect(try place("# a comment", in: text, path: "app.py") == .comment)
    #expect(try place("# inside", in: text, path: "app.py") == .string)
    #expect(try place("run(", in: text, path: "app.py") == .code)
  }

  @Test func javaScriptWithTemplatesAndRegularExpressions() throws {
    let text = """
      const slashes = /\\/\\/ no comment/g; // a comment
      const sql = `SELECT 1
      // in a template`;
      const half = total / 2; // after a division
      """
    #expect(try place("no comment", in: text, path: "src/a.ts") == .string)
    #expect(try place("// a comment", in: text, path: "src/a.ts") == .comment)
    #expect(try place("// in a template", in: text, path: "src/a.ts") == .string)
    #expect(try place("total", in: text, path: "src/a.ts") == .code)
    #expect(try place("// after", in: text, path: "src/a.ts") == .comment)
  }

  @Test func goRawStrings() throws {
    let text = "q := `SELECT *\n// kept` // note\nx := \"a\\\"b\" /* block */ y()\n"
    #expect(try place("// kept", in: text, path: "db.go") == .string)
    #expect(try place("// note", in: text, path: "db.go") == .comment)
    #expect(try place("\\\"b", in: text, path: "db.go") == .string)
    #expect(try place("block", in: text, path: "db.go") == .comment)
    #expect(try place("y()", in: text, path: "db.go") == .code)
  }

  @Test func javaTextBlocksAndKotlinNestedComments() throws {
    let java = "String q = \"\"\"\n  SELECT \"x\" // kept\n  \"\"\"; // gone\n"
    #expect(try place("// kept", in: java, path: "A.java") == .string)
    #expect(try place("// gone", in: java, path: "A.java") == .comment)
    // In Java a comment ends at the first */, whatever it holds: code after it is code.
    let nested = "/* paths like /api/* are public */ run(); /* x */\n"
    #expect(try place("run()", in: nested, path: "A.java") == .code)
    let kotlin = "/* outer /* inner */ still */ val q = \"a\"\n"
    #expect(try place("still", in: kotlin, path: "A.kt") == .comment)
    #expect(try place("val", in: kotlin, path: "A.kt") == .code)
  }

  @Test func cSharpVerbatimStrings() throws {
    let text = "var p = @\"C:\\dir\\\"; // a comment\nvar s = $\"{x} // kept\";\n"
    #expect(try place("// a comment", in: text, path: "P.cs") == .comment)
    #expect(try place("// kept", in: text, path: "P.cs") == .string)
  }

  @Test func phpHashCommentsAndHeredocs() throws {
    let text = "<?php\n# gone\n$sql = <<<SQL\nSELECT * FROM t # kept\nSQL;\n$x = 'a // b'; // c\n"
    #expect(try place("# gone", in: text, path: "index.php") == .comment)
    #expect(try place("# kept", in: text, path: "index.php") == .string)
    #expect(try place("// b", in: text, path: "index.php") == .string)
    #expect(try place("// c", in: text, path: "index.php") == .comment)
  }

  @Test func rubyBlockCommentsHeredocsAndInterpolation() throws {
    let text =
      "=begin\nold code\n=end\nsql = <<~SQL\n  SELECT # kept\nSQL\nname = \"#{first} x\" # gone\nshift = a << b\n"
    #expect(try place("old code", in: text, path: "app/models/user.rb") == .comment)
    #expect(try place("# kept", in: text, path: "app/models/user.rb") == .string)
    #expect(try place("#{first}", in: text, path: "app/models/user.rb") == .string)
    #expect(try place("# gone", in: text, path: "app/models/user.rb") == .comment)
    #expect(try place("<< b", in: text, path: "app/models/user.rb") == .code)
  }

  @Test func swiftRawStringsAndNestedComments() throws {
    let text = "let r = #\"a \\\" // kept\"#\n/* a /* b */ c */ let q = \"\"\"\n// kept too\n\"\"\"\n"
    #expect(try place("// kept\"", in: text, path: "A.swift") == .string)
    #expect(try place(" c */", in: text, path: "A.swift") == .comment)
    #expect(try place("// kept too", in: text, path: "A.swift") == .string)
  }

  @Test func configurationComments() throws {
    let yaml = "url: http://host/#fragment  # a comment\nnote: \"# kept\"\n"
    #expect(try place("#fragment", in: yaml, path: "values.yaml") == .code)
    #expect(try place("# a comment", in: yaml, path: "values.yaml") == .comment)
    #expect(try place("# kept", in: yaml, path: "values.yaml") == .string)
    let ini = "; gone\nkey = value ; kept\n"
    #expect(try place("; gone", in: ini, path: "php.ini") == .comment)
    #expect(try place("; kept", in: ini, path: "php.ini") == .code)
    let hcl = "# gone\npolicy = <<EOT\n# kept\nEOT\n// also gone\n"
    #expect(try place("# gone", in: hcl, path: "main.tf") == .comment)
    #expect(try place("# kept", in: hcl, path: "main.tf") == .string)
    #expect(try place("// also", in: hcl, path: "main.tf") == .comment)
    let xml = "<a><!-- <password>old</password> --><b>1</b></a>\n"
    #expect(try place("<password>", in: xml, path: "web.config") == .comment)
    #expect(try place("<b>", in: xml, path: "web.config") == .code)
    #expect(try place("# gone", in: "# gone\nFROM x\n", path: "deploy/Dockerfile") == .comment)
  }

  /// Whatever the input, regions lie in the file, sorted and disjoint per kind (the
  /// fuzz target checks the same on random input).
  @Test(arguments: LexerRegistry.languages.map(\.name))
  func regionsAreWellFormedOnAdversarialInput(language: String) throws {
    let lexer = try #require(LexerRegistry.languages.first { $0.name == language })
    for text in ["\"", "'''", "/*", "<<EOT\n", "`${", "=begin", "#\"", "@\"\\", "<!--", "a/b/c", "\\"] {
      let bytes = Array((text + "\n" + text).utf8)
      let regions = bytes.withUnsafeBufferPointer { lexer.lex($0) }
      for ranges in [regions.comments, regions.strings, regions.tests] {
        var previousEnd = 0
        for range in ranges {
          #expect(range.lowerBound >= previousEnd && range.upperBound <= bytes.count, "\(language): \(text)")
          previousEnd = range.upperBound
        }
      }
    }
  }
}

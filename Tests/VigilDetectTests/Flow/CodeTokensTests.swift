import Testing

@testable import VigilDetect

/// The statement view: one construct is one statement whatever its layout, and broken
/// code costs only the statement it breaks.
@Suite struct CodeTokensTests {
  /// Each statement's text, spaces collapsed, for a file lexed as `path` says.
  private func statements(_ source: String, path: String) -> [String] {
    let bytes = Array(source.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      let regions = ContextAnalyzer.regions(path: path, bytes: buffer)
      let tokens = CodeTokens(buffer, strings: regions.strings, comments: regions.comments)
      return tokens.statements.map { statement in
        statement.map { String(decoding: buffer[tokens.tokens[$0].range], as: UTF8.self) }.joined(
          separator: " ")
      }
    }
  }

  @Test func bracketsAndOperatorsCarryAStatementOverLines() {
    let source = """
      rows = cursor.execute(
          "SELECT * FROM t WHERE a = "
          + name,
          params
      )
      total = 1
      """
    #expect(
      statements(source, path: "app/db.py") == [
        #"rows = cursor.execute ( "SELECT * FROM t WHERE a = " + name , params )"#, "total = 1",
      ])
  }

  /// A callback's or anonymous class's body inside a call's brackets holds statements of
  /// its own; an object or array literal there does not.
  @Test func aBlockInsideBracketsHasItsOwnStatements() {
    let source = """
      app.get('/u', (req, res) => {
        const id = req.query.id;
        db.query(q, { id: id });
      });
      total(new Object[]{a, b});
      """
    #expect(
      statements(source, path: "web/app.js") == [
        "app.get ( '/u' , ( req , res ) =>", "{", "const id = req.query.id ;",
        "db.query ( q , { id : id } ) ;",
        "}", ") ;", "total ( new Object [ ] { a , b } ) ;",
      ])
  }

  @Test func aRustMacroIsACall() {
    #expect(
      statements("let q = format!(\"{}\", a);\n", path: "src/db.rs") == [#"let q = format! ( "{}" , a ) ;"#])
  }

  @Test func aLeadingOperatorOrChainContinuesTheStatementAbove() {
    let source = """
      String q = "SELECT * FROM t"
          + " WHERE a = " + a;
      $qb->select('u')
          ->where('u.id = 1');
      """
    #expect(
      statements(source, path: "src/Repo.php") == [
        #"String q = "SELECT * FROM t" + " WHERE a = " + a ;"#,
        "$qb->select ( 'u' ) -> where ( 'u.id = 1' ) ;",
      ])
  }

  @Test func aMultiLineStringIsOneToken() {
    let source = "q = \"\"\"\nSELECT *\nFROM t\n\"\"\" % x\nrun(q)\n"
    let found = statements(source, path: "a.py")
    #expect(found.count == 2, "\(found)")
    #expect(found.last == "run ( q )")
  }

  @Test func commentsAreSkippedAndDoNotJoinLines() {
    let source = "a = 1 // trailing +\nb = 2 /* ( */\nc = 3\n"
    #expect(statements(source, path: "x.js") == ["a = 1", "b = 2", "c = 3"])
  }

  @Test func stringPrefixesBelongToTheirString() {
    #expect(statements("q = f\"SELECT {a}\"\n", path: "a.py") == [#"q = f"SELECT {a}""#])
    #expect(statements("var q = $\"SELECT {a}\";\n", path: "A.cs") == [#"var q = $"SELECT {a}" ;"#])
  }

  /// A bracket that never closes ends at the next line indented no deeper than its own,
  /// instead of swallowing the rest of the file into one statement.
  @Test func anUnclosedBracketEndsAtTheNextStatementLine() {
    let source = "broken = call(x\nq = \"SELECT 1\"\nrun(q)\n"
    #expect(statements(source, path: "a.py") == ["broken = call ( x", #"q = "SELECT 1""#, "run ( q )"])
  }

  /// A brace right after `=` opens a value (a dict, an object, an initializer), which is
  /// what the name is assigned, not a block; a method inside it still has its statements.
  @Test func aBraceAfterAnAssignmentIsAValue() {
    #expect(
      statements("item = {\"itemId\": k,\n        \"qty\": n}\nsql = q + item\n", path: "app/db.py") == [
        #"item = { "itemId" : k , "qty" : n }"#, "sql = q + item",
      ])
    let source = """
      const api = {
        find(id) {
          return db.query('SELECT * FROM t WHERE id = ' + id);
        },
      };
      """
    #expect(
      statements(source, path: "web/api.js") == [
        "const api = { find ( id )", "{", "return db.query ( 'SELECT * FROM t WHERE id = ' + id ) ;", "}",
        ", } ;",
      ])
  }

  @Test func bracesSeparateStatements() {
    let source = "function f(id) {\n  const q = 'x' + id\n  return q\n}\n"
    #expect(
      statements(source, path: "a.js") == ["function f ( id )", "{", "const q = 'x' + id", "return q", "}"])
  }
}

/// `lineStart(ofToken:)`: the first token of each token's line, by binary search.
@Suite struct CodeTokensLineStartTests {
  @Test func everyTokenFindsTheFirstTokenOfItsLine() {
    let bytes = Array("a = 1\n  b(c, d)\n\n    e\nf g h".utf8)
    bytes.withUnsafeBufferPointer { buffer in
      let tokens = CodeTokens(buffer, strings: [], comments: [])
      let texts = tokens.tokens.map { String(decoding: buffer[$0.range], as: UTF8.self) }
      let firsts = tokens.tokens.indices.map { texts[tokens.lineStart(ofToken: $0)] }
      #expect(texts == ["a", "=", "1", "b", "(", "c", ",", "d", ")", "e", "f", "g", "h"])
      #expect(firsts == ["a", "a", "a", "b", "b", "b", "b", "b", "b", "e", "f", "f", "f"])
    }
  }
}

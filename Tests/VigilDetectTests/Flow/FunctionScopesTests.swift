import Testing

@testable import VigilDetect

/// The functions the flow sees: their names, parameters and bodies, in each style.
@Suite struct FunctionScopesTests {
  private func scopes(_ source: String, path: String) -> (FunctionScopes, [UInt8]) {
    let bytes = Array(source.utf8)
    let scopes = bytes.withUnsafeBufferPointer { buffer in
      let regions = ContextAnalyzer.regions(path: path, bytes: buffer)
      return FunctionScopes(CodeTokens(buffer, strings: regions.strings, comments: regions.comments), buffer)
    }
    return (scopes, bytes)
  }

  private func offset(of text: String, in bytes: [UInt8]) -> Int {
    let needle = Array(text.utf8)
    return (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle } ?? -1
  }

  @Test func parametersAreKnownInsideTheirFunctionOnly() {
    let source = """
      public Result find(@RequestParam String term, int limit) throws SQLException {
        return run(term);
      }
      String other = term;
      func (s *Store) Load(ctx context.Context, id string) (string, error) {
        return s.get(id)
      }
      def show(self, slug):
          return slug
      done = slug
      app.get('/x', (req, res) => { res.send(req.params.id) })
      """
    let (scopes, bytes) = scopes(source, path: "mixed.txt")
    #expect(scopes.functions.compactMap(\.name) == ["find", "Load", "show"])
    #expect(scopes.isParameter(Array("term".utf8), at: offset(of: "run(term)", in: bytes) + 4))
    #expect(!scopes.isParameter(Array("term".utf8), at: offset(of: "= term", in: bytes) + 2))
    #expect(scopes.isParameter(Array("id".utf8), at: offset(of: "s.get(id)", in: bytes) + 6))
    #expect(scopes.isParameter(Array("slug".utf8), at: offset(of: "return slug", in: bytes) + 7))
    #expect(!scopes.isParameter(Array("slug".utf8), at: offset(of: "done = slug", in: bytes) + 7))
    #expect(!scopes.isParameter(Array("self".utf8), at: offset(of: "return slug", in: bytes)))
    #expect(scopes.isParameter(Array("req.params.id".utf8), at: offset(of: "res.send", in: bytes)))
  }

  @Test func callsFindTheirFunctionsParametersByPosition() {
    let source = """
      class Store:
          def lookup(self, name, limit):
              pass
      """
    let (scopes, _) = scopes(source, path: "app/store.py")
    func called(_ callee: String) -> [[[String]]] {
      Array(callee.utf8).withUnsafeBufferPointer { scopes.parameters(calledAs: $0[...]).map(\.parameters) }
    }
    #expect(called("self.lookup") == [[["name"], ["limit"]]])
    #expect(called("lookup").map(\.count) == [3])
    #expect(called("other").isEmpty)
    #expect(FunctionScopes.likelyNames(["final", "String", "id"]) == ["id"])
    #expect(FunctionScopes.likelyNames(["r", "http.Request"]) == ["r"])
  }

  /// Minified code defines `e` and `t` hundreds of times: a call by such a name could be
  /// any of them, and following each would cost the calls times the namesakes.
  @Test func aNameDefinedManyTimesLeadsToNoFunction() {
    func source(_ count: Int) -> String {
      (0..<count).map { "function e(a\($0)) { return a\($0) }\n" }.joined()
    }
    for (count, found) in [
      (FunctionScopes.namesakes, FunctionScopes.namesakes), (FunctionScopes.namesakes + 1, 0),
    ] {
      let (scopes, _) = scopes(source(count), path: "dist/app.js")
      let lists = Array("e".utf8).withUnsafeBufferPointer { scopes.parameters(calledAs: $0[...]) }
      #expect(lists.count == found, "\(count) functions named e")
    }
  }

  @Test func controlStatementsAreNoFunctions() {
    let source = """
      if (ready(x)) { go(); }
      for (const a of list) { use(a); }
      while (more(y)) { step(); }
      """
    let (scopes, _) = scopes(source, path: "web/a.js")
    #expect(scopes.functions.isEmpty)
  }
}

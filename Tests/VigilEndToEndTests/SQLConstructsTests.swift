import Foundation
import Testing
import VigilTestSupport

/// SQL built from strings, written the ways the rules once missed, each found; and the
/// constructions that put no value in the text, left alone.
@Suite struct SQLConstructsTests {
  private func sqlFindings(in tree: TemporaryTree) throws -> [String: [String]] {
    try VigilBinary.rulesByPath(scanning: tree.path, category: "sql-injection")
  }

  @Test func constructsOnceMissedAreFound() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "jobs/import.js",
      "function load(tableFromRequest) {\n  var s = 'create temp table ' + tableFromRequest + ' (id int)';\n  conn.query(s);\n}\n"
    )
    try tree.write(
      "Data/Lookup.cs",
      "Item Find(string sku) {\n"
        + "  var sql = String.Concat(new string[] { \"SELECT * FROM Items WHERE Sku = '\", sku, \"'\" });\n"
        + "  using var reader = new SqlCommand(sql, connection).ExecuteReader();\n}\n")
    try tree.write(
      "api/report.js",
      "const q = util.format(\"SELECT * FROM visits WHERE page = '%s'\", req.query.page);\nconst rows = await pool.query(q);\n"
    )
    try tree.write(
      "web/prefs.php",
      "<?php\n$q = sprintf(\"SELECT * FROM prefs WHERE theme = '%s'\", $_COOKIE['theme']);\n$rows = mysqli_query($link, $q);\n"
    )
    try tree.write(
      "app/reports.py",
      "def total(account):\n    cursor.execute(\"\"\"\n        SELECT total FROM invoices\n        WHERE account = '%s'\n    \"\"\" % account)\n"
    )
    try tree.write(
      "src/Repository/UserRepository.php",
      "<?php\nfunction byEmail($qb, $email) {\n  $qb->select('u')->from('User', 'u')->where('u.email = ' . $email);\n}\n"
    )
    try tree.write(
      "src/store.rs",
      "async fn carts(owner: &str) {\n    let q = format!(\n        \"SELECT id FROM carts\n         WHERE owner = '{}'\",\n        owner\n    );\n    let rows = client.query(&q, &[]).await?;\n}\n"
    )
    // A value taken out of a dict the function built from its parameter's keys.
    try tree.write(
      "app/receipts.py",
      "def receipt(order):\n    for key in order.keys():\n        line = {\"sku\": key,\n                \"n\": order[key]}\n"
        + "        sku = line[\"sku\"]\n        cur.execute(\"SELECT price FROM items WHERE sku = \" + sku)\n"
    )
    let found = try sqlFindings(in: tree)
    let expected: [String: String] = [
      "app/receipts.py": "sql-string-concatenation",
      "jobs/import.js": "sql-string-concatenation",
      "Data/Lookup.cs": "sql-interpolation-csharp",
      "api/report.js": "sql-format-call",
      "web/prefs.php": "sql-format-call",
      "app/reports.py": "sql-interpolation-python",
      "src/Repository/UserRepository.php": "sql-string-concatenation",
      "src/store.rs": "sql-format-rust",
    ]
    for (path, rule) in expected {
      #expect(found[path] == [rule], "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")
  }

  /// SQL started in one statement and completed with a value in a later one, then run:
  /// each construction the earlier, line-by-line rules could not see. The finding is at
  /// the value, and the call that runs the SQL is its related location.
  @Test func sqlBuiltAcrossStatementsIsFound() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "handlers/people.go",
      """
      func list(w http.ResponseWriter, req *http.Request) {
      \tquery := "SELECT name FROM people WHERE age = "
      \tquery += req.FormValue("age")
      \trows, err := db.QueryContext(ctx, query)
      }

      """)
    try tree.write(
      "store/orders.go",
      """
      func total(orderID string) {
      	var b strings.Builder
      	b.WriteString("SELECT total FROM orders WHERE id = ")
      	b.WriteString(orderID)
      	row := db.QueryRow(b.String())
      }

      """)
    try tree.write(
      "src/main/java/shop/Search.java",
      """
      ResultSet search(String name) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM products WHERE name = '");
        sql.append(name + "'");
        return statement.executeQuery(sql.toString());
      }

      """)
    try tree.write(
      "routes/tags.js",
      """
      let query = 'DELETE FROM tags WHERE label = ';
      query = query.concat(req.body.label);
      await connection.query(query);

      """)
    try tree.write(
      "web/search.php",
      """
      <?php
      $author = $_GET['author'];
      $sql = "SELECT * FROM books WHERE 1 = 1";
      $sql .= " AND author = '" . $author . "'";
      $result = $mysqli->query($sql);

      """)
    try tree.write(
      "app/models/item.rb",
      """
      def by_color(color)
        sql = "SELECT * FROM items WHERE 1 = 1"
        sql << " AND color = '#{color}'"
        Item.find_by_sql(sql)
      end

      """)
    try tree.write(
      "src/report.rs",
      """
      async fn payments(payer: String) {
          let mut q = String::from("SELECT amount FROM payments WHERE payer = '");
          q.push_str(&payer);
          let rows = client.query(&q, &[]).await?;
      }

      """)
    try tree.write(
      "Data/Audit.cs",
      """
      void Purge(string actor) {
          var sb = new StringBuilder("DELETE FROM Audit WHERE Actor = '");
          sb.Append(actor).Append("'");
          connection.Execute(sb.ToString());
      }

      """)
    // Django's raw() and extra(), and SQLAlchemy's text(), built from a value.
    try tree.write(
      "shop/views.py",
      """
      def search(request):
          name = request.GET["name"]
          people = Person.objects.raw(f"SELECT * FROM shop_person WHERE last_name = '{name}'")
          sql = "SELECT * FROM shop_order WHERE status = '" + request.GET["status"] + "'"
          orders = db.session.execute(text(sql))
          return Entry.objects.extra(where=["headline = '%s'" % name])

      """)
    let all = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    let sql = all.filter { $0["category"] as? String == "sql-injection" }
    var found: [String: [String]] = [:]
    for finding in sql {
      found[finding["path"] as? String ?? "", default: []].append(finding["ruleId"] as? String ?? "")
    }
    let expected: [String: [String]] = [
      "handlers/people.go": ["sql-built-across-statements"],
      "store/orders.go": ["sql-built-across-statements"],
      "src/main/java/shop/Search.java": ["sql-built-across-statements"],
      "routes/tags.js": ["sql-built-across-statements"],
      "web/search.php": ["sql-built-across-statements"],
      "app/models/item.rb": ["sql-built-across-statements"],
      "src/report.rs": ["sql-built-across-statements"],
      "Data/Audit.cs": ["sql-built-across-statements"],
      "shop/views.py": ["sql-interpolation-python", "sql-string-concatenation", "sql-django-extra"],
    ]
    for (path, rules) in expected {
      #expect(found[path]?.sorted() == rules.sorted(), "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")
    // Located at the value, with the sink as the related location; request data is
    // reported at the rule's own severity (a warning for this rule), anything else a level lower.
    let go = try #require(sql.first { $0["path"] as? String == "handlers/people.go" })
    #expect(go["line"] as? Int == 3 && go["severity"] as? String == "warning", "\(go)")
    let message = go["message"] as? String ?? ""
    #expect(message.contains("req.FormValue") && message.contains("request data"), "\(message)")
    let related = go["related"] as? [[String: Any]] ?? []
    #expect(related.map { $0["line"] as? Int } == [4], "\(go)")
    let java = try #require(sql.first { $0["path"] as? String == "src/main/java/shop/Search.java" })
    #expect(java["line"] as? Int == 3 && java["severity"] as? String == "note", "a parameter: \(java)")
    #expect((java["message"] as? String ?? "").contains("a parameter"), "\(java)")
  }

  /// In minified code (lines of hundreds of bytes on average) names are one letter,
  /// reused everywhere: SQL added to a variable is not followed there by name. The same
  /// statements in a file of ordinary lines are.
  @Test func accumulationIsNotFollowedInMinifiedCode() throws {
    let tree = try TemporaryTree()
    let statements = (0..<2000).map { "var t\($0)=n(\($0));" }
    let flow = [
      "var q='DELETE FROM tags WHERE label = ';", "q=q.concat(req.body.label);", "connection.query(q);",
    ]
    let lines = (statements + flow).joined(separator: "\n") + "\n"
    try tree.write("src/tags.js", lines)
    let minified = stride(from: 0, to: statements.count, by: 40).map {
      statements[$0..<min($0 + 40, statements.count)].joined()
    }
    try tree.write("dist/tags.min.js", (minified + [flow.joined()]).joined(separator: "\n") + "\n")
    #expect(try sqlFindings(in: tree) == ["src/tags.js": ["sql-built-across-statements"]])
  }

  /// Eighty thousand calls nested in one statement (160 KB) once took the thread's
  /// stack (a crash, no report, in every later history scan too): the statement inside
  /// is read as any other. And a file with CRLF line ends, where the statement's first
  /// word is followed by a carriage return, is read as one with LF ends. Laravel's raw
  /// clauses are sinks like any other.
  @Test func deepNestingAndCarriageReturnsHideNoStatement() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "app/nested.py",
      String(repeating: "f(", count: 80_000) + "cur.execute(\"SELECT * FROM t WHERE a = \" + x)\n")
    try tree.write(
      "app/lines.py",
      "def find(uid):\r\n    sql = \"\"\"SELECT\r\n  name FROM users WHERE id = \"\"\"\r\n    sql += uid\r\n"
        + "    cursor.execute(sql)\r\n")
    // Laravel's raw clauses, static or on a builder, with the request helper or a
    // superglobal in brackets; a subquery's SQL in brackets is text.
    try tree.write(
      "app/Http/Controllers/UserController.php",
      "<?php\nclass UserController {\n  function a() { return User::whereRaw('email = \"' . request('email') . '\"')->get(); }\n"
        + "  function b($q) { return $q->whereRaw('(' . $_GET['filter'] . ')'); }\n"
        + "  function c($q, $sub) { return $q->selectRaw('(' . $sub . ') as total'); }\n}\n")
    let found = try sqlFindings(in: tree)
    #expect(
      found["app/Http/Controllers/UserController.php"] == [
        "sql-string-concatenation", "sql-string-concatenation",
      ])
    #expect(found["app/nested.py"] == ["sql-string-concatenation"])
    #expect(found["app/lines.py"] == ["sql-built-across-statements"])
  }

  /// Literals chained by `+` line after line: each keyword's match once followed the chain
  /// to the end of the file, until PCRE2's JIT stack stopped it (a warning per file, 24 s
  /// a megabyte). A statement of up to 64 pieces is still read whole.
  @Test func aChainOfLiteralsIsReadAPieceAtATime() throws {
    let tree = try TemporaryTree()
    try tree.write("gen/q.js", String(repeating: "\"SELECT * FROM t WHERE a=\" + \n", count: 3_000))
    let pieces = (0..<30).map { "    \"AND c\($0) = 1 \" +\n" }.joined()
    try tree.write(
      "src/Report.java",
      "class Report {\n  ResultSet run(Statement st, String region) {\n"
        + "    String sql = \"SELECT id, name FROM sales WHERE 1 = 1 \" +\n" + pieces
        + "    \"AND region = '\" + region + \"'\";\n    return st.executeQuery(sql);\n  }\n}\n")
    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    #expect(!output.stderr.contains("gave up"), "\(output.stderr)")
    let found = try sqlFindings(in: tree)
    #expect(found["src/Report.java"]?.contains("sql-string-concatenation") == true, "\(found)")
  }

  /// What a framework fills from the request is request data, reported at the rule's
  /// severity; a plain parameter is of unknown origin, a level lower.
  @Test func parametersFilledFromTheRequestAreRequestData() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/main/java/app/Lookup.java",
      """
      class Lookup {
        Result find(@RequestParam("q") String term) {
          String sql = "SELECT * FROM items WHERE label = '" + term + "'";
          return statement.executeQuery(sql);
        }
        Result byOwner(String owner) {
          String sql = "SELECT * FROM items WHERE owner = '" + owner + "'";
          return statement.executeQuery(sql);
        }
      }

      """)
    try tree.write(
      "Api/UsersController.cs",
      "public IActionResult Find([FromQuery] string name) {\n"
        + "  var cmd = new SqlCommand(\"SELECT * FROM Users WHERE Name = '\" + name + \"'\", conn);\n}\n")
    try tree.write(
      "pages/views.py",
      "def show(request, slug):\n    cursor.execute(\"SELECT * FROM pages WHERE slug = '\" + slug + \"'\")\n")
    let all = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    let levels = Dictionary(
      all.map {
        ("\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)", $0["severity"] as? String ?? "")
      },
      uniquingKeysWith: { first, _ in first })
    #expect(
      levels == [
        "src/main/java/app/Lookup.java:3": "error", "src/main/java/app/Lookup.java:7": "warning",
        "Api/UsersController.cs:2": "error", "pages/views.py:2": "error",
      ], "\(levels)")
  }

  /// Request data followed through the file: into the parameters of the functions the
  /// file calls with it, through a loop over it, a collection it is put in and either
  /// branch of an if/else. A value whose single quotes were replaced is no way in.
  @Test func requestDataIsFollowedThroughTheFile() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/main/java/app/Votes.java",
      """
      class Votes {
        @PostMapping("/vote")
        public Result vote(@RequestParam String choice) {
          return record(choice);
        }
        private Result record(String option) {
          String sql = "INSERT INTO votes (choice) VALUES ('" + option + "')";
          return statement.executeUpdate(sql);
        }
        public void theme(HttpServletRequest request) {
          String theme = "light";
          for (Cookie cookie : request.getCookies()) {
            theme = cookie.getValue();
          }
          java.util.List<String> parts = new java.util.ArrayList<String>();
          parts.add(theme);
          String chosen = parts.get(0);
          statement.execute("UPDATE prefs SET theme = '" + chosen + "'");
        }
        public void greet(HttpServletRequest request) {
          String name;
          if (request.getParameter("n") != null) name = request.getParameter("n");
          else name = "guest";
          statement.execute("SELECT * FROM people WHERE name = '" + name + "'");
        }
        public void tag(HttpServletRequest request) {
          String label = request.getParameter("label");
          label = label.replace("'", "''");
          statement.execute("SELECT * FROM tags WHERE label = '" + label + "'");
        }
      }

      """)
    try tree.write(
      "blog/views.py",
      """
      def search(request):
          return run_search(request.GET["q"])

      def run_search(term):
          cursor.execute("SELECT * FROM posts WHERE title = '%s'" % term)

      """)
    // Request data put in a collection (`q.values`) is that collection's, even where a
    // shorter name (`q`) holds SQL text: the value inserted is the collection.
    try tree.write(
      "src/audit.js",
      """
      function audit(req, res) {
        const q = { text: "SELECT * FROM users WHERE id = ", values: [] };
        q.values.push(req.query.ids);
        const sql = "SELECT * FROM audit WHERE ids = '" + q.values + "'";
        db.query(sql);
      }

      """)
    let all = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    let levels = Dictionary(
      all.map {
        ("\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)", $0["severity"] as? String ?? "")
      },
      uniquingKeysWith: { first, _ in first })
    #expect(
      levels == [
        "src/main/java/app/Votes.java:7": "error", "src/main/java/app/Votes.java:18": "error",
        "src/main/java/app/Votes.java:24": "error", "blog/views.py:5": "error", "src/audit.js:4": "error",
      ], "\(levels)")
    #expect(all.allSatisfy { ($0["message"] as? String ?? "").contains("request data") }, "\(all)")
  }

  /// What nothing in the file ties to outside input is how query builders and ORMs
  /// assemble SQL: a field of a parameter (`table.engine`), a call's result, a loop over
  /// metadata. Not reported. Session data is reported, a level below request data.
  @Test func valuesOfUnknownOriginAreLeftAlone() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/runner.ts",
      """
      export class Runner {
        async changeEngine(table: Table) {
          await this.query(`UPDATE settings SET engine = '${table.engine}'`);
          await this.query(`DELETE FROM sessions WHERE id = ${this.lastId()}`);
          for (const column of table.columns) {
            await this.query("UPDATE columns SET kind = '" + column.kind + "'");
          }
        }
      }

      """)
    try tree.write(
      "web/profile.php",
      "<?php\n$id = $_SESSION['id'];\n$result = mysqli_query($conn, \"SELECT * FROM users WHERE id = '$id'\");\n"
    )
    // A parameter handed to a call among the arguments is that call's to use: what is
    // inserted is the table name the call returns.
    try tree.write(
      "store/tokens.go",
      """
      func (p *Persister) DeleteToken(ctx context.Context, token string) error {
      	return p.Conn(ctx).RawQuery(fmt.Sprintf("DELETE FROM %s WHERE token = ?", new(Token).TableName(ctx)), token).Exec()
      }

      """)
    let sql = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
    #expect(sql.count == 1, "\(sql)")
    let php = try #require(sql.first)
    #expect(php["path"] as? String == "web/profile.php" && php["severity"] as? String == "warning", "\(php)")
    #expect((php["message"] as? String ?? "").contains("session data"), "\(php)")
  }

  /// What the flow leaves alone: SQL built but never run in the file, a builder given
  /// only constants and placeholders, a variable reassigned before it runs.
  @Test func builtButNotRunOrOnlyConstantsIsLeftAlone() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "lib/builder.js",
      "function byName(name) {\n  return 'SELECT * FROM users WHERE name = ' + name;\n}\n")
    try tree.write(
      "app/list.py",
      """
      PAGE = 50
      sql = "SELECT * FROM logs WHERE 1 = 1"
      if user:
          sql += " AND user = %s"
      sql += " LIMIT " + str(PAGE)
      cursor.execute(sql, (user,))

      """)
    try tree.write(
      "store/find.go",
      """
      q := "SELECT * FROM t WHERE a = " + a
      q = "SELECT * FROM t WHERE a = $1"
      rows, err := db.Query(q, a)

      """)
    try tree.write(
      "src/Ui.java",
      """
      StringBuilder label = new StringBuilder("Select a file: ");
      label.append(fileName);
      dialog.setTitle(label.toString());

      """)
    #expect(try sqlFindings(in: tree).isEmpty)
  }

  /// A variable assigned a choice between literals (`cond ? "AND …" : ""`, Python's
  /// `"…" if cond else ""`) is a constant; what follows a literal that interpolates is
  /// bound, not inserted. A choice with a branch from the request is still a value.
  @Test func choicesBetweenLiteralsAndBoundArgumentsInsertNoValue() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/stats.ts",
      """
      async function values(req) {
        const skipSelf = req.query.column === 'referrer' ? 'and e.referrer != e.host' : '';
        return rawQuery(`select e.page from events e where e.site = {{site}} ${skipSelf}`, { site: req.query.site });
      }

      """)
    try tree.write(
      "app/search.py",
      """
      def search(request):
          extra = "AND archived = 0" if request.args.get("live") else ""
          cursor.execute(f"SELECT id FROM notes WHERE owner = %s {extra}", (request.args["owner"],))

      """)
    #expect(try sqlFindings(in: tree).isEmpty)
    try tree.write(
      "src/report.ts",
      """
      async function report(req) {
        const extra = req.query.all ? 'and 1 = 1' : req.query.filter;
        return rawQuery(`select e.page from events e where e.site = {{site}} ${extra}`, {});
      }

      """)
    #expect(try sqlFindings(in: tree) == ["src/report.ts": ["sql-template-literal-javascript"]])
  }

  /// A list of bind placeholders, one per value (`implode(',', array_fill(0, count($ids),
  /// '?'))`, `strings.Repeat("?,", n)`, `['%s'] * len(ids)`): only the number of values
  /// goes into the text. The same request values joined into the text are still found.
  @Test func aListOfPlaceholdersInsertsNoValue() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "api/entries.php",
      """
      <?php
      function byIds(PDO $pdo): array {
          $ids = explode(',', $_GET['ids'] ?? '');
          $sql = 'SELECT id, title FROM entry WHERE';
          $marks = implode(',', array_fill(0, count($ids), '?'));
          $sql .= " id IN($marks)";
          $stm = $pdo->prepare($sql);
          $stm->execute($ids);
          return $stm->fetchAll();
      }

      """)
    try tree.write(
      "app/notes.py",
      """
      def notes(request):
          ids = request.args.getlist("id")
          marks = ", ".join(["%s"] * len(ids))
          cursor.execute(f"SELECT id FROM notes WHERE id IN ({marks})", ids)

      """)
    #expect(try sqlFindings(in: tree).isEmpty)
    try tree.write(
      "api/joined.php",
      """
      <?php
      function byIds(PDO $pdo): array {
          $ids = explode(',', $_GET['ids'] ?? '');
          $sql = 'SELECT id, title FROM entry WHERE';
          $list = implode(',', $ids);
          $sql .= " id IN($list)";
          return $pdo->query($sql)->fetchAll();
      }

      """)
    try tree.write(
      "app/beside.py",
      """
      def notes(request):
          ids = request.args.getlist("id")
          name = request.args["name"]
          marks = ", ".join(["?"] * len(ids)) + ", " + name
          cursor.execute(f"SELECT id FROM notes WHERE id IN ({marks})", ids)

      """)
    #expect(
      try sqlFindings(in: tree) == [
        "api/joined.php": ["sql-built-across-statements"], "app/beside.py": ["sql-interpolation-python"],
      ])
  }

  /// A call of the file's own function that takes nothing and returns only literals (a
  /// dialect's `now()`) inserts no value; one that returns what it was given does.
  @Test func aFunctionThatReturnsOnlyLiteralsInsertsNoValue() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "store/posts.go",
      """
      package store

      func (s *Store) now() string {
      	if s.sqlite {
      		return "strftime('%s','now')"
      	}
      	return "NOW()"
      }

      func (s *Store) Expire(id int64) error {
      	_, err := s.db.Exec("UPDATE posts SET expired = 1 WHERE expires < "+s.now()+" AND id = ?", id)
      	return err
      }

      """)
    #expect(try sqlFindings(in: tree).isEmpty)
    try tree.write(
      "store/users.go",
      """
      package store

      func (s *Store) column(name string) string {
      	return name
      }

      func (s *Store) Sort(name string) error {
      	_, err := s.db.Query("SELECT id FROM users ORDER BY "+s.column(name))
      	return err
      }

      """)
    #expect(try sqlFindings(in: tree) == ["store/users.go": ["sql-string-concatenation"]])
  }

  /// After a concatenation of constants, a call's next arguments are bound to the
  /// placeholders, not inserted: request data there is no construction's value. The same
  /// request data concatenated into the text is.
  @Test func argumentsAfterAConcatenationAreBound() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "src/posts.js",
      """
      app.get('/x', async (req, res) => {
        const cond = '(owner_id = $2)';
        const r = await pool.query('SELECT 1 FROM posts WHERE id = $1 AND ' + cond, [req.query.id, req.query.owner]);
        res.json(r.rows);
      });

      """)
    #expect(try sqlFindings(in: tree).isEmpty)
    try tree.write(
      "src/pasted.js",
      """
      app.get('/y', async (req, res) => {
        const r = await pool.query('SELECT 1 FROM posts WHERE owner = ' + req.query.owner, [req.query.id]);
        res.json(r.rows);
      });

      """)
    #expect(try sqlFindings(in: tree) == ["src/pasted.js": ["sql-string-concatenation"]])
  }

  /// Identifiers, escaping calls, composed fragments, bound values, English text, SQL in
  /// comments and in tests: no value goes into the text, or the text does not run.
  @Test func constructionsWithNoValueInTheText() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "lib/compiler.ts", "return `DELETE FROM ${this.quoteTable(tableName)} WHERE ${whereSql}`;\n")
    try tree.write("src/Grammar.php", "<?php\nreturn \"update {$table} set {$columns} {$where}\";\n")
    try tree.write("db/schema.py", "cursor.execute(f\"SELECT COUNT(*) FROM {table_name}\")\n")
    try tree.write("db/users.py", "cursor.execute(\"SELECT * FROM users WHERE id = %s\", (user_id,))\n")
    try tree.write("log/messages.go", "msg := fmt.Sprintf(\"Update expected for leader node %s\", node)\n")
    try tree.write(
      "legacy/old.py", "# cursor.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n")
    try tree.write(
      "tests/test_queries.py", "cursor.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n")
    try tree.write("docs/injection.md", "query = \"SELECT * FROM users WHERE name = '\" + name + \"'\"\n")
    #expect(try sqlFindings(in: tree).isEmpty)
  }
}

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
      "jobs/import.js", "var s = 'create temp table ' + tableFromRequest + ' (id int)';\nconn.query(s);\n")
    try tree.write(
      "Data/Lookup.cs",
      "var sql = String.Concat(new string[] { \"SELECT * FROM Items WHERE Sku = '\", sku, \"'\" });\n")
    try tree.write(
      "api/report.js", "const q = util.format(\"SELECT * FROM visits WHERE page = '%s'\", req.query.page);\n")
    try tree.write(
      "web/prefs.php", "<?php\n$q = sprintf(\"SELECT * FROM prefs WHERE theme = '%s'\", $_COOKIE['theme']);\n"
    )
    try tree.write(
      "app/reports.py",
      "cursor.execute(\"\"\"\n    SELECT total FROM invoices\n    WHERE account = '%s'\n\"\"\" % account)\n")
    try tree.write(
      "src/Repository/UserRepository.php",
      "<?php\n$qb->select('u')->from('User', 'u')->where('u.email = ' . $email);\n")
    try tree.write(
      "src/store.rs",
      "let q = format!(\n    \"SELECT id FROM carts\n     WHERE owner = '{}'\",\n    owner\n);\n")
    let found = try sqlFindings(in: tree)
    let expected: [String: String] = [
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

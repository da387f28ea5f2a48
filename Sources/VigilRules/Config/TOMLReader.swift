import TOMLKit

/// Reads one TOML table with typed accessors that record problems instead of failing,
/// so a loader can report every mistake in a file at once.
///
/// Each accessor marks its key as known; `finish()` then warns about every key nobody
/// asked for, naming its full path (`rules[3].allowlists[0].regex`).
final class TOMLReader {
  let table: TOMLTable
  let path: String
  let context: LoadContext
  private var knownKeys: Set<String> = []

  init(_ table: TOMLTable, path: String, context: LoadContext) {
    self.table = table
    self.path = path
    self.context = context
  }

  private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The key as the table spells it. gitleaks reads its keys in any case (`secretgroup`,
  /// `Keywords`, `targetrules`): so does vigil, or a migrated config would lose them to
  /// an "unknown key" warning. The exact spelling wins; another spelling of the same key
  /// beside it is an unknown key.
  private func spelled(_ key: String) -> String? {
    if table.contains(key: key) { return key }
    let lowered = key.lowercased()
    return table.keys.sorted().first { $0.lowercased() == lowered }
  }

  private func value(_ key: String) -> TOMLValueConvertible? {
    knownKeys.insert(key)
    guard let spelled = spelled(key) else { return nil }
    knownKeys.insert(spelled)
    let found: TOMLValueConvertible? = table[spelled]
    return found
  }

  /// The value at `key` converted by `convert`; a value of the wrong type is an error
  /// that says what was `expected`.
  private func typed<T>(
    _ key: String, _ expected: String, _ convert: (TOMLValueConvertible) -> T?
  ) -> T? {
    guard let value = value(key) else { return nil }
    if let converted = convert(value) { return converted }
    context.error("'\(keyPath(key))' must be \(expected), not \(value.type)")
    return nil
  }

  func string(_ key: String) -> String? { typed(key, "a string") { $0.string } }

  func int(_ key: String) -> Int? { typed(key, "an integer") { $0.int } }

  /// Accepts an integer too: `entropy = 3` is as good as `entropy = 3.0`.
  func double(_ key: String) -> Double? {
    typed(key, "a number") { $0.double ?? $0.int.map(Double.init) }
  }

  func bool(_ key: String) -> Bool? { typed(key, "true or false") { $0.bool } }

  func strings(_ key: String) -> [String] {
    guard let value = value(key) else { return [] }
    guard let array = value.array else {
      context.error("'\(keyPath(key))' must be an array of strings, not \(value.type)")
      return []
    }
    var strings: [String] = []
    for (index, element) in array.enumerated() {
      if let string = element.string {
        strings.append(string)
      } else {
        context.error("'\(keyPath(key))[\(index)]' must be a string, not \(element.type)")
      }
    }
    return strings
  }

  func table(_ key: String) -> TOMLReader? {
    guard let value = value(key) else { return nil }
    guard let table = value.table else {
      context.error("'\(keyPath(key))' must be a table, not \(value.type)")
      return nil
    }
    return TOMLReader(table, path: keyPath(key), context: context)
  }

  /// An array of tables (`[[key]]`); a single table is accepted as a one-element array.
  func tables(_ key: String) -> [TOMLReader] {
    guard let value = value(key) else { return [] }
    if let table = value.table { return [TOMLReader(table, path: keyPath(key), context: context)] }
    guard let array = value.array else {
      context.error("'\(keyPath(key))' must be an array of tables, not \(value.type)")
      return []
    }
    var tables: [TOMLReader] = []
    for (index, element) in array.enumerated() {
      if let table = element.table {
        tables.append(TOMLReader(table, path: "\(keyPath(key))[\(index)]", context: context))
      } else {
        context.error("'\(keyPath(key))[\(index)]' must be a table, not \(element.type)")
      }
    }
    return tables
  }

  func has(_ key: String) -> Bool { spelled(key) != nil }

  /// Every key of this table with its string value, in key order; other types are errors.
  func stringEntries() -> [(key: String, value: String)] {
    table.keys.sorted().compactMap { key in string(key).map { (key, $0) } }
  }

  /// The value at `key` (in any case) as TOML holds it, marked known.
  func raw(_ key: String) -> TOMLValueConvertible? { value(key) }

  /// Marks `key` as known without reading it; returns whether it is present.
  func accept(_ key: String) -> Bool { value(key) != nil }

  /// Warns about every key of this table that no accessor asked for.
  func finish() {
    for key in table.keys.sorted() where !knownKeys.contains(key) {
      context.warning("unknown key '\(keyPath(key))' is ignored")
    }
  }
}

/// What a mistyped subcommand was probably meant to be: `vigil scna .` → `scan`.
enum SubcommandSuggestion {
  /// The subcommand `word` is closest to, within two edits (one for short words), when
  /// `word` names none itself; `nil` otherwise.
  static func suggestion(for word: String, among names: [String]) -> String? {
    guard !word.hasPrefix("-"), !names.contains(word) else { return nil }
    let allowed = word.count <= 4 ? 1 : 2
    let scored = names.map { (name: $0, distance: distance(Array(word.lowercased()), Array($0))) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= allowed else {
      return nil
    }
    return best.name
  }

  /// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }
}

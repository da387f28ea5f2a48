/// A small Rust lexer that marks comments, string literals and test items.
///
/// It understands line and (nested) block comments, doc comments, strings with escapes,
/// raw strings (`r#"…"#`), byte strings, char literals versus lifetimes, and brace
/// nesting, so that braces inside strings and comments do not end an item. A test item
/// is what follows `#[cfg(test)]` (or any `cfg(...)` naming `test`), `#[test]` or
/// `#[<crate>::test]`: up to the end of its `{ … }` block, or its `;`.
///
/// Not a parser: macro bodies are lexed as plain tokens, and a malformed file yields
/// best-effort regions rather than an error.
enum RustLexer {
  static func regions(_ bytes: UnsafeBufferPointer<UInt8>) -> ContextRegions {
    var regions = ContextRegions()
    var index = 0
    let count = bytes.count
    var depth = 0
    // A test attribute seen, waiting for its item to open a block or end with `;`.
    var pendingTestStart: Int?
    // Open test items: (start offset, brace depth inside the item's block).
    var openTests: [(start: Int, depth: Int)] = []

    func byte(_ offset: Int) -> UInt8 { offset < count ? bytes[offset] : 0 }

    while index < count {
      let current = bytes[index]
      switch current {
      case UInt8(ascii: "/") where byte(index + 1) == UInt8(ascii: "/"):
        let start = index
        while index < count && bytes[index] != 0x0A { index += 1 }
        regions.comments.append(start..<index)
        continue
      case UInt8(ascii: "/") where byte(index + 1) == UInt8(ascii: "*"):
        let start = index
        var nesting = 0
        while index < count {
          if bytes[index] == UInt8(ascii: "/") && byte(index + 1) == UInt8(ascii: "*") {
            nesting += 1
            index += 2
          } else if bytes[index] == UInt8(ascii: "*") && byte(index + 1) == UInt8(ascii: "/") {
            nesting -= 1
            index += 2
            if nesting == 0 { break }
          } else {
            index += 1
          }
        }
        regions.comments.append(start..<min(index, count))
        continue
      case UInt8(ascii: "\""):
        let end = stringEnd(bytes, from: index + 1)
        regions.strings.append(index..<end)
        index = end
        continue
      case UInt8(ascii: "r"), UInt8(ascii: "b"):
        // r"…", r#"…"#, b"…", br"…", br#"…"# — only at the start of a token.
        if index > 0 && isIdentifier(bytes[index - 1]) { break }
        var cursor = index + 1
        if current == UInt8(ascii: "b") && byte(cursor) == UInt8(ascii: "r") { cursor += 1 }
        let isRaw = current == UInt8(ascii: "r") || cursor == index + 2
        var hashes = 0
        while isRaw && byte(cursor) == UInt8(ascii: "#") {
          hashes += 1
          cursor += 1
        }
        guard byte(cursor) == UInt8(ascii: "\"") else {
          if current == UInt8(ascii: "b") && byte(index + 1) == UInt8(ascii: "'") {
            index = charEnd(bytes, from: index + 1) ?? index + 1
            continue
          }
          break
        }
        let end =
          isRaw ? rawStringEnd(bytes, from: cursor + 1, hashes: hashes) : stringEnd(bytes, from: cursor + 1)
        regions.strings.append(index..<end)
        index = end
        continue
      case UInt8(ascii: "'"):
        // A char literal ('a', '\n', '\u{1F600}', 'é'), else a lifetime ('a).
        if let end = charEnd(bytes, from: index) {
          index = end
          continue
        }
      case UInt8(ascii: "#")
      where byte(index + 1) == UInt8(ascii: "!") && byte(index + 2) == UInt8(ascii: "["):
        // An inner attribute: `#![cfg(test)]` makes the whole module (this file) test code.
        let close = attributeEnd(bytes, from: index + 3)
        if isTestAttribute(bytes[(index + 3)..<max(index + 3, close - 1)]) {
          regions.tests.append(index..<count)
          regions.comments.sort { $0.lowerBound < $1.lowerBound }
          return regions
        }
        index = close
        continue
      case UInt8(ascii: "#") where byte(index + 1) == UInt8(ascii: "["):
        let close = attributeEnd(bytes, from: index + 2)
        if isTestAttribute(bytes[(index + 2)..<max(index + 2, close - 1)]) && pendingTestStart == nil {
          pendingTestStart = index
        }
        index = close
        continue
      case UInt8(ascii: "{"):
        depth += 1
        if let start = pendingTestStart {
          openTests.append((start, depth))
          pendingTestStart = nil
        }
      case UInt8(ascii: "}"):
        // An attribute the block ends before any item could follow (`#[test] }`) marks
        // nothing; kept, it would mark the next item, starting inside this region.
        pendingTestStart = nil
        if let last = openTests.last, last.depth == depth {
          openTests.removeLast()
          if openTests.isEmpty { regions.tests.append(last.start..<(index + 1)) }
        }
        depth = max(0, depth - 1)
      case UInt8(ascii: ";"):
        if let start = pendingTestStart, depth >= 0 {
          if openTests.isEmpty { regions.tests.append(start..<(index + 1)) }
          pendingTestStart = nil
        }
      default:
        break
      }
      index += 1
    }
    if let first = openTests.first { regions.tests.append(first.start..<count) }
    return regions
  }

  private static func isIdentifier(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == UInt8(ascii: "_") || byte >= 0x80
  }

  /// Just past the closing quote of a normal string whose body starts at `from`.
  private static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
    var index = from
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if bytes[index] == UInt8(ascii: "\"") { return index + 1 }
      index += 1
    }
    return bytes.count
  }

  private static func rawStringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, hashes: Int) -> Int {
    var index = from
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "\"") {
        var closing = 0
        while closing < hashes && index + 1 + closing < bytes.count
          && bytes[index + 1 + closing] == UInt8(ascii: "#")
        {
          closing += 1
        }
        if closing == hashes { return index + 1 + hashes }
      }
      index += 1
    }
    return bytes.count
  }

  /// Just past a char literal starting at the quote at `from`, or `nil` for a lifetime.
  private static func charEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    var index = from + 1
    guard index < bytes.count else { return nil }
    if bytes[index] == UInt8(ascii: "\\") {
      index += 2
      while index < bytes.count && index - from < 12 {
        if bytes[index] == UInt8(ascii: "'") { return index + 1 }
        index += 1
      }
      return nil
    }
    // One character (1–4 UTF-8 bytes), then the closing quote.
    index += 1
    while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
    return index < bytes.count && bytes[index] == UInt8(ascii: "'") ? index + 1 : nil
  }

  /// Just past the `]` closing an attribute whose body starts at `from`.
  private static func attributeEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
    var index = from
    var nesting = 1
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "["): nesting += 1
      case UInt8(ascii: "]"):
        nesting -= 1
        if nesting == 0 { return index + 1 }
      case UInt8(ascii: "\""):
        index = stringEnd(bytes, from: index + 1)
        continue
      default: break
      }
      index += 1
    }
    return bytes.count
  }

  private static let testWord = Array("test".utf8)

  /// `test`, `tokio::test`, `rstest`, `cfg(test)`, `cfg(all(test, unix))`: an attribute
  /// that makes the item test code. Not `cfg(not(test))`, `cfg(any(test, unix))` (compiled
  /// in every Unix build) or `cfg_attr(test, …)` (which only adds attributes in tests: the
  /// item is compiled always).
  private static func isTestAttribute(_ body: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    // Most attributes (`derive(…)`, `inline`, `allow(…)`) never say `test`: no text to build.
    guard body.indices.contains(where: { body[$0...].starts(with: testWord) }) else { return false }
    let text = String(decoding: body, as: UTF8.self).filter { !$0.isWhitespace }
    if text == "test" || text.hasSuffix("::test") || text == "rstest" || text.hasPrefix("test_case(")
      || text.hasPrefix("rstest(")
    {
      return true
    }
    guard text.hasPrefix("cfg(") else { return false }
    var predicate = CfgPredicate(Array(text.utf8))
    return predicate.parse()?.isTestOnly ?? false
  }
}

/// A `cfg(…)` predicate (`test`, `unix`, `feature = "x"`, `all(…)`, `any(…)`, `not(…)`),
/// read from an attribute's text without whitespace, and what it says about `test`.
struct CfgPredicate {
  indirect enum Node {
    case name(String)
    /// A `key = "value"` option: says nothing about `test`.
    case option
    case all([Node])
    case any([Node])
    case not(Node)

    /// Whether the predicate is false in every build where `test` is set as `test` says,
    /// whatever else (`unix`, features) is set: never compiled there.
    func neverHolds(test: Bool) -> Bool {
      switch self {
      case .name(let name): return name == "test" && !test
      case .option: return false
      case .all(let nodes): return nodes.contains { $0.neverHolds(test: test) }
      // `any()` is never true: no build at all, but its secrets are in the source.
      case .any(let nodes): return !nodes.isEmpty && nodes.allSatisfy { $0.neverHolds(test: test) }
      case .not(let node): return node.alwaysHolds(test: test)
      }
    }

    /// Whether the predicate is true in every build where `test` is set as `test` says.
    func alwaysHolds(test: Bool) -> Bool {
      switch self {
      case .name(let name): return name == "test" && test
      case .option: return false
      case .all(let nodes): return nodes.allSatisfy { $0.alwaysHolds(test: test) }
      case .any(let nodes): return nodes.contains { $0.alwaysHolds(test: test) }
      case .not(let node): return node.neverHolds(test: test)
      }
    }

    /// Whether code under the predicate is compiled in test builds alone.
    var isTestOnly: Bool { neverHolds(test: false) }
  }

  /// Deeper nesting is read as saying nothing (the item counts as production code).
  static let maximumDepth = 32
  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The predicate of `cfg(…)`, nil if it does not read as one.
  mutating func parse() -> Node? {
    guard take("cfg("), let node = node(depth: 0), take(")"), index == bytes.count else { return nil }
    return node
  }

  private mutating func take(_ text: StaticString) -> Bool {
    let wanted = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    guard bytes[index...].starts(with: wanted) else { return false }
    index += wanted.count
    return true
  }

  private mutating func node(depth: Int) -> Node? {
    guard depth < Self.maximumDepth else { return nil }
    let start = index
    while index < bytes.count,
      bytes[index] == UInt8(ascii: "_") || bytes[index] == UInt8(ascii: ":")
        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[index] | 0x20)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
    {
      index += 1
    }
    guard index > start else { return nil }
    let name = String(decoding: bytes[start..<index], as: UTF8.self)
    if take("=") {
      // A string: up to its closing quote, escapes skipped.
      guard take("\"") else { return nil }
      while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
        index = min(bytes.count, index + (bytes[index] == UInt8(ascii: "\\") ? 2 : 1))
      }
      return take("\"") ? .option : nil
    }
    guard take("(") else { return .name(name) }
    var nodes: [Node] = []
    while !take(")") {
      guard let child = node(depth: depth + 1) else { return nil }
      nodes.append(child)
      if !take(",") {
        guard take(")") else { return nil }
        break
      }
    }
    switch name {
    case "all": return .all(nodes)
    case "any": return .any(nodes)
    case "not": return nodes.count == 1 ? .not(nodes[0]) : nil
    default: return nil
    }
  }
}

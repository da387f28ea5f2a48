#if canImport(Glibc)
  import Glibc
#endif

/// Adding to SQL held in a variable or builder: which calls append, and whether a file
/// can add to a variable at all (a byte pass that spares lexing files that cannot).
enum Accumulation {
  /// The receiver of a call of one of some methods: `sb.append` (of `appendMethods`),
  /// `values.add` (of `storeMethods`).
  static func receiver(
    _ bytes: UnsafeBufferPointer<UInt8>, _ callee: Range<Int>, calling methods: Set<String>
  ) -> String? {
    // By bytes first: most calls are of no such method.
    guard
      let byteDot = bytes[callee].lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ">") }),
      let initial = byteDot + 1 < callee.upperBound ? bytes[byteDot + 1] : nil,
      methods.contains(where: { $0.utf8.first == initial })
    else { return nil }
    let name = String(decoding: bytes[callee], as: UTF8.self)
    guard let dot = name.lastIndex(where: { $0 == "." || $0 == ">" }) else { return nil }
    let method = name[name.index(after: dot)...]
    guard methods.contains(String(method)) else { return nil }
    var receiver = name[..<dot]
    if receiver.hasSuffix("-") { receiver = receiver.dropLast() }
    return receiver.isEmpty ? nil : String(receiver)
  }

  static let appendMethods: Set<String> = [
    "append", "Append", "AppendFormat", "AppendLine", "WriteString", "push_str", "concat", "write", "extend",
  ]

  /// Calls that put a value in a collection.
  static let storeMethods: Set<String> = [
    "add", "put", "push", "insert", "set", "setdefault", "offer", "addAll", "putAll", "unshift", "Add",
    "Push", "Insert", "addElement", "putIfAbsent", "setProperty", "setAttribute",
  ]

  /// Whether a file can add to a variable at all: `+=`, `.=`, `<<`, `||=`, a builder's
  /// append, or `name = name +`/`.`/`||`. One pass over the bytes, before any lexing.
  static func mayAccumulate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    let equals = UInt8(ascii: "=")
    var index = 1
    while index < count {
      let byte = bytes[index]
      if byte == equals {
        let before = bytes[index - 1]
        if before == UInt8(ascii: "+") || before == UInt8(ascii: ".") || before == UInt8(ascii: "|") {
          return true
        }
        if selfConcatenates(bytes, at: index) { return true }
      } else if byte == UInt8(ascii: "<") && bytes[index - 1] == UInt8(ascii: "<") {
        return true
      } else if byte == UInt8(ascii: "."), index + 1 < count, appendInitials.contains(bytes[index + 1]) {
        for method in appendMarkers where matches(method, in: bytes, at: index + 1) { return true }
      }
      index += 1
    }
    return false
  }

  /// Whether a file is bundled or minified code: at least `minifiedSize` bytes, with
  /// lines `minifiedLineLength` bytes long on average (hand-written code averages 30 to
  /// 60). Its names are one or two letters, reused in every function (`e`, `t`, `n`),
  /// so a variable followed by name from one statement to another says nothing there.
  static func isMinified(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= minifiedSize, let base = bytes.baseAddress else { return false }
    // Enough line feeds for the average to fall under the bar: not minified.
    let enough = bytes.count / minifiedLineLength
    var lines = 0
    var offset = 0
    while offset < bytes.count, let hit = memchr(base + offset, 0x0A, bytes.count - offset) {
      lines += 1
      if lines > enough { return false }
      offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
    }
    return true
  }

  static let minifiedSize = 16 << 10
  static let minifiedLineLength = 250

  /// `name = name +` (or `.`, `||`) around the `=` at `index`.
  private static func selfConcatenates(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    let count = bytes.count
    guard index + 1 < count, bytes[index + 1] != UInt8(ascii: "="), bytes[index + 1] != UInt8(ascii: ">")
    else {
      return false
    }
    var end = index - 1
    while end >= 0 && (bytes[end] == 0x20 || bytes[end] == 0x09) { end -= 1 }
    var start = end
    while start >= 0 && start > end - 64
      && (CodeTokens.isIdentifierByte(bytes[start]) || bytes[start] == UInt8(ascii: "$"))
    {
      start -= 1
    }
    let length = end - start
    guard length > 0 else { return false }
    var next = index + 1
    while next < count && (bytes[next] == 0x20 || bytes[next] == 0x09) { next += 1 }
    guard next + length <= count else { return false }
    for offset in 0..<length where bytes[next + offset] != bytes[start + 1 + offset] { return false }
    var after = next + length
    while after < count && (bytes[after] == 0x20 || bytes[after] == 0x09) { after += 1 }
    guard after < count else { return false }
    return bytes[after] == UInt8(ascii: "+") || bytes[after] == UInt8(ascii: ".")
      || bytes[after] == UInt8(ascii: "|")
  }

  private static func matches(_ text: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + text.count <= bytes.count else { return false }
    for (position, byte) in text.enumerated() where bytes[offset + position] != byte { return false }
    return true
  }

  private static let appendInitials: Set<UInt8> = Set(appendMethods.compactMap(\.utf8.first))
  private static let appendMarkers: [[UInt8]] = appendMethods.map { Array($0.utf8) }
}

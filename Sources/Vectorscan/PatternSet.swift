import CVectorscan

/// What the keyword pass looks for, in one pass over a buffer with Vectorscan: literals
/// (SIMD: many bytes per instruction where a byte-at-a-time automaton takes one), each
/// with an id; and prefilters, patterns compiled in Vectorscan's prefilter mode, each
/// reported once if it matches.
///
/// A prefilter is a rule's regex as Vectorscan approximates it in that mode: where it
/// cannot run a construct (a lookaround, a back-reference) it matches more, never less,
/// so a buffer where the prefilter does not match holds no match of the regex.
///
/// `Sendable`: the compiled database is immutable and Vectorscan allows any number of
/// threads to scan with it at once, each with its own `Scratch`.
public final class PatternSet: @unchecked Sendable {
  private let database: OpaquePointer
  /// The ids of the prefilters in the set: those Vectorscan compiled.
  public let prefilterIDs: [UInt32]

  /// - Parameters:
  ///   - literals: each literal's bytes (empty ones are left out), the id reported when
  ///     it occurs (ids may repeat), and whether only its first occurrence is reported.
  ///   - caseless: match the literals' ASCII letters case-insensitively.
  ///   - prefilters: patterns (PCRE syntax) and their ids; one that Vectorscan cannot
  ///     compile is left out (`prefilterIDs` says which are in).
  /// - Returns: nil where Vectorscan cannot run (a CPU without the instructions it
  ///   needs) or cannot compile the literals; the caller then uses its own matcher.
  public init?(
    literals: [(bytes: [UInt8], id: UInt32, firstOnly: Bool)], caseless: Bool,
    prefilters: [(pattern: String, id: UInt32)] = []
  ) {
    guard hs_valid_platform() == HS_SUCCESS else { return nil }
    let kept = literals.filter { !$0.bytes.isEmpty }
    guard !kept.isEmpty else { return nil }
    // Vectorscan reads a pattern up to its first NUL byte: one holding a NUL would be
    // another pattern.
    var prefilters = prefilters.filter { !$0.pattern.utf8.contains(0) }.map {
      (pattern: Self.prefilterForm(of: $0.pattern), id: $0.id)
    }
    while true {
      switch Self.compile(kept, caseless: caseless, prefilters: prefilters) {
      case .success(let database):
        self.database = database
        self.prefilterIDs = prefilters.map(\.id)
        return
      case .failure(let failure):
        // A prefilter Vectorscan refuses is left out, and the rest compiled again.
        guard let expression = failure.expression, expression >= kept.count,
          expression - kept.count < prefilters.count
        else {
          return nil
        }
        prefilters.remove(at: expression - kept.count)
      }
    }
  }

  /// `pattern` without the two constructs Vectorscan does not parse, written so that it
  /// matches the same texts or more: a branch-reset group `(?|…)` becomes a group `(?:…)`
  /// and `\K` goes (it only moves where a match starts). A group becoming plain renumbers
  /// the captures after it, so in a pattern with a branch reset each numbered
  /// back-reference (`\1`, `\g{2}`) becomes "any text" (`(?:[\s\S]*)`): what it matched
  /// is then not checked, which only lets more through (a pattern that also has a `#` or
  /// a named reference is left whole, and refused). Escapes (`\cX` included), `\Q…\E`
  /// and character classes are copied as they are, and so is the rest of a line after a
  /// `#` (a comment in extended mode; all the rest of the pattern if a `[` or `\Q` follows
  /// it there): a construct left as written only keeps the prefilter out, as before.
  static func prefilterForm(of pattern: String) -> String {
    let bytes = Array(pattern.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    var inClass = false
    func starts(_ text: String, at offset: Int) -> Bool {
      let needle = Array(text.utf8)
      return offset + needle.count <= bytes.count && Array(bytes[offset..<offset + needle.count]) == needle
    }
    func isDigit(_ offset: Int) -> Bool {
      offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
    }
    let resetsBranches = pattern.contains("(?|")
    // Where renumbering cannot be followed through (a `#` line is copied as written; a
    // named reference may name a group another branch shares), a pattern with a branch
    // reset stays as written: Vectorscan refuses it and its rule runs on its keywords.
    if resetsBranches && (pattern.contains("#") || pattern.contains("\\k") || pattern.contains("(?P=")) {
      return pattern
    }
    while index < bytes.count {
      let byte = bytes[index]
      if starts("\\Q", at: index) {
        // Quoted to `\E` or the end.
        var end = index + 2
        while end < bytes.count && !starts("\\E", at: end) { end += 1 }
        end = min(bytes.count, end + 2)
        out += bytes[index..<end]
        index = end
      } else if byte == UInt8(ascii: "\\") {
        if !inClass && starts("\\K", at: index) {
          index += 2
        } else if !inClass && resetsBranches && (isDigit(index + 1) && bytes[index + 1] != UInt8(ascii: "0"))
        {
          // `\N`: any text.
          index += 1
          while isDigit(index) { index += 1 }
          out += Array("(?:[\\s\\S]*)".utf8)
        } else if !inClass && resetsBranches && starts("\\g", at: index)
          && (isDigit(index + 2) || starts("\\g{", at: index) || starts("\\g-", at: index))
        {
          // `\gN`, `\g-N`, `\g{N}`, `\g{name}`: any text.
          if starts("\\g{", at: index), let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) {
            index = close + 1
          } else {
            index += starts("\\g-", at: index) ? 3 : 2
            while isDigit(index) { index += 1 }
          }
          out += Array("(?:[\\s\\S]*)".utf8)
        } else {
          // `\cX` is three bytes: the X is not an escape of its own.
          let length = starts("\\c", at: index) ? 3 : 2
          out += bytes[index..<min(bytes.count, index + length)]
          index += length
        }
      } else if inClass {
        if starts("[:", at: index),
          let close = (index + 2..<bytes.count).first(where: { starts(":]", at: $0) })
        {
          out += bytes[index..<close + 2]
          index = close + 2
          continue
        }
        if byte == UInt8(ascii: "]") { inClass = false }
        out.append(byte)
        index += 1
      } else if byte == UInt8(ascii: "[") {
        inClass = true
        out.append(byte)
        index += 1
        // A `]` (after an optional `^`) right after the opening bracket is a member.
        if index < bytes.count && bytes[index] == UInt8(ascii: "^") {
          out.append(bytes[index])
          index += 1
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
          out.append(bytes[index])
          index += 1
        }
      } else if byte == UInt8(ascii: "#") {
        // A class or a quote opened there may go on past the line (outside extended mode
        // `#` is a character): then the rest is left as it is.
        let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
        let line = bytes[index..<lineEnd]
        let opens = line.contains(UInt8(ascii: "[")) || line.indices.contains { starts("\\Q", at: $0) }
        let end = opens ? bytes.count : lineEnd
        out += bytes[index..<end]
        index = end
      } else if starts("(?|", at: index) {
        out += Array("(?:".utf8)
        index += 3
      } else {
        out.append(byte)
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The database, or the index of the expression that failed (nil: not one of them).
  private static func compile(
    _ literals: [(bytes: [UInt8], id: UInt32, firstOnly: Bool)], caseless: Bool,
    prefilters: [(pattern: String, id: UInt32)]
  ) -> Result<OpaquePointer, CompileFailure> {
    let literalFlags = literals.map { literal in
      (caseless ? UInt32(HS_FLAG_CASELESS) : 0) | (literal.firstOnly ? UInt32(HS_FLAG_SINGLEMATCH) : 0)
    }
    var database: OpaquePointer?
    var error: UnsafeMutablePointer<hs_compile_error_t>?
    let status: hs_error_t
    if prefilters.isEmpty {
      // Vectorscan reads each literal through a pointer and a length (NUL bytes allowed).
      let ids = literals.map(\.id)
      let lengths = literals.map { $0.bytes.count }
      status = withPointers(to: literals.map(\.bytes)) { pointers in
        hs_compile_lit_multi(
          pointers, literalFlags, ids, lengths, UInt32(literals.count), UInt32(HS_MODE_BLOCK), nil, &database,
          &error)
      }
    } else {
      // With patterns, one pattern database: each literal written as \xHH escapes.
      let expressions =
        literals.map { literal in literal.bytes.map { hexEscape($0) }.joined() } + prefilters.map(\.pattern)
      let prefilterFlags = UInt32(HS_FLAG_PREFILTER | HS_FLAG_ALLOWEMPTY | HS_FLAG_SINGLEMATCH)
      let flags = literalFlags + prefilters.map { _ in prefilterFlags }
      let ids = literals.map(\.id) + prefilters.map(\.id)
      // Each NUL-terminated.
      status = withPointers(to: expressions.map { Array($0.utf8) + [0] }) { pointers in
        hs_compile_multi(
          pointers, flags, ids, UInt32(expressions.count), UInt32(HS_MODE_BLOCK), nil, &database, &error)
      }
    }
    let failed = error.map { Int($0.pointee.expression) }
    if let error { hs_free_compile_error(error) }
    guard status == HS_SUCCESS, let database else {
      return .failure(CompileFailure(expression: failed.flatMap { $0 >= 0 ? $0 : nil }))
    }
    return .success(database)
  }

  /// The set as bytes to keep between runs: the prefilters' ids, then Vectorscan's
  /// serialized database (which holds its version and the CPU features it was built
  /// for, and is refused on another). Nil if Vectorscan cannot serialize it.
  public func serialized() -> [UInt8]? {
    var bytes: UnsafeMutablePointer<CChar>?
    var length = 0
    guard hs_serialize_database(database, &bytes, &length) == HS_SUCCESS, let bytes else { return nil }
    defer { free(bytes) }
    var out = Self.littleEndian(UInt32(prefilterIDs.count))
    for id in prefilterIDs { out += Self.littleEndian(id) }
    out += UnsafeRawBufferPointer(start: bytes, count: length)
    return out
  }

  /// A set from `serialized()`'s bytes; nil if they are not one (cut short, another
  /// Vectorscan version, another CPU).
  public init?(serialized: [UInt8]) {
    guard hs_valid_platform() == HS_SUCCESS, serialized.count >= 4 else { return nil }
    let count = Int(Self.readLittleEndian(serialized, at: 0))
    let headerLength = 4 + 4 * count
    guard count <= (serialized.count - 4) / 4, serialized.count > headerLength else { return nil }
    let ids = (0..<count).map { Self.readLittleEndian(serialized, at: 4 + 4 * $0) }
    var database: OpaquePointer?
    let status = serialized.withUnsafeBufferPointer { buffer -> hs_error_t in
      guard let base = buffer.baseAddress else { return HS_INVALID }
      return UnsafeRawPointer(base + headerLength).withMemoryRebound(
        to: CChar.self, capacity: serialized.count - headerLength
      ) { hs_deserialize_database($0, serialized.count - headerLength, &database) }
    }
    guard status == HS_SUCCESS, let database else { return nil }
    self.database = database
    self.prefilterIDs = ids
  }

  private static func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  private static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
  }

  /// `body` with a pointer to each of `chunks`, all of them copied into one buffer.
  private static func withPointers(
    to chunks: [[UInt8]], _ body: ([UnsafePointer<CChar>?]) -> hs_error_t
  ) -> hs_error_t {
    var joined: [CChar] = []
    var starts: [Int] = []
    for chunk in chunks {
      starts.append(joined.count)
      joined += chunk.map { CChar(bitPattern: $0) }
    }
    return joined.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return HS_INVALID }
      return body(starts.map { base + $0 })
    }
  }

  private struct CompileFailure: Error {
    var expression: Int?
  }

  private static func hexEscape(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
  }

  deinit { hs_free_database(database) }

  /// Vectorscan's version, as it reports it: part of what a kept set is filed under.
  public static var version: String { String(cString: hs_version()) }

  /// Per-thread state a scan needs.
  public final class Scratch {
    fileprivate let pointer: OpaquePointer
    /// Where a scan gathers its matches before handing them over.
    fileprivate let hits: UnsafeMutablePointer<UInt64>
    fileprivate static let batchSize = 4096

    fileprivate init?(for database: OpaquePointer) {
      var scratch: OpaquePointer?
      guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS, let scratch else { return nil }
      pointer = scratch
      hits = .allocate(capacity: Self.batchSize)
    }

    deinit {
      hs_free_scratch(pointer)
      hits.deallocate()
    }
  }

  /// Scratch for one thread; nil only when memory runs out.
  public func makeScratch() -> Scratch? { Scratch(for: database) }

  /// Calls `found` with the id of every literal occurrence (the first only, for a
  /// literal that asked so) and the offset just past it, in order of that offset; and
  /// with the id of each prefilter that matches, once, at the end of a match.
  /// - Returns: false if the scan failed (then `found` may have seen only some).
  @discardableResult
  public func scan(
    _ bytes: UnsafeBufferPointer<UInt8>, scratch: Scratch, _ found: (_ id: UInt32, _ end: Int) -> Void
  ) -> Bool {
    scan(bytes, scratch: scratch) { hits in
      for hit in hits { found(Self.id(hit), Self.end(hit)) }
    }
  }

  /// The same matches, handed over a batch at a time, each packed in one word (read it
  /// with `id(_:)` and `end(_:)`): a file with a million keyword occurrences makes no
  /// call into Swift for each, only one per few thousand.
  @discardableResult
  public func scan(
    _ bytes: UnsafeBufferPointer<UInt8>, scratch: Scratch, batches: (UnsafeBufferPointer<UInt64>) -> Void
  ) -> Bool {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
    guard bytes.count <= UInt32.max else { return false }
    return withoutActuallyEscaping(batches) { batches in
      var batch = Batch(hits: scratch.hits, count: 0, hand: batches)
      let status = withUnsafeMutablePointer(to: &batch) { context in
        hs_scan(
          database, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), UInt32(bytes.count), 0,
          scratch.pointer,
          { id, _, end, _, context in
            guard let batch = context?.assumingMemoryBound(to: Batch.self) else { return 0 }
            if batch.pointee.count == Scratch.batchSize { batch.pointee.handOver() }
            batch.pointee.hits[batch.pointee.count] = UInt64(id) << 32 | end
            batch.pointee.count += 1
            return 0
          }, context)
      }
      batch.handOver()
      return status == HS_SUCCESS
    }
  }

  /// A match's id, from a word `scan(_:scratch:batches:)` hands over.
  @inlinable public static func id(_ hit: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hit >> 32) }
  /// The offset just past a match, from a word `scan(_:scratch:batches:)` hands over.
  @inlinable public static func end(_ hit: UInt64) -> Int { Int(truncatingIfNeeded: hit & 0xFFFF_FFFF) }

  private struct Batch {
    let hits: UnsafeMutablePointer<UInt64>
    var count: Int
    let hand: (UnsafeBufferPointer<UInt64>) -> Void

    mutating func handOver() {
      guard count > 0 else { return }
      hand(UnsafeBufferPointer(start: hits, count: count))
      count = 0
    }
  }
}

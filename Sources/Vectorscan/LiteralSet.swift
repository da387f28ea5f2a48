import CVectorscan

/// A set of literals, each with an id, found in one pass over a buffer by Vectorscan's
/// literal matcher (SIMD: many bytes per instruction where a byte-at-a-time automaton
/// takes one).
///
/// `Sendable`: the compiled database is immutable and Vectorscan allows any number of
/// threads to scan with it at once, each with its own `Scratch`.
public final class LiteralSet: @unchecked Sendable {
  private let database: OpaquePointer

  /// - Parameters:
  ///   - literals: each literal's bytes (empty ones are left out), the id reported when
  ///     it occurs (ids may repeat), and whether only its first occurrence is reported.
  ///   - caseless: match ASCII letters case-insensitively.
  /// - Returns: nil where Vectorscan cannot run (a CPU without the instructions it
  ///   needs) or cannot compile the set; the caller then uses its own matcher.
  public init?(literals: [(bytes: [UInt8], id: UInt32, firstOnly: Bool)], caseless: Bool) {
    guard hs_valid_platform() == HS_SUCCESS else { return nil }
    let kept = literals.filter { !$0.bytes.isEmpty }
    guard !kept.isEmpty else { return nil }
    // Vectorscan reads each literal through a pointer and a length (NUL bytes allowed):
    // all of them in one buffer.
    var joined: [CChar] = []
    var starts: [Int] = []
    for literal in kept {
      starts.append(joined.count)
      joined += literal.bytes.map { CChar(bitPattern: $0) }
    }
    let flags = kept.map { literal in
      (caseless ? UInt32(HS_FLAG_CASELESS) : 0) | (literal.firstOnly ? UInt32(HS_FLAG_SINGLEMATCH) : 0)
    }
    let ids = kept.map(\.id)
    let lengths = kept.map { $0.bytes.count }
    var database: OpaquePointer?
    var error: UnsafeMutablePointer<hs_compile_error_t>?
    let status = joined.withUnsafeBufferPointer { buffer -> hs_error_t in
      guard let base = buffer.baseAddress else { return HS_INVALID }
      let pointers: [UnsafePointer<CChar>?] = starts.map { base + $0 }
      return hs_compile_lit_multi(
        pointers, flags, ids, lengths, UInt32(kept.count), UInt32(HS_MODE_BLOCK), nil, &database, &error)
    }
    if let error { hs_free_compile_error(error) }
    guard status == HS_SUCCESS, let database else { return nil }
    self.database = database
  }

  deinit { hs_free_database(database) }

  /// Per-thread state a scan needs.
  public final class Scratch {
    fileprivate let pointer: OpaquePointer

    fileprivate init?(for database: OpaquePointer) {
      var scratch: OpaquePointer?
      guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS, let scratch else { return nil }
      pointer = scratch
    }

    deinit { hs_free_scratch(pointer) }
  }

  /// Scratch for one thread; nil only when memory runs out.
  public func makeScratch() -> Scratch? { Scratch(for: database) }

  /// Calls `found` with the id of every literal occurrence (the first only, for a
  /// literal that asked so) and the offset just past it, in order of that offset.
  /// - Returns: false if the scan failed (then `found` may have seen only some).
  @discardableResult
  public func scan(
    _ bytes: UnsafeBufferPointer<UInt8>, scratch: Scratch, _ found: (_ id: UInt32, _ end: Int) -> Void
  ) -> Bool {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
    guard bytes.count <= UInt32.max else { return false }
    return withoutActuallyEscaping(found) { found in
      var callback = found
      return withUnsafeMutablePointer(to: &callback) { context in
        let status = hs_scan(
          database, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), UInt32(bytes.count), 0,
          scratch.pointer,
          { id, _, end, _, context in
            context?.assumingMemoryBound(to: ((UInt32, Int) -> Void).self).pointee(id, Int(end))
            return 0
          }, context)
        return status == HS_SUCCESS
      }
    }
  }
}

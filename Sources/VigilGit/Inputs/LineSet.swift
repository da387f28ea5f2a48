/// The lines of one version of a file, as hashes: a line of the next version that is
/// in the set is not new there.
///
/// The hash is a polynomial over the prime field of 2^61 − 1, evaluated at a point
/// drawn at random for each process, with each line's 7-byte pieces and its length as
/// coefficients: two different lines of n pieces collide with probability at most
/// (n + 1) / (2^61 − 1) whoever chose them, so a repository cannot craft a line that
/// passes a secret off as one already there. (SipHash, Swift's `Hasher`, would be as
/// safe and took three times as long: hashing every line of every version is most of
/// a history scan's own work.) Open addressing over a flat array: a set costs 16 bytes
/// or less per line.
package struct LineSet {
  private var slots: [UInt64]  // 0: empty
  private var count = 0

  package init(expectedLines: Int = 0) {
    var capacity = 16
    while capacity < expectedLines * 2 { capacity <<= 1 }
    slots = Array(repeating: 0, count: capacity)
  }

  private static let prime: UInt64 = (1 << 61) - 1
  private static let point = UInt64.random(in: 2..<prime)

  /// `a · b mod 2^61 − 1` for `a`, `b` below the prime.
  @inline(__always) private static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    var sum = (low & prime) + ((low >> 61) | (high << 3))
    sum = (sum & prime) + (sum >> 61)
    return sum >= prime ? sum - prime : sum
  }

  /// Never 0 (the empty slot).
  package static func hash(_ line: UnsafeRawBufferPointer) -> UInt64 {
    let point = Self.point
    var value: UInt64 = 0
    var offset = 0
    let count = line.count
    while offset + 8 <= count {
      let piece = line.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF
      value = multiply(value + piece, point)
      offset += 7
    }
    if offset < count {
      var piece: UInt64 = 0
      for index in offset..<count { piece |= UInt64(line[index]) << (8 * UInt64(index - offset)) }
      value = multiply(value + piece, point)
    }
    value = multiply(value + UInt64(count), point)
    return value == 0 ? prime : value
  }

  package func contains(_ hash: UInt64) -> Bool {
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[index]
      if slot == hash { return true }
      if slot == 0 { return false }
      index = (index + 1) & mask
    }
  }

  package mutating func insert(_ hash: UInt64) {
    if (count + 1) * 2 > slots.count { grow() }
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[index]
      if slot == hash { return }
      if slot == 0 {
        slots[index] = hash
        count += 1
        return
      }
      index = (index + 1) & mask
    }
  }

  private mutating func grow() {
    let old = slots
    slots = Array(repeating: 0, count: old.count * 2)
    count = 0
    for hash in old where hash != 0 { insert(hash) }
  }
}

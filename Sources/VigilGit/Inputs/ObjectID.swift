/// A git object id as its bytes (SHA-1's 20 or SHA-256's 32), cheaper to keep and hash
/// by the hundred thousand than its hexadecimal text.
package struct ObjectID: Hashable, Sendable, CustomStringConvertible {
  private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var digits: UInt8 = 0

  /// `nil` unless `hex` is 40 or 64 hexadecimal digits.
  package init?(hex: ArraySlice<UInt8>) {
    guard let id = hex.withUnsafeBufferPointer({ Self(hexDigits: $0) }) else { return nil }
    self = id
  }

  package init?(hex: [UInt8]) {
    guard let id = hex.withUnsafeBufferPointer({ Self(hexDigits: $0) }) else { return nil }
    self = id
  }

  private init?(hexDigits hex: UnsafeBufferPointer<UInt8>) {
    guard hex.count == 40 || hex.count == 64 else { return nil }
    var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for position in 0..<hex.count {
      let digit = hex[position]
      let value: UInt8
      switch digit {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): value = digit - UInt8(ascii: "A") + 10
      default: return nil
      }
      let bits = UInt64(value) << (60 - 4 * UInt64(position % 16))
      switch position / 16 {
      case 0: values.0 |= bits
      case 1: values.1 |= bits
      case 2: values.2 |= bits
      default: values.3 |= bits
      }
    }
    words = values
    digits = UInt8(hex.count)
  }

  /// All zeros, of SHA-1's length.
  package static let zero = ObjectID(zeroDigits: 40)

  private init(zeroDigits: UInt8) { digits = zeroDigits }

  /// The id as bytes (20 or 32), and back.
  package var bytes: [UInt8] {
    let values = [words.0, words.1, words.2, words.3]
    return (0..<Int(digits) / 2).map {
      UInt8(truncatingIfNeeded: values[$0 / 8] >> (56 - 8 * UInt64($0 % 8)))
    }
  }

  package init?(bytes: ArraySlice<UInt8>) {
    guard bytes.count == 20 || bytes.count == 32 else { return nil }
    var values: [UInt64] = [0, 0, 0, 0]
    for (position, byte) in bytes.enumerated() {
      values[position / 8] |= UInt64(byte) << (56 - 8 * UInt64(position % 8))
    }
    words = (values[0], values[1], values[2], values[3])
    digits = UInt8(bytes.count * 2)
  }

  /// All zeros: git's name for "no object" (the old side of an added file).
  package var isNull: Bool { words == (0, 0, 0, 0) }

  package var description: String {
    let values = [words.0, words.1, words.2, words.3]
    let hex = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(Int(digits))
    for position in 0..<Int(digits) {
      text.append(hex[Int((values[position / 16] >> (60 - 4 * UInt64(position % 16))) & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  package static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
    lhs.words == rhs.words && lhs.digits == rhs.digits
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }
}

/// Base64 decoding, the standard or URL-safe alphabet, padding optional: the one decoder
/// of the token validators and of the search for encoded text.
enum Base64 {
  /// The decoded bytes; nil for a byte outside the alphabet, an impossible length, or
  /// a decoded byte `accept` refuses (decoding stops there).
  static func decode(
    _ text: some BidirectionalCollection<UInt8>, urlSafe: Bool, accept: (UInt8) -> Bool = { _ in true }
  ) -> [UInt8]? {
    var body = text[...]
    while body.last == UInt8(ascii: "=") { body = body.dropLast() }
    guard body.count % 4 != 1 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(body.count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for byte in body {
      guard let value = sextet(byte, urlSafe: urlSafe) else { return nil }
      buffer = buffer << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        let decoded = UInt8(truncatingIfNeeded: buffer >> UInt32(bits))
        guard accept(decoded) else { return nil }
        output.append(decoded)
      }
    }
    return output
  }

  private static func sextet(_ byte: UInt8, urlSafe: Bool) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "-") where urlSafe, UInt8(ascii: "+") where !urlSafe: 62
    case UInt8(ascii: "_") where urlSafe, UInt8(ascii: "/") where !urlSafe: 63
    default: nil
    }
  }
}

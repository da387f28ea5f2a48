import Foundation

/// Shannon entropy in bits per byte: how random a candidate secret looks.
///
/// Computed over bytes, so it ranges from 0 to 8; for the ASCII secrets rules look for
/// this is the same as gitleaks' per-character figure.
public enum Entropy {
  public static func shannon<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
    guard !bytes.isEmpty else { return 0 }
    var counts = [Int](repeating: 0, count: 256)
    for byte in bytes { counts[Int(byte)] += 1 }
    let total = Double(bytes.count)
    var entropy = 0.0
    for count in counts where count > 0 {
      let probability = Double(count) / total
      entropy -= probability * log2(probability)
    }
    return entropy
  }

  /// Whether every byte is a hexadecimal digit and at least one is a letter (`a`–`f`,
  /// either case): a value that can hold at most 4 bits a character, and is not a
  /// number.
  public static func isHexadecimal<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
    var letter = false
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): continue
      case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): letter = true
      default: return false
      }
    }
    return letter
  }
}

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

  /// Whether `bytes` is a made-up value that Shannon entropy cannot see, because it
  /// counts letters, not their order: one unit repeated three times or more
  /// (`A1B2C3A1B2C3A1B2C3`); letters and digits counting up or down in runs that make
  /// up two thirds of a value of 16 bytes or more (`API-abcdefghijklmnop1234`,
  /// `test_1234567890abcdefg`); or letters that count (and digits, if more than two)
  /// interleaved (`a1B2c3D4e5F6`, `1a2b3c4d-5e6f-7g8h`). A random value does either
  /// by chance about once in four thousand times for 8 hexadecimal digits, less than once
  /// in a hundred thousand for 10 characters or more of base 36 or 62; a person's password
  /// (`Summer2024!`, `Admin12345`, `Abcdefg1`) does neither, nor a demo value with a word
  /// in it (`demokey123456789`).
  public static func isMadeUp<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
    let value = Array(bytes)
    return isRepeated(value) || countingRunsCoverTwoThirds(value) || countsInterleaved(value)
  }

  /// The smallest period (from the prefix function) fits three times or more.
  private static func isRepeated(_ value: [UInt8]) -> Bool {
    guard value.count >= 12 else { return false }
    var border = [Int](repeating: 0, count: value.count)
    for index in 1..<value.count {
      var length = border[index - 1]
      while length > 0 && value[index] != value[length] { length = border[length - 1] }
      if value[index] == value[length] { length += 1 }
      border[index] = length
    }
    return (value.count - border[value.count - 1]) * 3 <= value.count
  }

  /// +1 or -1 from `previous` to `next`: digits (9 to 0 wraps) or letters of either case.
  private static func step(_ previous: UInt8, _ next: UInt8) -> Int {
    switch (kind(previous), kind(next)) {
    case (1, 1):
      switch (Int(next) - Int(previous) + 10) % 10 {
      case 1: 1
      case 9: -1
      default: 0
      }
    case (2, 2):
      switch Int(next | 0x20) - Int(previous | 0x20) {
      case 1: 1
      case -1: -1
      default: 0
      }
    default: 0
    }
  }

  /// 1 for a digit, 2 for an ASCII letter, 0 otherwise.
  private static func kind(_ byte: UInt8) -> Int {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): 1
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): 2
    default: 0
    }
  }

  private static func countingRunsCoverTwoThirds(_ value: [UInt8]) -> Bool {
    guard value.count >= 16 else { return false }
    let alphanumerics = value.count { kind($0) != 0 }
    var covered = 0
    var start = 0
    while start < value.count {
      var end = start
      var direction = 0
      while end + 1 < value.count {
        let next = step(value[end], value[end + 1])
        if next == 0 || (direction != 0 && next != direction) { break }
        direction = next
        end += 1
      }
      if end - start + 1 >= 3 { covered += end - start + 1 }
      start = end > start ? end + 1 : start + 1
    }
    return covered * 3 >= alphanumerics * 2
  }

  private static func countsInterleaved(_ value: [UInt8]) -> Bool {
    // Interleaved: letters and digits take turns four times or more (`Abcdefg1` and
    // `abcdef123456` are a person's weak passwords, and reported).
    let kinds = value.map(kind).filter { $0 != 0 }
    guard zip(kinds, kinds.dropFirst()).count(where: { $0 != $1 }) >= 4 else { return false }
    let letters = value.filter { kind($0) == 2 }
    let digits = value.filter { kind($0) == 1 }
    func counts(_ sequence: [UInt8]) -> Bool {
      let steps = zip(sequence, sequence.dropFirst()).count { step($0, $1) != 0 }
      return steps * 5 >= (sequence.count - 1) * 4
    }
    return letters.count >= 6 && counts(letters) && (digits.count < 3 || counts(digits))
  }
}

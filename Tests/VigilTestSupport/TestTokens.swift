import VigilKit

/// Credentials for tests, made at test time from a seeded generator so that no token
/// sits in the repository (vigil scans its own tree clean) and every run gets the same
/// ones (golden files stay stable).
public struct TestTokens {
  private var state: UInt64

  public init(seed: UInt64 = 0x5EED_1234) { state = seed }

  /// SplitMix64: tiny, deterministic, good enough for test data.
  private mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  public mutating func string(_ count: Int, from alphabet: String) -> String {
    let characters = Array(alphabet)
    return String((0..<count).map { _ in characters[Int(next() % UInt64(characters.count))] })
  }

  public static let upperBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
  public static let alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  public static let base64 = alphanumeric + "+/"

  public mutating func awsAccessKeyID() -> String { "AK" + "IA" + string(16, from: Self.upperBase32) }
  public mutating func awsSecretKey() -> String { string(40, from: Self.base64) }
  /// A classic GitHub token whose checksum is right, so the detector takes it for real.
  public mutating func githubToken() -> String {
    let body = string(30, from: Self.alphanumeric)
    let checksum = String(decoding: SecretValidator.crc32Base62Checksum(Array(body.utf8)), as: UTF8.self)
    return "gh" + "p_" + body + checksum
  }
}

extension TestTokens {
  /// An AWS access key id from this generator's seed, for one-off use.
  public func awsKeyIDFromSeed() -> String {
    var copy = self
    return copy.awsAccessKeyID()
  }
}

import CLibcrypto

/// SHA-256 from the system's OpenSSL (libcrypto): the one place vigil hashes.
///
/// Not swift-crypto: on Linux it compiles its own copy of BoringSSL, several hundred C
/// files, in every build configuration (the tests, the release build, the fuzz build
/// with AddressSanitizer), for the one function vigil needs.
public enum SHA256 {
  public static let byteCount = 32

  /// The digest of `bytes`.
  public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: byteCount)
    let data = Array(bytes)
    let succeeded = data.withUnsafeBytes { input in
      digest.withUnsafeMutableBufferPointer { output in
        var length: UInt32 = 0
        return EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil) == 1
          && length == UInt32(byteCount)
      }
    }
    // EVP_Digest fails only when memory runs out; a wrong hash would be worse than stopping.
    precondition(succeeded, "SHA-256 failed in libcrypto")
    return digest
  }

  /// The digest as 64 lowercase hexadecimal digits.
  public static func hex(_ bytes: some Collection<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(byteCount * 2)
    for byte in hash(bytes) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

import Digest
import Foundation
import VigilModel

extension SecretValidator {
  /// Whether `secret` has the structure its issuer builds in.
  public func isValid(_ secret: some Collection<UInt8>) -> Bool {
    switch self {
    case .crc32Base62: Self.hasValidCRC32Base62(Array(secret))
    case .crc32HexLE: Self.hasValidCRC32HexLE(Array(secret))
    case .gitlabRoutable: Self.isGitLabRoutable(Array(secret))
    case .bech32: Self.isBech32(Array(secret))
    case .jwt: Self.isSignedJWT(Array(secret))
    case .basicAuth: Self.isBasicCredential(Array(secret))
    case .jenkinsSecret: Self.isJenkinsSecret(Array(secret))
    case .nkey: Self.isNKey(Array(secret))
    case .base58Check: Self.isBase58Check(Array(secret))
    case .derPrivateKey: Self.isDERPrivateKey(Array(secret))
    case .opensshPrivateKey: Self.isOpenSSHPrivateKey(Array(secret))
    case .pkcs12: Self.isPKCS12(Array(secret))
    case .generated: Self.looksGenerated(Array(secret))
    }
  }

  private static func looksGenerated(_ value: [UInt8]) -> Bool {
    if let slash = value.lastIndex(of: UInt8(ascii: "/")), let dot = value.lastIndex(of: UInt8(ascii: ".")),
      dot > slash, value.count - dot <= 6
    {
      return false  // a path ending in a file name
    }
    let unpadded = value.prefix { $0 != UInt8(ascii: "=") }
    let urlSafe = value.contains(UInt8(ascii: "-")) || value.contains(UInt8(ascii: "_"))
    guard unpadded.count >= 12, let decoded = Base64.decode(unpadded, urlSafe: urlSafe) else { return true }
    return decoded.contains { ($0 < 0x20 || $0 >= 0x7F) && $0 != 0x0A && $0 != 0x09 }
  }

  private static func isSignedJWT(_ token: [UInt8]) -> Bool {
    let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[2].isEmpty,
      let header = Base64.decode(parts[0], urlSafe: true).flatMap(jsonObject),
      let algorithm = header["alg"] as? String, algorithm.lowercased() != "none",
      let payload = Base64.decode(parts[1], urlSafe: true).flatMap(jsonObject), !payload.isEmpty,
      Base64.decode(parts[2], urlSafe: true) != nil
    else { return false }
    return true
  }

  private static func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
    // Bounded: a token's parts are short; a megabyte of "JSON" is not a header.
    guard bytes.count <= 64 * 1024 else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
  }

  private static func isJenkinsSecret(_ encoded: [UInt8]) -> Bool {
    guard let payload = Base64.decode(encoded[...], urlSafe: false), payload.count >= 9 + 16 + 16,
      payload[0] == 1
    else { return false }
    func length(at offset: Int) -> Int { payload[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    let ciphertext = length(at: 5)
    return length(at: 1) == 16 && ciphertext > 0 && ciphertext % 16 == 0
      && payload.count == 9 + 16 + ciphertext
  }

  private static func isBasicCredential(_ encoded: [UInt8]) -> Bool {
    guard let decoded = Base64.decode(encoded[...], urlSafe: false),
      let colon = decoded.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < decoded.count
    else { return false }
    return decoded.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  /// A key's base64 as a value wraps it: line breaks and indentation, JSON's `\n`
  /// escapes, or strings joined in code (`"MIIE…" +` a line break `"…"`), whose quotes
  /// and operators are no part of it. The value starts inside its string, if any.
  private static func wrappedBase64(_ text: [UInt8]) -> [UInt8]? {
    var body: [UInt8] = []
    body.reserveCapacity(text.count)
    var index = 0
    var inString = true
    while index < text.count {
      let byte = text[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "'"): inString.toggle()
      case UInt8(ascii: "\\"): index += 1
      case 0x20, 0x09, 0x0A, 0x0D: continue
      default: if inString { body.append(byte) }
      }
    }
    return Base64.decode(body, urlSafe: false)
  }

  private static func isOpenSSHPrivateKey(_ text: [UInt8]) -> Bool {
    guard let key = wrappedBase64(text), key.starts(with: Array("openssh-key-v1\u{0}".utf8)) else {
      return false
    }
    var offset = 15
    func integer() -> Int? {
      guard offset + 4 <= key.count else { return nil }
      defer { offset += 4 }
      return key[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    func string() -> Int? {
      guard let length = integer(), offset + length <= key.count else { return nil }
      offset += length
      return length
    }
    // cipher, KDF, KDF options; one key or a few; its public part, then the private.
    guard string() != nil, string() != nil, string() != nil, let keys = integer(), (1...16).contains(keys),
      (0..<keys).allSatisfy({ _ in string() != nil }), let secret = string()
    else { return false }
    return secret >= 8
  }

  /// The DER element whose tag is at `offset`: where its content starts and how long it
  /// says it is (which the bytes may not hold); BER's indefinite length, where allowed,
  /// is `nil`.
  private static func derElement(
    _ der: [UInt8], at offset: Int, tag: UInt8, indefinite: Bool = false
  ) -> (content: Int, length: Int?)? {
    guard offset >= 0, offset + 2 <= der.count, der[offset] == tag else { return nil }
    let first = Int(der[offset + 1])
    if first < 0x80 { return (offset + 2, first) }
    if first == 0x80 { return indefinite ? (offset + 2, nil) : nil }
    let count = first - 0x80
    guard (1...3).contains(count), offset + 2 + count <= der.count else { return nil }
    let length = der[(offset + 2)..<(offset + 2 + count)].reduce(0) { $0 << 8 | Int($1) }
    return (offset + 2 + count, length)
  }

  private static func isDERPrivateKey(_ text: [UInt8]) -> Bool {
    guard let der = wrappedBase64(text) else { return false }
    func element(at offset: Int, tag: UInt8) -> (content: Int, length: Int)? {
      derElement(der, at: offset, tag: tag).flatMap { element in element.length.map { (element.content, $0) }
      }
    }
    guard let key = element(at: 0, tag: 0x30), key.content + key.length <= der.count,
      let version = element(at: key.content, tag: 0x02), version.length == 1, version.content < der.count
    else { return false }
    let next = version.content + 1
    switch der[version.content] {
    case 0:
      if let modulus = element(at: next, tag: 0x02) { return modulus.length >= 64 }
      guard let algorithm = element(at: next, tag: 0x30) else { return false }
      return element(at: algorithm.content + algorithm.length, tag: 0x04) != nil
    case 1:
      if let secret = element(at: next, tag: 0x04) { return (20...72).contains(secret.length) }
      guard let algorithm = element(at: next, tag: 0x30) else { return false }
      return element(at: algorithm.content + algorithm.length, tag: 0x04) != nil
    default:
      return false
    }
  }

  /// PKCS #12: a SEQUENCE, whole, of version 3 and the authenticated safe, a PKCS #7
  /// ContentInfo of data or signed data. Java's keytool and older Bouncy Castle write
  /// BER's indefinite lengths; such a store is whole when it ends in end-of-contents.
  private static func isPKCS12(_ text: [UInt8]) -> Bool {
    guard let der = wrappedBase64(text), let store = derElement(der, at: 0, tag: 0x30, indefinite: true),
      store.length.map({ store.content + $0 <= der.count }) ?? (der.suffix(2) == [0, 0]),
      let version = derElement(der, at: store.content, tag: 0x02), version.length == 1,
      version.content < der.count, der[version.content] == 3,
      let content = derElement(der, at: version.content + 1, tag: 0x30, indefinite: true)
    else { return false }
    let pkcs7: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07]
    let type = content.content + pkcs7.count
    return type < der.count && der[content.content..<type].elementsEqual(pkcs7) && (1...2).contains(der[type])
  }

  private static func isBase58Check(_ text: [UInt8]) -> Bool {
    guard let bytes = base58Decoded(text), bytes.count > 4 else { return false }
    let payload = bytes.dropLast(4)
    return Array(SHA256.hash(SHA256.hash(payload)).prefix(4)) == Array(bytes.suffix(4))
  }

  /// Bitcoin's base58 (no `0`, `O`, `I`, `l`), each leading `1` a zero byte; `nil` for any
  /// other byte. Quadratic in the length: for keys of a hundred-odd characters.
  static func base58Decoded(_ text: [UInt8]) -> [UInt8]? {
    guard text.count <= 256 else { return nil }
    let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    var number: [UInt8] = []  // big-endian
    for character in text {
      guard let digit = alphabet.firstIndex(of: character) else { return nil }
      var carry = digit
      for index in number.indices.reversed() {
        carry += Int(number[index]) * 58
        number[index] = UInt8(carry & 0xFF)
        carry >>= 8
      }
      while carry > 0 {
        number.insert(UInt8(carry & 0xFF), at: 0)
        carry >>= 8
      }
    }
    let zeros = text.prefix { $0 == UInt8(ascii: "1") }.count
    return [UInt8](repeating: 0, count: zeros) + number
  }

  private static func isNKey(_ text: [UInt8]) -> Bool {
    guard let raw = base32Decoded(text), raw.count > 2 else { return false }
    let body = raw.dropLast(2)
    return UInt16(raw[raw.count - 2]) | UInt16(raw[raw.count - 1]) << 8 == crc16XMODEM(body)
  }

  /// RFC 4648 base32 without padding, upper case; `nil` for any other byte or for bits
  /// left over that are not zero.
  static func base32Decoded(_ text: [UInt8]) -> [UInt8]? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count * 5 / 8)
    var buffer: UInt32 = 0
    var bits = 0
    for character in text {
      let value: UInt8
      switch character {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
      case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
      default: return nil
      }
      buffer = buffer << 5 | UInt32(value)
      bits += 5
      if bits >= 8 {
        bits -= 8
        bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
        buffer &= (1 << UInt32(bits)) - 1
      }
    }
    return buffer == 0 ? bytes : nil
  }

  /// CRC-16/XMODEM (polynomial 0x1021, initial value 0), as NATS checks its nkeys.
  static func crc16XMODEM(_ bytes: some Collection<UInt8>) -> UInt16 {
    var crc: UInt16 = 0
    for byte in bytes {
      crc ^= UInt16(byte) << 8
      for _ in 0..<8 { crc = crc & 0x8000 != 0 ? crc << 1 ^ 0x1021 : crc << 1 }
    }
    return crc
  }

  /// A NATS seed of the given kind (`U` user, `A` account, `O` operator) with a valid
  /// checksum, its 32 bytes drawn at random now: a test value that names no account.
  public static func testNKeySeed(kind: Character) -> String {
    let prefixes: [Character: UInt8] = [
      "U": 20 << 3, "A": 0, "O": 14 << 3, "N": 13 << 3, "C": 2 << 3, "X": 23 << 3,
    ]
    let prefix = prefixes[kind] ?? 20 << 3
    var generator = SystemRandomNumberGenerator()
    var raw: [UInt8] = [18 << 3 | prefix >> 5, (prefix & 31) << 3]
    raw += (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let crc = crc16XMODEM(raw)
    raw += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    var text: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for byte in raw {
      buffer = buffer << 8 | UInt32(byte)
      bits += 8
      while bits >= 5 {
        bits -= 5
        text.append(alphabet[Int(buffer >> UInt32(bits) & 31)])
      }
      buffer &= (1 << UInt32(bits)) - 1
    }
    if bits > 0 { text.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)]) }
    return String(decoding: text, as: UTF8.self)
  }

  private static func hasValidCRC32Base62(_ token: [UInt8]) -> Bool {
    guard token.count == 40, token[3] == UInt8(ascii: "_") else { return false }
    return Array(token[34..<40]) == crc32Base62Checksum(token[4..<34])
  }

  private static func hasValidCRC32HexLE(_ token: [UInt8]) -> Bool {
    guard let separator = token.lastIndex(of: UInt8(ascii: "_")), token.count - separator == 9 else {
      return false
    }
    return token[(separator + 1)...].map(lowercased) == crc32HexLE(token[..<separator])
  }

  /// The 8 lowercase hex digits Grafana appends to a service account token: the CRC-32
  /// of `body`, least significant byte first.
  public static func crc32HexLE(_ body: some Collection<UInt8>) -> [UInt8] {
    let value = CRC32.checksum(body)
    return (0..<4).flatMap { byte in
      let octet = Int((value >> (8 * UInt32(byte))) & 0xFF)
      return [hexDigits[octet >> 4], hexDigits[octet & 0xF]]
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// A GitLab routable token: the checksum over all but its last 7 characters, the
  /// length its third part gives the base64 part, and that part decoding to 16 random
  /// bytes, a payload and the payload's length.
  private static func isGitLabRoutable(_ token: [UInt8]) -> Bool {
    let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 3, parts[1].count == 2, parts[2].count == 9,
      let length = base36(parts[2].prefix(2)), length > 0, length <= parts[0].count,
      Array(token.suffix(7)) == crc32Base36(token.prefix(token.count - 7)),
      let decoded = Base64.decode(parts[0].suffix(length), urlSafe: true),
      decoded.count > 17, let last = decoded.last, Int(last) == decoded.count - 17
    else { return false }
    return true
  }

  /// The value of lower-case base-36 digits, or `nil` for any other byte.
  private static func base36(_ digits: some Collection<UInt8>) -> Int? {
    var value = 0
    for byte in digits {
      guard let digit = base36Digits.firstIndex(of: byte) else { return nil }
      value = value * 36 + digit
    }
    return value
  }

  private static let base36Digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

  /// A GitLab routable token with a valid checksum, its random bytes drawn now and a
  /// made-up routing payload: a test value that names no account.
  /// - Parameter prefix: the token type's prefix, `glpat-` or another.
  public static func testGitLabRoutableToken(prefix: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let random = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    func number() -> String { String(Int.random(in: 36...46655), radix: 36) }
    let payload = Array("o:\(number())\nu:\(number())".utf8)
    let encoded = Data(random + payload + [UInt8(payload.count)]).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    let length = String(encoded.count, radix: 36)
    let body = prefix + encoded + ".01." + String(repeating: "0", count: max(0, 2 - length.count)) + length
    return body + String(decoding: crc32Base36(Array(body.utf8)), as: UTF8.self)
  }

  /// The 7 lower-case base-36 digits GitLab appends to a routable token: the CRC-32 of
  /// `body`, padded with zeros.
  private static func crc32Base36(_ body: some Collection<UInt8>) -> [UInt8] {
    crc32Digits(body, alphabet: base36Digits, width: 7)
  }

  /// The CRC-32 of `body` in the base of `alphabet`, padded with its zero to `width`.
  private static func crc32Digits(_ body: some Collection<UInt8>, alphabet: [UInt8], width: Int) -> [UInt8] {
    var value = Int(CRC32.checksum(body))
    var digits = [UInt8](repeating: alphabet[0], count: width)
    var position = width - 1
    while value > 0 && position >= 0 {
      digits[position] = alphabet[value % alphabet.count]
      value /= alphabet.count
      position -= 1
    }
    return digits
  }

  /// A Grafana service account token with a valid checksum, its 32 characters drawn at
  /// random now: a test value that names no account (see `testToken(prefix:)`).
  public static func testGrafanaToken() -> String {
    var generator = SystemRandomNumberGenerator()
    let body = Array("glsa_".utf8) + (0..<32).map { _ in base62[Int(generator.next(upperBound: UInt64(62)))] }
    return String(decoding: body + [UInt8(ascii: "_")] + crc32HexLE(body), as: UTF8.self)
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  /// Whether `text` is Bech32 or Bech32m with a valid checksum (BIP-173, BIP-350).
  private static func isBech32(_ text: [UInt8]) -> Bool {
    let lower = text.map(lowercased)
    guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator > 0,
      lower.count - separator - 1 >= 6, lower.allSatisfy({ $0 >= 33 && $0 <= 126 })
    else { return false }
    var values: [UInt8] = lower[..<separator].map { $0 >> 5 } + [0] + lower[..<separator].map { $0 & 31 }
    for byte in lower[(separator + 1)...] {
      guard let value = bech32Alphabet.firstIndex(of: byte) else { return false }
      values.append(UInt8(value))
    }
    let residue = bech32Polymod(values)
    return residue == 1 || residue == 0x2BC8_30A3
  }

  private static let bech32Alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

  /// BIP-173's checksum polynomial over 5-bit values.
  static func bech32Polymod(_ values: [UInt8]) -> UInt32 {
    let generator: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
    var check: UInt32 = 1
    for value in values {
      let top = check >> 25
      check = (check & 0x1FF_FFFF) << 5 ^ UInt32(value)
      for bit in 0..<5 where (top >> UInt32(bit)) & 1 == 1 { check ^= generator[bit] }
    }
    return check
  }

  /// The 6-character base62 CRC32 a GitHub- or npm-style token ends with, for `body`
  /// (its 30 random characters). Public so that tests can make well-formed fake tokens.
  public static func crc32Base62Checksum(_ body: some Collection<UInt8>) -> [UInt8] {
    crc32Digits(body, alphabet: base62, width: 6)
  }

  private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

  /// A token of the crc32-base62 format with a valid checksum, its 30 characters drawn
  /// at random now: a test value that names no account, for someone checking that vigil
  /// reports such a token (a made-up one fails the checksum and is rightly ignored).
  /// - Parameter prefix: the 4-character prefix, `ghp_` or `npm_`.
  public static func testToken(prefix: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let body = (0..<30).map { _ in base62[Int(generator.next(upperBound: UInt64(base62.count)))] }
    return prefix + String(decoding: body + crc32Base62Checksum(body), as: UTF8.self)
  }
}

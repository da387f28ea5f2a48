import Testing
import VigilModel

@testable import VigilDetect

/// The structural checks a candidate must pass: tokens built here by encoding JSON,
/// so each case says what it holds.
@Suite struct SecretValidatorTests {
  private func base64URL(_ text: String) -> String {
    Base64Encoding.encode(Array(text.utf8), urlSafe: true)
  }

  private func token(
    _ header: String, _ payload: String, signature: String = "c2lnbmF0dXJlLWJ5dGVzLTEyMzQ1Ng"
  ) -> [UInt8] {
    Array((base64URL(header) + "." + base64URL(payload) + "." + signature).utf8)
  }

  @Test func aSignedJWTWithClaimsIsValid() {
    #expect(
      SecretValidator.jwt.isValid(
        token(#"{"alg":"HS256","typ":"JWT"}"#, #"{"sub":"svc-7","exp":1798761600}"#)))
    #expect(SecretValidator.jwt.isValid(token(#"{"alg":"RS256"}"#, #"{"a":1}"#)))
  }

  @Test func unsignedEmptyOrMalformedTokensAreNot() {
    // alg none, or no signature at all
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"none"}"#, #"{"sub":"x"}"#)))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"NONE"}"#, #"{"sub":"x"}"#)))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"HS256"}"#, #"{"sub":"x"}"#, signature: "")))
    // no alg, no claims, a header or payload that is not a JSON object
    #expect(!SecretValidator.jwt.isValid(token(#"{"typ":"JWT"}"#, #"{"sub":"x"}"#)))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"HS256"}"#, "{}")))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"HS256""#, #"{"sub":"x"}"#)))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"HS256"}"#, "[1,2]")))
    // four parts, a signature outside base64url
    #expect(
      !SecretValidator.jwt.isValid(
        Array((String(decoding: token(#"{"alg":"HS256"}"#, #"{"a":1}"#), as: UTF8.self) + ".x").utf8)))
    #expect(!SecretValidator.jwt.isValid(token(#"{"alg":"HS256"}"#, #"{"a":1}"#, signature: "not+url/safe")))
  }

  @Test func basicCredentialsDecodeToUserColonPassword() {
    func basic(_ text: String) -> [UInt8] {
      Array(Base64Encoding.encode(Array(text.utf8), urlSafe: false).utf8)
    }
    #expect(SecretValidator.basicAuth.isValid(basic("deploy:Wq8t#Lr2vZ9m")))
    #expect(!SecretValidator.basicAuth.isValid(basic("no colon at all")))
    #expect(!SecretValidator.basicAuth.isValid(basic("user:")))
    #expect(!SecretValidator.basicAuth.isValid(basic(":password")))
    #expect(!SecretValidator.basicAuth.isValid(basic("user:\u{1}\u{2}binary")))
    #expect(!SecretValidator.basicAuth.isValid(Array("!!notbase64!!".utf8)))
  }

  /// Payloads laid out as Jenkins' `Secret.getEncryptedValue` writes them, built here.
  @Test func jenkinsSecretsHoldAVersionAnIVAndWholeAESBlocks() {
    func secret(version: UInt8 = 1, iv: Int = 16, stated: Int? = nil, ciphertext: Int) -> [UInt8] {
      func bigEndian(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
      }
      let payload =
        [version] + bigEndian(iv) + bigEndian(stated ?? ciphertext)
        + (0..<(iv + ciphertext)).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }
      return Array(Base64Encoding.encode(payload, urlSafe: false).utf8)
    }
    #expect(SecretValidator.jenkinsSecret.isValid(secret(ciphertext: 16)))
    #expect(SecretValidator.jenkinsSecret.isValid(secret(ciphertext: 64)))
    #expect(!SecretValidator.jenkinsSecret.isValid(secret(version: 2, ciphertext: 16)))
    #expect(!SecretValidator.jenkinsSecret.isValid(secret(iv: 12, ciphertext: 16)))
    #expect(!SecretValidator.jenkinsSecret.isValid(secret(ciphertext: 20)))
    #expect(!SecretValidator.jenkinsSecret.isValid(secret(stated: 48, ciphertext: 32)))
    #expect(!SecretValidator.jenkinsSecret.isValid(secret(ciphertext: 0)))
    #expect(!SecretValidator.jenkinsSecret.isValid(Array("AQAAABAAAA not base64".utf8)))
  }

  @Test func generatedValuesAreNotEncodedTextOrFilePaths() {
    func generated(_ text: String) -> Bool { SecretValidator.generated.isValid(Array(text.utf8)) }
    let randomBytes: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) } + [0x00, 0xFF]
    #expect(generated(Base64Encoding.encode(randomBytes, urlSafe: false)))
    #expect(generated(Base64Encoding.encode(randomBytes, urlSafe: true)))
    #expect(generated("Xq7mP2vLr9wZ4kT8Qn3B"))  // not base64 of anything readable
    #expect(generated("9c2f7b1e4d8a3f6e0b5c7d2a9e1f4b8c"))
    #expect(!generated(Base64Encoding.encode(Array("test-api-key".utf8), urlSafe: false)))
    #expect(!generated(Base64Encoding.encode(Array("my secret value\n".utf8), urlSafe: true)))
    #expect(!generated("16694429/SFH00000/UNTM/202247/Front_Cover.pdf"))
    #expect(generated("ab/cd.efghijklmnop/qrstu"))  // a dot before the last slash: not a file name
  }

  /// Checksummed strings computed outside vigil (Python's zlib, a Bech32 encoder written
  /// apart from vigil's), so the check is held to the issuers' definitions.
  @Test func grafanaTokensCarryTheirCRC32LittleEndian() {
    func valid(_ text: String) -> Bool { SecretValidator.crc32HexLE.isValid(Array(text.utf8)) }
    #expect(valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOe_366ca33f"))  // vigil:allow random, names no account
    #expect(valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOe_366CA33F"))  // vigil:allow the same, upper case
    #expect(!valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOe_3fa36c36"))  // big-endian
    #expect(!valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOf_366ca33f"))  // one character changed
    #expect(!valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOe366ca33f"))  // no separator
    #expect(!valid("glsa_CYVywSQ4HJV1p8DK2KvPywWtCzdclyOe_366ca33"))
  }

  /// Tokens made by a generator written apart from vigil from GitLab's own (Python's zlib
  /// and base64): random bytes, a routing payload `o:…\nu:…`, naming no account.
  @Test func gitLabRoutableTokensCarryTheirLengthAndCRC32InBase36() {
    func valid(_ text: String) -> Bool { SecretValidator.gitlabRoutable.isValid(Array(text.utf8)) }
    #expect(valid("glpat-hF7hEFoh7sZ0CzvmXF9pAW86Mng5CnU6N2tkCw.01.12099qbg6"))  // vigil:allow random
    // one checksum digit changed
    #expect(!valid("glpat-hF7hEFoh7sZ0CzvmXF9pAW86Mng5CnU6N2tkCw.01.12099qbg0"))
    #expect(!valid("glpat-hF7hEFoh7sZ0CzvmXF9pAW86Mng5CnU6N2tkCw.01.130nzbqhs"))  // length 39, checksum right
    // the payload's length byte wrong
    #expect(!valid("glpat-TVTN0B6Q59zyk-EGrhKvjm86Mng5CnU6N2tkDA.01.120ejaibv"))
    #expect(!valid("glpat-hF7hEFoh7sZ0CzvmXF9pAW86Mng5CnU6N2tkCw.01.12099qbg"))
    #expect(!valid("glpat-hF7hEFoh7sZ0CzvmXF9pAW86Mng5CnU6N2tkCw"))  // vigil:allow the random part alone
    for prefix in ["glpat-", "glrt-", "glcbt-"] {
      #expect(valid(SecretValidator.testGitLabRoutableToken(prefix: prefix)))
    }
  }

  /// Seeds made by a generator written apart from vigil from nats-io/nkeys' definition
  /// (Python's base64.b32encode and a CRC-16/XMODEM of its own): random, naming no account;
  /// split so that they are not findings here.
  @Test func natsSeedsCarryTheirCRC16() {
    func valid(_ text: String) -> Bool { SecretValidator.nkey.isValid(Array(text.utf8)) }
    let user = "SU" + "AL3NB4S3S3T57WMP4ESJ7AQJVTCI3XCJ5PPI7754RRHZ5X4D4LFRUF7A"
    let account = "SA" + "AB2UOQAK64WLVAYQNOTCJ7CZPJAVBNSNSLMZ6DXS3WEGNEZMQT5YURTY"
    #expect(valid(user))
    #expect(valid(account))
    // one character changed
    #expect(!valid("SU" + "AL3NB4S3S3T57WMP4EBJ7AQJVTCI3XCJ5PPI7754RRHZ5X4D4LFRUF7A"))
    #expect(!valid(String(user.dropLast())))  // a character short: bits left over
    #expect(!valid(user.lowercased()))
    for kind: Character in ["U", "A", "O"] {
      let seed = SecretValidator.testNKeySeed(kind: kind)
      #expect(seed.count == 58 && seed.hasPrefix("S\(kind)") && valid(seed))
    }
  }

  /// Keys made by a generator written apart from vigil from BIP-32's definition (Python's
  /// hashlib and a base58 encoder of its own): random, naming no wallet; split so that
  /// they are not findings here.
  @Test func base58CheckKeysCarryTheirDoubleSHA256() {
    func valid(_ text: String) -> Bool { SecretValidator.base58Check.isValid(Array(text.utf8)) }
    let xprv =
      "xprv"
      + "9tZAYq4Vuz9coLFaBGjHBVzTHHCo8zSMSkeD7S9wwosFz1mGbpuRkVRVgnJQN5h3K57SsXxTuqhQLmGjgDFP1n31c1rz6ALmnAbhbcQSx8U"
    #expect(valid(xprv))
    #expect(!valid(String(xprv.dropLast()) + "A"))  // one character changed
    #expect(!valid(String(xprv.dropLast())))
    #expect(!valid(xprv.replacingOccurrences(of: "9", with: "0")))  // not base58
    // A leading 1 is a zero byte (an address's version): the checksum covers it.
    #expect(valid("1GPXpdWpBrZNqtJK4VKy6DNmfL3KeGocco"))
    #expect(!valid("GPXpdWpBrZNqtJK4VKy6DNmfL3KeGocco"))
    #expect(!valid(""))
  }

  @Test func bech32ChecksumsHoldInEitherCaseAndBothVariants() {
    func valid(_ text: String) -> Bool { SecretValidator.bech32.isValid(Array(text.utf8)) }
    // Random, naming no key in use; split so that it is not itself a finding here.
    let age = "AGE-SECRET-KEY-1" + "63DTHHVUF8YZ59UVJE0658CRJTZ3GX9ZW03ZGGY43FS5V65QNMDSE64LZF"
    #expect(valid(age))
    #expect(valid(age.lowercased()))
    #expect(valid("vigiltest1f6kxgkkq2ja3rtv95q42vzfkw6"))  // Bech32
    #expect(valid("vigiltest1wn4kr3jhey7rj5fl50csscxcvz"))  // Bech32m
    #expect(!valid(String(age.dropLast()) + "Q"))
    #expect(!valid("vigiltest1f6kxgkkq2ja3rtv95q42vzfkw7"))
    #expect(!valid("vigiltest1f6kxgkbq2ja3rtv95q42vzfkw6"))  // 'b' is outside the alphabet
    #expect(!valid("1qpzry9x8"))  // no human-readable part
    #expect(!valid("vigiltest1qpzry"))  // shorter than a checksum
  }

  /// Base64 as a key file writes it: lines of `width` characters, joined by `wrap` (one
  /// line when nil).
  private func base64(_ bytes: [UInt8], width: Int, wrap: String?) -> String {
    var text = Base64Encoding.encode(bytes, urlSafe: false)
    guard let wrap else { return text }
    var lines: [Substring] = []
    while !text.isEmpty {
      lines.append(text.prefix(width))
      text = String(text.dropFirst(width))
    }
    return lines.joined(separator: wrap)
  }

  /// Keys built here from DER's rules (random bytes where the key material goes): a
  /// whole key of each layout is valid, wrapped or not; public keys, certificates and a
  /// key cut short are not.
  @Test func derPrivateKeysAreWholeKeysOfAKnownLayout() {
    func valid(_ der: [UInt8], wrap: String? = nil) -> Bool {
      SecretValidator.derPrivateKey.isValid(Array(base64(der, width: 64, wrap: wrap).utf8))
    }
    func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
      let count = content.count
      let length: [UInt8] =
        count < 0x80
        ? [UInt8(count)]
        : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
      return [tag] + length + content
    }
    func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
    let ed25519OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]
    let pkcs1 = element(
      0x30,
      element(0x02, [0]) + element(0x02, [0] + random(128)) + element(0x02, [1, 0, 1])
        + element(0x02, random(128)))
    let pkcs8 = element(
      0x30, element(0x02, [0]) + element(0x30, ed25519OID) + element(0x04, element(0x04, random(32))))
    let sec1 = element(0x30, element(0x02, [1]) + element(0x04, random(32)) + element(0xA1, random(66)))
    for key in [pkcs1, pkcs8, sec1] {
      #expect(valid(key))
      #expect(valid(key, wrap: "\n    "))  // wrapped and indented
      #expect(valid(key, wrap: "\\n"))  // JSON's escapes
      #expect(!valid(Array(key.dropLast(3))))  // cut short
    }
    // A public key (no version), a certificate (a SEQUENCE first), a key of an unknown
    // version, and text that is not base64.
    #expect(!valid(element(0x30, element(0x30, ed25519OID) + element(0x03, [0] + random(32)))))
    #expect(!valid(element(0x30, element(0x30, element(0xA0, element(0x02, [2])) + random(200)))))
    #expect(!valid(element(0x30, element(0x02, [2]) + element(0x04, random(32)))))
    #expect(!SecretValidator.derPrivateKey.isValid(Array("MIIEvQIBADAN-not*base64".utf8)))
  }

  /// Key stores laid out here as PKCS #12 has them (random bytes for their contents):
  /// version 3 and a PKCS #7 ContentInfo, whole; a certificate, another version or a
  /// store cut short is not one.
  @Test func pkcs12StoresAreWholeWithVersionThree() {
    func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
      let count = content.count
      let length: [UInt8] = count < 0x80 ? [UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
      return [tag] + length + content
    }
    func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
    func valid(_ der: [UInt8], wrap: String? = nil) -> Bool {
      SecretValidator.pkcs12.isValid(Array(base64(der, width: 76, wrap: wrap).utf8))
    }
    let data: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]
    func store(version: UInt8 = 3) -> [UInt8] {
      element(
        0x30,
        element(0x02, [version]) + element(0x30, data + element(0xA0, element(0x04, random(300))))
          + element(0x30, random(60)))
    }
    #expect(valid(store()))
    #expect(valid(store(), wrap: "\n    "))
    #expect(!valid(Array(store().dropLast(10))))
    #expect(!valid(store(version: 2)))
    // BER, as keytool writes it: indefinite lengths, closed by end-of-contents
    let ber: [UInt8] =
      [0x30, 0x80] + element(0x02, [3]) + [0x30, 0x80] + data + element(0xA0, element(0x04, random(300))) + [
        0, 0,
      ]
      + element(0x30, random(60)) + [0, 0]
    #expect(valid(ber))
    #expect(!valid(Array(ber.dropLast(2))))
    // a certificate: a SEQUENCE where the version would be
    #expect(!valid(element(0x30, element(0x30, element(0xA0, element(0x02, [2])) + random(200)))))
  }

  /// Keys laid out here as OpenSSH writes them (random bytes for the key material): a
  /// whole one is valid, wrapped or not; one cut short or of another magic is not.
  @Test func openSSHKeyBodiesHoldTheSectionsTheyState() {
    func string(_ bytes: [UInt8]) -> [UInt8] {
      let count = bytes.count
      return [
        UInt8(count >> 24 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF),
      ]
        + bytes
    }
    func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
    let publicPart = string(Array("ssh-ed25519".utf8)) + string(random(32))
    let key =
      Array("openssh-key-v1\u{0}".utf8) + string(Array("none".utf8)) + string(Array("none".utf8)) + string([])
      + [0, 0, 0, 1] + string(publicPart) + string(random(8) + publicPart + string(random(64)) + string([]))
    func valid(_ bytes: [UInt8], wrap: String? = nil) -> Bool {
      SecretValidator.opensshPrivateKey.isValid(Array(base64(bytes, width: 70, wrap: wrap).utf8))
    }
    #expect(valid(key))
    #expect(valid(key, wrap: "\n  "))
    #expect(!valid(Array(key.dropLast(20))))
    #expect(!valid(Array("openssh-key-v2\u{0}".utf8) + key.dropFirst(15)))
  }

  @Test func base64DecodesBothAlphabetsWithOrWithoutPadding() {
    for text in ["", "a", "ab", "abc", "abcd", "héllo wörld", "\u{0}\u{FF}binary?>"] {
      let bytes = Array(text.utf8)
      #expect(
        Base64.decode(Base64Encoding.encode(bytes, urlSafe: false)[...].utf8Array, urlSafe: false) == bytes)
      #expect(
        Base64.decode(Base64Encoding.encode(bytes, urlSafe: true)[...].utf8Array, urlSafe: true) == bytes)
    }
    #expect(Base64.decode(Array("abcde".utf8)[...], urlSafe: false) == nil)
  }
}

/// Base64 encoding for building test tokens (the scanner only decodes).
enum Base64Encoding {
  static func encode(_ bytes: [UInt8], urlSafe: Bool) -> String {
    let alphabet = Array(
      ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + (urlSafe ? "-_" : "+/")).utf8)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
      let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
      for position in 0..<(chunk.count + 1) {
        output.append(alphabet[Int(value >> (18 - 6 * position) & 63)])
      }
      if !urlSafe { output += Array(repeating: UInt8(ascii: "="), count: 3 - chunk.count) }
      index += 3
    }
    return String(decoding: output, as: UTF8.self)
  }
}

extension Substring {
  fileprivate var utf8Array: ArraySlice<UInt8> { Array(self.utf8)[...] }
}

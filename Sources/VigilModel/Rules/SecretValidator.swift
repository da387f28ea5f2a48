/// Checks a candidate secret against the structure its issuer builds in, where there is
/// one: a candidate that fails is not a real token (a typo, a fake, a test string).
public enum SecretValidator: String, CaseIterable, Sendable, Codable {
  /// GitHub's classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's (`npm_`):
  /// a 4-character prefix, 30 random base62 characters, then the CRC32 of those 30
  /// characters in base62 (`0-9A-Za-z`), padded to 6 digits.
  case crc32Base62 = "crc32-base62"
  /// Grafana's service account tokens (`glsa_<32 characters>_<8 hex>`): the 8 hex digits
  /// after the last `_` are the CRC-32 (IEEE) of everything before that `_`, its four
  /// bytes written least significant first.
  case crc32HexLE = "crc32-hex-le"
  /// GitLab's routable tokens (`glpat-<base64url>.01.<length><checksum>`): base64url of
  /// 16 random bytes, a routing payload and its length byte; a dot and the format's
  /// version (2 base-36 digits); a dot and the base64 part's length (2 base-36 digits);
  /// then the CRC-32 (IEEE) of everything before it in base 36, padded to 7 digits.
  case gitlabRoutable = "gitlab-routable"
  /// Bech32 (BIP-173) or Bech32m text, as age identities (`AGE-SECRET-KEY-1…`) are
  /// written: a human-readable part, the separator `1`, then data in Bech32's alphabet
  /// whose last six characters are a BCH checksum over the whole (either case).
  case bech32
  /// A signed JSON Web Token (JWS, compact form): three base64url parts; the header
  /// decodes to a JSON object whose `alg` names a signature (not `none`), the payload to
  /// a JSON object with at least one claim, and the signature is not empty.
  case jwt
  /// An HTTP Basic credential: base64 that decodes to `user:password`, printable, with
  /// a password.
  case basicAuth = "basic-auth"
  /// A secret Jenkins encrypted (`hudson.util.Secret`, written `{AQAAABAAAA…}` in its
  /// XML): base64 of a version byte 1, the IV's length (16) and the ciphertext's, each 4
  /// bytes big-endian, then the IV and the AES-CBC ciphertext (whole 16-byte blocks), the
  /// lengths adding up to the whole.
  case jenkinsSecret = "jenkins-secret"
  /// A NATS nkey (seeds `SU…`, `SA…`, `SO…`): base32 (RFC 4648, no padding) of a prefix,
  /// the 32-byte key and the CRC-16 (XMODEM) of what comes before it, least significant
  /// byte first.
  case nkey
  /// Base58Check (Bitcoin's alphabet), as BIP-32 extended private keys (`xprv…`,
  /// `tprv…`) and WIF keys are written: the decoded bytes end in the first four bytes of
  /// the double SHA-256 of what comes before them.
  case base58Check = "base58check"
  /// A private key in DER, base64 without PEM's armor (possibly wrapped over lines): an
  /// ASN.1 SEQUENCE, whole, that opens as a PKCS #1 RSA key (version 0, then the
  /// modulus), a PKCS #8 key (version 0 or 1, the algorithm, then the key as an OCTET
  /// STRING) or a SEC 1 EC key (version 1, then the key as an OCTET STRING).
  case derPrivateKey = "der-private-key"
  /// An OpenSSH private key's body without its armor (base64, possibly wrapped over
  /// lines): `openssh-key-v1` and a NUL, then the cipher's, KDF's and KDF options'
  /// strings, the number of keys, and public and private sections whose stated lengths
  /// the value holds.
  case opensshPrivateKey = "openssh-private-key"
  /// A PKCS #12 key store (a .p12 or .pfx file's bytes) in base64, possibly wrapped over
  /// lines: an ASN.1 SEQUENCE, whole (in DER, or BER ending in end-of-contents), of
  /// version 3 and a PKCS #7 ContentInfo of data or signed data.
  case pkcs12
  /// A generated value, not words: a generic rule's value is dropped when it is base64
  /// (either alphabet) of readable text (`dGVzdC1hcGkta2V5` is `test-api-key`), or a path
  /// ending in a file name.
  case generated
}

/// How a secret was hidden in the text it was found in: vigil decoded it to find it.
public enum ContentEncoding: String, Sendable, Codable, CaseIterable {
  case base64
  case hex
  /// URL percent-encoding (`%40`).
  case percent
  /// `\xHH` and `\uHHHH` escapes.
  case escapes
  /// A run of UTF-16LE text in a binary file (a .NET assembly's string literals).
  case utf16 = "UTF-16"
  /// A run of UTF-32LE text in a binary file.
  case utf32 = "UTF-32"
  /// A gzip stream (inside base64), inflated.
  case gzip
  /// A zip, or a bzip2, xz or zstd stream (inside base64), unpacked.
  case archive
}

import Digest
import VigilModel
import VigilSupport

/// A finding's stable identity: rule id, path, a SHA-256 of the secret (or of the
/// whitespace-normalised match for code rules) and an occurrence index for repeats in
/// one file.
///
/// Why no line number: moving code must not change the identity, and a different
/// secret on the same line must. The secret itself never leaves: only its hash is used.
public enum Fingerprint {
  public static let sarifKey = Finding.fingerprintKey

  public static func make(ruleID: String, path: String, content: [UInt8], occurrence: Int)
    -> String
  {
    let contentHash = SHA256.hex(content)
    // The name's bytes, not how it is shown: a display that changes (a name not in NFC
    // shown escaped) must not change the identities baselines and ignore files hold.
    let identity =
      Array("\(ruleID)\u{0}".utf8) + PathText.bytes(display: path)
      + Array("\u{0}\(contentHash)\u{0}\(occurrence)".utf8)
    return SHA256.hex(identity)
  }

  /// Collapses runs of white space so that re-indenting code keeps the fingerprint.
  public static func normalized(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var result: [UInt8] = []
    var inSpace = false
    for byte in bytes {
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        inSpace = true
      } else {
        if inSpace && !result.isEmpty { result.append(0x20) }
        inSpace = false
        result.append(byte)
      }
    }
    return result
  }
}

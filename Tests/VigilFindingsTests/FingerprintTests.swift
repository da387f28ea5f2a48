import Testing
import VigilFindings

/// A finding's identity is its name's bytes, not how the name is shown.
@Suite struct FingerprintTests {
  /// A name not in NFC is shown escaped (`cafe\xCC\x81`) since it must not equal its NFC
  /// twin as a Swift string; its fingerprint is what it was when it was shown as it is,
  /// so the baselines and ignore files that hold it still match. Names whose bytes
  /// differ have different fingerprints.
  @Test func theFingerprintIsTheNamesBytes() {
    func fingerprint(_ path: String) -> String {
      Fingerprint.make(ruleID: "r", path: path, content: Array("s".utf8), occurrence: 0)
    }
    #expect(fingerprint("cafe\\xCC\\x81/a.py") == fingerprint("cafe\u{301}/a.py"))
    #expect(fingerprint("cafe\\xCC\\x81/a.py") != fingerprint("caf\u{E9}/a.py"))
    #expect(fingerprint("k\\xFF.py") != fingerprint("k\\\\xFF.py"))
    // What every earlier vigil gave: SHA-256 of rule, path, content hash and occurrence,
    // NUL between (worked out apart, with Python's hashlib).
    #expect(fingerprint("src/a.py") == "bfb242f54ed4fdb91e99700c8addcfe7328a6c1fd58209074eac41d029bb7dca")
  }
}

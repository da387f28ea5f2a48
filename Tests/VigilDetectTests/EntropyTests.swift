import Testing
import VigilDetect
import VigilKit

@Suite struct EntropyTests {
  @Test func knownValues() {
    #expect(Entropy.shannon([UInt8]()) == 0)
    #expect(Entropy.shannon(Array("aaaa".utf8)) == 0)
    #expect(Entropy.shannon(Array("ab".utf8)) == 1)
    #expect(Entropy.shannon(Array("abcd".utf8)) == 2)
    #expect(abs(Entropy.shannon(Array(0...255).map(UInt8.init)) - 8) < 1e-9)
  }

  @Test func hexadecimalNeedsOnlyHexDigitsAndALetter() {
    #expect(Entropy.isHexadecimal(Array("9f2c4e1a".utf8)))
    #expect(Entropy.isHexadecimal(Array("9F2C4E1A".utf8)))
    #expect(!Entropy.isHexadecimal(Array("92741380".utf8)))
    #expect(!Entropy.isHexadecimal(Array("9f2c4e1g".utf8)))
    #expect(!Entropy.isHexadecimal(Array("9f2c-4e1a".utf8)))
    #expect(!Entropy.isHexadecimal([UInt8]()))
  }

  @Test func madeUpValuesRepeatOrCount() {
    for value in [
      "Q7x2Q7x2Q7x2Q7x2",  // one unit three times and more
      "Zk4Zk4Zk4Zk4Z",  // and a part of it
      "KEY-abcdefghijklmnop1234",  // runs that count up
      "zyxwvutsrq9876543210",  // and down
      "live_sk_9876543210ghijklmn",
      "h1I2j3K4l5M6n7O8",  // letters and digits counting, interleaved
      "9r8q7p6o-5n4m-3l2k",
    ] {
      #expect(Entropy.isMadeUp(Array(value.utf8)), "\(value)")
    }
    for value in [
      "Summer2024!", "Admin12345", "Hx92kLq0Zt7PwY3m", "Q7x2Q7x2Q7x",  // twice and a part: no
      "abc123", "Tr0ub4dor&3", "xY9#mQ2$vL7@pR4!", "MyPassword123456", "demokey123456789", "Abcdefg1",
      "abcdef123456",
    ] {
      #expect(!Entropy.isMadeUp(Array(value.utf8)), "\(value)")
    }
    // Random values of 20 base62 characters: none in a thousand.
    var random = SystemRandomNumberGenerator()
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    let madeUp = (0..<1_000).count { _ in
      Entropy.isMadeUp((0..<20).map { _ in alphabet.randomElement(using: &random) ?? 0 })
    }
    #expect(madeUp == 0)
  }
}

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
}

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
}

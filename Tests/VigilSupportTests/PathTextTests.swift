import Testing
import VigilSupport

/// Names as vigil shows them: every name shown one way, no two names alike, and the
/// name's bytes given back from what is shown.
@Suite struct PathTextTests {
  @Test func namesAreShownAsTheyAreUnlessTheyCouldReadAsAnEscape() {
    #expect(PathText.display(Array("src/app.py".utf8)) == "src/app.py")
    #expect(PathText.display(Array("a\\b/ü.txt".utf8)) == "a\\b/ü.txt")
    #expect(PathText.display(Array("k".utf8) + [0xFF] + Array(".txt".utf8)) == "k\\xFF.txt")
    #expect(PathText.display(Array("k\\xFF.txt".utf8)) == "k\\\\xFF.txt")
    // Each component on its own: the directory's escape does not change the name's.
    #expect(PathText.display(Array("d\\x41/a\\b".utf8)) == "d\\\\x41/a\\b")
    #expect(PathText.bytes(display: "d\\\\x41/a\\b") == Array("d\\x41/a\\b".utf8))
  }

  /// Every name made of a few pieces that escapes are made of, and random bytes: shown
  /// apart from every other, and given back whole, shown alone or joined under a
  /// directory shown alone.
  @Test func everyNameIsShownApartAndGivenBack() {
    let pieces: [[UInt8]] = [
      [0x5C], [0x5C, 0x5C], Array("x".utf8), Array("x4".utf8), Array("41".utf8), Array("ZZ".utf8),
      [0xFF], [0xC3], [0xC3, 0xBC], Array("a".utf8), Array("e".utf8), [0xC3, 0xA9], [0xCC, 0x81],
    ]
    var names: [[UInt8]] = [[]]
    for _ in 0..<4 { names = names + names.flatMap { name in pieces.map { name + $0 } } }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      names.append(
        (0..<Int.random(in: 1...12, using: &generator)).map { _ in
          [0x5C, 0x78, 0x34, 0x31, 0x46, 0xFF, 0x80, 0x61][Int.random(in: 0..<8, using: &generator)]
        })
    }
    var shown: [String: [UInt8]] = [:]
    for name in Set(names) where !name.isEmpty {
      let text = PathText.display(name)
      #expect(shown[text] == nil, "\(name) and \(shown[text] ?? []) both shown \(text)")
      shown[text] = name
      #expect(PathText.bytes(display: text) == name, "\(name) shown \(text)")
      let directory = Array("d".utf8) + name
      let joined = PathText.display(directory) + "/" + text
      #expect(PathText.bytes(display: joined) == directory + [0x2F] + name, "\(joined)")
      #expect(PathText.display(directory + [0x2F] + name) == joined)
    }
  }

  /// Swift's strings compare by canonical equivalence: `é` as one code point and as `e`
  /// with a combining accent are equal, hash alike and prefix each other, where Linux and
  /// git hold the two names apart. Shown, they differ; and a directory's shown path and a
  /// slash prefix a name's below it exactly when the bytes do.
  @Test func namesEqualOnlyByCanonicalEquivalenceAreShownApart() {
    let composed: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9]
    let decomposed: [UInt8] = Array("cafe".utf8) + [0xCC, 0x81]
    #expect(PathText.display(composed) == "café")
    #expect(PathText.display(decomposed) == "cafe\\xCC\\x81")
    #expect(PathText.display(composed) != PathText.display(decomposed))
    #expect(Set([composed, decomposed].map { PathText.display($0 + Array("/a.py".utf8)) }).count == 2)
    #expect(PathText.bytes(display: PathText.display(decomposed)) == decomposed)
    // A name opening with a combining mark joins the slash before it when shown as is.
    let accentFirst: [UInt8] = [0xCC, 0x81] + Array("b".utf8)
    #expect(
      PathText.display(Array("a/".utf8) + accentFirst).hasPrefix(PathText.display(Array("a".utf8)) + "/"))
    let names: [[UInt8]] = [
      composed, decomposed, accentFirst, Array("e".utf8), [0xC3, 0xA9], [0xCC, 0x81], Array("a".utf8),
      [0xE1, 0x84, 0x80, 0xE1, 0x85, 0xA1], [0xEA, 0xB0, 0x80], [0xD8, 0x80], [0xD8, 0x80, 0x61],
    ]
    for directory in names {
      for name in names {
        let path = PathText.display(directory + [0x2F] + name)
        for other in names {
          #expect(
            path.hasPrefix(PathText.display(other) + "/") == (other == directory),
            "\(directory)/\(name) under \(other)")
        }
      }
    }
  }
}

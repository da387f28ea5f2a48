import CByteRuns
import Foundation
import Testing
import VigilModel

@testable import VigilDetect

/// Which runs of a text are encoded text, and what they decode to.
@Suite struct EncodedSegmentsTests {
  private func segments(_ text: String, budget: Int = 1 << 20) -> [(String, ContentEncoding, String)] {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      EncodedSegments.find(in: buffer, budget: budget).segments.map { segment in
        (
          String(decoding: bytes[segment.range], as: UTF8.self), segment.encoding,
          String(decoding: segment.decoded, as: UTF8.self)
        )
      }
    }
  }

  @Test func eachEncodingThatDecodesToText() {
    let base64 = Data("user: deploy, pass: Wq8t#Lr2".utf8).base64EncodedString()
    let found = segments(
      "a: \(base64)\nb = 7365637265742d76616c75652d31323334353637\nc=p%40ss%3Aw0rd%21x\nd=\"\\x73\\x6b\\x5f\\x6c\\x69\\x76\\x65\\x5f\""
    )
    #expect(found.map(\.1) == [.percent, .escapes, .base64, .hex])
    #expect(found.first { $0.1 == .base64 }?.2 == "user: deploy, pass: Wq8t#Lr2")
    #expect(found.first { $0.1 == .base64 }?.0 == base64)
    #expect(found.first { $0.1 == .hex }?.2 == "secret-value-1234567")
    // An escaped run is the whole word around its escapes.
    #expect(found.first { $0.1 == .percent }?.2 == "c=p@ss:w0rd!x")
    #expect(found.first { $0.1 == .escapes }?.2 == "sk_live_")
  }

  /// The other ways languages escape a character: `\u{…}` (JavaScript, Rust, Swift),
  /// `\U…` (Python, C), octal (C, Python), HTML's numeric references; `\000` is no text
  /// and leaves the run as it is, and so does a half escape.
  @Test func everyLanguagesEscapesAreDecoded() {
    let cases: [(String, String)] = [
      ("k=\"\\u{73}\\u{6B}_live_Qx\"", "k=sk_live_Qx"),
      ("k=\"\\U00000073\\U0000006b_live_Qx\"", "k=sk_live_Qx"),
      ("k=\"\\163\\153_live_Qx\"", "k=sk_live_Qx"),
      ("<p>&#115;&#x6B;_live_Qx</p>", "p>sk_live_Qx"),
    ]
    for (text, decoded) in cases {
      let found = segments(text)
      #expect(found.map(\.1) == [.escapes], "\(text): \(found)")
      #expect(found.first.map { $0.2.hasSuffix(decoded.dropFirst(2)) } == true, "\(text): \(found)")
    }
    for text in ["s=\"\\000\\000ab12cd34\"", "k=\\u{110000}x1234567", "k=&#;x12345678 &#x;"] {
      #expect(segments(text).allSatisfy { !$0.2.contains("\u{0}") }, "\(text)")
    }
  }

  /// Text with a few bytes that are not printable ASCII (an accented letter in UTF-8, a
  /// damaged byte in a long key) is still text; random bytes of the same length are not.
  /// Base64 of UTF-16LE text (PowerShell's `-EncodedCommand`): decoded to its ASCII.
  @Test func base64OfUTF16TextIsDecodedToItsCharacters() {
    let command = "Write-Output 'deploying from a UTF-16 command'; Invoke-Deploy -Stage 2"
    let utf16 = Data(command.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    let found = segments("powershell -EncodedCommand \(utf16.base64EncodedString())")
    #expect(found.map(\.2) == [command])
    // With a byte-order mark (Windows PowerShell 5.1 writes files so; a Kubernetes
    // Secret made from one holds its base64), little or big endian, and UTF-8's mark;
    // a short text too, where the mark is a large part of the bytes.
    for text in [command, "KEY=v8Lq2Zt7x"] {
      let big = Data(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
      let little = Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
      for marked in [
        Data([0xFF, 0xFE]) + little, Data([0xFE, 0xFF]) + big, Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8),
      ] {
        #expect(
          segments("data: \(marked.base64EncodedString())").map(\.2) == [text], "\(Array(marked.prefix(3)))")
      }
    }
    // A mark's first bytes, then no mark, then text: judged as bytes, as before.
    #expect(segments("x = \(Data([0xFF, 0x41] + Array("bcdefghijkl".utf8)).base64EncodedString())").isEmpty)
    // Bytes that only look like it at first are not.
    var mixed = Array("a\u{0}b\u{0}c\u{0}d\u{0}".utf8) + Array("efghijklmnop".utf8)
    mixed += [0, 1, 2, 3, 0, 1, 2, 3]
    #expect(segments("x = \(Data(mixed).base64EncodedString())").isEmpty)
  }

  /// Base64 wrapped at a fixed width (76 and 64 columns, CRLF, a YAML block's
  /// indentation) decodes as one text, found where the block is, and each line alone;
  /// lines of another width or indentation are runs of their own; wrapped noise is read a
  /// line at a time, once.
  @Test func wrappedBase64DecodesAsOneText() {
    let secret = String(repeating: "deploy notes: the token for the staging cluster is kept here. ", count: 3)
    let encoded = Data(secret.utf8).base64EncodedString()
    func wrapped(_ width: Int, indent: String = "", newline: String = "\n") -> String {
      stride(from: 0, to: encoded.count, by: width).map { start in
        let from = encoded.index(encoded.startIndex, offsetBy: start)
        return indent + encoded[from..<(encoded.index(from, offsetBy: min(width, encoded.count - start)))]
      }.joined(separator: newline)
    }
    for (text, block) in [
      ("\(wrapped(76))\n", wrapped(76)),
      ("\(wrapped(64, newline: "\r\n"))\r\n", wrapped(64, newline: "\r\n")),
      (
        "data: |\n\(wrapped(76, indent: "    "))\nnext: 1\n", String(wrapped(76, indent: "    ").dropFirst(4))
      ),
    ] {
      let found = segments(text)
      #expect(found.first?.2 == secret, "\(text)")
      #expect(found.first?.0 == block)
      // And each line alone.
      #expect(found.dropFirst().allSatisfy { !$0.0.contains("\n") && secret.contains($0.2) }, "\(text)")
    }
    // Values of one width with no padding, one a line (a list of keys): each decodes alone too.
    let values = ["first value: Mq8Zt2LmV0pX7rK4wN9sABC", "second one: B6yD3hF1jC5gAq8Zt2LmV0Qx"]
    let list = values.map { Data($0.utf8).base64EncodedString() }.joined(separator: "\n") + "\n"
    #expect(segments(list).dropFirst().map(\.2) == values)
    // A second line indented otherwise is no part of the first.
    let lines = wrapped(76).split(separator: "\n")
    #expect(segments("\(lines[0])\n  \(lines[1])\n").allSatisfy { $0.2 != secret })
    // Wrapped noise: nothing, and no line read twice.
    var random = SystemRandomNumberGenerator()
    let noise = Data((0..<4000).map { _ in UInt8.random(in: 0...255, using: &random) }).base64EncodedString(
      options: .lineLength76Characters)
    #expect(segments(noise).isEmpty)
  }

  @Test func textWithAFewOtherBytesIsText() {
    let accented =
      "# Paramètres de l'équipe\n" + String(repeating: "app.name = facturation\n", count: 12)
      + "db.password = Qr7vT2mX9kLp\n"
    let base64 = Data(accented.utf8).base64EncodedString()
    #expect(segments("data: \(base64)").map(\.2) == [accented])
    var damaged = Array(String(repeating: "MIIEogIBAAKCAQEAoy1XXuVAQpqHbQE05mkhrNg/124F\n", count: 8).utf8)
    damaged[200] = 0xA1
    let key = Data(damaged).base64EncodedString()
    #expect(segments("key: \(key)").map { $0.2.hasPrefix("MIIEogIBAAKCAQEA") } == [true])
    // In fewer than 64 bytes, all must be text.
    let short = Data("pass: Qr7vT2mX9kLp é".utf8).base64EncodedString()
    #expect(segments("data: \(short)").isEmpty)
    // Random bytes: most are not text.
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<50 {
      let random = Data((0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) })
      #expect(segments("blob: \(random.base64EncodedString())").isEmpty)
    }
  }

  /// The run search 64 bytes at a time finds what a byte-at-a-time search finds: the
  /// first run of at least so many base64 bytes, whatever the lengths and where runs
  /// fall across the blocks.
  @Test func runSearchAgreesWithAByteAtATimeSearch() {
    func isBase64(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "-"),
        UInt8(ascii: "_"):
        true
      default: false
      }
    }
    func reference(_ bytes: [UInt8], _ least: Int) -> (Int, Int) {
      var start = 0
      for index in 0...bytes.count where index == bytes.count || !isBase64(bytes[index]) {
        if index - start >= least { return (start, index - start) }
        start = index + 1
      }
      return (bytes.count, 0)
    }
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("aZ09+/-_".utf8) + Array(" .=:\n\u{0}\u{80}\u{FF}".utf8)
    for round in 0..<3000 {
      // Runs of random lengths (short and long) between single other bytes.
      var bytes: [UInt8] = []
      let size = Int.random(in: 0...300, using: &generator)
      while bytes.count < size {
        let run = Int.random(in: 0...(round % 3 == 0 ? 90 : 25), using: &generator)
        bytes += (0..<run).map { _ in alphabet[Int.random(in: 0..<8, using: &generator)] }
        bytes.append(alphabet[Int.random(in: 8..<alphabet.count, using: &generator)])
      }
      for least in [1, 20, 32, 63, 64] {
        var length = 0
        let start = bytes.withUnsafeBufferPointer {
          vigil_base64_next_run($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, least, &length)
        }
        let expected = reference(bytes, least)
        #expect(start == expected.0 && length == expected.1, "least \(least): \(bytes)")
        if start != expected.0 || length != expected.1 { return }
      }
    }
  }

  @Test func noiseWordsAndShortRunsAreLeftAlone() {
    // Random bytes in base64, an identifier, a path, a short value, a lone escape.
    #expect(segments("salt = Zm9vYmFy/+Qx8L2kPz7mWc9vN1aR5tY3uE6iO0pS4dF8gH2j").isEmpty)
    #expect(segments("let averyLongIdentifierName_withMoreWords = 1").isEmpty)
    #expect(segments("path = src/main/resources/application-production.yml").isEmpty)
    #expect(segments("v = c2hvcnQ=").isEmpty)
    #expect(segments("printf(\"%d\\n\", 100%);").isEmpty)
  }

  @Test func theBudgetBoundsWhatIsDecoded() {
    let value = Data(String(repeating: "plain text value ", count: 8).utf8).base64EncodedString()
    let text = Array(repeating: "k = \(value)", count: 10).joined(separator: "\n")
    #expect(segments(text).count == 10)
    #expect(segments(text, budget: 3 * 136).count == 3)
  }
}

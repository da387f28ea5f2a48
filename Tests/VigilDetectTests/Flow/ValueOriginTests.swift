import Testing

@testable import VigilDetect

/// Where an inserted value comes from, as far as its text tells.
@Suite struct ValueOriginTests {
  /// PHP's request body read as a stream: `file_get_contents('php://input')`.
  @Test func aShortLiteralNamingPHPsInputStreamIsTheRequestBody() {
    #expect(ValueOrigin.namesRequestBody(Array("'php://input'".utf8)))
    #expect(ValueOrigin.namesRequestBody(Array("php://input".utf8)))
    #expect(!ValueOrigin.namesRequestBody(Array("'php://inpu'".utf8)))
    #expect(!ValueOrigin.namesRequestBody(Array("'php://memory'".utf8)))
    #expect(!ValueOrigin.namesRequestBody(Array("".utf8)))
    // A long literal is text that mentions it, not the stream's name.
    #expect(
      !ValueOrigin.namesRequestBody(
        Array(("read " + String(repeating: "x", count: 40) + " php://input").utf8)))
  }
}

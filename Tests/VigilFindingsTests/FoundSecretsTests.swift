import Testing
import VigilKit
import VigilTestSupport

@testable import VigilFindings

/// The end-of-scan masking: every secret the scan found, wherever a snippet shows it.
@Suite struct FoundSecretsTests {
  private func finding(_ snippet: String, context: [String] = []) -> Finding {
    var finding = Finding(
      ruleID: "slack-webhook-url", ruleIndex: 0, category: .secret, severity: .error, path: "b.json",
      start: TextPosition(line: 2, column: 1), end: TextPosition(line: 2, column: 10),
      fingerprint: String(repeating: "a", count: 64), snippet: snippet, secret: nil, message: "m")
    finding.contextBefore = context
    return finding
  }

  /// Past the bytes one automaton holds (many times over), every text is still masked.
  @Test func everyFoundTextIsMaskedHoweverManyThereAre() {
    var tokens = TestTokens(seed: 17)
    let found = FoundSecrets()
    let texts = (0..<2 * HiddenSpans.maximumTextBytes / 40).map { _ in
      tokens.string(40, from: TestTokens.alphanumeric)
    }
    for text in texts { found.add(Array(text.utf8)) }
    let shown = stride(from: 0, to: texts.count, by: texts.count / 50).map { texts[$0] }
    let masked = found.masked(
      shown.map { finding("{\"blob\": \"\($0)\", \"hook\": 1}", context: ["k \($0)"]) })
    #expect(masked.count == shown.count)
    for (text, finding) in zip(shown, masked) {
      #expect(!finding.snippet.contains(text.dropFirst(4)), "\(finding.snippet)")
      #expect(finding.snippet.hasPrefix("{\"blob\": \"\(text.prefix(4))"))
      #expect(!finding.contextBefore[0].contains(text.dropFirst(4)))
    }
  }

  /// A key's copy as JSON escapes it or a URL encodes it, wholly or in part, in either
  /// case, is the key.
  @Test func aSecretIsMaskedHoweverJSONAndPercentEncodingWriteIt() {
    let text = "Qm7xK2pL/9vRt+8ZwY4nB=="
    let found = FoundSecrets()
    found.add(Array(text.utf8))
    let copies = [
      "Qm7xK2pL\\/9vRt+8ZwY4nB==", "Qm7xK2pL%2F9vRt%2B8ZwY4nB%3D%3D", "Qm7xK2pL%2f9vRt%2b8ZwY4nB%3d%3d",
      "Qm7xK2pL/9vRt%2B8ZwY4nB%3D%3D", "Qm7xK2pL%2F9vRt+8ZwY4nB==",
      "Qm7xK2pL\\u002F9vRt\\u002B8ZwY4nB\\u003D=",
    ]
    let masked = found.masked(copies.map { finding("{\"n\": \"\($0)\", \"hook\": 1}") })
    for (copy, finding) in zip(copies, masked) {
      #expect(!finding.snippet.contains(copy.dropFirst(8)), "\(finding.snippet)")
      #expect(finding.snippet.hasPrefix("{\"n\": \"Qm7x"), "\(finding.snippet)")
      #expect(finding.snippet.hasSuffix("\", \"hook\": 1}"), "\(finding.snippet)")
    }
    // Text with nothing decoded is read as it is.
    #expect(FoundSecrets.decoded(Array("Qm7xK2pL9vRt%zz".utf8)) == nil)
  }

  /// A text longer than any snippet shows is not kept.
  @Test func textsNoSnippetCanHoldAreNotKept() {
    let found = FoundSecrets()
    let long = String(repeating: "Ab1", count: FoundSecrets.maximumTextLength)
    found.add(Array(long.utf8))
    let shown = finding(String(long.prefix(FindingBuilder.maxSnippetBytes)))
    #expect(found.masked([shown]) == [shown])
  }
}

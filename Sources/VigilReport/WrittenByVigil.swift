/// Whether a file is a report or baseline vigil wrote, recognised by what each format
/// carries in its own content, never by its name: the JSON and SARIF reports and the
/// baseline by the exact shape vigil's encoder gives them, the HTML report by its
/// generator tag, JUnit by its root element, CSV by its header row.
///
/// A scan leaves such files out when git does not track them, so that writing a report
/// into the tree and scanning again does not report the rule help and snippets inside
/// it. The text report has no marker; the scan leaves out its `-o` file instead.
public enum WrittenByVigil {
  public static func isReportOrBaseline(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if starts(bytes, with: jsonFindingsStart) {
      // The JSON report ends with its summary, version and warnings; a baseline with its
      // format version. Both as vigil's encoder writes them, two-space indented.
      return contains(bytes, jsonReportSummary) || ends(bytes, with: baselineEnd)
    }
    if starts(bytes, with: sarifStart) {
      guard let tool = lastIndex(of: sarifTool, in: bytes) else { return false }
      let after = UnsafeBufferPointer(rebasing: bytes[tool..<min(bytes.count, tool + 400)])
      return contains(after, sarifDriverName)
    }
    if starts(bytes, with: htmlStart) {
      return contains(UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 1024)]), htmlGenerator)
    }
    return starts(bytes, with: junitStart) || starts(bytes, with: csvHeader)
  }

  /// What the HTML report's head says, and how it is recognised.
  static let htmlGeneratorTag = "<meta name=\"generator\" content=\"vigil\">"

  private static let jsonFindingsStart = Array("{\n  \"findings\" : [".utf8)
  private static let jsonReportSummary = Array("\n  \"summary\" : {\n    \"bytesScanned\" : ".utf8)
  private static let baselineEnd = Array("\n  \"version\" : 1\n}".utf8)
  private static let sarifStart = Array(
    "{\n  \"$schema\" : \"https://json.schemastore.org/sarif-2.1.0.json\",".utf8)
  private static let sarifTool = Array("\"tool\" : {".utf8)
  private static let sarifDriverName = Array("\"name\" : \"vigil\"".utf8)
  private static let htmlStart = Array("<!DOCTYPE html>\n".utf8)
  private static let htmlGenerator = Array(htmlGeneratorTag.utf8)
  private static let csvHeader = Array((CSVReporter.columns.joined(separator: ",") + "\r\n").utf8)
  private static let junitStart = Array(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vigil\" ".utf8)

  private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with prefix: [UInt8]) -> Bool {
    bytes.count >= prefix.count && bytes.prefix(prefix.count).elementsEqual(prefix)
  }

  /// Ignoring one trailing newline.
  private static func ends(_ bytes: UnsafeBufferPointer<UInt8>, with suffix: [UInt8]) -> Bool {
    var end = bytes.count
    if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
    return end >= suffix.count && bytes[(end - suffix.count)..<end].elementsEqual(suffix)
  }

  private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    firstIndex(of: needle, in: bytes) != nil
  }

  private static func firstIndex(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = needle.first, bytes.count >= needle.count else { return nil }
    var index = 0
    while index <= bytes.count - needle.count {
      if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  private static func lastIndex(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = needle.first, bytes.count >= needle.count else { return nil }
    var index = bytes.count - needle.count
    while index >= 0 {
      if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index -= 1
    }
    return nil
  }
}

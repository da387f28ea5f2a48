/// A rule example with its expected findings marked «like this», parsed into the text
/// the detector sees and the byte ranges it must report.
struct MarkedExample {
  var bytes: [UInt8]
  var spans: [Range<Int>]

  init(_ marked: String) {
    var bytes: [UInt8] = []
    var spans: [Range<Int>] = []
    var open: Int?
    for character in marked {
      switch character {
      case "«": open = bytes.count
      case "»":
        if let start = open { spans.append(start..<bytes.count) }
        open = nil
      default: bytes += Array(String(character).utf8)
      }
    }
    self.bytes = bytes
    self.spans = spans
  }

  /// The same example with `prefix` and `suffix` bytes around it.
  func wrapped(prefix: [UInt8], suffix: [UInt8]) -> MarkedExample {
    var copy = self
    copy.bytes = prefix + bytes + suffix
    copy.spans = spans.map { ($0.lowerBound + prefix.count)..<($0.upperBound + prefix.count) }
    return copy
  }
}

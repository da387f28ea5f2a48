import VigilModel

/// `vigil:allow` markers in the scanned text: a line that carries one is not reported.
///
/// Works in any language's comment syntax because it looks for the marker text itself,
/// wherever it stands on the line (`# vigil:allow`, `// vigil:allow`, `<!-- vigil:allow -->`).
/// `vigil:allow RULE-ID reason` allows only that rule; anything else after the marker is
/// the reason. gitleaks' `gitleaks:allow` is honoured too, for every rule.
public enum InlineAllow {
  public static let marker = Array("vigil:allow".utf8)
  public static let gitleaksMarker = Array("gitleaks:allow".utf8)

  /// What a line's marker says, parsed once per line however many findings it holds.
  public struct Marker: Sendable, Equatable {
    /// The one rule allowed, when the marker names a known rule; `nil` allows every rule.
    var ruleID: String?
    var justification: String

    public func suppression(for ruleID: String) -> Suppression? {
      if let only = self.ruleID, only != ruleID { return nil }
      return Suppression(kind: .inSource, source: "inline", justification: justification)
    }
  }

  /// The marker on `line`, if any.
  public static func marker(inLine line: some Collection<UInt8>, knownRuleIDs: Set<String>) -> Marker? {
    let bytes = Array(line)
    if let start = find(marker, in: bytes) {
      let rest = String(decoding: bytes[(start + marker.count)...], as: UTF8.self)
      var words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
      // A trailing comment closer is not part of the reason.
      while let last = words.last, ["*/", "-->", "#}", "%>", "--%>"].contains(String(last)) {
        words = words.dropLast()
      }
      var only: String?
      if let first = words.first, knownRuleIDs.contains(String(first)) {
        only = String(first)
        words = words.dropFirst()
      }
      let reason = words.joined(separator: " ")
      return Marker(ruleID: only, justification: reason.isEmpty ? "allowed inline with vigil:allow" : reason)
    }
    if find(gitleaksMarker, in: bytes) != nil {
      return Marker(ruleID: nil, justification: "allowed inline with gitleaks:allow")
    }
    return nil
  }

  /// Where the marker starts on `line` (`vigil:allow`, else `gitleaks:allow`), if it
  /// has one.
  public static func markerStart(inLine line: some Collection<UInt8>) -> Int? {
    let bytes = Array(line)
    return find(marker, in: bytes) ?? find(gitleaksMarker, in: bytes)
  }

  /// The suppression a line grants a finding of `ruleID`, or `nil`.
  public static func suppression(
    inLine line: some Collection<UInt8>, ruleID: String, knownRuleIDs: Set<String>
  ) -> Suppression? {
    marker(inLine: line, knownRuleIDs: knownRuleIDs)?.suppression(for: ruleID)
  }

  /// Where `needle` stands on its own in `haystack`: not inside a longer word
  /// (`vigil:allowed`, `novigil:allow` are not markers).
  private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    func isWordByte(_ offset: Int) -> Bool {
      guard haystack.indices.contains(offset) else { return false }
      let byte = haystack[offset]
      return byte == UInt8(ascii: "_")
        || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
    var index = 0
    while index <= haystack.count - needle.count {
      if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle)
        && !isWordByte(index - 1) && !isWordByte(index + needle.count)
      {
        return index
      }
      index += 1
    }
    return nil
  }
}

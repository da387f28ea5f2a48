import VigilDetect
import VigilModel

/// Turns one file's detected byte ranges into findings: lines and columns, redacted
/// snippets, fingerprints.
///
/// Works per file because redaction must see every secret on a line: a finding's
/// snippet may show the line of another finding's secret, and both are masked.
public struct FindingBuilder: Sendable {
  /// Longest snippet, in bytes, before it is cut around the match.
  public static let maxSnippetBytes = 200
  /// On a line longer than `maxSnippetBytes`, how far from a finding (bytes before its
  /// start or after its end) a `vigil:allow` marker may start and still allow it.
  public static let markerReach = 256
  /// Bytes of context kept on each side of a match in a cut snippet.
  public static let contextBytes = 60
  /// Lines of context kept before and after a finding.
  public static let contextLines = 2

  public let rules: [Rule]
  public let redact: Bool
  private let ruleIDs: Set<String>
  /// Where the secrets of every file's findings are collected, to mask them in other
  /// files' snippets once the scan is done (`FoundSecrets.masked`).
  private let found: FoundSecrets?

  public init(rules: [Rule], redact: Bool, collecting found: FoundSecrets? = nil) {
    self.rules = rules
    self.redact = redact
    self.ruleIDs = Set(rules.map(\.id))
    self.found = redact ? found : nil
  }

  public func findings(
    for matches: [DetectedMatch], path: String, bytes: UnsafeBufferPointer<UInt8>
  ) -> [Finding] {
    guard !matches.isEmpty else { return [] }
    // One policy for content and file rules alike: a secret or key in test or fixture
    // material (by path, inside a test item of a lexed language, given to a name that says
    // it stands in for one, `TEST_FAKE_RSA_KEY_0`, in a doctest or in an Ansible module's
    // documentation, or in an OpenAPI or Swagger description, whose values are examples of
    // requests and responses) is reported as a fixture, at `note`, so that it is seen
    // without failing a build by default.
    let isFixturePath = ContextAnalyzer.isTestPath(path)
    var isAPIDescription: Bool?
    var regions: ContextRegions?
    // An Ansible module's documentation, found once per Python file when first asked.
    var documentation: [Range<Int>]?
    func isInModuleDocumentation(_ offset: Int) -> Bool {
      if documentation == nil {
        documentation = path.hasSuffix(".py") ? ContextAnalyzer.moduleDocumentation(in: bytes) : []
      }
      guard let blocks = documentation else { return false }
      let first = blocks.partitioningIndex { $0.upperBound > offset }
      return first < blocks.count && blocks[first].contains(offset)
    }
    func isFixture(_ match: DetectedMatch) -> Bool {
      guard rules[match.ruleIndex].category.isSensitive else { return false }
      if isFixturePath { return true }
      if isAPIDescription == nil {
        isAPIDescription = ContextAnalyzer.isAPIDescription(path: path, bytes: bytes)
      }
      if isAPIDescription == true { return true }
      guard let offset = match.secretRange?.lowerBound else { return false }
      if regions == nil { regions = ContextAnalyzer.regions(path: path, bytes: bytes) }
      if regions?.contains(offset, in: .test) == true { return true }
      return ContextAnalyzer.marksAStandIn(at: offset, in: bytes) || isInModuleDocumentation(offset)
    }
    let index = matches.contains { $0.secretRange != nil } ? LineIndex(bytes) : nil
    let hidden =
      redact
      ? HiddenSpans(
        secrets: matches.filter { rules[$0.ruleIndex].category.isSensitive }.compactMap(\.secretRange)
          + matches.flatMap(\.absorbedSecrets),
        decoded: matches.filter { rules[$0.ruleIndex].category.isSensitive }.compactMap(\.decoded?.secret),
        in: bytes)
      : HiddenSpans()
    // How many times each rule has found each content so far (the fingerprint's index).
    struct Seen: Hashable {
      var rule: Int
      var content: [UInt8]
    }
    var occurrences: [Seen: Int] = [:]
    // Per file, not per finding: a line's marker is parsed once, and columns are counted
    // on from the last position asked for on the same line (starts come in order), so
    // that many findings on one long line cost linear time.
    var markers: [Int: InlineAllow.Marker?] = [:]
    func marker(_ line: Int) -> InlineAllow.Marker? {
      if let known = markers[line] { return known }
      let found = index.flatMap { index -> InlineAllow.Marker? in
        let range = index.lineRange(line, in: bytes)
        // The reason is the rest of the line, which may hold a secret: read from the
        // line with its secrets masked, as a snippet shows it.
        guard redact, !hidden.spans(overlapping: range, within: range, in: bytes).isEmpty else {
          return InlineAllow.marker(inLine: bytes[range], knownRuleIDs: ruleIDs)
        }
        return InlineAllow.marker(
          inLine: Self.masked(range, hiding: hidden, in: bytes), knownRuleIDs: ruleIDs)
      }
      markers[line] = found
      return found
    }
    // On a long line (minified code, a bundle), a marker allows only what is near it:
    // one at the end of megabytes that no reviewer reads would silence everything.
    var markerStarts: [Int: Int?] = [:]
    func allowance(_ line: Int, for range: Range<Int>, ruleID: String) -> Suppression? {
      guard let index, let granted = marker(line)?.suppression(for: ruleID) else { return nil }
      let lineRange = index.lineRange(line, in: bytes)
      if lineRange.count <= Self.maxSnippetBytes { return granted }
      if markerStarts[line] == nil {
        markerStarts[line] = InlineAllow.markerStart(inLine: bytes[lineRange]).map {
          lineRange.lowerBound + $0
        }
      }
      guard let start = markerStarts[line] ?? nil else { return nil }
      let near = range.lowerBound - Self.markerReach...range.upperBound + Self.markerReach
      return near.contains(start) ? granted : nil
    }
    var contextLines: [Int: String] = [:]
    var starts = ColumnCursor()
    var ends = ColumnCursor()
    let ordered = matches.sorted {
      ($0.secretRange?.lowerBound ?? -1, $0.ruleIndex) < ($1.secretRange?.lowerBound ?? -1, $1.ruleIndex)
    }
    return ordered.map { match in
      let rule = rules[match.ruleIndex]
      var start = TextPosition(line: 1, column: 1)
      var end = start
      var snippet = ""
      var secretText: String?
      var content: [UInt8] = []
      var suppression: Suppression?
      if let range = match.secretRange, let index {
        start = starts.location(of: range.lowerBound, index: index, in: bytes)
        end = ends.location(of: range.upperBound, index: index, in: bytes)
        let firstLine = index.lineIndex(of: range.lowerBound)
        let line = index.lineRange(firstLine, in: bytes)
        // A marker on the first or the last line of the match allows it.
        let lastLine = index.lineIndex(of: max(range.lowerBound, range.upperBound - 1))
        suppression =
          allowance(firstLine, for: range, ruleID: rule.id)
          ?? allowance(lastLine, for: range, ruleID: rule.id)
        snippet = Self.snippet(line: line, around: range, hiding: hidden, in: bytes)
        // A secret found by decoding is the decoded value; its place is the encoded text.
        let secretBytes = match.decoded?.secret ?? Array(bytes[range])
        if rule.category.isSensitive {
          // A secret file's finding stands for the secrets read inside its match (the key
          // block a `.env` value opens): they are in its fingerprint, so that replacing one
          // is a new finding.
          content =
            secretBytes
            + match.absorbedSecrets.sorted { $0.lowerBound < $1.lowerBound }.flatMap { Array(bytes[$0]) }
          if let found {
            found.add(secretBytes)
            for absorbed in match.absorbedSecrets { found.add(Array(bytes[absorbed])) }
          }
          let clear = String(decoding: secretBytes, as: UTF8.self)
          secretText = TerminalText.escaped(redact ? Redaction.redact(clear) : clear)
        } else {
          content = Fingerprint.normalized(secretBytes)
        }
      } else if rule.category == .secretFile {
        // A secret file found by its name stands for the secrets in it: they are in its
        // fingerprint, so that a baseline of the file as it was (a placeholder, an old
        // key) does not pass another key written to it.
        content = match.absorbedSecrets.sorted { $0.lowerBound < $1.lowerBound }.flatMap { Array(bytes[$0]) }
      }
      let key = Seen(rule: match.ruleIndex, content: content)
      let occurrence = occurrences[key, default: 0]
      occurrences[key] = occurrence + 1
      var before: [String] = []
      var after: [String] = []
      // Around a secret file's marker (a PEM header) the lines are the key itself.
      if let range = match.secretRange, let index, rule.category != .secretFile {
        let first = index.lineIndex(of: range.lowerBound)
        let last = index.lineIndex(of: max(range.lowerBound, range.upperBound - 1))
        // Shared by every finding near the line: thousands of findings on one line of a
        // minified file keep one copy of each context line, not one each.
        let context = { (line: Int) -> String in
          if let known = contextLines[line] { return known }
          let lineRange = index.lineRange(line, in: bytes)
          let text = Self.snippet(
            line: lineRange, around: lineRange.lowerBound..<lineRange.lowerBound, hiding: hidden, in: bytes)
          contextLines[line] = text
          return text
        }
        before = (max(0, first - Self.contextLines)..<first).map(context)
        // A final newline ends the last line; it does not start an empty one.
        let lineCount = index.lineStarts.count - (bytes.last == UInt8(ascii: "\n") ? 1 : 0)
        after = ((last + 1)..<min(lineCount, last + 1 + Self.contextLines)).map(context)
      }
      var message = rule.description.isEmpty ? rule.id : rule.description
      if let secretText { message += ": \(secretText)" }
      if let decoded = match.decoded {
        message += " (decoded from \(decoded.encodings.map(\.rawValue).joined(separator: ", then ")))"
      }
      var related: [Finding.RelatedLocation] = []
      if let sink = match.relatedRange, let index {
        var cursor = ColumnCursor()
        let location = Finding.RelatedLocation(
          start: cursor.location(of: sink.lowerBound, index: index, in: bytes),
          end: cursor.location(of: sink.upperBound, index: index, in: bytes),
          message: "runs here: \(Self.code(bytes[sink]))")
        related.append(location)
        let origin =
          switch match.insertedOrigin ?? .unknown {
          case .request: ", request data,"
          case .parameter: ", a parameter its function's callers choose,"
          case .session: ", session data,"
          case .unknown: ", a value of unknown origin,"
          }
        let value = match.valueRange.map { "inserts \(Self.code(bytes[$0]))\(origin) and " } ?? ""
        message += ": \(value)reaches \(Self.code(bytes[sink])) on line \(location.start.line)"
      }
      let isFixture = isFixture(match)
      var finding = Finding(
        ruleID: rule.id, ruleIndex: match.ruleIndex, category: rule.category,
        severity: isFixture
          ? .note : match.insertedOrigin.map { $0 < .request } == true ? rule.severity.lower : rule.severity,
        path: path, start: start, end: end,
        fingerprint: Fingerprint.make(
          ruleID: rule.id, path: path, content: content, occurrence: occurrence),
        snippet: snippet, secret: secretText, message: message, suppression: suppression,
        isFixture: isFixture, contextBefore: before, contextAfter: after)
      finding.related = related
      finding.decodedFrom = match.decoded?.encodings ?? []
      return finding
    }
  }

  /// Code quoted in a message: one line, control characters escaped, cut short.
  /// Names only: what follows a bracket or a quote (arguments, a subscript, a literal
  /// that might hold a secret) is shown as `…`.
  static func code(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    let cut = bytes.firstIndex {
      [
        UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "'"),
        UInt8(ascii: "`"), 0x0A, 0x0D,
      ].contains($0)
    }
    let shown = bytes[bytes.startIndex..<(cut ?? bytes.endIndex)].prefix(60)
    var text = String(decoding: shown, as: UTF8.self)
    if let cut {
      text += bytes[cut] == UInt8(ascii: "(") ? "(…)" : bytes[cut] == UInt8(ascii: "[") ? "[…]" : "…"
    } else if bytes.count > 60 {
      text += "…"
    }
    return "`" + TerminalText.escaped(text) + "`"
  }

  /// The line around `range`, cut to `maxSnippetBytes`, with each span of `hidden` in
  /// it replaced by its redacted form and control characters escaped (a scanned file must
  /// not be able to send escape sequences to the user's terminal).
  static func snippet(
    line: Range<Int>, around range: Range<Int>, hiding hidden: HiddenSpans,
    in bytes: UnsafeBufferPointer<UInt8>
  ) -> String {
    var window = line
    if line.count > maxSnippetBytes {
      let lower = max(line.lowerBound, range.lowerBound - contextBytes)
      let upper = min(line.upperBound, max(range.upperBound, range.lowerBound) + contextBytes)
      window = alignedStart(lower, in: bytes)..<alignedStart(upper, in: bytes)
    }
    var text = window.lowerBound > line.lowerBound ? "…" : ""
    var offset = window.lowerBound
    var found = hidden.spans(overlapping: window, within: line, in: bytes)
    // A token the window cuts (a key another file's rules found, which no rule here
    // knows): its part in the window is masked, as no whole text can be matched there.
    func isToken(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
        UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "%"), UInt8(ascii: "\\"):
        // (`%` and `\`: a key's percent- or JSON-escaped copy is one token too.)
        true
      default: false
      }
    }
    func isCutKey(_ part: Range<Int>) -> Bool {
      part.count >= 8 && bytes[part].contains { (0x30...0x39).contains($0) }
        && bytes[part].contains { (0x41...0x5A).contains($0 & 0xDF) }
    }
    if window.lowerBound > line.lowerBound, isToken(bytes[window.lowerBound - 1]) {
      var end = window.lowerBound
      while end < window.upperBound && isToken(bytes[end]) { end += 1 }
      let cut = window.lowerBound..<end
      if isCutKey(cut), !found.contains(where: { $0.overlaps(cut) }) {
        found.insert((cut.lowerBound - 1)..<end, at: 0)
      }
    }
    if window.upperBound < line.upperBound, window.upperBound > window.lowerBound,
      isToken(bytes[window.upperBound])
    {
      var start = window.upperBound
      while start > window.lowerBound && isToken(bytes[start - 1]) { start -= 1 }
      let cut = start..<window.upperBound
      if isCutKey(cut), !found.contains(where: { $0.overlaps(cut) }) {
        found.append(start..<(window.upperBound + 1))
      }
    }
    var merged: [Range<Int>] = []
    for span in found.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    var spans = merged[...]
    while offset < window.upperBound {
      if let span = spans.first, span.lowerBound <= offset {
        spans.removeFirst()
        text +=
          span.lowerBound < window.lowerBound ? Redaction.mask : TerminalText.escaped(redacted(bytes[span]))
        offset = span.upperBound
        continue
      }
      let stop = min(window.upperBound, spans.first?.lowerBound ?? window.upperBound)
      text += TerminalText.escaped(String(decoding: bytes[offset..<stop], as: UTF8.self))
      offset = stop
    }
    if window.upperBound < line.upperBound { text += "…" }
    return text
  }

  /// A hidden span as a snippet shows it, read from its first bytes only: a span may be
  /// megabytes (an encoded run a secret was decoded from). 256 bytes are at least the 16
  /// characters `Redaction` needs to show its most, but where marks combine (then it
  /// shows less).
  static func redacted(_ span: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    Redaction.redact(String(decoding: span.prefix(256), as: UTF8.self))
  }

  /// The bytes of `line` with each span of `hidden` in it replaced by its redacted form.
  static func masked(_ line: Range<Int>, hiding hidden: HiddenSpans, in bytes: UnsafeBufferPointer<UInt8>)
    -> [UInt8]
  {
    var text: [UInt8] = []
    var offset = line.lowerBound
    for span in hidden.spans(overlapping: line, within: line, in: bytes) {
      let start = max(span.lowerBound, line.lowerBound)
      if start > offset { text += bytes[offset..<start] }
      text += Array(redacted(bytes[start..<min(span.upperBound, line.upperBound)]).utf8)
      offset = max(offset, min(span.upperBound, line.upperBound))
    }
    if offset < line.upperBound { text += bytes[offset..<line.upperBound] }
    return text
  }

  /// Moves an offset back to the start of the UTF-8 character it falls in.
  private static func alignedStart(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var offset = offset
    var steps = 0
    while offset > 0 && offset < bytes.count && bytes[offset] & 0xC0 == 0x80 && steps < 3 {
      offset -= 1
      steps += 1
    }
    return offset
  }
}

/// Lines and columns for offsets asked for mostly in increasing order: counts code
/// points on from the last offset on the same line instead of from the line start.
struct ColumnCursor {
  private var line = -1
  private var offset = 0
  private var column = 1

  mutating func location(of target: Int, index: LineIndex, in bytes: UnsafeBufferPointer<UInt8>)
    -> TextPosition
  {
    let targetLine = index.lineIndex(of: target)
    if targetLine != line || target < offset {
      line = targetLine
      offset = index.lineStarts[targetLine]
      column = 1
    }
    while offset < target && offset < bytes.count {
      if bytes[offset] & 0xC0 != 0x80 { column += 1 }
      offset += 1
    }
    return TextPosition(line: line + 1, column: column)
  }
}

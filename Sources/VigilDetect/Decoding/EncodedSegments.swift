import CByteRuns
import VigilModel
import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Text that hides other text: runs of base64 (standard or URL-safe), hex,
/// percent-encoding and `\x`/`\u` escapes whose decoding is itself text. A secret
/// inside one (a Kubernetes `Secret`'s data, a Docker `auths` entry, an `_auth` line, a
/// PEM key stored as base64) is found by scanning what it decodes to.
///
/// Only decodings that are text count: a random key is base64 too, and decodes to
/// noise. Each finder reads the bytes once and stops decoding a run at its first byte
/// that is not text, so looking costs linear time.
enum EncodedSegments {
  struct Segment {
    var range: Range<Int>
    var encoding: ContentEncoding
    var decoded: [UInt8]
    /// Base64 of gzip (`H4sI…`: cloud-init's `gz+b64`, a Helm release, a Kubernetes
    /// `binaryData`): `decoded` is the compressed stream, for the scan to inflate.
    var compressed = false
    /// The file's lines with punctuation escaped, read unescaped and joined: where each
    /// byte of `decoded` is in the file.
    var lines: LineMap? = nil
  }

  /// Where the bytes of the file's escaped lines, unescaped and joined (a line feed after
  /// each), are in the file: each line is its bytes one for one but for the backslashes
  /// taken out, so an offset is its line's start plus the backslashes taken out before it.
  /// A finding there is placed at its own bytes, not at its whole line (a line may be
  /// megabytes of JSON, and a finding's range is what its snippet and masking read).
  struct LineMap {
    /// Each line: where it starts in the decoded text, its range in the file, and the
    /// index in `removed` of its first backslash taken out.
    private(set) var lines: [(start: Int, origin: Range<Int>, firstRemoved: Int)] = []
    /// The offsets in the decoded text of the bytes a backslash stood before, ascending.
    private(set) var removed: [Int] = []

    mutating func startLine(at start: Int, origin: Range<Int>) {
      lines.append((start, origin, removed.count))
    }

    mutating func removedBackslash(before offset: Int) { removed.append(offset) }

    /// Where the byte at `offset` of the decoded text is in the file (the line feed
    /// joined after a line: the line's last byte; escaped lines are never empty).
    func position(of offset: Int) -> Int {
      let at = max(0, lines.partitioningIndex { $0.start > offset } - 1)
      let line = lines[at]
      let end = at + 1 < lines.count ? lines[at + 1].firstRemoved : removed.count
      let before = removed[line.firstRemoved..<end].partitioningIndex { $0 > offset } - line.firstRemoved
      return min(line.origin.upperBound - 1, line.origin.lowerBound + (offset - line.start) + before)
    }

    /// The range in the file of `range` of the decoded text: from the backslash before
    /// its first byte, if one was taken out, to just past its last byte.
    func range(of range: Range<Int>) -> Range<Int> {
      guard !lines.isEmpty else { return 0..<0 }
      let first = removed.partitioningIndex { $0 >= range.lowerBound }
      let escaped = first < removed.count && removed[first] == range.lowerBound
      let lower = position(of: range.lowerBound) - (escaped ? 1 : 0)
      guard !range.isEmpty else { return lower..<lower }
      return lower..<max(lower + 1, position(of: range.upperBound - 1) + 1)
    }
  }

  /// A run shorter than this is left alone: a word, a short identifier.
  static let minimumBase64 = 20
  static let minimumHex = 32

  /// The decodable runs of `bytes`, in order, with what they decode to, at most
  /// `budget` decoded bytes in all; and whether a run was left undecoded for the budget.
  /// `escapedLines`: whether a line with punctuation escaped is read unescaped (not in
  /// JavaScript, where `\/` is a regular expression's slash, in every bundle).
  static func find(
    in bytes: UnsafeBufferPointer<UInt8>, budget: Int, escapedLines readsEscapedLines: Bool = true
  ) -> (
    segments: [Segment], cutShort: Bool
  ) {
    var segments: [Segment] = []
    var spent = 0
    var cutShort = false
    func add(_ segment: Segment) -> Bool {
      guard spent + segment.decoded.count <= budget else {
        cutShort = true
        return false
      }
      spent += segment.decoded.count
      segments.append(segment)
      return true
    }
    let count = bytes.count
    // Escaped text: from each `%` or `\\` that starts an escape (found by memchr), in order.
    var escapedRuns: [Range<Int>] = []
    // Lines with punctuation escaped: JSON's `\/` (PHP's json_encode writes every slash
    // so), a Java properties file's `\:` and `\=` (Properties.store escapes them in values).
    var escapedLines: [Range<Int>] = []
    if let base = bytes.baseAddress {
      func next(_ marker: UInt8, from: Int) -> Int {
        guard from < count, let hit = memchr(base + from, Int32(marker), count - from) else { return count }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      }
      var percent = next(UInt8(ascii: "%"), from: 0)
      var backslash = next(UInt8(ascii: "\\"), from: 0)
      var ampersand = next(UInt8(ascii: "&"), from: 0)
      while min(percent, backslash, ampersand) < count {
        let index = min(percent, backslash, ampersand)
        var from = index + 1
        if readsEscapedLines, isPunctuationEscape(bytes, at: index),
          index >= (escapedLines.last?.upperBound ?? 0)
        {
          // The whole line, once: the name before the value is part of what rules read.
          var start = index
          while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
          var end = index
          while end < count && bytes[end] != 0x0A { end += 1 }
          escapedLines.append(start..<end)
        }
        if isEscape(bytes, at: index) {
          var start = index
          while start > (escapedRuns.last?.upperBound ?? 0) && isEscapedRunByte(bytes[start - 1]) {
            start -= 1
          }
          let end = escapedRunEnd(bytes, from: index)
          escapedRuns.append(start..<end)
          from = max(from, end)
        }
        if percent < from { percent = next(UInt8(ascii: "%"), from: from) }
        if backslash < from { backslash = next(UInt8(ascii: "\\"), from: from) }
        if ampersand < from { ampersand = next(UInt8(ascii: "&"), from: from) }
      }
    }
    for run in escapedRuns {
      if let segment = unescaped(bytes, run) {
        guard add(segment) else { return (segments, cutShort) }
      }
    }
    // All of them one text, read once (a line each cost a scan of its own: 30 MB of short
    // lines took 33 s); not spent from the budget: the file's lines, each once, are no
    // more than the file.
    if let first = escapedLines.first, let last = escapedLines.last {
      var joined: [UInt8] = []
      var lines = LineMap()
      for line in escapedLines {
        lines.startLine(at: joined.count, origin: line)
        punctuationUnescaped(bytes, line, into: &joined, map: &lines)
        joined.append(0x0A)
      }
      segments.append(
        Segment(range: first.lowerBound..<last.upperBound, encoding: .escapes, decoded: joined, lines: lines))
    }
    // Base64 and hex: runs of at least `minimumBase64` bytes, found 64 bytes at a time
    // (`vigil_base64_next_run`). Each search starts just after a byte that is not base64
    // (or at the start): a run's end, or the start.
    guard let base = bytes.baseAddress else { return (segments, cutShort) }
    var index = 0
    while index < count {
      var length = 0
      let start = index + vigil_base64_next_run(base + index, count - index, minimumBase64, &length)
      guard start < count else { break }
      let end = start + length
      index = end
      // Left to the escaped run it is part of (runs in order: a binary search).
      let after = escapedRuns.partitioningIndex { $0.upperBound > start }
      if after < escapedRuns.count && escapedRuns[after].lowerBound < end { continue }
      // Base64 wrapped at a fixed width (`base64`'s 76 columns, PEM's and MIME's 64): the
      // lines decoded as one, as a secret or a key block runs across them; and each line
      // alone, once (lines of one width may be values of their own, a list of keys, which
      // joined run together; a block of thousands of lines is read once, not from each).
      if let wrapped = wrappedRun(bytes, first: start..<end) {
        if let segment = wrappedSegment(bytes, wrapped) {
          guard add(segment) else { return (segments, cutShort) }
        }
        for line in wrapped.lines {
          if line.count >= minimumBase64,
            let segment = decodedRun(bytes, line, padded: paddedEnd(bytes, line))
          {
            guard add(segment) else { return (segments, cutShort) }
          }
        }
        index = wrapped.whole.upperBound
        continue
      }
      if let segment = decodedRun(bytes, start..<end, padded: paddedEnd(bytes, start..<end)) {
        guard add(segment) else { return (segments, cutShort) }
      }
    }
    return (segments, cutShort)
  }

  /// The lines of base64 wrapped at one width that start with the run `first`: each
  /// full line as long as the first (a multiple of 4, at least `minimumWrapped`), the last
  /// one as long or shorter and padded, each after a line break and the same indentation
  /// (a YAML block, a JSON array of lines needs more). Nil when `first` is no such line.
  static func wrappedRun(_ bytes: UnsafeBufferPointer<UInt8>, first: Range<Int>)
    -> (lines: [Range<Int>], whole: Range<Int>)?
  {
    let width = first.count
    guard width >= minimumWrapped, width % 4 == 0, let base = bytes.baseAddress else { return nil }
    // The indentation the first line has, which the others repeat.
    var indentStart = first.lowerBound
    while indentStart > 0 && (bytes[indentStart - 1] == 0x20 || bytes[indentStart - 1] == 0x09) {
      indentStart -= 1
    }
    let indent = first.lowerBound - indentStart
    var lines = [first]
    var end = first.upperBound
    while true {
      var next = end
      if next < bytes.count && bytes[next] == 0x0D { next += 1 }
      guard next < bytes.count, bytes[next] == 0x0A else { break }
      next += 1
      guard next + indent <= bytes.count,
        bytes[next..<(next + indent)].elementsEqual(bytes[indentStart..<first.lowerBound])
      else { break }
      next += indent
      let length = vigil_base64_run_forward(base + next, bytes.count - next)
      guard length > 0, length <= width else { break }
      let padded = paddedEnd(bytes, next..<(next + length))
      lines.append(next..<(next + length))
      end = padded
      // A shorter or padded line is the last.
      if length < width || padded > next + length { break }
    }
    guard lines.count > 1 else { return nil }
    return (lines, lines[0].lowerBound..<end)
  }

  /// Where a base64 run ends with its padding: up to two `=` after it.
  static func paddedEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>) -> Int {
    var padded = run.upperBound
    while padded < bytes.count && padded - run.upperBound < 2 && bytes[padded] == UInt8(ascii: "=") {
      padded += 1
    }
    return padded
  }

  /// Wrapped lines shorter than this are left to be read one by one.
  static let minimumWrapped = 40

  /// Wrapped base64 lines decoded as one, if they decode to text.
  private static func wrappedSegment(
    _ bytes: UnsafeBufferPointer<UInt8>, _ wrapped: (lines: [Range<Int>], whole: Range<Int>)
  ) -> Segment? {
    let joined = wrapped.lines.flatMap { bytes[$0] }
    let urlSafe = joined.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    if urlSafe && joined.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }) {
      return nil
    }
    guard let (text, compressed) = joined.withUnsafeBufferPointer({ base64Text($0[...], urlSafe: urlSafe) })
    else {
      return nil
    }
    return Segment(range: wrapped.whole, encoding: .base64, decoded: text, compressed: compressed)
  }

  /// Whether an escape starts at `index` (`escape(in:at:)`).
  private static func isEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    escape(in: bytes, at: index, before: bytes.count) != nil
  }

  /// The escape at `index`, ending before `end`: the scalar it stands for and its length.
  /// `%HH` (percent-encoding: a byte), `\xHH`, `\uHHHH`, `\u{H…}` (JavaScript, Rust,
  /// Swift), `\UHHHHHHHH` (Python, C), `\ooo` (octal, C and Python) and the numeric
  /// character references of HTML and XML (`&#115;`, `&#x73;`).
  private static func escape(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, before end: Int) -> (
    value: UInt32, length: Int, percent: Bool
  )? {
    func hex(_ range: Range<Int>) -> UInt32? {
      guard range.upperBound <= end, range.allSatisfy({ isHexDigit(bytes[$0]) }) else { return nil }
      return range.reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue(bytes[$1])) }
    }
    func digits(from start: Int, hex isHex: Bool) -> (value: UInt32, next: Int)? {
      var value: UInt32 = 0
      var next = start
      while next < end, next - start < 8,
        isHex ? isHexDigit(bytes[next]) : (0x30...0x39).contains(bytes[next])
      {
        value = isHex ? value << 4 | UInt32(hexValue(bytes[next])) : value * 10 + UInt32(bytes[next] - 0x30)
        next += 1
      }
      return next > start ? (value, next) : nil
    }
    guard index + 2 < end else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "%"):
      return hex(index + 1..<index + 3).map { ($0, 3, true) }
    case UInt8(ascii: "\\"):
      switch bytes[index + 1] {
      case UInt8(ascii: "x"): return hex(index + 2..<index + 4).map { ($0, 4, false) }
      case UInt8(ascii: "u") where bytes[index + 2] == UInt8(ascii: "{"):
        guard let (value, next) = digits(from: index + 3, hex: true), next < end, next - index <= 9,
          bytes[next] == UInt8(ascii: "}")
        else { return nil }
        return (value, next + 1 - index, false)
      case UInt8(ascii: "u"): return hex(index + 2..<index + 6).map { ($0, 6, false) }
      case UInt8(ascii: "U"): return hex(index + 2..<index + 10).map { ($0, 10, false) }
      case UInt8(ascii: "0")...UInt8(ascii: "3"):
        guard index + 3 < end, (index + 1...index + 3).allSatisfy({ (0x30...0x37).contains(bytes[$0]) })
        else {
          return nil
        }
        // Only text: `\000` in a C string is no escape of a secret's (and would make the
        // whole run decode to no text).
        let value = (index + 1...index + 3).reduce(UInt32(0)) { $0 << 3 | UInt32(bytes[$1] - 0x30) }
        return value < 0x80 && isText(UInt8(value)) ? (value, 4, false) : nil
      default: return nil
      }
    case UInt8(ascii: "&") where bytes[index + 1] == UInt8(ascii: "#"):
      let isHex = bytes[index + 2] | 0x20 == UInt8(ascii: "x")
      guard let (value, next) = digits(from: index + (isHex ? 3 : 2), hex: isHex), next < end,
        bytes[next] == UInt8(ascii: ";")
      else { return nil }
      return (value, next + 1 - index, false)
    default: return nil
    }
  }

  /// A base64 or hex run decoded, if it decodes to text.
  private static func decodedRun(_ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, padded: Int)
    -> Segment?
  {
    let body = bytes[run]
    if run.count >= minimumHex && run.count % 2 == 0 && body.allSatisfy(isHexDigit),
      let text = hexText(body)
    {
      return Segment(range: run, encoding: .hex, decoded: text)
    }
    guard run.count >= minimumBase64 else { return nil }
    let urlSafe = body.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    if urlSafe && body.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }) { return nil }
    // Words joined by `-` or `_` (an identifier, a path) are not base64 worth trying.
    guard
      body.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") || $0 == UInt8(ascii: "+") })
        || body.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
    else { return nil }
    guard let (text, compressed) = base64Text(body, urlSafe: urlSafe) else { return nil }
    return Segment(range: run.lowerBound..<padded, encoding: .base64, decoded: text, compressed: compressed)
  }

  /// Base64 decoded, if what it gives is text (`TextCheck`, and there are a few bytes),
  /// or a gzip stream (`H4sI`: its first three bytes, deflate), a zip, or a bzip2, xz or
  /// zstd stream (a Kubernetes Secret made `--from-file=creds.zip`), marked `compressed`.
  static func base64Text(_ body: Slice<UnsafeBufferPointer<UInt8>>, urlSafe: Bool) -> (
    bytes: [UInt8], compressed: Bool
  )? {
    if body.starts(with: "H4sI".utf8) {
      return Base64.decode(body, urlSafe: urlSafe).map { ($0, true) }
    }
    // Each packed format's first bytes in base64, then its magic checked once decoded.
    if ["UEsDB", "Qlpo", "/Td6WFo", "_Td6WFo", "KLUv/", "KLUv_"].contains(where: {
      body.starts(with: $0.utf8)
    }),
      let packed = Base64.decode(body, urlSafe: urlSafe), isPacked(packed)
    {
      return (packed, true)
    }
    var check = TextCheck()
    guard let text = Base64.decode(body, urlSafe: urlSafe, accept: { check.accept($0) }), text.count >= 8,
      let accepted = check.text(of: text)
    else {
      return nil
    }
    return (accepted, false)
  }

  /// Whether `bytes` start as a zip, a bzip2 stream (its header and first block's
  /// magic), an xz or a zstd stream does.
  static func isPacked(_ bytes: [UInt8]) -> Bool {
    let magics: [[UInt8]] = [
      [0x50, 0x4B, 0x03, 0x04], [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], [0x28, 0xB5, 0x2F, 0xFD],
    ]
    if magics.contains(where: { bytes.starts(with: $0) }) { return true }
    return bytes.count >= 10 && bytes.starts(with: [0x42, 0x5A, 0x68]) && (0x31...0x39).contains(bytes[3])
      && bytes[4..<10].elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
  }

  private static func hexText(_ body: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(body.count / 2)
    var check = TextCheck()
    var index = body.startIndex
    while index + 1 < body.endIndex {
      let decoded = hexValue(body[index]) << 4 | hexValue(body[index + 1])
      guard check.accept(decoded) else { return nil }
      output.append(decoded)
      index += 2
    }
    return check.text(of: output)
  }

  /// Whether decoded bytes are text: printable ASCII, tabs and line breaks, but for a
  /// few other bytes, at most one in 32 of them (none in fewer than 64): text with
  /// accented letters in UTF-8, or a key with a damaged byte, still counts. Random bytes,
  /// most of which are not text, are told apart within a few bytes, where decoding stops.
  /// UTF-16 text of ASCII (a NUL beside each byte: what PowerShell's `-EncodedCommand`
  /// takes in base64, and what Windows PowerShell 5.1 writes a file in) counts too, and
  /// is turned into its ASCII bytes. A byte-order mark at the start (UTF-8's, or
  /// UTF-16's either way round, which says where the NULs stand) is not text, and is
  /// left out.
  struct TextCheck {
    private var count = 0
    private var others = 0
    /// The first bytes while they may still be a byte-order mark, then the mark, if any.
    private var pending: [UInt8] = []
    private var mark: [UInt8] = []
    /// Whether every byte at an offset of this parity (after the mark) so far is a NUL
    /// (UTF-16 of ASCII: odd little endian, even big endian), and how many such NULs
    /// were let through as that.
    private var nulParity = 1
    private var mayBeUTF16 = true
    private var nuls = 0
    private static let marks: [[UInt8]] = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF]]

    /// Counts a byte; false once too many are not text to go on.
    mutating func accept(_ byte: UInt8) -> Bool {
      if mark.isEmpty && count == 0 {
        let candidate = pending + [byte]
        if Self.marks.contains(where: { $0.starts(with: candidate) }) {
          if Self.marks.contains(candidate) {
            mark = candidate
            pending = []
            if candidate == [0xFE, 0xFF] { nulParity = 0 }
          } else {
            pending = candidate
          }
          return true
        }
        // Not a mark after all: what was held back is text to judge.
        let held = pending
        pending = []
        for earlier in held where !judge(earlier) { return false }
      }
      return judge(byte)
    }

    private mutating func judge(_ byte: UInt8) -> Bool {
      let parity = count % 2
      count += 1
      if parity == nulParity && mayBeUTF16 {
        if byte == 0 {
          nuls += 1
          return true
        }
        // Not UTF-16 after all: the NULs let through were not text.
        mayBeUTF16 = false
        others += nuls
      }
      if EncodedSegments.isText(byte) { return true }
      others += 1
      return others <= 4 + count / 32
    }

    /// Bytes held back as a mark's start that the end of the text left unfinished.
    private var unfinished: Int { pending.count }

    var isText: Bool {
      let others = others + unfinished
      let count = count + unfinished
      return others == 0 || (count >= 64 && others * 32 <= count)
    }

    /// `bytes` (what was checked) as text: nil if they are not; without their
    /// byte-order mark; the ASCII bytes of UTF-16 text.
    func text(of bytes: [UInt8]) -> [UInt8]? {
      guard isText else { return nil }
      let body = bytes.dropFirst(mark.count)
      guard mayBeUTF16 && nuls >= 4 else { return Array(body) }
      return stride(from: body.startIndex + 1 - nulParity, to: body.endIndex, by: 2).map { bytes[$0] }
    }
  }

  /// Whether `\/`, `\:`, `\=`, `\#` or `\!` starts at `index` (and the backslash is not
  /// itself escaped).
  private static func isPunctuationEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count, isEscapedPunctuation(bytes[index + 1])
    else { return false }
    // An even run of backslashes before it escapes itself (`\\\\\/`: a backslash, then `\/`).
    var before = index
    while before > 0 && bytes[before - 1] == UInt8(ascii: "\\") { before -= 1 }
    return (index - before) % 2 == 0
  }

  private static func isEscapedPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: "!"): true
    default: false
    }
  }

  /// `line` with each escaped punctuation mark (and escaped backslash) as itself, added
  /// to `output`; each backslash taken out noted in `map`.
  private static func punctuationUnescaped(
    _ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, into output: inout [UInt8], map: inout LineMap
  ) {
    var index = line.lowerBound
    while index < line.upperBound {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\"), index + 1 < line.upperBound,
        isEscapedPunctuation(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: "\\")
      {
        map.removedBackslash(before: output.count)
        output.append(bytes[index + 1])
        index += 2
      } else {
        output.append(byte)
        index += 1
      }
    }
  }

  /// Percent-encoding and `\xHH`/`\uHHHH` escapes in a run without blanks or quotes,
  /// decoded, if they decode to text and change it.
  private static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>) -> Segment? {
    var output: [UInt8] = []
    var index = run.lowerBound
    var escapes = 0
    var percent = false
    while index < run.upperBound {
      guard let (value, length, isPercent) = escape(in: bytes, at: index, before: run.upperBound) else {
        output.append(bytes[index])
        index += 1
        continue
      }
      // A percent or `\x` escape is a byte (UTF-8 spelt out); the others a character.
      let octal = (UInt8(ascii: "0")...UInt8(ascii: "3")).contains(bytes[index + 1])
      if isPercent || (bytes[index] == UInt8(ascii: "\\") && (bytes[index + 1] == UInt8(ascii: "x") || octal))
      {
        output.append(UInt8(truncatingIfNeeded: value))
      } else {
        output += Array(String(Character(Unicode.Scalar(value) ?? "\u{FFFD}")).utf8)
      }
      escapes += 1
      percent = percent || isPercent
      index += length
    }
    // Escapes are written one character at a time: each must give text.
    guard escapes > 0, output.count >= 8, output.allSatisfy(isText) else { return nil }
    return Segment(range: run, encoding: percent ? .percent : .escapes, decoded: output)
  }

  /// Where a run that may hold escapes ends: at a blank, a quote or a bracket.
  private static func escapedRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var end = start
    while end < bytes.count {
      if isEscapedRunByte(bytes[end]) {
        end += 1
      } else if bytes[end] == UInt8(ascii: "{"), end >= 2, bytes[end - 1] == UInt8(ascii: "u"),
        bytes[end - 2] == UInt8(ascii: "\\"),
        let (_, length, _) = escape(in: bytes, at: end - 2, before: bytes.count)
      {
        // `\u{73}`: its braces are the escape's.
        end += length - 2
      } else {
        break
      }
    }
    return end
  }

  private static func isEscapedRunByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x21, 0x23...0x26, 0x28...0x3B, 0x3D, 0x3F...0x5F, 0x61...0x7A, 0x7C, 0x7E: true
    default: false
    }
  }

  /// Printable ASCII, a tab or a line break: what a decoded secret or config is.
  fileprivate static func isText(_ byte: UInt8) -> Bool {
    (byte >= 0x20 && byte < 0x7F) || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8 {
    byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10
  }
}

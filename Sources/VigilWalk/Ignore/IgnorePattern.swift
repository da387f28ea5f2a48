import VigilModel

/// One pattern of an ignore file, parsed as git parses it.
///
/// Lines are split at LF (a CR before it is dropped); blank lines and lines starting
/// with `#` are skipped; unescaped trailing spaces are trimmed; `!` negates; a trailing
/// `/` matches directories only; a pattern with no other `/` matches a name at any
/// depth, one with a `/` is anchored to the ignore file's directory.
public struct IgnorePattern: Sendable {
  /// The glob, without `!`, the leading `/` and the trailing `/`.
  public let glob: [UInt8]
  public let negated: Bool
  public let directoryOnly: Bool
  /// No `/` in the pattern: it is matched against the last path component.
  public let matchesBasename: Bool
  /// How many leading bytes of `glob` are literal (git's `nowildcardlen`): the text
  /// must start with them, checked before any glob matching.
  private let literalPrefix: Int
  /// `*` followed only by literal bytes (a name pattern such as `*.log`).
  private let isSuffix: Bool

  /// `nil` for blank lines and comments.
  public init?(line: ArraySlice<UInt8>) {
    guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
    var bytes = Array(Self.trimmingTrailingSpaces(line))
    var negated = false
    if bytes.first == UInt8(ascii: "!") {
      negated = true
      bytes.removeFirst()
    }
    var directoryOnly = false
    if bytes.last == UInt8(ascii: "/") {
      directoryOnly = true
      bytes.removeLast()
    }
    guard !bytes.isEmpty else { return nil }
    let matchesBasename = !bytes.contains(UInt8(ascii: "/"))
    if bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
    self.glob = bytes
    self.negated = negated
    self.directoryOnly = directoryOnly
    self.matchesBasename = matchesBasename
    let literalPrefix = bytes.firstIndex(where: WildMatch.isGlobSpecial) ?? bytes.count
    self.literalPrefix = literalPrefix
    // git's EXC_FLAG_ENDSWITH: `*.log` as a name pattern is a suffix test.
    self.isSuffix =
      matchesBasename && bytes.count > 1 && bytes[0] == UInt8(ascii: "*")
      && !bytes.dropFirst().contains(where: WildMatch.isGlobSpecial)
  }

  /// Whether the pattern takes in `path`; nil when matching gave up
  /// (`WildMatch.maximumSteps`).
  ///
  /// - Parameters:
  ///   - path: relative to the ignore file's directory, `/`-separated.
  ///   - basename: the last component of `path`.
  public func matches(
    path: UnsafeBufferPointer<UInt8>, basename: UnsafeBufferPointer<UInt8>, isDirectory: Bool
  ) -> Bool? {
    if directoryOnly && !isDirectory { return false }
    let text = matchesBasename ? basename : path
    if isSuffix {
      let suffix = glob.count - 1
      return text.count >= suffix && equal(from: 1, text, at: text.count - suffix, count: suffix)
    }
    // The literal head (all of a pattern without wildcards) is compared as bytes, as git
    // does; only what follows it goes through wildmatch.
    guard text.count >= literalPrefix, equal(from: 0, text, at: 0, count: literalPrefix) else {
      return false
    }
    if literalPrefix == glob.count { return text.count == glob.count }
    switch WildMatch.result(glob, from: literalPrefix, text, from: literalPrefix, pathname: !matchesBasename)
    {
    case .match: return true
    case .gaveUp: return nil
    default: return false
    }
  }

  /// Whether `count` bytes of `glob` from `start` equal those of `text` from `offset`.
  private func equal(from start: Int, _ text: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> Bool
  {
    for index in 0..<count where glob[start + index] != text[offset + index] { return false }
    return true
  }

  /// git's `trim_trailing_spaces`: drops trailing spaces unless a backslash escapes one.
  private static func trimmingTrailingSpaces(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var lastSpace: Int?
    var index = line.startIndex
    while index < line.endIndex {
      switch line[index] {
      case UInt8(ascii: " "):
        if lastSpace == nil { lastSpace = index }
      case UInt8(ascii: "\\"):
        index += 1
        if index == line.endIndex { return line }
        lastSpace = nil
      default:
        lastSpace = nil
      }
      index += 1
    }
    return lastSpace.map { line[line.startIndex..<$0] } ?? line
  }
}

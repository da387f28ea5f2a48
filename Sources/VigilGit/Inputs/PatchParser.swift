import VigilModel
import VigilSupport

/// Reads `git diff` / `git log -p` output with `-U0`, line by line, into `FilePatch`es.
///
/// Works on bytes: a patch holds whatever the files held, invalid UTF-8 included.
/// Paths come from the `+++ b/...` line (or `rename to`, or the `diff --git` header for
/// binary and pure-rename entries), unquoted as git quotes them.
package struct PatchParser {
  package private(set) var finished: [FilePatch] = []
  private var current: FilePatch?
  private var inHunk = false
  private var nextLine = 0

  package init() {}

  package mutating func consume(_ line: ArraySlice<UInt8>) {
    if line.starts(with: Self.diffHeader) {
      flush()
      var patch = FilePatch()
      patch.path = Self.pathFromHeader(line.dropFirst(Self.diffHeader.count)) ?? ""
      current = patch
      inHunk = false
      return
    }
    guard current != nil else { return }
    if line.starts(with: Self.hunkHeader) {
      inHunk = true
      nextLine = Self.newStart(line) ?? 0
      return
    }
    if inHunk {
      switch line.first {
      case UInt8(ascii: "+"):
        current?.addedLines.append((nextLine, line.dropFirst()))
        nextLine += 1
      case UInt8(ascii: " "):
        nextLine += 1
      default:
        break
      }
      return
    }
    if line.starts(with: Array("+++ ".utf8)) {
      var rest = line.dropFirst(4)
      // Git ends the name with a TAB when it holds a space (for patch(1)); a TAB of the
      // name itself would be quoted as \t, so a last TAB is never part of it.
      if rest.last == 0x09 { rest = rest.dropLast() }
      if rest.elementsEqual("/dev/null".utf8) {
        current?.isDeleted = true
      } else if let path = Self.unquote(rest), path.hasPrefix("b/") {
        current?.path = String(path.dropFirst(2))
      }
    } else if line.starts(with: Array("new file mode".utf8)) || line.starts(with: Array("copy to ".utf8)) {
      current?.isNew = true
      if line.starts(with: Array("copy to ".utf8)), let path = Self.unquote(line.dropFirst(8)) {
        current?.path = path
      }
    } else if line.starts(with: Array("deleted file mode".utf8)) {
      current?.isDeleted = true
    } else if line.starts(with: Array("rename to ".utf8)) {
      current?.isRenamed = true
      if let path = Self.unquote(line.dropFirst(10)) { current?.path = path }
    } else if line.starts(with: Array("Binary files ".utf8))
      || line.starts(with: Array("GIT binary patch".utf8))
    {
      current?.isBinary = true
    }
  }

  /// Ends the current file; call once at the end of the input (or of a commit).
  package mutating func flush() {
    if let current { finished.append(current) }
    current = nil
    inHunk = false
  }

  package mutating func takeFinished() -> [FilePatch] {
    defer { finished.removeAll() }
    return finished
  }

  private static let diffHeader = Array("diff --git ".utf8)
  private static let hunkHeader = Array("@@ ".utf8)

  /// `c` from `@@ -a,b +c,d @@`.
  package static func newStart(_ line: ArraySlice<UInt8>) -> Int? {
    guard let plus = line.firstIndex(of: UInt8(ascii: "+")) else { return nil }
    var value = 0
    var index = plus + 1
    var digits = 0
    while index < line.endIndex, let digit = Int(exactly: line[index]).map({ $0 - 48 }),
      (0...9).contains(digit)
    {
      value = value * 10 + digit
      index += 1
      digits += 1
    }
    return digits > 0 ? value : nil
  }

  /// The new path from `a/X b/X` when both halves are the same (binary files and mode
  /// changes have no `+++` line); quoted headers are left to the other lines.
  package static func pathFromHeader(_ rest: ArraySlice<UInt8>) -> String? {
    guard rest.first == UInt8(ascii: "a"), rest.count % 2 == 1 else { return nil }
    let half = (rest.count - 1) / 2
    let first = rest.prefix(half)
    let second = rest.suffix(half)
    guard first.starts(with: "a/".utf8), second.starts(with: "b/".utf8),
      first.dropFirst(2).elementsEqual(second.dropFirst(2))
    else { return nil }
    return PathText.display(second.dropFirst(2))
  }

  /// A path as git prints it: as-is, or in double quotes with C escapes (`\t`, `\n`,
  /// `\"`, `\\`, octal `\303`).
  package static func unquote(_ text: ArraySlice<UInt8>) -> String? {
    guard text.first == UInt8(ascii: "\""), text.count >= 2, text.last == UInt8(ascii: "\"") else {
      return PathText.display(text)
    }
    var bytes: [UInt8] = []
    var index = text.startIndex + 1
    let end = text.endIndex - 1
    while index < end {
      let byte = text[index]
      guard byte == UInt8(ascii: "\\"), index + 1 < end else {
        bytes.append(byte)
        index += 1
        continue
      }
      let next = text[index + 1]
      switch next {
      case UInt8(ascii: "n"): bytes.append(0x0A)
      case UInt8(ascii: "t"): bytes.append(0x09)
      case UInt8(ascii: "r"): bytes.append(0x0D)
      case UInt8(ascii: "a"): bytes.append(0x07)
      case UInt8(ascii: "b"): bytes.append(0x08)
      case UInt8(ascii: "f"): bytes.append(0x0C)
      case UInt8(ascii: "v"): bytes.append(0x0B)
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = 0
        var digits = 0
        var cursor = index + 1
        while digits < 3, cursor < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(text[cursor]) {
          value = value * 8 + Int(text[cursor] - UInt8(ascii: "0"))
          cursor += 1
          digits += 1
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
        index = cursor
        continue
      default: bytes.append(next)
      }
      index += 2
    }
    return PathText.display(bytes)
  }
}

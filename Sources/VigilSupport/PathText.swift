import Foundation

/// File system paths as bytes, and how they are shown.
///
/// Linux file names are bytes, not text: a name that is not valid UTF-8 must still be
/// opened (so its secrets are found) and must be shown unambiguously, so invalid bytes
/// are shown as `\xNN`.
public enum PathText {
  /// `bytes` as text: valid UTF-8 as is, every byte of an invalid sequence as `\xNN`.
  /// So that no two names are shown alike, a name shown with escapes has its
  /// backslashes doubled, and so does a valid name that holds what reads as an escape
  /// (`bad\xFFname`, shown `bad\\xFFname`, is not the file whose name holds the byte
  /// FF, shown `bad\xFFname`): a name shown as it is never holds `\x` and two hex
  /// digits, and `bytes(display:)` gives back the name's bytes. Each component of a path
  /// is shown on its own, so that a directory's shown path and a name below it, each
  /// shown alone and joined by `/`, are the path shown whole.
  ///
  /// Swift compares, hashes and prefixes strings by canonical equivalence: `café` with
  /// `é` one code point (NFC) equals `café` with `e` and a combining accent (NFD), and
  /// `"a/\u{301}b".hasPrefix("a/")` is false (the accent joins the slash). Linux and git
  /// hold such names apart, so a component that is not in NFC, or whose first or last
  /// character would join the slash beside it, is shown with every byte past ASCII
  /// escaped (`cafe\xCC\x81`): the shown paths of two names are then equal, and one a
  /// prefix of the other up to a slash, exactly when their bytes are.
  public static func display(_ bytes: some Collection<UInt8>) -> String {
    let array = Array(bytes)
    if let valid = String(validating: array, as: UTF8.self), !holdsEscape(array[...]),
      array.allSatisfy({ $0 < 0x80 }) || isCanonical(valid)
    {
      return valid
    }
    return array.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { component in
      if let valid = String(validating: component, as: UTF8.self), !holdsEscape(component), isCanonical(valid)
      {
        return valid
      }
      let text = escaped(component, keepingText: true)
      return isCanonical(text) ? text : escaped(component, keepingText: false)
    }.joined(separator: "/")
  }

  /// `component` with its backslashes doubled and its bytes that are not UTF-8 (with
  /// `keepingText` false: all bytes past ASCII) as `\xNN`.
  private static func escaped(_ component: ArraySlice<UInt8>, keepingText: Bool) -> String {
    var text = ""
    var index = component.startIndex
    while index < component.endIndex {
      let length = sequenceLength(component, at: index)
      if component[index] == UInt8(ascii: "\\") {
        text += "\\\\"
        index += 1
      } else if length > 0, keepingText || length == 1,
        let scalar = String(validating: component[index..<(index + length)], as: UTF8.self)
      {
        text += scalar
        index += length
      } else {
        let hex = String(component[index], radix: 16, uppercase: true)
        text += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        index += 1
      }
    }
    return text
  }

  /// Whether `text` is shown as it is: each of its components in NFC and, with a slash
  /// before and after it, as many characters as alone plus the two slashes (no
  /// combining mark opening it, no prepended mark ending it).
  private static func isCanonical(_ text: String) -> Bool {
    for component in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
      guard component.contains(where: { $0 >= 0x80 }) else { continue }
      let name = String(decoding: component, as: UTF8.self)
      guard name.precomposedStringWithCanonicalMapping.utf8.elementsEqual(name.utf8),
        ("/" + name + "/").count == name.count + 2
      else { return false }
    }
    return true
  }

  /// The bytes of the name `display(_:)` shows as `text`.
  public static func bytes(display text: String) -> [UInt8] {
    let shown = Array(text.utf8)
    guard holdsEscape(shown[...]) else { return shown }
    var bytes: [UInt8] = []
    for (position, component) in shown.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
      .enumerated()
    {
      if position > 0 { bytes.append(UInt8(ascii: "/")) }
      guard holdsEscape(component) else {
        bytes += component
        continue
      }
      var index = component.startIndex
      while index < component.endIndex {
        if component[index] == UInt8(ascii: "\\"), index + 1 < component.endIndex,
          component[index + 1] == UInt8(ascii: "\\")
        {
          bytes.append(component[index])
          index += 2
        } else if isEscape(component, at: index),
          let byte = UInt8(String(decoding: component[(index + 2)..<(index + 4)], as: UTF8.self), radix: 16)
        {
          bytes.append(byte)
          index += 4
        } else {
          bytes.append(component[index])
          index += 1
        }
      }
    }
    return bytes
  }

  /// Whether `bytes` hold a backslash, `x` and two hexadecimal digits.
  private static func holdsEscape(_ bytes: ArraySlice<UInt8>) -> Bool {
    var index = bytes.startIndex
    while let backslash = bytes[index...].firstIndex(of: UInt8(ascii: "\\")) {
      if isEscape(bytes, at: backslash) { return true }
      index = backslash + 1
    }
    return false
  }

  private static func isEscape(_ bytes: ArraySlice<UInt8>, at index: Int) -> Bool {
    func isHex(_ byte: UInt8) -> Bool {
      (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
    return index + 3 < bytes.endIndex && bytes[index] == UInt8(ascii: "\\")
      && bytes[index + 1] == UInt8(ascii: "x")
      && isHex(bytes[index + 2]) && isHex(bytes[index + 3])
  }

  /// The length of the UTF-8 sequence a lead byte announces (0 for a stray byte).
  private static func sequenceLength(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int {
    let lead = bytes[index]
    let length =
      lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
    return index + length <= bytes.endIndex ? length : 0
  }

  /// `path` made absolute against `directory`, with `.` and `..` resolved (no link is
  /// looked at).
  public static func absolute(_ path: String, from directory: String) -> String {
    let joined = path.hasPrefix("/") ? path : directory + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.path
  }

  /// Calls `body` with a NUL-terminated copy of `path`.
  public static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    (path + [0]).withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
  }
}

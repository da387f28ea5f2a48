import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `working-tree-encoding` from `.gitattributes`: git keeps such a file in its blobs as
/// UTF-8 and writes it out in the encoding named. An ASCII `.env` declared EBCDIC
/// (`IBM037`) is kept as accented Latin letters in every blob, and every checkout gives
/// the ASCII file back: git inputs read a blob in its working-tree form too.
package enum WorkingTreeEncoding {
  /// The encoding each of `paths` is declared in (UTF-8 and what is not set left out), by
  /// `git check-attr` (the index's attributes with `cached`, else the work tree's).
  package static func declared(for paths: [String], git: GitCommand, cached: Bool) throws -> [String: String]
  {
    // The UTF-16 and UTF-32 families are read by their own forms
    // (`FileReader.utf16WorkingTreeForms`): converting every file of a repository that
    // declares `* working-tree-encoding=UTF-16` would read each twice.
    try GitAttributes.values(of: "working-tree-encoding", for: paths, git: git, cached: cached)
      .filter { isConverted($0.value) }
  }

  /// The encodings `working-tree-encoding=` names anywhere in a `.gitattributes` file's
  /// `text` (a pattern's line, a macro, a comment), UTF families and unset values left
  /// out as in `declared`, and names iconv does not know.
  package static func named(in text: [UInt8]) -> [String] {
    let key = Array("working-tree-encoding=".utf8)
    var found: [String] = []
    var index = 0
    while let start = text[index...].firstRange(of: key) {
      var end = start.upperBound
      while end < text.count && ![0x20, 0x09, 0x0A, 0x0D, 0x22].contains(text[end]) { end += 1 }
      let value = String(decoding: text[start.upperBound..<end], as: UTF8.self)
      if isConverted(value) && !found.contains(value) && isKnown(value) { found.append(value) }
      index = end
    }
    return found
  }

  /// Whether iconv converts to `encoding`: a name it does not know takes no place among
  /// those a history tries (sixteen made-up names must not push out a real one).
  static func isKnown(_ encoding: String) -> Bool {
    guard let converter = iconv_open(encoding, "UTF-8"), converter != iconv_t(bitPattern: -1) else {
      return false
    }
    iconv_close(converter)
    return true
  }

  /// Whether a declared value is one a blob is converted back from (`iconv`): not unset,
  /// not UTF-8, and not UTF-16 or UTF-32, which `FileReader.utf16WorkingTreeForms` reads
  /// (UTF-7 is converted: `ghp+AF8-…` on disk).
  static func isConverted(_ value: String) -> Bool {
    let normalized = value.uppercased().replacingOccurrences(of: "-", with: "")
    return !["UNSPECIFIED", "UNSET", "SET", "", "UTF8"].contains(normalized) && !normalized.hasPrefix("UTF16")
      && !normalized.hasPrefix("UTF32") && !normalized.hasPrefix("UCS")
  }

  /// `utf8` as git writes it out in `encoding` (iconv), if that differs from it; nil for
  /// an encoding iconv does not know or text it cannot write in it.
  package static func workingTreeForm(of utf8: [UInt8], encoding: String) -> [UInt8]? {
    guard let form = converted(utf8, from: "UTF-8", to: encoding) else { return nil }
    return form == utf8 ? nil : form
  }

  /// A file checked out in `encoding` as the UTF-8 git keeps of it; nil where iconv does
  /// not know the encoding or the bytes are not text in it.
  package static func utf8Form(of checkedOut: [UInt8], encoding: String) -> [UInt8]? {
    converted(checkedOut, from: encoding, to: "UTF-8")
  }

  private static func converted(_ bytes: [UInt8], from source: String, to target: String) -> [UInt8]? {
    let converter = iconv_open(target, source)
    guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(converter) }
    var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
    var input = bytes
    let written: Int? = input.withUnsafeMutableBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        var sourcePointer = UnsafeMutableRawPointer(source.baseAddress)?.assumingMemoryBound(to: CChar.self)
        var sourceLeft = source.count
        var targetPointer = UnsafeMutableRawPointer(target.baseAddress)?.assumingMemoryBound(to: CChar.self)
        var targetLeft = target.count
        guard iconv(converter, &sourcePointer, &sourceLeft, &targetPointer, &targetLeft) != -1 else {
          return nil
        }
        return target.count - targetLeft
      }
    }
    return written.map { Array(output[..<$0]) }
  }
}

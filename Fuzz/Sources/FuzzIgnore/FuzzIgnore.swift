import VigilWalk

/// Random bytes as a `.gitignore` and as paths to test against it. The patterns come
/// before the first NUL byte and the paths after it, one per line.
///
/// Beyond not crashing: a pattern line that is a plain name (no wildcard, slash,
/// backslash or leading `!`/`#`) must ignore a file of exactly that name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIgnore(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  let patterns = Array(bytes[..<split])
  let file = IgnoreFile(base: [], contents: patterns)
  let paths = bytes[min(split + 1, bytes.count)...].split(separator: UInt8(ascii: "\n"))
  for path in paths {
    let path = Array(path)
    let basenameStart = (path.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
    _ = file.verdict(path: path, basenameStart: basenameStart, isDirectory: false)
    _ = file.verdict(path: path, basenameStart: basenameStart, isDirectory: true)
  }
  let special = Set("*?[]\\/!# \t\r".utf8)
  for line in patterns.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
    guard !line.contains(where: special.contains), line != [UInt8(ascii: ".")][...],
      line != [UInt8(ascii: "."), UInt8(ascii: ".")][...]
    else { continue }
    let name = Array(line)
    let verdict = IgnoreFile(base: [], contents: name).verdict(
      path: name, basenameStart: 0, isDirectory: false)
    precondition(verdict == true, "a plain name does not ignore itself")
  }
  return 0
}

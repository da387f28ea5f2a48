import Foundation

/// File system paths as bytes, and how they are shown.
///
/// Linux file names are bytes, not text: a name that is not valid UTF-8 must still be
/// opened (so its secrets are found) and must be shown unambiguously, so invalid bytes
/// are shown as `\xNN`.
public enum PathText {
  /// `bytes` as text: valid UTF-8 as is, every byte of an invalid sequence as `\xNN`.
  public static func display(_ bytes: some Collection<UInt8>) -> String {
    let array = Array(bytes)
    if let valid = String(validating: array, as: UTF8.self) { return valid }
    var text = ""
    var index = 0
    while index < array.count {
      let length = sequenceLength(array, at: index)
      if length > 0, let scalar = String(validating: array[index..<(index + length)], as: UTF8.self) {
        text += scalar
        index += length
      } else {
        let hex = String(array[index], radix: 16, uppercase: true)
        text += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        index += 1
      }
    }
    return text
  }

  /// The length of the UTF-8 sequence a lead byte announces (0 for a stray byte).
  private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
    let lead = bytes[index]
    let length =
      lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
    return index + length <= bytes.count ? length : 0
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

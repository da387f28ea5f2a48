import Foundation

/// `file:` URIs for paths, as SARIF and version-control provenance write them.
public enum FileURI {
  /// `file:///a/b/` for the directory `/a/b`, percent-encoded, ending in `/`.
  public static func directory(_ path: String) -> String {
    let encoded = percentEncoded(path)
    return "file://" + (encoded.hasSuffix("/") ? encoded : encoded + "/")
  }

  /// RFC 3986 percent-encoding of a path: everything but unreserved characters and `/`.
  public static func percentEncoded(_ path: String) -> String {
    var result = ""
    for byte in PathText.bytes(display: path) {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        result += String(format: "%%%02X", byte)
      }
    }
    return result
  }
}

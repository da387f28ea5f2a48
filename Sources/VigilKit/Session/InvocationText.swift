import Foundation
import VigilModel
import VigilSupport

/// Whether vigil can take its arguments and its working directory as text.
///
/// Swift reads both as text: bytes that are not UTF-8 would each become U+FFFD and name
/// another file (`k\xFF.py` read as `k\u{FFFD}.py`: a scan of the wrong file, which
/// passes; a tree under such a directory "not found"). Names below the scanned directory
/// are read as bytes; these two are refused, with what to do instead (the working
/// directory only where a relative path needs it).
public enum InvocationText {
  /// Why the process's arguments cannot be taken as they are (nil for a request for
  /// help or the version, which names no file).
  public static func problem() -> String? {
    var refused: [UInt8]?
    for index in 1..<Int(CommandLine.argc) {
      guard let argument = CommandLine.unsafeArgv[index] else { continue }
      let bytes = Self.bytes(argument)
      guard let text = String(validating: bytes, as: UTF8.self) else {
        refused = refused ?? bytes
        continue
      }
      if ["-h", "--help", "--version", "help"].contains(text) { return nil }
    }
    return refused.map {
      "the argument \(shown($0)) is not UTF-8 text, which vigil cannot name a file by; "
        + "name the directory that holds it (names below it are read as they are)"
    }
  }

  /// Why a path relative to the working directory cannot be used: the directory's own
  /// path is not UTF-8 text (nil when it is).
  public static func workingDirectoryProblem() -> String? {
    guard let current = getcwd(nil, 0) else { return nil }
    defer { free(current) }
    let bytes = Self.bytes(current)
    guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
    return "the current directory's path (\(shown(bytes))) is not UTF-8 text, which vigil cannot name "
      + "it by; run vigil in a directory whose path is, or name the tree by an absolute path that is "
      + "(rename the directory, or check the repository out under another path)"
  }

  private static func bytes(_ text: UnsafePointer<CChar>) -> [UInt8] {
    UnsafeBufferPointer(start: text, count: strlen(text)).map { UInt8(bitPattern: $0) }
  }

  private static func shown(_ bytes: [UInt8]) -> String { TerminalText.escaped(PathText.display(bytes)) }
}

import Foundation
import VigilModel
import VigilSupport

/// Whether vigil can take its arguments and its working directory as text.
///
/// Swift reads both as text: bytes that are not UTF-8 would each become U+FFFD and name
/// another file (`k\xFF.py` read as `k\u{FFFD}.py`: a scan of the wrong file, which
/// passes; a tree under such a directory "not found"). Names below the scanned directory
/// are read as bytes; these two are refused, with what to do instead.
public enum InvocationText {
  /// Why the process's arguments or working directory cannot be taken as they are.
  public static func problem() -> String? {
    var asksForHelp = false
    for index in 1..<Int(CommandLine.argc) {
      guard let argument = CommandLine.unsafeArgv[index] else { continue }
      let bytes = Self.bytes(argument)
      guard let text = String(validating: bytes, as: UTF8.self) else {
        return "the argument \(shown(bytes)) is not UTF-8 text, which vigil cannot name a file by; "
          + "name the directory that holds it (names below it are read as they are)"
      }
      asksForHelp = asksForHelp || ["-h", "--help", "--version", "help"].contains(text)
    }
    // Help and the version need no directory.
    guard !asksForHelp, let current = getcwd(nil, 0) else { return nil }
    defer { free(current) }
    let bytes = Self.bytes(current)
    guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
    return "the current directory's path (\(shown(bytes))) is not UTF-8 text, which vigil cannot name "
      + "it by; run vigil in a directory whose path is (rename the directory, or check the "
      + "repository out under another path)"
  }

  private static func bytes(_ text: UnsafePointer<CChar>) -> [UInt8] {
    UnsafeBufferPointer(start: text, count: strlen(text)).map { UInt8(bitPattern: $0) }
  }

  private static func shown(_ bytes: [UInt8]) -> String { TerminalText.escaped(PathText.display(bytes)) }
}

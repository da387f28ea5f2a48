import Digest
import Foundation
import VigilDetect

/// The keyword pass's compiled Vectorscan sets, kept in vigil's cache directory
/// (`keyword-sets`) so that a later scan with the same rules loads one instead of
/// compiling it (a tenth of a second with the rules' prefilters).
///
/// A set is filed under the SHA-256 of everything it is made of (Vectorscan's version,
/// each keyword, each prefilter), and stored after the SHA-256 of its own bytes: a file
/// cut short or damaged is not loaded, and the set is compiled again. Only from a
/// directory and a file of the user's that nobody else can write (`UserCache`); the
/// few most recently used are kept.
struct KeywordSetCache: CompiledSetStore {
  let directory: String

  static let kept = 4

  func load(_ key: [UInt8]) -> [UInt8]? {
    let path = file(for: key)
    guard UserCache.untrusted(directory, isDirectory: true) == nil,
      UserCache.untrusted(path, isDirectory: false) == nil,
      let data = FileManager.default.contents(atPath: path), data.count > 32
    else { return nil }
    let bytes = [UInt8](data)
    let payload = Array(bytes[32...])
    guard SHA256.hash(payload) == Array(bytes[..<32]) else { return nil }
    utimes(path, nil)
    return payload
  }

  func save(_ key: [UInt8], _ bytes: [UInt8]) {
    let path = file(for: key)
    guard UserCache.write(Data(SHA256.hash(bytes) + bytes), to: path) else { return }
    UserCache.prune(directory, keeping: Self.kept, except: path) { $0.hasSuffix(".set") }
  }

  private func file(for key: [UInt8]) -> String { directory + "/\(SHA256.hex(key).prefix(32)).set" }
}

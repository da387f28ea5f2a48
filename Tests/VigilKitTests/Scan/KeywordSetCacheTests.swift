import Foundation
import Testing
import VigilTestSupport

@testable import VigilKit

/// The keyword pass's kept Vectorscan sets: what is saved loads back under its key only;
/// a damaged file, or a directory or file another user could have written, loads nothing.
@Suite struct KeywordSetCacheTests {
  private let key = Array("a set's description".utf8)
  private let bytes: [UInt8] = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37) }

  private func cache(_ tree: TemporaryTree) -> KeywordSetCache {
    KeywordSetCache(directory: tree.path + "/vigil/keyword-sets")
  }

  private func onlyFile(_ cache: KeywordSetCache) throws -> String {
    let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
    try #require(names.count == 1, "\(names)")
    return cache.directory + "/" + names[0]
  }

  @Test func whatIsSavedLoadsUnderItsKeyOnly() throws {
    let tree = try TemporaryTree()
    let cache = cache(tree)
    #expect(cache.load(key) == nil)
    cache.save(key, bytes)
    #expect(cache.load(key) == bytes)
    #expect(cache.load(Array("another set".utf8)) == nil)
    // Private to the user: the directory and the file.
    let file = try onlyFile(cache)
    let mode = { (path: String) in
      ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int ?? 0) & 0o777
    }
    #expect(mode(cache.directory) == 0o700)
    #expect(mode(file) == 0o600)
  }

  @Test func aDamagedOrCutShortFileLoadsNothing() throws {
    let tree = try TemporaryTree()
    let cache = cache(tree)
    cache.save(key, bytes)
    let file = try onlyFile(cache)
    var stored = try #require(FileManager.default.contents(atPath: file))
    stored[stored.count - 10] ^= 0x01
    try stored.write(to: URL(fileURLWithPath: file))
    #expect(cache.load(key) == nil)
    try stored.prefix(40).write(to: URL(fileURLWithPath: file))
    #expect(cache.load(key) == nil)
  }

  @Test func aCacheOthersCouldWriteOrALinkLoadsNothing() throws {
    let tree = try TemporaryTree()
    let cache = cache(tree)
    cache.save(key, bytes)
    #expect(chmod(cache.directory, 0o777) == 0)
    #expect(cache.load(key) == nil)
    #expect(chmod(cache.directory, 0o700) == 0)
    #expect(cache.load(key) == bytes)
    // The file replaced by a link to a copy of itself.
    let file = try onlyFile(cache)
    let copy = tree.path + "/elsewhere.set"
    try FileManager.default.copyItem(atPath: file, toPath: copy)
    try FileManager.default.removeItem(atPath: file)
    try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: copy)
    #expect(cache.load(key) == nil)
  }

  /// Only the most recently used sets stay.
  @Test func theFewMostRecentSetsAreKept() throws {
    let tree = try TemporaryTree()
    let cache = cache(tree)
    for index in 0..<(KeywordSetCache.kept + 3) { cache.save(Array("set \(index)".utf8), bytes) }
    let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
    #expect(names.count == KeywordSetCache.kept)
    #expect(cache.load(Array("set \(KeywordSetCache.kept + 2)".utf8)) == bytes)
  }
}

import Foundation
import VigilFiles
import VigilModel
import VigilSupport

/// Git LFS: a file it tracks is committed as a pointer (`version
/// https://git-lfs.github.com/spec/v1`, `oid sha256:…`, `size …`), its content kept apart,
/// in the repository's local store (`lfs/objects/` in git's common directory, where the
/// LFS clean filter puts it on `git add` and a fetch brings it) and on the LFS server a
/// push uploads it to. Git inputs read blobs, so they see pointers: the content is read
/// from the local store's `objects` directory, beneath it (a link inside cannot lead
/// out; its name only holds a hash), or said unread.
package struct LFSObjects: Sendable {
  private let objects: RootDirectory?
  private let reader: FileReader

  /// The store of `repository` (`lfs` in git's common directory, or where `lfs.storage`
  /// moves it, relative to that directory); files larger than `maxFileSize` are not read.
  package init(repository: GitRepository, maxFileSize: Int) {
    let text = { (arguments: [String]) in
      (try? repository.git.text(arguments))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let common = text(["rev-parse", "--git-common-dir"]).map { PathText.absolute($0, from: repository.root) }
    let storage = text(["config", "--get", "lfs.storage"]).flatMap { $0.isEmpty ? nil : $0 }
    let store = common.map { common in storage.map { PathText.absolute($0, from: common) } ?? common + "/lfs"
    }
    objects = store.flatMap { RootDirectory(path: Array(($0 + "/objects").utf8)) }
    reader = FileReader(maxFileSize: maxFileSize)
  }

  package enum Lookup: Equatable {
    /// The object's text (UTF-16 or UTF-32 decoded, as a tree scan reads it), or its
    /// bytes when it is binary.
    case content([UInt8], binary: Bool)
    /// Not in the store (or not a regular file there: a link is not followed).
    case missing
    /// Larger than `--max-file-size`.
    case tooLarge
  }

  /// The object a pointer names, if `bytes` are one (a pointer is a few short lines;
  /// a larger text is none).
  package func object(pointedToBy bytes: [UInt8]) -> Lookup? {
    guard let oid = Self.pointer(bytes) else { return nil }
    guard let objects else { return .missing }
    let relative = "\(oid.prefix(2))/\(oid.dropFirst(2).prefix(2))/\(oid)"
    var buffer: [UInt8] = []
    switch reader.read(Array(relative.utf8), beneath: objects, into: &buffer) {
    case .text(let count): return .content(Array(buffer.prefix(count)), binary: false)
    case .wide(let count, let encoding):
      return .content(WideText.decode(buffer[0..<count], as: encoding), binary: false)
    case .binary(let count): return .content(Array(buffer.prefix(count)), binary: true)
    case .skipped(.tooLarge): return .tooLarge
    case .skipped, .failed: return .missing
    }
  }

  /// One warning for the pointers whose objects are not in the store (`count` of them,
  /// `paths` their files): a checkout without LFS has them by the hundred.
  package static func missingWarning(count: Int, paths: [String]) -> Diagnostic? {
    let paths = paths.sorted()
    guard let first = paths.first else { return nil }
    return Diagnostic(
      .warning,
      "\(count) Git LFS object\(count == 1 ? " is" : "s are") not in the repository's local store, "
        + "\(count == 1 ? "its" : "their") content not scanned (`git lfs fetch` brings \(count == 1 ? "it" : "them"))"
        + (paths.count > 1
          ? ": \(paths.prefix(5).joined(separator: ", "))\(paths.count > 5 ? ", …" : "")" : ""),
      file: paths.count == 1 ? first : nil)
  }

  private static let versions = [
    "version https://git-lfs.github.com/spec/v1", "version https://hawser.github.com/spec/v1",
    "version http://git-media.io/v/2",
  ].map { Array($0.utf8) }

  /// The most a pointer holds (the spec's bound).
  package static let maximumPointerBytes = 1024

  /// The oid of an LFS pointer: its `version` line (the spec's URL, or one of the two
  /// older ones git-lfs still reads) and an `oid sha256:` line of 64 lower-case hex
  /// digits, in at most 1 KiB (the pointer spec's bound), after any blank space (git-lfs
  /// trims it before reading a pointer).
  package static func pointer(_ bytes: [UInt8]) -> String? {
    guard bytes.count <= maximumPointerBytes else { return nil }
    let text = bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains($0) }
    guard versions.contains(where: { text.starts(with: $0) }) else { return nil }
    let prefix = Array("oid sha256:".utf8)
    for line in text.split(separator: 0x0A) where line.starts(with: prefix) {
      let oid = line.dropFirst(prefix.count).prefix { $0 != 0x0D }
      guard oid.count == 64, oid.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
      else {
        return nil
      }
      return String(decoding: oid, as: UTF8.self)
    }
    return nil
  }
}

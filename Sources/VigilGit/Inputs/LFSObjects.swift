import Foundation
import VigilFiles
import VigilModel
import VigilSupport

/// Git LFS: a file it tracks is committed as a pointer (`version
/// https://git-lfs.github.com/spec/v1`, `oid sha256:…`, `size …`), its content kept apart,
/// in the repository's local store (`lfs/objects/` in git's common directory, where the
/// LFS clean filter puts it on `git add` and a fetch brings it) and on the LFS server a
/// push uploads it to. Git inputs read blobs, so they see pointers: the content is read
/// from the local store, beneath it (a link there cannot lead out), or said unread.
package struct LFSObjects: Sendable {
  private let store: RootDirectory?
  private let reader: FileReader

  /// The store of `repository`; files larger than `maxFileSize` are not read.
  package init(repository: GitRepository, maxFileSize: Int) {
    let common = (try? repository.git.text(["rev-parse", "--git-common-dir"]))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    store = common.flatMap { RootDirectory(path: Array(PathText.absolute($0, from: repository.root).utf8)) }
    reader = FileReader(maxFileSize: maxFileSize)
  }

  package enum Lookup: Equatable {
    /// The object's bytes, and whether they are binary (or UTF-16/32: read as bytes).
    case content([UInt8], binary: Bool)
    /// Not read: why (counted among skipped files), and a warning saying so.
    case notRead(SkipReason, String)
  }

  /// The object a pointer names, if `bytes` are one (a pointer is a few short lines;
  /// a larger text is none).
  package func object(pointedToBy bytes: [UInt8]) -> Lookup? {
    guard let oid = Self.pointer(bytes) else { return nil }
    let relative = "lfs/objects/\(oid.prefix(2))/\(oid.dropFirst(2).prefix(2))/\(oid)"
    guard let store else {
      return .notRead(.lfsObjectMissing, Self.missing(oid))
    }
    var buffer: [UInt8] = []
    switch reader.read(Array(relative.utf8), beneath: store, into: &buffer) {
    case .text(let count): return .content(Array(buffer.prefix(count)), binary: false)
    case .wide(let count, _), .binary(let count): return .content(Array(buffer.prefix(count)), binary: true)
    case .skipped(.tooLarge):
      return .notRead(
        .tooLarge, "the Git LFS object this pointer names is larger than --max-file-size and was not read")
    case .skipped, .failed:
      return .notRead(.lfsObjectMissing, Self.missing(oid))
    }
  }

  private static func missing(_ oid: String) -> String {
    "the Git LFS object this pointer names (\(oid.prefix(12))…) is not in the repository's local store: "
      + "its content was not scanned (`git lfs fetch` brings it)"
  }

  /// The oid of an LFS pointer: its `version` line and an `oid sha256:` line of 64
  /// lower-case hex digits, in at most 1 KiB (the pointer spec's bound).
  static func pointer(_ bytes: [UInt8]) -> String? {
    guard bytes.count <= 1024, bytes.starts(with: Array("version https://git-lfs.github.com/spec/v1".utf8))
    else {
      return nil
    }
    let prefix = Array("oid sha256:".utf8)
    for line in bytes.split(separator: 0x0A) where line.starts(with: prefix) {
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

import Digest
import Foundation
import VigilGit
import VigilModel
import VigilReport

/// What the last history scan of a repository read and found, kept in the user's
/// cache directory so that the next audit reads only the commits added since and
/// still reports every finding.
///
/// Kept: the commit the scan reached, the ids of the blobs it read, and for each
/// change it reported findings in, that change's ids (commit, path, blobs) with the
/// fingerprints of its findings. Never a secret, a snippet or a line: a finding is
/// reported again by reading its change again, and a cache whose changes no longer
/// give its fingerprints is dropped.
///
/// One file per repository (its git directory) and per everything that decides what a
/// scan finds: vigil's build, the texts of the rule pack, the rules run, the size limit
/// and the decoding and archive depths. It is used only for a whole history (not
/// `--range`), only when the commit it reached is still in HEAD's history and no
/// `.gitattributes` changed since (an encoding named there changes how the blobs read
/// before are checked out), and only from a directory and a file of the user's that
/// nobody else can write. It is never inside the scanned tree: a
/// repository could otherwise ship one that hides its blobs.
struct HistoryCache: Codable {
  static let format = 2

  var format = Self.format
  var head: String
  var commitCount: Int
  /// The blobs read, their ids' bytes one after another.
  var claimed: Data
  /// Where each was read: an index into `paths` per blob of `claimed`, four bytes
  /// little-endian (all ones: not known).
  var claimedAt: Data
  var paths: [String]
  var changes: [Change]

  struct Change: Codable {
    var sequence: Int
    var commit: String
    var path: String
    var status: UInt8
    var newBlob: String
    var oldBlob: String?
    var readsContent: Bool
    var fingerprints: [String]
  }

  /// The cache file for a repository and a scan's rules.
  static func file(
    in directory: String, repository: GitRepository, pack: RulePack, maxFileSize: Int, decodeDepth: Int,
    archiveDepth: Int
  ) -> String {
    let gitDirectory = URL(fileURLWithPath: repository.location.gitDirectory).resolvingSymlinksInPath().path
    var identity = [
      "vigil \(ToolInfo.version) cache \(format)", executableIdentity, "max \(maxFileSize)",
      "decode \(decodeDepth)", "archives \(archiveDepth)",
    ]
    identity += pack.sources
    identity += pack.rules.map(\.id).sorted()
    let repositoryKey = SHA256.hex(gitDirectory.utf8).prefix(32)
    let rulesKey = SHA256.hex(identity.joined(separator: "\u{0}").utf8).prefix(32)
    return directory + "/\(repositoryKey)-\(rulesKey).json"
  }

  /// The size and modification time of vigil's own executable: another build may find
  /// other things, whatever its version says.
  private static let executableIdentity: String = {
    var info = stat()
    guard stat("/proc/self/exe", &info) == 0 else { return "unknown build" }
    return "build \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }()

  /// The cache at `path`, or `nil` when there is none; a warning when there is one
  /// vigil will not trust.
  static func load(_ path: String) -> (HistoryCache?, Diagnostic?) {
    let directory = (path as NSString).deletingLastPathComponent
    if let problem = UserCache.untrusted(directory, isDirectory: true)
      ?? UserCache.untrusted(path, isDirectory: false)
    {
      return (
        nil,
        problem == "missing" ? nil : Diagnostic(.warning, "history cache not used: \(problem)", file: path)
      )
    }
    guard let data = FileManager.default.contents(atPath: path),
      let cache = try? JSONDecoder().decode(HistoryCache.self, from: data), cache.format == format
    else {
      return (
        nil,
        Diagnostic(.warning, "history cache not used: it cannot be read; it will be rewritten", file: path)
      )
    }
    return (cache, nil)
  }

  /// How many caches of one repository are kept (for other builds of vigil and other
  /// rules), the most recently used: each would otherwise stay for good.
  static let keptPerRepository = 4

  /// Writes the cache atomically, its directory made private if new, and removes the
  /// repository's least recently used caches past `keptPerRepository`. Errors are
  /// ignored: without a cache the next scan reads everything again.
  func save(_ path: String) {
    guard let data = try? JSONEncoder().encode(self), UserCache.write(data, to: path) else { return }
    let repository = (path as NSString).lastPathComponent.prefix { $0 != "-" } + "-"
    UserCache.prune(
      (path as NSString).deletingLastPathComponent, keeping: Self.keptPerRepository, except: path
    ) {
      $0.hasPrefix(repository) && $0.hasSuffix(".json")
    }
  }

  /// Marks the cache at `path` as just used, when a scan found nothing to add to it.
  static func touch(_ path: String) { utimes(path, nil) }

  init(resume: BlobHistory.Resume, fingerprints: [String: [String]]) {
    head = resume.head.description
    commitCount = resume.commitCount
    let ordered = Array(resume.claimed)
    claimed = Data(ordered.flatMap(\.bytes))
    var pathIndex: [String: UInt32] = [:]
    var table: [String] = []
    var indices: [UInt8] = []
    indices.reserveCapacity(ordered.count * 4)
    for blob in ordered {
      var index = UInt32.max
      if let path = resume.claimedAt[blob] {
        if let known = pathIndex[path] {
          index = known
        } else {
          index = UInt32(table.count)
          pathIndex[path] = index
          table.append(path)
        }
      }
      withUnsafeBytes(of: index.littleEndian) { indices += $0 }
    }
    claimedAt = Data(indices)
    paths = table
    changes = resume.changes.map { record in
      Change(
        sequence: record.sequence, commit: record.commit.description, path: record.path,
        status: record.status,
        newBlob: record.newBlob.description, oldBlob: record.oldBlob?.description,
        readsContent: record.readsContent,
        fingerprints: fingerprints[Self.changeKey(commit: record.commit.description, path: record.path)] ?? []
      )
    }
  }

  /// What the cache says, for `BlobHistory`; `nil` when something in it is malformed.
  var resume: BlobHistory.Resume? {
    guard let head = ObjectID(hex: Array(head.utf8)) else { return nil }
    let width = head.description.count / 2
    let bytes = [UInt8](claimed)
    guard bytes.count % width == 0 else { return nil }
    let at = [UInt8](claimedAt)
    guard at.count == bytes.count / width * 4 else { return nil }
    var ids = Set<ObjectID>()
    var readAt: [ObjectID: String] = [:]
    ids.reserveCapacity(bytes.count / width)
    for (number, start) in stride(from: 0, to: bytes.count, by: width).enumerated() {
      guard let id = ObjectID(bytes: bytes[start..<(start + width)]) else { return nil }
      ids.insert(id)
      let index = at[(number * 4)..<(number * 4 + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      if index != UInt32.max {
        guard Int(index) < paths.count else { return nil }
        readAt[id] = paths[Int(index)]
      }
    }
    var records: [BlobHistory.Record] = []
    for change in changes {
      guard let commit = ObjectID(hex: Array(change.commit.utf8)),
        let newBlob = ObjectID(hex: Array(change.newBlob.utf8))
      else { return nil }
      let oldBlob = change.oldBlob.flatMap { ObjectID(hex: Array($0.utf8)) }
      if change.oldBlob != nil && oldBlob == nil { return nil }
      records.append(
        BlobHistory.Record(
          sequence: change.sequence, commit: commit, path: change.path, status: change.status,
          newBlob: newBlob,
          oldBlob: oldBlob, readsContent: change.readsContent))
    }
    return BlobHistory.Resume(
      head: head, commitCount: commitCount, claimed: ids, changes: records, claimedAt: readAt)
  }

  /// Every fingerprint the cached changes must give again.
  var fingerprints: Set<String> { Set(changes.flatMap(\.fingerprints)) }

  static func changeKey(commit: String, path: String) -> String { commit + "\u{0}" + path }
}

import VigilFiles
import VigilModel

/// What `git commit` would record now: the staged version of every added, copied,
/// renamed or modified file, read from the index (not the work tree), with the lines
/// the change adds.
///
/// A new file is reported whole; for a changed file only findings on added or changed
/// lines are reported, so a pre-commit hook does not fail on what is already committed.
package struct StagedChanges {
  package let repository: GitRepository
  package let maxFileSize: Int

  package init(repository: GitRepository, maxFileSize: Int) {
    self.repository = repository
    self.maxFileSize = maxFileSize
  }

  private static let diffOptions = ["--cached", "-M", "--diff-filter=ACMRT"] + GitCommand.patchOptions

  package func items() throws -> [ContentItem] {
    let git = repository.git
    var entries = Self.parseRaw((try git.run(["diff", "--raw", "-z", "--no-abbrev"] + Self.diffOptions)))
    entries.removeAll { $0.mode == "160000" || $0.mode == "120000" }  // submodules, symlinks
    guard !entries.isEmpty else { return [] }

    var added: [String: Set<Int>] = [:]
    var parser = PatchParser()
    try git.streamLines(["diff", "-U0"] + Self.diffOptions) { parser.consume($0) }
    parser.flush()
    for patch in parser.takeFinished() {
      added[patch.path] = Set(patch.addedLines.map { $0.number })
    }

    let blobs = try BlobReader(git: git).read(entries.map(\.sha))
    var items: [ContentItem] = []
    for entry in entries {
      let isNew = entry.status == "A" || entry.status == "C"
      var bytes = blobs[entry.sha] ?? []
      if bytes.count >= 2 && bytes.count % 2 == 0 && (bytes[0], bytes[1]) == (0xFF, 0xFE)
        || (bytes.first, bytes.dropFirst().first) == (0xFE, 0xFF)
      {
        bytes = FileReader.decodeUTF16(bytes[...], bigEndian: bytes[0] == 0xFE)
      }
      let isBinary = bytes.prefix(FileReader.binaryProbeBytes).contains(0)
      if isBinary || bytes.count > maxFileSize { bytes = [] }
      items.append(
        ContentItem(
          path: entry.path, bytes: bytes, lineNumbers: nil,
          reportedLines: isNew ? nil : (added[entry.path] ?? []),
          pathRules: isNew || entry.status == "R", commit: nil))
    }
    return items
  }

  package struct RawEntry {
    var mode: String
    var sha: String
    var status: String
    var path: String
  }

  /// `:old new oldsha newsha S\0path\0` (and `\0from\0to\0` for renames and copies).
  package static func parseRaw(_ data: [UInt8]) -> [RawEntry] {
    let fields = data.split(separator: 0, omittingEmptySubsequences: false)
    var entries: [RawEntry] = []
    var index = 0
    while index < fields.count {
      let header = String(decoding: fields[index], as: UTF8.self)
      guard header.hasPrefix(":") else {
        index += 1
        continue
      }
      let parts = header.dropFirst().split(separator: " ")
      guard parts.count >= 5 else { break }
      let status = String(parts[4].prefix(1))
      let takesTwoPaths = status == "R" || status == "C"
      let pathIndex = index + (takesTwoPaths ? 2 : 1)
      guard pathIndex < fields.count else { break }
      entries.append(
        RawEntry(
          mode: String(parts[1]), sha: String(parts[3]), status: status,
          path: String(decoding: fields[pathIndex], as: UTF8.self)))
      index = pathIndex + 1
    }
    return entries
  }
}

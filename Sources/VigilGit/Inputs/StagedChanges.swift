import VigilFiles
import VigilModel
import VigilSupport

/// What `git commit` would record now: the staged version of every added, copied,
/// renamed or modified file, read from the index (not the work tree), with the lines
/// the change adds.
///
/// A new file is reported whole; for a changed file only findings on added or changed
/// lines are reported, so a pre-commit hook does not fail on what is already committed.
/// Which lines are new is worked out from the two versions as a history scan does
/// (`BlobHistory.newLines`): one git call fewer than asking for a patch, which on a
/// 16,000-file repository is a quarter of a hook's time.
package struct StagedChanges {
  package let repository: GitRepository
  package let maxFileSize: Int

  package init(repository: GitRepository, maxFileSize: Int) {
    self.repository = repository
    self.maxFileSize = maxFileSize
  }

  private static let diffOptions = ["--cached", "-M", "--diff-filter=ACMRT"] + GitCommand.patchOptions

  /// - Parameter treatedAlike: whether the scan judges content the same at two paths;
  ///   a file renamed where it is not (a fixture moved into the code) is read whole,
  ///   like a copy or a new file: moving a secret must not hide it.
  /// - Parameter readsThrough: whether a symbolic link at a path is read through to
  ///   the staged file it names (a link named as a secret file: `.env`); any link's
  ///   text, the name it holds, is read as its content.
  package func items(
    treatedAlike: (String, String) -> Bool = { _, _ in true }, readsThrough: (String) -> Bool = { _ in false }
  ) throws -> [ContentItem] {
    let git = repository.git
    var entries = Self.parseRaw((try git.run(["diff", "--raw", "-z", "--no-abbrev"] + Self.diffOptions)))
    entries.removeAll { $0.mode == "160000" }  // submodules
    guard !entries.isEmpty else { return [] }

    // The staged files that links so named point to, read under the link's name: where
    // the link changes, or the file it names does (a `.env` link's target edited later).
    var throughLinks: [(link: String, sha: String)] = []
    let changed = Set(entries.map(\.path))
    // The index, read once: looking each part up with git would cost a process per
    // part, and a pull request can hold thousands of such links.
    let listing = try git.run(["ls-files", "--stage", "-z"])
    let links = Self.links(in: listing, objectField: 1).filter { readsThrough($0.path) }
    if !links.isEmpty, let top = SymbolicLinks.realPath(repository.root) {
      let index = Self.indexEntries(listing)
      var directories: Set<String> = []
      for path in index.keys {
        var parent = path
        while let slash = parent.lastIndex(of: "/") {
          parent = String(parent[..<slash])
          if !directories.insert(parent).inserted { break }
        }
      }
      let linkBlobs = try BlobReader(git: git).read(index.values.filter { $0.mode == "120000" }.map(\.sha))
      for link in links {
        guard let text = linkBlobs[link.sha] else { continue }
        let target = SymbolicLinks.resolved(
          text, at: PathText.bytes(display: link.path), root: Array(top.utf8)
        ) {
          beneath in
          let path = PathText.display(beneath)
          guard let entry = index[path] else { return directories.contains(path) ? .directory : .missing }
          if entry.mode == "120000" { return linkBlobs[entry.sha].map { .link($0) } ?? .missing }
          return entry.mode.hasPrefix("100") ? .file : .missing
        }
        guard let target = target.map({ PathText.display($0) }),
          changed.contains(link.path) || changed.contains(target),
          let staged = index[target], staged.mode.hasPrefix("100")
        else { continue }
        throughLinks.append((link.path, staged.sha))
      }
    }

    let encodings = try WorkingTreeEncoding.declared(for: entries.map(\.path), git: git, cached: true)
    let blobs = try BlobReader(git: git).read(
      entries.flatMap { [$0.sha] + ($0.oldSHA.map { [$0] } ?? []) } + throughLinks.map(\.sha))
    var items: [ContentItem] = []
    for (link, sha) in throughLinks {
      guard let blob = blobs[sha] else { continue }
      var item = ContentItem(
        path: link, bytes: blob.count <= maxFileSize ? BlobHistory.text(blob) ?? blob : [], lineNumbers: nil,
        reportedLines: nil, pathRules: true, commit: nil)
      item.isBinary = blob.count <= maxFileSize && BlobHistory.text(blob) == nil
      // Larger than --max-file-size: counted, not read.
      if blob.count > maxFileSize { item.skipped = .tooLarge }
      items.append(item)
    }
    for entry in entries {
      let isNew =
        entry.status == "A" || entry.status == "C"
        || entry.status == "R" && entry.oldPath.map { !treatedAlike($0, entry.path) } == true
      let blob = blobs[entry.sha]
      // A text a `working-tree-encoding` keeps otherwise than it is checked out (UTF-16
      // as CJK, a NUL in it making the blob look binary; EBCDIC as Latin letters): read
      // as the working tree has it too, against the committed version's same form.
      if let blob, blob.count <= maxFileSize {
        let forms = { (blob: [UInt8]) -> [[UInt8]] in
          let utf16 = FileReader.utf16WorkingTreeForms(ofUTF8: blob)
          guard utf16.isEmpty, let encoding = encodings[entry.path] else { return utf16 }
          return WorkingTreeEncoding.workingTreeForm(of: blob, encoding: encoding).map { [$0] } ?? []
        }
        let oldForms = isNew ? [] : entry.oldSHA.flatMap { blobs[$0] }.map(forms) ?? []
        for (order, form) in forms(blob).enumerated() {
          var item = ContentItem(
            path: entry.path, bytes: form, lineNumbers: nil, reportedLines: nil,
            pathRules: isNew || entry.status == "R", commit: nil)
          item.isBinary = true
          item.previousBytes = isNew ? nil : oldForms.indices.contains(order) ? oldForms[order] : []
          items.append(item)
        }
      }
      // A byte-order mark is two bytes anyone can write, and UTF-16 after a part without
      // a NUL reads as text: such a blob is read as bytes too (as a binary file is),
      // besides as text below.
      if let blob, blob.count <= maxFileSize,
        BlobHistory.text(blob) == nil || FileReader.isReadAsBytesToo(blob[...])
      {
        // Binary: the scanner opens it if it is an archive.
        var item = ContentItem(
          path: entry.path, bytes: blob, lineNumbers: nil, reportedLines: nil,
          pathRules: isNew || entry.status == "R", commit: nil)
        item.isBinary = true
        item.previousBytes = isNew ? nil : entry.oldSHA.flatMap { blobs[$0] }
        items.append(item)
        if BlobHistory.text(blob) == nil { continue }
      }
      var bytes = blob.flatMap(BlobHistory.text) ?? []
      var skipped: SkipReason?
      if bytes.count > maxFileSize || blob.map({ $0.count > maxFileSize }) == true {
        bytes = []
        skipped = .tooLarge
      }
      var added: Set<Int>?
      var old: [UInt8]?
      if !isNew {
        // The lines the committed version lacks; all of them when it was binary. The
        // committed version goes along, for what the change made new on other lines.
        old = entry.oldSHA.flatMap { blobs[$0] }.flatMap(BlobHistory.text)
        let numbers = BlobHistory.newLines(of: bytes, since: old.map { .text($0) } ?? .none).numbers
        added = numbers.map { Set($0) }
      }
      var item = ContentItem(
        path: entry.path, bytes: bytes, lineNumbers: nil, reportedLines: added,
        pathRules: isNew || entry.status == "R", commit: nil)
      if added != nil { item.previousBytes = old }
      item.skipped = skipped
      item.hidesMarkers = blob.map(BlobHistory.isWide) ?? false
      items.append(item)
    }
    return items
  }

  /// The symbolic links (mode 120000) of a `-z` listing of `mode … object … TAB path`
  /// entries (`ls-files --stage`: the object is field 1; `ls-tree`: field 2).
  static func links(in listing: [UInt8], objectField: Int) -> [(path: String, sha: String)] {
    listing.split(separator: 0).compactMap { entry in
      guard entry.starts(with: "120000 ".utf8), let tab = entry.firstIndex(of: UInt8(ascii: "\t")) else {
        return nil
      }
      let fields = entry[..<tab].split(separator: UInt8(ascii: " "))
      guard fields.count == 3 else { return nil }
      return (
        PathText.display(entry[(tab + 1)...]),
        String(decoding: fields[objectField], as: UTF8.self)
      )
    }
  }

  /// The stage-0 entries of an `ls-files --stage -z` listing: mode and blob by path.
  static func indexEntries(_ listing: [UInt8]) -> [String: (mode: String, sha: String)] {
    var entries: [String: (mode: String, sha: String)] = [:]
    for entry in listing.split(separator: 0) {
      guard let tab = entry.firstIndex(of: UInt8(ascii: "\t")) else { continue }
      let fields = entry[..<tab].split(separator: UInt8(ascii: " "))
      guard fields.count == 3, fields[2].elementsEqual("0".utf8) else { continue }
      entries[PathText.display(entry[(tab + 1)...])] = (
        String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self)
      )
    }
    return entries
  }

  package struct RawEntry {
    var mode: String
    var sha: String
    /// The committed version, for a changed or renamed file.
    var oldSHA: String?
    var status: String
    var path: String
    /// Where a renamed or copied file comes from.
    var oldPath: String? = nil
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
      let hasOld = status == "M" || status == "R"
      entries.append(
        RawEntry(
          mode: String(parts[1]), sha: String(parts[3]), oldSHA: hasOld ? String(parts[2]) : nil,
          status: status,
          path: PathText.display(fields[pathIndex]),
          oldPath: takesTwoPaths ? PathText.display(fields[index + 1]) : nil))
      index = pathIndex + 1
    }
    return entries
  }
}

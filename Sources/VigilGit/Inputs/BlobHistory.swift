import CLinux
import Foundation
import VigilFiles
import VigilModel
import VigilSupport

/// Every commit reachable from HEAD (or in a range), oldest first, read as the blobs
/// the commits add rather than as patches: git lists what each commit changed
/// (`log --raw`, no diff text), each blob is read once (`cat-file --batch`), and vigil
/// works out which of its lines are new itself.
///
/// What a commit hands on for scanning is the same as a patch's added lines: a new
/// file whole; for a changed or renamed file, the lines of the new version that the
/// version before it (the first parent's, for a merge) does not have. Compared with
/// `CommitHistory`, git computes no diffs (about a tenth of the time on
/// rust-lang/cargo) and a blob already seen, at this path or another (a revert, a
/// rename, a copy, a merge bringing in its branch), is not read again and adds no
/// finding. Except where the scan judges the new path differently from the one the
/// content was read at (`produce`'s `treatedAlike`: a fixture renamed or copied into
/// the code, a file moved out of an excluded directory): there it is read again, whole,
/// as a new file, so that moving a secret cannot hide it.
///
/// Occurrences are counted within the lines a blob adds: two copies of a secret
/// added together are two findings; a copy added later to the same file has the same
/// fingerprint as the first and is not reported again. A blob copied whole to another
/// path adds no finding either, although a tree scan's fingerprint of the copy (its
/// path is in it) differs: against a baseline, history takes the secret for the one
/// the baseline already accepted, where a tree scan or `--range` reports the new path.
package struct BlobHistory {
  package let repository: GitRepository
  /// `A..B`, or `nil` for everything reachable from HEAD.
  package let range: String?
  package let maxFileSize: Int
  /// Masks commit fields like snippets; `nil` shows them as they are (`--no-redact`).
  package var mask: (@Sendable (String) -> String)?
  /// Unchanged lines read on each side of the lines a blob adds, so that a match that
  /// spans lines (a rule's window, a companion a composite rule needs nearby) is found
  /// when part of it was there before; a finding still counts only if it takes in an
  /// added line. A private key's PEM block that an added line falls in is read whole.
  package var contextLines = 0
  /// Whether a changed text file is read whole, with its version before, so that the
  /// scanner can tell what the change made new beyond the added lines (a test module
  /// turned into production code by an edit elsewhere in the file): for a range (a pull
  /// request's commits), where the cost of reading both versions whole is small.
  package var readsWholeVersions = false
  /// Otherwise, whether a changed text file (its path, its version before) is handed
  /// with both versions whole too (`ContentItem.wholeVersion`), for the scanner to tell
  /// whether the change makes news beyond its added lines: a file that may hold test items.
  package var offersWholeVersions: @Sendable (_ path: String, _ previous: [UInt8]) -> Bool = { _, _ in false }
  /// Whether a file at a path may hold test items (its language's lexer marks them): a
  /// change to one whose version before was reduced to its lines' hashes (a history
  /// holding more than `retainLimit` at once) has both versions read again afterwards,
  /// for `offersWholeVersions`.
  package var lexesTestItems: @Sendable (_ path: String) -> Bool = { _ in false }
  /// Whether a symbolic link at a path is read through to the file it names in its
  /// commit (a link named as a secret file: `.env` → `docs/notes.txt`).
  package var readsThrough: @Sendable (String) -> Bool = { _ in false }
  /// Tree entries and blobs looked up for links, by commit and path and by blob: the
  /// links of one commit (a pull request can hold thousands) share their lookups.
  private let treeEntries = Locked<[String: (mode: String, type: String, sha: String)?]>([:])
  private let linkedBlobs = Locked<[String: [UInt8]]>([:])

  package init(
    repository: GitRepository, range: String?, maxFileSize: Int, mask: (@Sendable (String) -> String)?
  ) {
    self.repository = repository
    self.range = range
    self.maxFileSize = maxFileSize
    self.mask = mask
  }

  /// A file one commit added, changed or renamed, as `git log --raw` lists it; blobs
  /// and paths are indices into the listing's tables (a long history names the same
  /// ones many times over).
  package struct Change {
    package var commit: Int32
    /// Position in the history, oldest first: the earliest finding of several wins.
    package var sequence: Int32 = 0
    package var path: Int32
    /// The version before, for `M` and `R`; -1 for none.
    package var oldBlob: Int32
    /// Where a renamed file was (`R`); -1 for none.
    package var oldPath: Int32 = -1
    package var newBlob: Int32
    /// `A` added, `M` changed, `R` renamed, `T` type changed (deletions are left out).
    package var status: UInt8
    package var isSubmodule: Bool
    /// A symbolic link: its blob is the name it holds.
    package var isLink = false
    /// Its blob was read by an earlier scan (`Resume`): it adds no content.
    package var alreadyRead = false

    var takesPathRules: Bool { status == UInt8(ascii: "A") || status == UInt8(ascii: "T") }
  }

  /// Gives each blob id one index into a listing's table, however often it is named.
  struct BlobInterner {
    private var index: [ObjectID: Int32] = [:]

    init(_ blobs: [ObjectID] = []) {
      for (position, blob) in blobs.enumerated() where index[blob] == nil { index[blob] = Int32(position) }
    }

    mutating func intern(_ blob: ObjectID, into blobs: inout [ObjectID]) -> Int32 {
      if let known = index[blob] { return known }
      blobs.append(blob)
      index[blob] = Int32(blobs.count - 1)
      return Int32(blobs.count - 1)
    }
  }

  package struct Listing {
    /// Each commit's header as git printed it, one after another; parsed into a
    /// `CommitInfo` (masked) when one of its changes is handed on.
    var headers: [UInt8] = []
    var headerStarts: [Int] = []
    package var commitIDs: [ObjectID] = []
    package var blobs: [ObjectID] = []
    package var paths: [String] = []
    package var changes: [Change] = []

    package var commitCount: Int { headerStarts.count }

    mutating func addCommit(header: ArraySlice<UInt8>) {
      headerStarts.append(headers.count)
      headers += header
      let sha = header.prefix { $0 != 1 }
      commitIDs.append(ObjectID(hex: sha) ?? .zero)
    }

    /// `other`'s commits and changes after these, their sequences moved on by `offset`.
    mutating func append(_ other: Listing, sequenceOffset offset: Int) {
      let commitBase = Int32(commitCount)
      for index in 0..<other.commitCount {
        let end = index + 1 < other.headerStarts.count ? other.headerStarts[index + 1] : other.headers.count
        addCommit(header: other.headers[other.headerStarts[index]..<end])
      }
      var interner = BlobInterner(blobs)
      func intern(_ blob: Int32) -> Int32 { interner.intern(other.blobs[Int(blob)], into: &blobs) }
      let pathBase = Int32(paths.count)
      paths += other.paths
      for var change in other.changes {
        change.commit += commitBase
        change.sequence += Int32(offset)
        change.path += pathBase
        change.newBlob = intern(change.newBlob)
        if change.oldBlob >= 0 { change.oldBlob = intern(change.oldBlob) }
        changes.append(change)
      }
    }

    package func commit(_ index: Int32, mask: ((String) -> String)?) -> CommitInfo {
      let start = headerStarts[Int(index)]
      let end = Int(index) + 1 < headerStarts.count ? headerStarts[Int(index) + 1] : headers.count
      return CommitHistory.parseHeader(headers[start..<end], mask: mask)
    }
  }

  static let headerFormat = "%x01%x01vigil-commit%x01%H%x01%an%x01%ae%x01%aI%x01%s"

  /// What an earlier scan of this history leaves for the next one (`HistoryCache`
  /// keeps it between runs): the commit it reached, the blobs it read, and the
  /// changes whose findings it reported, which are read again to report them again.
  package struct Resume: Sendable {
    package var head: ObjectID
    package var commitCount: Int
    package var claimed: Set<ObjectID>
    package var changes: [Record]
    /// The path each blob in `claimed` was read at, where known: content moved from
    /// there to a path judged differently is read again (`Plan`).
    package var claimedAt: [ObjectID: String]

    package init(
      head: ObjectID, commitCount: Int, claimed: Set<ObjectID>, changes: [Record],
      claimedAt: [ObjectID: String] = [:]
    ) {
      self.head = head
      self.commitCount = commitCount
      self.claimed = claimed
      self.changes = changes
      self.claimedAt = claimedAt
    }
  }

  /// One change, by its ids: enough to read it again.
  package struct Record: Sendable, Hashable {
    package var sequence: Int
    package var commit: ObjectID
    package var path: String
    package var status: UInt8
    package var newBlob: ObjectID
    package var oldBlob: ObjectID?
    /// Whether the blob was read as this change's content (else only path rules ran:
    /// the blob had been read already).
    package var readsContent: Bool

    package init(
      sequence: Int, commit: ObjectID, path: String, status: UInt8, newBlob: ObjectID, oldBlob: ObjectID?,
      readsContent: Bool
    ) {
      self.readsContent = readsContent
      self.sequence = sequence
      self.commit = commit
      self.path = path
      self.status = status
      self.newBlob = newBlob
      self.oldBlob = oldBlob
    }
  }

  /// What a scan leaves for the next one: see `resume(keeping:)`.
  package struct Outcome: Sendable {
    package var head: ObjectID?
    package var commitCount = 0
    var listing = Listing()
    var claimsChange: [Bool] = []
    /// Changes read whole at a path judged differently from where their content was.
    var whole: [Bool] = []
    var claimedBefore: Set<ObjectID> = []
    var claimedAtBefore: [ObjectID: String] = [:]
    /// Whether a file was read under a secret-file link's name: what the cache keeps per
    /// change and path cannot bring that back, so such a scan leaves no cache.
    package var readThroughLinks = false

    /// The next scan's `Resume`, which reads again the changes holding the findings
    /// `keep` picks from the records of all changes read.
    package func resume(keeping keep: (Record) -> Bool) -> Resume? {
      guard let head else { return nil }
      var claimed = claimedBefore
      var claimedAt = claimedAtBefore
      var kept: [Record] = []
      for (index, change) in listing.changes.enumerated() where claimsChange[index] || change.takesPathRules {
        let blob = listing.blobs[Int(change.newBlob)]
        if claimsChange[index] {
          claimed.insert(blob)
          if claimedAt[blob] == nil { claimedAt[blob] = listing.paths[Int(change.path)] }
        }
        // A change read whole is replayed as the file it was read as: a new one.
        let readWhole = index < whole.count && whole[index]
        let record = Record(
          sequence: Int(change.sequence), commit: listing.commitIDs[Int(change.commit)],
          path: listing.paths[Int(change.path)], status: readWhole ? UInt8(ascii: "A") : change.status,
          newBlob: blob,
          oldBlob: change.oldBlob >= 0 && !readWhole ? listing.blobs[Int(change.oldBlob)] : nil,
          readsContent: claimsChange[index])
        if keep(record) { kept.append(record) }
      }
      return Resume(
        head: head, commitCount: commitCount, claimed: claimed, changes: kept, claimedAt: claimedAt)
    }
  }

  /// Lists the commits of `revisions` (default: the range, or HEAD), oldest first, and
  /// what each changed.
  package func list(_ revisions: [String]? = nil) throws -> Listing {
    var listing = Listing()
    // No commits yet: nothing to list.
    guard revisions != nil || range != nil || repository.head != nil else { return listing }
    let arguments =
      BlobReader.limitedMemory
      + [
        "log", "--raw", "-z", "--no-abbrev", "-M", "--topo-order", "--reverse", "--diff-merges=first-parent",
      ]
      + GitCommand.patchOptions + GitCommand.logOptions
      + ["--format=" + Self.headerFormat] + GitCommand.revisionArguments(revisions ?? [range ?? "HEAD"])
    var interner = BlobInterner()
    var pathIndex: [String: Int32] = [:]
    func intern(_ blob: ObjectID) -> Int32 { interner.intern(blob, into: &listing.blobs) }
    var pending: (change: Change, paths: Int)?
    func intern(path field: ArraySlice<UInt8>) -> Int32 {
      let path = PathText.display(field)
      if let index = pathIndex[path] { return index }
      listing.paths.append(path)
      pathIndex[path] = Int32(listing.paths.count - 1)
      return Int32(listing.paths.count - 1)
    }
    try repository.git.streamLines(arguments, separator: 0) { field in
      if var change = pending?.change, let paths = pending?.paths {
        // A path: taken as it is, whatever it starts with. A rename's first is where
        // the file was.
        guard paths == 1 else {
          pending?.paths -= 1
          if change.status == UInt8(ascii: "R"), listing.commitCount > 0 {
            pending?.change.oldPath = intern(path: field)
          }
          return
        }
        pending = nil
        guard change.status != UInt8(ascii: "D"), listing.commitCount > 0 else { return }
        change.path = intern(path: field)
        listing.changes.append(change)
        return
      }
      let field = field.drop(while: { $0 == 0x0A })
      if field.starts(with: CommitHistory.marker) {
        listing.addCommit(header: field.dropFirst(CommitHistory.marker.count))
      } else if field.first == UInt8(ascii: ":") {
        // `:oldmode newmode oldid newid status`
        let parts = field.dropFirst().split(separator: 0x20)
        guard parts.count == 5, let status = parts[4].first, let new = ObjectID(hex: parts[3]) else { return }
        var old: Int32 = -1
        if status == UInt8(ascii: "M") || status == UInt8(ascii: "R"), let id = ObjectID(hex: parts[2]) {
          old = intern(id)
        }
        let change = Change(
          commit: Int32(listing.commitCount - 1), sequence: Int32(listing.commitCount), path: -1,
          oldBlob: old,
          newBlob: status == UInt8(ascii: "D") ? -1 : intern(new), status: status,
          isSubmodule: parts[1].elementsEqual("160000".utf8), isLink: parts[1].elementsEqual("120000".utf8))
        pending = (change, status == UInt8(ascii: "R") || status == UInt8(ascii: "C") ? 2 : 1)
      }
    }
    return listing
  }

  /// Lists the history, reads each blob it adds once and hands what each commit added
  /// to `add` in batches, in history order.
  ///
  /// `head` is the commit HEAD names (`repository.head`, looked up once by the caller:
  /// a commit made while the scan runs is left for the next one). With `resume`
  /// (whole histories only), only commits after its head are listed; the blobs it read
  /// add nothing, and its changes with findings are read again, at their old places in
  /// the history.
  @discardableResult
  package func produce(
    resume: Resume? = nil, head: String?, treatedAlike: (String, String) -> Bool = { _, _ in true },
    _ add: ([ContentItem]) -> Void
  ) throws -> Outcome {
    var outcome = Outcome()
    outcome.head = head.flatMap { ObjectID(hex: Array($0.utf8)) }
    guard range != nil || outcome.head != nil else { return outcome }
    var listing: Listing
    if let resume, let head = outcome.head, range == nil {
      listing = try replayed(resume.changes)
      let replayCount = listing.changes.count
      // Nothing committed since: nothing to list.
      let new = head == resume.head ? Listing() : try list([head.description, "^" + resume.head.description])
      listing.append(new, sequenceOffset: resume.commitCount)
      outcome.commitCount = resume.commitCount + new.commitCount
      outcome.claimedBefore = resume.claimed
      outcome.claimedAtBefore = resume.claimedAt
      for index in replayCount..<listing.changes.count
      where resume.claimed.contains(listing.blobs[Int(listing.changes[index].newBlob)]) {
        listing.changes[index].alreadyRead = true
      }
    } else {
      listing = try list(range == nil ? outcome.head.map { [$0.description] } : nil)
      outcome.commitCount = listing.commitCount
    }
    // Where the blobs an earlier scan read were read, for the plan to compare with.
    var priorClaims: [Int32: Int32] = [:]
    if let resume, !resume.claimedAt.isEmpty {
      var pathIndex: [String: Int32] = [:]
      for (index, blob) in listing.blobs.enumerated() {
        guard let path = resume.claimedAt[blob] else { continue }
        if pathIndex[path] == nil {
          listing.paths.append(path)
          pathIndex[path] = Int32(listing.paths.count - 1)
        }
        priorClaims[Int32(index)] = pathIndex[path]
      }
    }
    var plan = Plan(listing, treatedAlike: treatedAlike, priorClaims: priorClaims)
    outcome.listing = listing
    outcome.claimsChange = plan.claimsChange
    outcome.whole = plan.whole
    // Items go on in batches of about 256 KiB: workers take fewer, larger pieces.
    var batch: [ContentItem] = []
    var batchBytes = 0
    var lastCommit: (index: Int32, info: CommitInfo)?
    func hand(
      _ change: Change, bytes: [UInt8], lines: [Int]?, reported: Set<Int>? = nil, isBinary: Bool = false,
      previous: [UInt8]? = nil, skipped: SkipReason? = nil, hidesMarkers: Bool = false,
      wholeVersion: [UInt8]? = nil
    ) {
      if lastCommit?.index != change.commit {
        lastCommit = (change.commit, listing.commit(change.commit, mask: mask))
      }
      var item = ContentItem(
        path: listing.paths[Int(change.path)], bytes: bytes, lineNumbers: lines, reportedLines: reported,
        pathRules: change.takesPathRules, commit: lastCommit?.info, sequence: Int(change.sequence))
      // A binary blob whole (the scanner opens archives): what an archive held before
      // is reported once, at the commit that first had it, like any finding.
      item.isBinary = isBinary
      item.previousBytes = previous
      item.skipped = skipped
      item.hidesMarkers = hidesMarkers
      item.wholeVersion = wholeVersion
      batch.append(item)
      // What the item holds: a change read whole carries both versions too.
      batchBytes += bytes.count + (previous?.count ?? 0) + (wholeVersion?.count ?? 0) + 256
      if batchBytes >= 256 * 1024 {
        add(batch)
        batch = []
        batchBytes = 0
      }
    }
    for index in plan.pathOnly { hand(listing.changes[Int(index)], bytes: [], lines: nil) }
    // Paths of the listing by name, and the secret-file links that name each (by index).
    var pathIndex: [String: Int32] = [:]
    for (index, path) in listing.paths.enumerated() { pathIndex[path] = Int32(index) }
    var linkedBy: [Int32: [Int32]] = [:]
    let encodings = try declaredEncodings(of: listing)
    // A range (or a resumed history) starts after commits it does not list: the links
    // there name files its commits may change.
    if range != nil || resume != nil,
      let first = listing.commitCount > 0 ? listing.commit(0, mask: nil).sha : nil
    {
      for (link, target) in try linksBefore(first) {
        guard let linkIndex = pathIndex[link] ?? Self.append(link, to: &listing.paths, index: &pathIndex),
          let targetIndex = pathIndex[target]
        else { continue }
        linkedBy[targetIndex, default: []].append(linkIndex)
      }
    }
    // A link named as a secret file: the file it names, under its name, whole (the
    // link's text up to a NUL, as a checkout makes it); and later changes to that file.
    func readThrough(_ change: Change, text: [UInt8]) throws {
      let path = listing.paths[Int(change.path)]
      guard let target = try linkTarget(text, at: path, in: change.commit, of: listing) else { return }
      var through = change
      through.status = UInt8(ascii: "A")
      outcome.readThroughLinks = true
      let targetPath = PathText.display(target)
      for (named, links) in linkedBy where links.contains(change.path) {
        linkedBy[named]?.removeAll { $0 == change.path }
      }
      if let index = pathIndex[targetPath] { linkedBy[index, default: []].append(change.path) }
      switch try linkedFile(targetPath, in: change.commit, of: listing) {
      case .text(let named): hand(through, bytes: named, lines: nil)
      case .binary(let named): hand(through, bytes: named, lines: nil, isBinary: true)
      case .tooLarge: hand(through, bytes: [], lines: nil, skipped: .tooLarge)
      case .none: break
      }
    }
    // Links whose text was read at another path (two `.env` links to `notes.txt` in two
    // directories are one blob): read through here, as each names its own file.
    for index in plan.pathOnly {
      let change = listing.changes[Int(index)]
      guard change.isLink, !change.alreadyRead, readsThrough(listing.paths[Int(change.path)]) else {
        continue
      }
      let id = listing.blobs[Int(change.newBlob)].description
      if let text = try BlobReader(git: repository.git).read([id])[id] { try readThrough(change, text: text) }
    }
    let ids = plan.reads.map { listing.blobs[Int($0.blob)] }
    // Changes whose version before was kept only as its lines' hashes, where it matters
    // (`lexesTestItems`): both versions read again once the stream is done.
    var reducedBases: [(change: Change, old: Int32)] = []
    try BlobReader(git: repository.git).stream(ids, limit: maxFileSize) { position, bytes in
      let read = plan.reads[position]
      let text = bytes.flatMap(Self.text)
      if read.change >= 0 {
        var change = listing.changes[Int(read.change)]
        var base = Base.none
        if plan.whole[Int(read.change)] {
          change.status = UInt8(ascii: "A")  // read as a new file there, path rules too
        } else if change.oldBlob >= 0 {
          base = plan.takeBase(change.oldBlob)
        }
        // The file as read, and again under each secret-file link that names it (a
        // `.env` link's target edited after the link was made).
        let readers =
          [change]
          + (linkedBy[change.path] ?? []).map { link in
            var through = change
            through.path = link
            return through
          }
        if readers.count > 1 { outcome.readThroughLinks = true }
        if let text {
          let (added, numbers, starts) = Self.newLines(of: text, since: base)
          let wide = bytes.map(Self.isWide) ?? false
          if case .lines = base, !readsWholeVersions, lexesTestItems(listing.paths[Int(change.path)]) {
            reducedBases += readers.map { ($0, change.oldBlob) }
          }
          for change in readers {
            if LFSObjects.pointer(text) != nil {
              // A Git LFS pointer, whole (a few lines, all of them changed but the first):
              // the scanner reads the object it names, against the one its version
              // before named.
              var old: [UInt8]?
              if case .text(let previous) = base { old = previous }
              hand(change, bytes: text, lines: nil, previous: old, hidesMarkers: wide)
            } else if let numbers, readsWholeVersions, case .text(let old) = base {
              // Deleting lines alone can make what is left news (the line marking a test
              // module): compared whole too.
              hand(change, bytes: text, lines: nil, reported: Set(numbers), previous: old, hidesMarkers: wide)
            } else if let numbers, case .text(let old) = base,
              offersWholeVersions(listing.paths[Int(change.path)], old)
            {
              // Even with no line added (the line marking a test module deleted).
              let (bytes, lines) =
                numbers.isEmpty
                ? ([], []) : Self.lines(numbers, startingAt: starts ?? [], of: text, context: contextLines)
              hand(
                change, bytes: bytes, lines: lines, reported: Set(numbers), previous: old, hidesMarkers: wide,
                wholeVersion: text)
            } else if let numbers, let starts, !numbers.isEmpty {
              let (bytes, lines) = Self.lines(numbers, startingAt: starts, of: text, context: contextLines)
              hand(change, bytes: bytes, lines: lines, reported: Set(numbers), hidesMarkers: wide)
            } else {
              hand(change, bytes: added, lines: numbers, hidesMarkers: wide)
            }
          }
          // A byte-order mark is two bytes anyone can write, and UTF-16 after a part
          // without a NUL reads as text: such a blob is read as bytes too.
          if let bytes, FileReader.isReadAsBytesToo(bytes[...]) {
            hand(change, bytes: bytes, lines: nil, isBinary: true)
          }
        } else if let bytes {
          // Against its version before if that was binary too: what it held is not new.
          var previous: [UInt8]?
          if case .binary(let old) = base { previous = old }
          hand(change, bytes: bytes, lines: nil, isBinary: true, previous: previous)
        } else {
          // Larger than --max-file-size (git gave only its size): counted, not read.
          hand(change, bytes: [], lines: nil, skipped: .tooLarge)
        }
        if let bytes {
          // A link named as a secret file: the file it names, under its name, whole (the
          // link's text up to a NUL, as a checkout makes it).
          let path = listing.paths[Int(change.path)]
          if change.isLink, readsThrough(path) { try readThrough(change, text: bytes) }
          // A text a `working-tree-encoding` keeps otherwise than it is checked out
          // (UTF-16 as CJK, a NUL in it making the blob look binary; EBCDIC as Latin
          // letters): read as the working tree has it too, against its version before in
          // the same form, in each encoding declared for it (`declaredEncodings`).
          let forms = { (blob: [UInt8]) -> [[UInt8]] in
            let utf16 = FileReader.utf16WorkingTreeForms(ofUTF8: blob)
            guard utf16.isEmpty else { return utf16 }
            return (encodings[path] ?? []).compactMap {
              WorkingTreeEncoding.workingTreeForm(of: blob, encoding: $0)
            }
          }
          var oldForms: [[UInt8]] = []
          switch base {
          case .text(let old), .binary(let old): oldForms = forms(old)
          default: break
          }
          for (order, form) in forms(bytes).enumerated() {
            let previous = oldForms.indices.contains(order) ? oldForms[order] : nil
            hand(change, bytes: form, lines: nil, isBinary: true, previous: previous)
          }
        }
      }
      plan.keep(text, binary: text == nil ? bytes : nil, as: read.blob)
    }
    // A few megabytes of them at a time, each batch with one `cat-file`.
    var start = 0
    while start < reducedBases.count {
      let end = min(reducedBases.count, start + 64)
      let chunk = reducedBases[start..<end]
      start = end
      let blobs = try BlobReader(git: repository.git).read(
        chunk.flatMap {
          [listing.blobs[Int($0.old)].description, listing.blobs[Int($0.change.newBlob)].description]
        })
      for (change, old) in chunk {
        guard let before = blobs[listing.blobs[Int(old)].description].flatMap(Self.text),
          let text = blobs[listing.blobs[Int(change.newBlob)].description].flatMap(Self.text),
          offersWholeVersions(listing.paths[Int(change.path)], before)
        else { continue }
        // Nothing of it counted added: what a change out of a test item made news of.
        hand(change, bytes: [], lines: [], reported: [], previous: before, wholeVersion: text)
      }
    }
    if !batch.isEmpty { add(batch) }
    return outcome
  }

  /// The regular file at `path` in a listed commit, if there is one.
  enum LinkedFile {
    case text([UInt8])
    case binary([UInt8])
    /// Larger than the size limit: counted, not read.
    case tooLarge
  }

  private func linkedFile(_ path: String, in commit: Int32, of listing: Listing) throws -> LinkedFile? {
    guard let entry = try treeEntry(path, in: listing.commit(commit, mask: nil).sha),
      entry.mode.hasPrefix("100"), entry.type == "blob"
    else { return nil }
    var blob = linkedBlobs.withLock { $0[entry.sha] }
    if blob == nil {
      blob = try BlobReader(git: repository.git).read([entry.sha]).first?.value
      if let blob { linkedBlobs.withLock { $0[entry.sha] = blob } }
    }
    guard let blob else { return nil }
    guard blob.count <= maxFileSize else { return .tooLarge }
    return Self.text(blob).map { .text($0) } ?? .binary(blob)
  }

  /// The encodings each path of `listing` may be checked out in: the work tree's
  /// attributes' (`git check-attr`; git 2.39 reads no commit's, and a bare repository
  /// has none), and every encoding any version of any `.gitattributes` of the history
  /// names (the commits listed, and for a range the tree before it), for every path: a
  /// pull request that declares one for its `.env` and drops the line in a later commit
  /// still had the file checked out so in between. Named anywhere in the file (a macro,
  /// a quoted pattern, a comment), not matched to paths: a blob read in an encoding it
  /// was not declared in gives noise, not findings. At most `maximumEncodings` of them.
  private func declaredEncodings(of listing: Listing) throws -> [String: [String]] {
    let paths = Array(Set(listing.paths))
    let declared = (try? WorkingTreeEncoding.declared(for: paths, git: repository.git, cached: false)) ?? [:]
    var blobs: Set<String> = []
    func add(_ path: String, _ sha: String) {
      if path == ".gitattributes" || path.hasSuffix("/.gitattributes") { blobs.insert(sha) }
    }
    for change in listing.changes where !change.isLink && !change.isSubmodule {
      add(listing.paths[Int(change.path)], listing.blobs[Int(change.newBlob)].description)
    }
    if range != nil, listing.commitCount > 0 {
      let parent = listing.commit(0, mask: nil).sha + "^"
      if (try? repository.git.run(["rev-parse", "--verify", "--quiet", parent + "^{commit}"])) != nil {
        // `mode type sha TAB path`, NUL after each.
        let tree = try repository.git.run(["ls-tree", "-r", "-z", "--full-tree", parent])
        for entry in tree.split(separator: 0) where entry.starts(with: "100".utf8) {
          guard let tab = entry.firstIndex(of: UInt8(ascii: "\t")) else { continue }
          let fields = entry[..<tab].split(separator: UInt8(ascii: " "))
          guard fields.count == 3 else { continue }
          add(
            PathText.display(entry[(tab + 1)...]), String(decoding: fields[2], as: UTF8.self))
        }
      }
    }
    var everywhere: Set<String> = []
    for text in try BlobReader(git: repository.git).read(Array(blobs)).values {
      everywhere.formUnion(WorkingTreeEncoding.named(in: text))
    }
    let named = Array(everywhere.sorted().prefix(Self.maximumEncodings))
    encodingsLeftOut.withLock { $0 = max(0, everywhere.count - named.count) }
    var encodings: [String: [String]] = [:]
    for path in paths {
      let own = declared[path].map { [$0] } ?? []
      let all = own + named.filter { !own.contains($0) }
      if !all.isEmpty { encodings[path] = all }
    }
    return encodings
  }

  /// Encodings named in a history's `.gitattributes` files read at most: each costs a
  /// conversion of every blob.
  package static let maximumEncodings = 16

  /// How many encodings past `maximumEncodings` the last scan's `.gitattributes` files
  /// named: blobs were not read in them (a warning, and `--strict` fails).
  package let encodingsLeftOut = Locked(0)

  /// The secret-file links in the tree before `commit` (its first parent's), and the
  /// regular files they name; none for a root commit.
  private func linksBefore(_ commit: String) throws -> [(link: String, target: String)] {
    let parent = commit + "^"
    guard (try? repository.git.run(["rev-parse", "--verify", "--quiet", parent + "^{commit}"])) != nil else {
      return []
    }
    var found: [(String, String)] = []
    let links = StagedChanges.links(
      in: try repository.git.run(["ls-tree", "-r", "-z", "--full-tree", parent]), objectField: 2
    ).filter { readsThrough($0.path) }
    guard !links.isEmpty else { return [] }
    let texts = try BlobReader(git: repository.git).read(links.map(\.sha))
    for link in links {
      guard let text = texts[link.sha], let target = try linkTarget(text, at: link.path, in: parent) else {
        continue
      }
      found.append((link.path, PathText.display(target)))
    }
    return found
  }

  /// Appends `path` to a listing's paths: its index.
  private static func append(_ path: String, to paths: inout [String], index: inout [String: Int32]) -> Int32?
  {
    paths.append(path)
    index[path] = Int32(paths.count - 1)
    return index[path]
  }

  /// The entry for `path` in a commit's tree: its mode, type and object, or nil.
  private func treeEntry(_ path: String, in commit: String) throws -> (
    mode: String, type: String, sha: String
  )? {
    let key = commit + "\u{0}" + path
    if let known = treeEntries.withLock({ $0[key] }) { return known }
    // Asked by the name's bytes (a name not in NFC is shown escaped); one that is not
    // UTF-8 cannot be an argument.
    let name = PathText.bytes(display: path)
    guard let argument = String(validating: name, as: UTF8.self) else { return nil }
    let listed = try repository.git.run(["ls-tree", "-z", "--full-tree", commit, "--", argument])
    var found: (mode: String, type: String, sha: String)?
    if let entry = listed.split(separator: 0).first, let tab = entry.firstIndex(of: UInt8(ascii: "\t")),
      entry[(tab + 1)...].elementsEqual(name)
    {
      let fields = entry[..<tab].split(separator: UInt8(ascii: " ")).map {
        String(decoding: $0, as: UTF8.self)
      }
      if fields.count == 3 { found = (fields[0], fields[1], fields[2]) }
    }
    treeEntries.withLock { $0[key] = .some(found) }
    return found
  }

  /// The regular file a link at `path` names in a listed commit (`SymbolicLinks.resolved`:
  /// links followed inside the tree only), looked up in the commit's tree.
  private func linkTarget(_ text: [UInt8], at path: String, in commit: Int32, of listing: Listing) throws
    -> [UInt8]?
  {
    try linkTarget(text, at: path, in: listing.commit(commit, mask: nil).sha)
  }

  private func linkTarget(_ text: [UInt8], at path: String, in sha: String) throws -> [UInt8]? {
    guard let top = SymbolicLinks.realPath(repository.root) else { return nil }
    var failure: (any Error)?
    let target = SymbolicLinks.resolved(text, at: PathText.bytes(display: path), root: Array(top.utf8)) {
      beneath in
      do {
        // git takes paths as text here: a name that is not UTF-8 cannot be asked for
        // (and its escaped form could name another file).
        guard let named = String(validating: beneath, as: UTF8.self),
          let entry = try treeEntry(named, in: sha)
        else {
          return .missing
        }
        switch entry.mode {
        case "040000": return .directory
        case "120000":
          return try BlobReader(git: repository.git).read([entry.sha])[entry.sha].map { .link($0) }
            ?? .missing
        default: return entry.mode.hasPrefix("100") ? .file : .missing
        }
      } catch {
        failure = error
        return .missing
      }
    }
    if let failure { throw failure }
    return target
  }

  /// A listing of `records` (changes an earlier scan reported findings in), with the
  /// headers of their commits as git gives them now.
  private func replayed(_ records: [Record]) throws -> Listing {
    var listing = Listing()
    guard !records.isEmpty else { return listing }
    var commitIndex: [ObjectID: Int32] = [:]
    var order: [ObjectID] = []
    for record in records where commitIndex[record.commit] == nil {
      commitIndex[record.commit] = Int32(order.count)
      order.append(record.commit)
    }
    var headers = Listing()
    try repository.git.streamLines(
      ["log", "--no-walk=unsorted"] + GitCommand.logOptions + ["--format=" + Self.headerFormat]
        + GitCommand.revisionArguments(order.map(\.description))
    ) { line in
      if line.starts(with: CommitHistory.marker) {
        headers.addCommit(header: line.dropFirst(CommitHistory.marker.count))
      }
    }
    guard headers.commitIDs == order else {
      throw GitCommand.Failure(
        arguments: ["log"], status: 0, message: "the cached history names commits git does not list")
    }
    listing.headers = headers.headers
    listing.headerStarts = headers.headerStarts
    listing.commitIDs = headers.commitIDs
    var interner = BlobInterner()
    func intern(_ blob: ObjectID) -> Int32 { interner.intern(blob, into: &listing.blobs) }
    for record in records {
      listing.paths.append(record.path)
      listing.changes.append(
        Change(
          commit: commitIndex[record.commit] ?? 0, sequence: Int32(record.sequence),
          path: Int32(listing.paths.count - 1), oldBlob: record.oldBlob.map(intern) ?? -1,
          newBlob: intern(record.newBlob), status: record.status, isSubmodule: false,
          alreadyRead: !record.readsContent))
    }
    return listing
  }

  /// Whether a blob is UTF-16 or UTF-32 text (git shows it as a binary file).
  static func isWide(_ bytes: [UInt8]) -> Bool { WideText.encoding(of: bytes[...]) != nil }

  /// The bytes to scan of a blob: UTF-16 decoded, `nil` for a binary one.
  static func text(_ bytes: [UInt8]) -> [UInt8]? {
    var bytes = bytes
    if let encoding = WideText.encoding(of: bytes[...]) {
      bytes = WideText.decode(bytes[...], as: encoding)
    }
    let isBinary = bytes.withUnsafeBytes { raw in
      raw.baseAddress.map { memchr($0, 0, min(raw.count, FileReader.binaryProbeBytes)) != nil } ?? false
    }
    return isBinary ? nil : bytes
  }

  /// The version before a change, as far as it is kept.
  enum Base {
    /// None (an added file), or one that was binary or too large: all lines are new.
    case none
    case text([UInt8])
    /// Only its lines' hashes, when keeping every earlier version whole would take
    /// too much memory.
    case lines(LineSet)
    /// A binary version, for a binary change to compare its secrets with.
    case binary([UInt8])
  }

  /// The lines of `text` that `base` lacks and their 1-based numbers (`nil`: all of
  /// `text`).
  ///
  /// Against a whole earlier version, the common beginning and end are skipped (a
  /// byte comparison) and only the lines in between are compared, as hashes; so a
  /// commit that changes a few lines of a large file costs little more than copying it.
  static func newLines(of text: [UInt8], since base: Base) -> (
    bytes: [UInt8], numbers: [Int]?, starts: [Int]?
  ) {
    switch base {
    case .none, .binary:
      return (text, nil, nil)
    case .lines(let set):
      return newLines(of: text, from: 0, to: text.count, firstLine: 1, notIn: set)
    case .text(let old):
      let (start, newEnd, oldEnd) = changedSpan(text, old)
      guard start < newEnd else { return ([], [], []) }
      var set = LineSet(expectedLines: (oldEnd - start) / 32)
      forEachLine(in: old, from: start, to: oldEnd) { set.insert(LineSet.hash($0)) }
      let firstLine = text.withUnsafeBytes { raw in
        var count = 1
        var position = 0
        while position < start, let newline = memchr(raw.baseAddress! + position, 0x0A, start - position) {
          count += 1
          position = raw.baseAddress!.distance(to: newline) + 1
        }
        return count
      }
      return newLines(of: text, from: start, to: newEnd, firstLine: firstLine, notIn: set)
    }
  }

  /// The lines of `text` numbered `added` (1-based, ascending; each starting at the
  /// offset in `starts`), with `context` lines on each side and, where an added line
  /// may be part of a PEM block (it holds five dashes or a long run of base64), every
  /// block (`-----BEGIN` to `-----END`, up to `maximumBlockLines`) that holds one of
  /// them: their bytes, each line ending in a line feed, and their numbers.
  static func lines(_ added: [Int], startingAt starts: [Int], of text: [UInt8], context: Int) -> (
    bytes: [UInt8], numbers: [Int]
  ) {
    text.withUnsafeBytes { raw in
      // Runs of whole lines to read: the first line's number, where it starts and
      // where the last line ends (its line feed, or the end of the text).
      var runs: [(first: Int, start: Int, end: Int)] = []
      func add(first: Int, start: Int, end: Int) { runs.append((first, start, end)) }
      func lineEnd(from offset: Int) -> Int {
        var end = offset
        while end < raw.count && raw[end] != 0x0A { end += 1 }
        return end
      }
      var mayBePEM = false
      for (number, start) in zip(added, starts) {
        var first = number
        var from = start
        while first > 1 && first > number - context {
          from -= 1
          while from > 0 && raw[from - 1] != 0x0A { from -= 1 }
          first -= 1
        }
        var end = lineEnd(from: start)
        if !mayBePEM { mayBePEM = Self.mayBePEM(raw[start..<end]) }
        var more = context
        while more > 0 && end + 1 < raw.count {
          end = lineEnd(from: end + 1)
          more -= 1
        }
        add(first: first, start: from, end: end)
      }
      if mayBePEM { Self.addPEMBlocks(holding: added, in: raw) { add(first: $0, start: $1, end: $2) } }
      var bytes: [UInt8] = []
      var numbers: [Int] = []
      var done = 0  // where the lines taken so far end
      for run in runs.sorted(by: { $0.start < $1.start }) where run.end >= done {
        var number = run.first
        var position = run.start
        repeat {
          let end = lineEnd(from: position)
          if position >= done {
            bytes += raw[position..<end]
            bytes.append(0x0A)
            numbers.append(number)
          }
          number += 1
          position = end + 1
        } while position <= run.end
        done = position
      }
      return (bytes, numbers)
    }
  }

  /// Whether a line may be part of a PEM block: it holds five dashes or a run of 32
  /// base64 characters (an OpenVPN static key's lines are 32 hex digits).
  private static func mayBePEM(_ line: Slice<UnsafeRawBufferPointer>) -> Bool {
    var dashes = 0
    var run = 0
    for byte in line {
      dashes = byte == 0x2D ? dashes + 1 : 0
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
        run += 1
      default: run = 0
      }
      if dashes >= 5 || run >= 32 { return true }
    }
    return false
  }

  /// Calls `add` with the first line's number and the start and end offsets of each
  /// PEM block of `text` that holds one of the lines numbered `added`.
  private static func addPEMBlocks(
    holding added: [Int], in text: UnsafeRawBufferPointer, _ add: (Int, Int, Int) -> Void
  ) {
    guard let base = text.baseAddress else { return }
    func find(_ needle: StaticString, from start: Int) -> Int? {
      guard start < text.count,
        let found = vigil_memmem(base + start, text.count - start, needle.utf8Start, needle.utf8CodeUnitCount)
      else { return nil }
      return base.distance(to: found)
    }
    // Lines counted once, front to back: offsets are asked for in order.
    var line = 1
    var counted = 0
    var lineStart = 0
    func locate(_ offset: Int) -> (line: Int, start: Int) {
      while counted < offset, let newline = memchr(base + counted, 0x0A, offset - counted) {
        line += 1
        counted = base.distance(to: newline) + 1
        lineStart = counted
      }
      counted = max(counted, offset)
      return (line, lineStart)
    }
    var knownLineEnd = -1
    func lineEnd(from offset: Int) -> Int {
      if offset <= knownLineEnd { return knownLineEnd }
      knownLineEnd =
        memchr(base + offset, 0x0A, text.count - offset).map { base.distance(to: $0) } ?? text.count
      return knownLineEnd
    }
    // Each END closes the nearest BEGIN before it (after the END before it): a stray
    // BEGIN earlier in the file does not swallow the block.
    var nextBegin = find("-----BEGIN ", from: 0)
    var nextEnd = find("-----END ", from: 0)
    var next = 0  // the first added line not yet below a block
    while let closing = nextEnd {
      nextEnd = find("-----END ", from: closing + 9)
      var opening: Int?
      while let begin = nextBegin, begin < closing {
        opening = begin
        nextBegin = find("-----BEGIN ", from: begin + 11)
      }
      guard let opening else { continue }
      let (first, start) = locate(opening)
      let last = locate(closing).line
      guard last - first < Self.maximumBlockLines else { continue }
      while next < added.count && added[next] < first { next += 1 }
      if next < added.count && added[next] <= last { add(first, start, lineEnd(from: closing)) }
    }
  }

  /// The most lines of a PEM block read whole around an added line (a 16,384-bit RSA
  /// key takes about 200).
  static let maximumBlockLines = 400

  /// Where `text` and `old` differ, in whole lines: from the end of their common
  /// beginning to the start of their common end, in each.
  static func changedSpan(_ text: [UInt8], _ old: [UInt8]) -> (start: Int, newEnd: Int, oldEnd: Int) {
    text.withUnsafeBytes { new in
      old.withUnsafeBytes { old in
        let shorter = min(new.count, old.count)
        // Eight bytes at a time, then byte by byte.
        var prefix = 0
        while prefix + 8 <= shorter
          && new.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
            == old.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
        {
          prefix += 8
        }
        while prefix < shorter && new[prefix] == old[prefix] { prefix += 1 }
        // Back to the start of the line the difference is on.
        while prefix > 0 && new[prefix - 1] != 0x0A { prefix -= 1 }
        let most = shorter - prefix
        var suffix = 0
        while suffix + 8 <= most
          && new.loadUnaligned(fromByteOffset: new.count - suffix - 8, as: UInt64.self)
            == old.loadUnaligned(fromByteOffset: old.count - suffix - 8, as: UInt64.self)
        {
          suffix += 8
        }
        while suffix < most && new[new.count - 1 - suffix] == old[old.count - 1 - suffix] { suffix += 1 }
        // On to the start of the next line that starts the common end in both.
        func startsLine(_ text: UnsafeRawBufferPointer) -> Bool {
          suffix == text.count || text[text.count - suffix - 1] == 0x0A
        }
        while suffix > 0 && !(startsLine(new) && startsLine(old)) { suffix -= 1 }
        return (prefix, new.count - suffix, old.count - suffix)
      }
    }
  }

  static func forEachLine(
    in text: [UInt8], from start: Int, to end: Int, _ body: (UnsafeRawBufferPointer) -> Void
  ) {
    text.withUnsafeBytes { raw in
      guard let first = raw.baseAddress else { return }
      var position = start
      while position < end {
        var lineEnd = end
        if let newline = memchr(first + position, 0x0A, end - position) {
          lineEnd = first.distance(to: newline)
        }
        body(UnsafeRawBufferPointer(rebasing: raw[position..<lineEnd]))
        position = lineEnd + 1
      }
    }
  }

  private static func newLines(
    of text: [UInt8], from start: Int, to end: Int, firstLine: Int, notIn set: LineSet
  ) -> (bytes: [UInt8], numbers: [Int]?, starts: [Int]?) {
    var added: [UInt8] = []
    var numbers: [Int] = []
    var starts: [Int] = []
    var number = firstLine
    var position = start
    forEachLine(in: text, from: start, to: end) { line in
      if !set.contains(LineSet.hash(line)) {
        added += line
        added.append(0x0A)
        numbers.append(number)
        starts.append(position)
      }
      number += 1
      position += line.count + 1
    }
    return (added, numbers, starts)
  }

  /// Which blobs to read, in what order, and the earlier versions kept for the
  /// changes that come after them.
  struct Plan {
    /// A blob to read, and the change whose content it is (-1 when only the version
    /// before a change is needed: nothing earlier in the listing added it).
    var reads: [(blob: Int32, change: Int32)] = []
    /// Whether each change's blob is read as its content.
    var claimsChange: [Bool]
    /// Changes read whole at their path, without the version before: content moved
    /// (renamed, or a blob read already) where the rules judge it differently.
    var whole: [Bool]
    /// Changes whose blob was read already: only path rules apply to them.
    var pathOnly: [Int32] = []
    /// How many changes still to come compare against each blob.
    var uses: [Int32]
    /// The blobs later changes compare against.
    var bases: [Int32: Base] = [:]
    /// Bytes of the versions kept whole, and the order they were kept in: past
    /// `retainLimit`, the oldest are reduced to their lines' hashes.
    var retained = 0
    var retainedOrder: [Int32] = []
    var nextToReduce = 0
    static let retainLimit = 64 << 20

    /// - Parameter treatedAlike: whether the scan judges content the same at two paths;
    ///   content moved from one path to another that is not treated alike (a fixture
    ///   renamed or copied into the code, a file out of an excluded directory) is read
    ///   whole at its new path, as a new file would be.
    /// - Parameter priorClaims: for blobs an earlier scan read (`Change.alreadyRead`),
    ///   the path it read each at (as an index into the listing's paths).
    init(
      _ listing: Listing, treatedAlike: (String, String) -> Bool = { _, _ in true },
      priorClaims: [Int32: Int32] = [:]
    ) {
      uses = Array(repeating: 0, count: listing.blobs.count)
      claimsChange = Array(repeating: false, count: listing.changes.count)
      whole = claimsChange
      var claimed = Array(repeating: false, count: listing.blobs.count)
      // The path each blob was first read at, where this listing read it.
      var claimedAt = Array(repeating: Int32(-1), count: listing.blobs.count)
      for (blob, path) in priorClaims { claimedAt[Int(blob)] = path }
      var scheduled = claimed
      var alike: [PathPair: Bool] = [:]
      func differ(_ first: Int32, _ second: Int32) -> Bool {
        guard first >= 0, first != second else { return false }
        let pair = PathPair(first: first, second: second)
        if let known = alike[pair] { return !known }
        let answer = treatedAlike(listing.paths[Int(first)], listing.paths[Int(second)])
        alike[pair] = answer
        return !answer
      }
      for (index, change) in listing.changes.enumerated() {
        let blob = Int(change.newBlob)
        let moved =
          !change.isSubmodule
          && (change.status == UInt8(ascii: "R") && differ(change.oldPath, change.path)
            || (claimed[blob] || change.alreadyRead) && differ(claimedAt[blob], change.path))
        if moved {
          claimsChange[index] = true
          whole[index] = true
          scheduled[blob] = true
          reads.append((change.newBlob, Int32(index)))
          // Read now: the same blob at this path again adds nothing.
          if !claimed[blob] {
            claimed[blob] = true
            claimedAt[blob] = change.path
          }
          continue
        }
        guard !change.isSubmodule, !change.alreadyRead, !claimed[blob] else {
          if change.takesPathRules { pathOnly.append(Int32(index)) }
          continue
        }
        claimed[blob] = true
        claimedAt[blob] = change.path
        claimsChange[index] = true
        let old = change.oldBlob
        if old >= 0 {
          uses[Int(old)] += 1
          if !scheduled[Int(old)] {
            scheduled[Int(old)] = true
            reads.append((old, -1))
          }
        }
        scheduled[Int(change.newBlob)] = true
        reads.append((change.newBlob, Int32(index)))
      }
    }

    struct PathPair: Hashable {
      var first: Int32
      var second: Int32
    }

    /// Keeps `text` (`nil`: binary or too large) as the base of changes to come.
    /// Keeps a blob later changes compare against: its text, else its bytes if it is
    /// binary (none if it was too large to read).
    mutating func keep(_ text: [UInt8]?, binary: [UInt8]?, as blob: Int32) {
      guard uses[Int(blob)] > 0, bases[blob] == nil else { return }
      if let text {
        bases[blob] = .text(text)
        retained += text.count
      } else if let binary {
        bases[blob] = .binary(binary)
        retained += binary.count
      } else {
        bases[blob] = Base.none
        return
      }
      retainedOrder.append(blob)
      while retained > Self.retainLimit && nextToReduce < retainedOrder.count {
        let oldest = retainedOrder[nextToReduce]
        nextToReduce += 1
        switch bases[oldest] {
        case .text(let bytes):
          var set = LineSet(expectedLines: bytes.count / 32)
          BlobHistory.forEachLine(in: bytes, from: 0, to: bytes.count) { set.insert(LineSet.hash($0)) }
          bases[oldest] = .lines(set)
          retained -= bytes.count
        case .binary(let bytes):
          bases[oldest] = Base.none
          retained -= bytes.count
        default: continue
        }
      }
    }

    /// The base of one change, released after the last change that compares against it.
    mutating func takeBase(_ blob: Int32) -> Base {
      let base = bases[blob] ?? Base.none
      uses[Int(blob)] -= 1
      if uses[Int(blob)] <= 0, let released = bases.removeValue(forKey: blob) {
        switch released {
        case .text(let bytes), .binary(let bytes): retained -= bytes.count
        case .none, .lines: break
        }
      }
      return base
    }
  }
}

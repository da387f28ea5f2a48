import VigilModel

/// Every commit reachable from HEAD (or in a range), oldest first, as the lines each
/// commit added to each file.
///
/// Scanning what each commit added reports a secret once, at the commit that brought
/// it in, however long it stayed: a rename carries no added lines, a deletion none
/// either. Merge commits are diffed against their first parent so that a secret added
/// while resolving a merge is found too; what a merged branch brought in was added by
/// its own commits, which come earlier in the walk, and the duplicate is dropped.
package struct CommitHistory {
  package let repository: GitRepository
  /// `A..B`, or `nil` for everything reachable from HEAD.
  package let range: String?
  package let maxFileSize: Int
  /// Masks commit fields like snippets (a secret pasted into a commit subject or an
  /// author field is shown redacted); `nil` shows them as they are (`--no-redact`).
  package var mask: (@Sendable (String) -> String)?

  package init(
    repository: GitRepository, range: String?, maxFileSize: Int, mask: (@Sendable (String) -> String)?
  ) {
    self.repository = repository
    self.range = range
    self.maxFileSize = maxFileSize
    self.mask = mask
  }

  /// Why `range` cannot be a revision range, or `nil` when it can: git would read a
  /// leading `-` as an option (`--output=…` writes a file, `--ext-diff` runs a driver).
  public static func problem(range: String) -> String? {
    if range.isEmpty { return "--range is empty: give a revision range such as origin/main..HEAD" }
    if range.hasPrefix("-") {
      return "--range '\(TerminalText.escaped(range))' starts with '-': a revision range never does"
    }
    // `..HEAD` is what `$BASE..HEAD` becomes with BASE unset: git reads HEAD..HEAD, which
    // selects nothing, and the scan would pass having read no commit.
    if range.hasPrefix("..") {
      return
        "--range '\(TerminalText.escaped(range))' has no start (an unset variable?): git would read it as"
        + " HEAD\(TerminalText.escaped(range)), which selects nothing if HEAD is its end; name both ends"
    }
    return nil
  }

  package static let marker = Array("\u{1}\u{1}vigil-commit\u{1}".utf8)

  /// Streams the log, handing each file's additions to `add` as soon as its commit ends.
  package func produce(_ add: ([ContentItem]) -> Void) throws {
    guard range != nil || repository.head != nil else { return }  // no commits yet
    var parser = PatchParser()
    var commit: CommitInfo?
    var sequence = 0
    func finishCommit() {
      parser.flush()
      guard let commit else {
        _ = parser.takeFinished()
        return
      }
      let items = parser.takeFinished().compactMap { item(for: $0, commit: commit, sequence: sequence) }
      if !items.isEmpty { add(items) }
    }
    let arguments =
      ["log", "-p", "-U0", "-M", "--topo-order", "--reverse", "--diff-merges=first-parent"]
      + GitCommand.patchOptions + GitCommand.logOptions
      + ["--format=%x01%x01vigil-commit%x01%H%x01%an%x01%ae%x01%aI%x01%s"]
      + GitCommand.revisionArguments([range ?? "HEAD"])
    try repository.git.streamLines(arguments) { line in
      if line.starts(with: Self.marker) {
        finishCommit()
        sequence += 1
        commit = Self.parseHeader(line.dropFirst(Self.marker.count), mask: mask)
      } else {
        parser.consume(line)
      }
    }
    finishCommit()
  }

  private func item(for patch: FilePatch, commit: CommitInfo, sequence: Int) -> ContentItem? {
    if patch.isDeleted || patch.path.isEmpty { return nil }
    let scanContent = !patch.isBinary && !patch.addedLines.isEmpty
    guard scanContent || patch.isNew else { return nil }
    var bytes: [UInt8] = []
    var numbers: [Int] = []
    if scanContent {
      bytes.reserveCapacity(patch.addedLines.reduce(0) { $0 + $1.text.count + 1 })
      for (number, text) in patch.addedLines {
        bytes += text
        bytes.append(0x0A)
        numbers.append(number)
      }
      if bytes.count > maxFileSize { bytes = [] }
    }
    return ContentItem(
      path: patch.path, bytes: bytes, lineNumbers: numbers, reportedLines: nil,
      pathRules: patch.isNew, commit: commit, sequence: sequence)
  }

  package static func parseHeader(_ rest: ArraySlice<UInt8>, mask: ((String) -> String)?) -> CommitInfo {
    // Names and messages come from the repository: escape control characters so that
    // they cannot drive the user's terminal, and mask secrets as snippets are masked.
    let fields = rest.split(separator: 1, maxSplits: 4, omittingEmptySubsequences: false)
      .map { TerminalText.escaped(String(decoding: $0, as: UTF8.self)) }
    func field(_ index: Int) -> String {
      guard index < fields.count else { return "" }
      guard let mask, index != 0 && index != 3 else { return fields[index] }
      return mask(fields[index])
    }
    return CommitInfo(sha: field(0), author: field(1), email: field(2), date: field(3), message: field(4))
  }
}

/// Content held in memory rather than read from disk: a staged blob, the lines one
/// commit added to one file, or standard input.
package struct ContentItem: Sendable {
  package var path: String
  package var bytes: [UInt8]
  /// The real (1-based) line number of each line of `bytes`, when `bytes` holds only
  /// some lines of the file; `nil` when it is the whole file.
  package var lineNumbers: [Int]?
  /// Only findings touching these real line numbers are reported; `nil` for all.
  package var reportedLines: Set<Int>?
  /// Whether path rules (committed secret files) apply: only where the file is new.
  package var pathRules: Bool
  package var commit: CommitInfo?
  /// Position of the commit in the scanned history, oldest first: when the same
  /// finding appears in several commits, the earliest is reported.
  package var sequence: Int = 0
  /// `bytes` are a binary file as committed: scanned if it is an archive (its entries,
  /// as a tree scan reads them), else skipped.
  package var isBinary = false
  /// For a binary file a change modifies, or a text file read whole: the version
  /// before, whose findings are not new (a staged archive reports only what the change
  /// adds to it).
  package var previousBytes: [UInt8]?
  /// For a changed text file read by its added lines (`bytes`), where the change may
  /// make news elsewhere in it: the whole new version, with the version before in
  /// `previousBytes`, for the scanner to read whole should the change take code out of a
  /// test item (deleting the line that marked a Rust test module).
  package var wholeVersion: [UInt8]?
  /// Why the content was not read (larger than `--max-file-size`): counted among the
  /// skipped files; path rules still apply.
  package var skipped: SkipReason?
  /// The blob was UTF-16 or UTF-32, which git shows as a binary file: a review of the
  /// change does not see a `vigil:allow` in it, so none counts.
  package var hidesMarkers = false

  package init(
    path: String, bytes: [UInt8], lineNumbers: [Int]?, reportedLines: Set<Int>?, pathRules: Bool,
    commit: CommitInfo?, sequence: Int = 0
  ) {
    self.path = path
    self.bytes = bytes
    self.lineNumbers = lineNumbers
    self.reportedLines = reportedLines
    self.pathRules = pathRules
    self.commit = commit
    self.sequence = sequence
  }
}

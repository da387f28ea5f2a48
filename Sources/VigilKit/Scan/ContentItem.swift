/// Content held in memory rather than read from disk: a staged blob, the lines one
/// commit added to one file, or standard input.
struct ContentItem: Sendable {
  var path: String
  var bytes: [UInt8]
  /// The real (1-based) line number of each line of `bytes`, when `bytes` holds only
  /// some lines of the file; `nil` when it is the whole file.
  var lineNumbers: [Int]?
  /// Only findings touching these real line numbers are reported; `nil` for all.
  var reportedLines: Set<Int>?
  /// Whether path rules (committed secret files) apply: only where the file is new.
  var pathRules: Bool
  var commit: CommitInfo?
  /// Position of the commit in the scanned history, oldest first: when the same
  /// finding appears in several commits, the earliest is reported.
  var sequence: Int = 0
}

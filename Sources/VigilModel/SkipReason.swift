/// Why a file was not scanned for content; the end-of-scan summary counts each.
public enum SkipReason: String, CaseIterable, Sendable, Comparable {
  case tooLarge = "too large"
  case symlink
  case special = "not a regular file"
  case unreadable
  case excluded = "excluded by an allowlist"
  /// An untracked report or baseline vigil wrote, when no detector could be made to
  /// read it for secrets (it is otherwise scanned with the secret rules).
  case vigilOutput = "vigil output"
  /// An archive read only in part: damaged, past its unpacking budget (a
  /// decompression bomb) or nesting archives too deep. `--strict` fails on it.
  case archiveIncomplete = "archive not read whole"
  /// A file whose encoded text was not all decoded: decoding it would have passed its
  /// budget (twice the file and 64 KiB). `--strict` fails on it.
  case decodingIncomplete = "decoding cut short"
  /// A rule whose pattern passed PCRE2's match limit on a line (a hostile line built to
  /// make it backtrack) and so did not search all of it. `--strict` fails on it.
  case patternGaveUp = "a rule's pattern gave up"
  /// A history scan of a shallow clone: the commits before its boundary are not in the
  /// repository to read. `--strict` fails on it.
  case historyCut = "history cut short (a shallow clone)"
  /// A history whose `.gitattributes` files name more working-tree encodings than
  /// vigil reads blobs in. `--strict` fails on it.
  case encodingsLeftOut = "working-tree encodings left out"
  /// A `--range` that selects no commit (its ends swapped): nothing was read. `--strict`
  /// fails on it.
  case emptyRange = "a range of no commit"
  /// A Git LFS pointer whose object is not in the repository's local store: its
  /// content was not read. `--strict` fails on it.
  case lfsObjectMissing = "Git LFS object not present"

  public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a file was not scanned for content; the end-of-scan summary counts each.
public enum SkipReason: String, CaseIterable, Sendable, Comparable {
  case binary
  case tooLarge = "too large"
  case symlink
  case special = "not a regular file"
  case unreadable
  case excluded = "excluded by an allowlist"

  public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

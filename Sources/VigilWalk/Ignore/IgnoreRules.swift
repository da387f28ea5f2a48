import VigilModel

/// The ignore files in force for one directory: its own `.gitignore` and its
/// ancestors', then the repository's `.git/info/exclude`, then the user's global
/// excludes file, in git's order of precedence.
///
/// Immutable and shared between workers: a directory's rules are its parent's plus its
/// own `.gitignore`, so each level costs one small node.
public final class IgnoreRules: Sendable {
  private let file: IgnoreFile?
  private let parent: IgnoreRules?
  /// `.git/info/exclude`, then `core.excludesFile`: below every `.gitignore`.
  private let fallbacks: [IgnoreFile]
  /// Whether the `.gitignore` files met count: not outside a repository, where git reads
  /// none (and a tree's `*` would hide all of it from a scan of an unpacked archive), nor
  /// in a repository met below one (an archive may hold a `.git` of its own).
  public let readsIgnoreFiles: Bool

  public init(fallbacks: [IgnoreFile]) {
    self.file = nil
    self.parent = nil
    self.fallbacks = fallbacks
    self.readsIgnoreFiles = true
  }

  /// Rules outside any repository: nothing is ignored, and `.gitignore` files are not read.
  public static let outsideRepository = IgnoreRules(readingNone: ())

  private init(readingNone: Void) {
    self.file = nil
    self.parent = nil
    self.fallbacks = []
    self.readsIgnoreFiles = false
  }

  private init(file: IgnoreFile, parent: IgnoreRules) {
    self.file = file
    self.parent = parent
    self.fallbacks = parent.fallbacks
    self.readsIgnoreFiles = parent.readsIgnoreFiles
  }

  /// These rules with one more (deeper) ignore file on top.
  public func adding(_ file: IgnoreFile) -> IgnoreRules {
    file.patterns.isEmpty || !readsIgnoreFiles ? self : IgnoreRules(file: file, parent: self)
  }

  /// Whether git would ignore `path` (relative to the ignore root, `/`-separated).
  public func isIgnored(path: [UInt8], isDirectory: Bool) -> Bool {
    let basenameStart = (path.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
    return path.withUnsafeBufferPointer { path in
      var node: IgnoreRules? = self
      while let current = node {
        if let file = current.file,
          let verdict = file.verdict(path: path, basenameStart: basenameStart, isDirectory: isDirectory)
        {
          return verdict
        }
        node = current.parent
      }
      for file in fallbacks {
        if let verdict = file.verdict(path: path, basenameStart: basenameStart, isDirectory: isDirectory) {
          return verdict
        }
      }
      return false
    }
  }
}

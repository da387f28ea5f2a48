import Foundation
import VigilGit

extension Scanner {
  /// The path findings from standard input are reported under.
  public static let standardInputPath = "<stdin>"

  /// Scans what is staged in the repository containing `directory` (see
  /// `StagedChanges`); paths are relative to the work tree's top.
  /// The top directory of the repository holding `directory` (where a staged or
  /// history scan reads its config), as vigil finds it: never from `core.worktree`.
  public static func repositoryTop(containing directory: String) -> String? {
    RepositoryLocation.containing(directory)?.workTree
  }

  public func scanStaged(in directory: String) throws(ScanError) -> ScanResult {
    let repository = try GitRepository(containing: directory)
    let staged = StagedChanges(repository: repository, maxFileSize: options.maxFileSize)
    var result = try scanContent(root: repository.root) { add in
      do { add(try staged.items()) } catch { throw repository.explain(error) }
    }
    result.versionControl = repository.versionControl(mask: masker.mask)
    if let warning = repository.elsewhereWarning { result.diagnostics.insert(warning, at: 0) }
    return result
  }

  /// How a history scan reads the commits.
  package enum HistoryReading: Sendable {
    /// Each blob the history adds, once (`BlobHistory`): what vigil does.
    case blobs
    /// Each commit's patch (`CommitHistory`): what the blob reading is checked against.
    case patches
  }

  /// Scans every commit reachable from HEAD, or those in `range` (`A..B`), reporting
  /// each finding once, at the commit that introduced it (see `BlobHistory`).
  public func scanHistory(in directory: String, range: String?) throws(ScanError) -> ScanResult {
    try scanHistory(in: directory, range: range, reading: .blobs)
  }

  package func scanHistory(in directory: String, range: String?, reading: HistoryReading) throws(ScanError)
    -> ScanResult
  {
    if let range, let problem = CommitHistory.problem(range: range) { throw .input(problem) }
    let repository = try GitRepository(containing: directory)
    let masker = self.masker
    let mask: (@Sendable (String) -> String)? =
      options.redact ? { @Sendable (text: String) -> String in masker.mask(text) } : nil
    let maxFileSize = options.maxFileSize
    var result = try scanContent(root: repository.root) { add in
      do {
        switch reading {
        case .blobs:
          try BlobHistory(repository: repository, range: range, maxFileSize: maxFileSize, mask: mask).produce(
            add)
        case .patches:
          try CommitHistory(repository: repository, range: range, maxFileSize: maxFileSize, mask: mask)
            .produce(add)
        }
      } catch { throw repository.explain(error) }
    }
    result.versionControl = repository.versionControl(mask: masker.mask)
    if let warning = repository.elsewhereWarning { result.diagnostics.insert(warning, at: 0) }
    return result
  }

  /// Scans `bytes` as one file named `<stdin>`.
  public func scan(standardInput bytes: [UInt8], root: String) throws(ScanError) -> ScanResult {
    let item = ContentItem(
      path: Self.standardInputPath, bytes: bytes, lineNumbers: nil, reportedLines: nil,
      pathRules: false, commit: nil)
    return try scanContent(root: root) { add in add([item]) }
  }
}

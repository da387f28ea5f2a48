import Dispatch
import Foundation
import VigilDetect
import VigilGit
import VigilSupport
import VigilWalk

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
    guard !repository.location.isBare else {
      throw .input("\(directory) is a bare repository: it has no staged changes (only --history reads one)")
    }
    let staged = StagedChanges(repository: repository, maxFileSize: options.maxFileSize)
    let versionControl = options.recordsProvenance ? provenance(of: repository) : nil
    var result = try scanContent(
      root: repository.root, lfs: LFSObjects(repository: repository, maxFileSize: options.maxFileSize)
    ) { add in
      let alike = pathsTreatedAlike()
      do { add(try staged.items(treatedAlike: alike, readsThrough: secretFileNames())) } catch {
        throw repository.explain(error)
      }
    }
    result.versionControl = versionControl?()
    result.kind = .staged
    if let warning = repository.elsewhereWarning { result.diagnostics.insert(warning, at: 0) }
    return result
  }

  /// Whether a path is a secret file's name by the rules (`.env`): a link so named is
  /// read through. The worker that knows is made on first use (most scans meet no link).
  func secretFileNames() -> @Sendable (String) -> Bool {
    let namer = Locked<DetectorWorker?>(nil)
    let detector = self.detector
    return { path in
      namer.withLock { worker in
        if worker == nil { worker = try? detector().makeWorker(profiling: false) }
        return worker?.namesSecretFile(path) ?? false
      }
    }
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
    if let range {
      let ends = range.components(separatedBy: range.contains("...") ? "..." : "..").filter { !$0.isEmpty }
      for end in ends where !repository.isCommit(end) {
        throw .input(
          "bad revision range '\(TerminalText.escaped(range))': '\(TerminalText.escaped(end))' names no commit here"
            + " (in CI, fetch it first: a shallow checkout has only the commit it builds)")
      }
      for end in ends {
        let refs = repository.ambiguousRefs(end)
        guard let chosen = refs.first else { continue }
        throw .input(
          "bad revision range '\(TerminalText.escaped(range))': '\(TerminalText.escaped(end))' is ambiguous: "
            + refs.map(TerminalText.escaped).joined(separator: ", ")
            + " name different commits (git would take \(TerminalText.escaped(chosen))); name the one meant in full"
        )
      }
    }
    let masker = self.masker
    let mask: (@Sendable (String) -> String)? =
      options.redact ? { @Sendable (text: String) -> String in masker.mask(text, randomTokens: false) } : nil
    let maxFileSize = options.maxFileSize
    let versionControl = options.recordsProvenance ? provenance(of: repository) : nil
    var result: ScanResult
    switch reading {
    case .blobs:
      var history = BlobHistory(repository: repository, range: range, maxFileSize: maxFileSize, mask: mask)
      history.contextLines = options.readsContext ? Self.contextLines(of: pack) : 0
      history.readsWholeVersions = range != nil && options.readsContext
      if options.readsContext {
        history.offersWholeVersions = { path, previous in
          ContextAnalyzer.mayHoldTestItems(path: path, previous)
        }
        history.lexesTestItems = { path in ContextAnalyzer.lexesTestItems(path: path) }
      }
      history.readsThrough = secretFileNames()
      result = try scanBlobs(
        history, cacheDirectory: range == nil && options.shard == nil ? options.historyCache : nil)
    case .patches:
      result = try scanContent(
        root: repository.root, lfs: LFSObjects(repository: repository, maxFileSize: maxFileSize)
      ) { add in
        do {
          try CommitHistory(repository: repository, range: range, maxFileSize: maxFileSize, mask: mask)
            .produce(add)
        } catch { throw repository.explain(error) }
      }
    }
    result.versionControl = versionControl?()
    result.kind = .history(range: range)
    if let warning = repository.elsewhereWarning { result.diagnostics.insert(warning, at: 0) }
    if let range, repository.selectsNoCommit(range) {
      result.diagnostics.insert(
        Diagnostic(
          .warning,
          "the range '\(TerminalText.escaped(range))' selects no commit: nothing was scanned"
            + " (are its ends swapped? `base..head` is what head has and base lacks)"),
        at: 0)
      result.summary.skipped[.emptyRange, default: 0] += 1
    }
    if range.map(repository.rangeReachesShallowBoundary) ?? repository.isShallow {
      // A secret committed and removed before the boundary is in the remote's history,
      // not here: the scan says so rather than report a clean history.
      result.diagnostics.insert(
        Diagnostic(
          .warning,
          "this clone is shallow: commits before its boundary are not here and were not scanned"
            + " (fetch them with `git fetch --unshallow`; actions/checkout: `fetch-depth: 0`)",
          file: ".git"), at: 0)
      result.summary.skipped[.historyCut, default: 0] += 1
    }
    return result
  }

  /// Unchanged lines a history scan reads around each added line: as many as a rule's
  /// window or a composite rule's companion reaches (at most 8).
  static func contextLines(of pack: RulePack) -> Int {
    var most = 0
    for rule in pack.rules {
      most = max(most, rule.windowLines - 1)
      for requirement in rule.required { most = max(most, requirement.withinLines ?? 0) }
    }
    return min(most, 8)
  }

  /// Whether the scan judges the same content alike at two paths (see
  /// `DetectorWorker.pathTreatment`, to which this adds `--exclude` and nested
  /// configs): git inputs read content renamed or copied between paths that are not
  /// treated alike again, at the new path. For one thread; the detector is waited for
  /// on the first call.
  func pathsTreatedAlike() -> (String, String) -> Bool {
    guard options.rereadsMovedContent else { return { _, _ in true } }
    let excludes = Self.excludeFile(options.exclude)
    let layers = pack.layers
    var worker: DetectorWorker?
    var known: [String: [UInt8]] = [:]
    func treatment(_ path: String) -> [UInt8]? {
      if let treatment = known[path] { return treatment }
      guard let made = worker ?? (try? detector().makeWorker(profiling: false)) else { return nil }
      worker = made
      var treatment = made.pathTreatment(path)
      // What a compressed file holds is judged under the name it takes (`x.md.gz/x.md`).
      let inner = Self.unpackedName(of: path)
      if inner != "data" { treatment += made.pathTreatment(path + "/" + inner) }
      treatment.append(excludes?.excludes(path) == true ? 1 : 0)
      treatment += layers.map { path.hasPrefix($0.prefix) ? 1 : 0 }
      known[path] = treatment
      return treatment
    }
    // Without a detector nothing is alike: the content is read again.
    return { first, second in
      guard let one = treatment(first), let other = treatment(second) else { return false }
      return one == other
    }
  }

  /// Looks up the repository's remote, HEAD and branch (three git calls) on another
  /// thread while the scan runs; the function returned waits for the answer.
  private func provenance(of repository: GitRepository) -> () -> VersionControlInfo {
    let masker = self.masker
    let answer = Locked<VersionControlInfo?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      let info = repository.versionControl(mask: { masker.mask($0, randomTokens: false) })
      answer.withLock { $0 = info }
      done.signal()
    }
    return {
      done.wait()
      done.signal()  // for a second caller
      return answer.withLock { $0 } ?? VersionControlInfo(repositoryURI: "", revision: nil, branch: nil)
    }
  }

  /// Scans `bytes` as the file `name` (`--stdin-filename`: every rule applies as it
  /// would to that file), or as `<stdin>`, to which no path rule applies.
  public func scan(standardInput bytes: [UInt8], named name: String? = nil, root: String) throws(ScanError)
    -> ScanResult
  {
    let item = ContentItem(
      path: name ?? Self.standardInputPath, bytes: bytes, lineNumbers: nil, reportedLines: nil,
      pathRules: name != nil, commit: nil)
    var result = try scanContent(root: root) { add in add([item]) }
    result.kind = .standardInput
    return result
  }

  /// A blob-level history scan, resumed from the cache in `cacheDirectory` when it
  /// holds a usable one, and leaving one there for the next scan.
  private func scanBlobs(_ history: BlobHistory, cacheDirectory: String?) throws(ScanError) -> ScanResult {
    let repository = history.repository
    // A shallow clone's history is cut short: a cache of it would be resumed past the
    // commits `git fetch --unshallow` brings later. Such a scan neither reads nor writes one.
    let file =
      repository.isShallow
      ? nil
      : cacheDirectory.map {
        HistoryCache.file(
          in: $0, repository: repository, pack: pack, maxFileSize: options.maxFileSize,
          decodeDepth: options.maxDecodeDepth, archiveDepth: options.maxArchiveDepth)
      }
    var (cache, warning) = file.map(HistoryCache.load) ?? (nil, nil)
    var resume = cache?.resume
    // HEAD once: a commit made while the scan runs is left for the next one.
    let head = repository.head
    if let reached = resume?.head.description, let head, reached != head,
      !repository.isAncestor(reached, of: head)
    {
      (cache, resume) = (nil, nil)  // history rewritten, or another branch: start over
    }
    // A `.gitattributes` changed since may name an encoding the blobs read before were
    // checked out in: they are read again.
    if let reached = resume?.head.description, let head, reached != head,
      repository.changesAttributes(after: reached, upTo: head)
    {
      (cache, resume) = (nil, nil)
    }
    var (result, outcome) = try scanBlobs(history, resume: resume, head: head)
    if let cache, !cache.fingerprints.isSubset(of: Set(result.findings.map(\.fingerprint))) {
      warning = Diagnostic(.warning, "the history cache disagreed with the repository: scanned again in full")
      (result, outcome) = try scanBlobs(history, resume: nil, head: head)
    }
    if let warning { result.diagnostics.insert(warning, at: 0) }
    if let resume, let outcome, warning == nil {
      result.resumedHistory = (resume.commitCount, outcome.commitCount - resume.commitCount)
    }
    // A cache that read nothing new would be saved as it was loaded: it is only
    // marked as used.
    // An archive not read whole, blobs not read in every encoding named, or a Git LFS
    // object not in the store (which --strict fails on; a `git lfs fetch` brings it later,
    // with no new commit) are read again by the next scan rather than remembered as
    // read: the cache is not written; nor when a file was read under a link's name (the
    // cache remembers changes by their own paths).
    let incomplete = [SkipReason.archiveIncomplete, .encodingsLeftOut, .lfsObjectMissing].contains {
      (result.summary.skipped[$0] ?? 0) > 0
    }
    if let file, resume != nil, warning == nil, outcome?.commitCount == resume?.commitCount {
      HistoryCache.touch(file)
    } else if let file, let outcome, !incomplete, !outcome.readThroughLinks {
      var fingerprints: [String: [String]] = [:]
      for finding in result.findings {
        fingerprints[
          HistoryCache.changeKey(commit: finding.commit?.sha ?? "", path: finding.path), default: []
        ]
        .append(finding.fingerprint)
      }
      let next = outcome.resume {
        fingerprints[HistoryCache.changeKey(commit: $0.commit.description, path: $0.path)] != nil
      }
      if let next { HistoryCache(resume: next, fingerprints: fingerprints).save(file) }
    }
    return result
  }

  private func scanBlobs(_ history: BlobHistory, resume: BlobHistory.Resume?, head: String?) throws(ScanError)
    -> (ScanResult, BlobHistory.Outcome?)
  {
    let outcome = Locked<BlobHistory.Outcome?>(nil)
    var result = try scanContent(
      root: history.repository.root,
      lfs: LFSObjects(repository: history.repository, maxFileSize: history.maxFileSize)
    ) { add in
      do {
        let produced = try history.produce(resume: resume, head: head, treatedAlike: pathsTreatedAlike(), add)
        outcome.withLock { $0 = produced }
      } catch { throw history.repository.explain(error) }
    }
    let leftOut = history.encodingsLeftOut.withLock { $0 }
    if leftOut > 0 {
      result.diagnostics.append(
        Diagnostic(
          .warning,
          "the history's .gitattributes files name \(leftOut) working-tree encoding\(leftOut == 1 ? "" : "s") "
            + "past the \(BlobHistory.maximumEncodings) blobs are read in: files checked out in "
            + "\(leftOut == 1 ? "it were" : "those were") not read so",
          file: ".gitattributes"))
      result.summary.skipped[.encodingsLeftOut, default: 0] += 1
    }
    return (result, outcome.withLock { $0 })
  }
}

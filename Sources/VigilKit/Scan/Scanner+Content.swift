import Archives
import Dispatch
import Foundation
import VigilGit
import VigilSupport
import VigilWalk

extension Scanner {
  /// Scans content a producer supplies (from git or standard input) on `jobs` workers
  /// while the producer is still running, then merges once.
  ///
  /// - Parameters:
  ///   - lfs: the repository's Git LFS store: a pointer's object is read too, as the
  ///     file the pointer stands for.
  ///   - produce: called on its own thread; it adds batches with the `add` closure it
  ///     is given and returns when it is done, or throws to abort the scan.
  func scanContent(
    root: String, lfs: LFSObjects? = nil,
    produce: @escaping @Sendable (_ add: ([ContentItem]) -> Void) throws -> Void
  ) throws(ScanError) -> ScanResult {
    let builder = FindingBuilder(rules: pack.rules, redact: options.redact, collecting: foundSecrets)
    let excludes = Self.excludeFile(options.exclude)
    let queue = WorkQueue<[ContentItem]>([], producing: true)
    // Batches queued and not yet scanned: the producer waits for a free slot, so that
    // git outrunning the workers cannot fill memory.
    let slots = DispatchSemaphore(value: 4 * options.jobs)
    let failure = Locked<ScanError?>(nil)
    let producerDone = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      do {
        try produce {
          slots.wait()
          options.progress?.found(files: $0.count)
          queue.add([$0])
        }
      } catch {
        failure.withLock { $0 = error as? ScanError ?? .input("\(error)") }
      }
      queue.close()
      producerDone.signal()
    }
    // The paths of Git LFS pointers whose objects are not in the store: said once, at
    // the end (a CI checkout without LFS has them by the hundred).
    let lfsMissing = Locked<Set<String>>([])
    // Locked once per worker, when it hands over its results: the merge-once point.
    let outputs = Locked<
      [(
        findings: [(Int, Finding)], diagnostics: [Diagnostic], summary: ScanSummary, profile: ScanProfile?,
        secrets: Set<String>
      )]
    >([])
    DispatchQueue.concurrentPerform(iterations: options.jobs) { _ in
      // Made when the first batch comes: a history scan resumed from its cache with
      // nothing new to read needs no worker, nor the detector it would wait for.
      var made: DetectorWorker?
      var findings: [(Int, Finding)] = []
      var summary = ScanSummary()
      var archiveDiagnostics: [Diagnostic] = []
      // The secrets found in commits, in clear: a commit's subject may quote them.
      var secretsFound: Set<String> = []
      while let batch = queue.next() {
        guard let worker = made ?? (try? detector().makeWorker(profiling: options.profile)) else {
          failure.withLock { $0 = $0 ?? .workerSetup("no PCRE2 match data") }
          queue.finished()
          slots.signal()
          while queue.next() != nil {
            queue.finished()
            slots.signal()
          }
          return
        }
        made = worker
        func process(_ item: ContentItem) {
          if item.isBinary {
            var output = WorkerOutput()
            if options.redact && item.commit != nil { output.secrets = [] }
            scanBinary(item, worker: worker, builder: builder, into: &output)
            secretsFound.formUnion(output.secrets ?? [])
            findings += output.findings.map { (item.sequence, $0) }
            summary.merge(output.summary)
            archiveDiagnostics += output.diagnostics
            options.progress?.add(bytes: output.summary.bytesScanned, findings: output.findings.count)
            return
          }
          if let reason = item.skipped {
            summary.skipped[reason, default: 0] += 1
            if item.pathRules, !worker.isExcluded(path: item.path) {
              let found = builder.findings(
                for: worker.detectPath(item.path), path: item.path,
                bytes: UnsafeBufferPointer(start: nil, count: 0))
              findings += found.map { finding in
                var finding = finding
                finding.commit = item.commit
                return (item.sequence, finding)
              }
            }
            return
          }
          let (found, secrets) = scan(item, worker: worker, builder: builder)
          findings += found.map { (item.sequence, $0) }
          secretsFound.formUnion(secrets)
          summary.filesScanned += 1
          summary.bytesScanned += item.bytes.count
          options.progress?.add(bytes: item.bytes.count, findings: found.count)
        }
        for item in batch {
          if let excludes, excludes.excludes(item.path) { continue }
          worker.commit = item.commit?.sha
          if let shard = options.shard, !Self.isInShard(item.path, shard) { continue }
          process(item)
          // A Git LFS pointer: the object it names, whole, as the file it stands for.
          guard let lfs, !item.isBinary, item.skipped == nil, !worker.isExcluded(path: item.path),
            let lookup = lfs.object(pointedToBy: item.bytes)
          else { continue }
          switch lookup {
          case .content(let bytes, let binary):
            var object = ContentItem(
              path: item.path, bytes: bytes, lineNumbers: nil, reportedLines: nil, pathRules: false,
              commit: item.commit, sequence: item.sequence)
            object.isBinary = binary
            // A changed pointer: what the object before held is not new (compared as a
            // changed file read whole is, with no line of it counted added).
            if let previous = item.previousBytes,
              case .content(let old, _) = lfs.object(pointedToBy: previous)
            {
              object.previousBytes = old
              if !binary { object.reportedLines = [] }
            }
            process(object)
          case .missing:
            summary.skipped[.lfsObjectMissing, default: 0] += 1
            lfsMissing.withLock { _ = $0.insert(item.path) }
          case .tooLarge:
            summary.skipped[.tooLarge, default: 0] += 1
            archiveDiagnostics.append(
              Diagnostic(
                .warning,
                "the Git LFS object this pointer names is larger than --max-file-size and was not read",
                file: item.path))
          }
        }
        queue.finished()
        slots.signal()
      }
      summary.count(decodingCutShort: made?.decodingCutShort ?? 0)
      summary.count(patternGaveUp: made?.patternsGaveUp ?? 0)
      outputs.withLock {
        $0.append(
          (findings, (made?.warnings ?? []) + archiveDiagnostics, summary, made?.profile, secretsFound))
      }
    }
    producerDone.wait()
    if let error = failure.withLock({ $0 }) { throw error }
    var all: [(Int, Finding)] = []
    var diagnostics: [Diagnostic] = []
    var summary = ScanSummary()
    var profile: ScanProfile?
    var secretsFound: Set<String> = []
    for output in outputs.withLock({ $0 }) {
      all += output.findings
      secretsFound.formUnion(output.secrets)
      diagnostics += output.diagnostics
      summary.merge(output.summary)
      if let other = output.profile { profile = ScanProfile.merged(profile, other) }
    }
    let missing = Array(lfsMissing.withLock { $0 })
    if let warning = LFSObjects.missingWarning(
      count: summary.skipped[.lfsObjectMissing] ?? missing.count, paths: missing)
    {
      diagnostics.append(warning)
    }
    // Every secret the scan found is masked in every commit's fields (a subject may
    // quote one found in another commit, or inside an archive); each commit once.
    // Longest first, so that a secret containing another is masked whole.
    let secrets = secretsFound.filter { !$0.isEmpty }.sorted { ($0.count, $0) > ($1.count, $1) }
    var maskedCommits: [String: CommitInfo] = [:]
    for index in all.indices {
      guard let commit = all[index].1.commit else { continue }
      if let known = maskedCommits[commit.sha] {
        all[index].1.commit = known
        continue
      }
      var masked = secrets.isEmpty ? commit : Self.masking(secrets, in: commit)
      // A subject of megabytes is not printed whole with each finding; cut after masking,
      // so that no secret is cut out of sight of the masks (by code points: one
      // character can hold any number of them).
      if masked.message.unicodeScalars.count > Self.subjectLimit {
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: masked.message.unicodeScalars.prefix(Self.subjectLimit))
        masked.message = String(cut) + "…"
      }
      maskedCommits[commit.sha] = masked
      all[index].1.commit = masked
    }
    // The same finding in several commits is reported once, at the earliest; again at a
    // later commit only where it is judged more gravely there (allowed, then not; in a
    // test module, then in production code), as a scan of that commit would report it.
    all.sort { ($0.0, $0.1.path, $0.1.start) < ($1.0, $1.1.path, $1.1.start) }
    func gravity(_ finding: Finding) -> (Bool, Bool, Severity) {
      (finding.suppression == nil, !finding.isFixture, finding.severity)
    }
    var gravest: [String: (Bool, Bool, Severity)] = [:]
    var findings = ConfigLayer.apply(
      pack.layers,
      to: all.map(\.1).filter { finding in
        let now = gravity(finding)
        if let before = gravest[finding.fingerprint],
          !(now.0 && !before.0 || now.1 && !before.1 || now.2 > before.2)
        {
          return false
        }
        let before = gravest[finding.fingerprint] ?? now
        gravest[finding.fingerprint] = (before.0 || now.0, before.1 || now.1, max(before.2, now.2))
        return true
      })
    findings = foundSecrets.masked(findings)
    findings.sort(by: Finding.reportOrder)
    diagnostics.sort {
      ($0.file ?? "", $0.ruleID ?? "", $0.message) < ($1.file ?? "", $1.ruleID ?? "", $1.message)
    }
    var result = ScanResult(findings: findings, diagnostics: diagnostics, summary: summary, root: root)
    // Nothing read (no worker made): an empty profile, not none.
    result.profile = options.profile ? profile ?? ScanProfile(ruleIDs: pack.rules.map(\.id)) : nil
    return result
  }

  /// A binary file from git: its entries if it is an archive (as a tree scan opens
  /// one), and the secrets in its own bytes' text (`binaryFindings`). For a
  /// modified binary file, what its version before already held is not new.
  private func scanBinary(
    _ item: ContentItem, worker: DetectorWorker, builder: FindingBuilder, into output: inout WorkerOutput
  ) {
    if worker.isExcluded(path: item.path) { return }
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout WorkerOutput) {
      var held: Set<String> = []
      if options.maxArchiveDepth > 0 && ArchiveReader.isArchive(bytes) {
        held = scanArchive(bytes, path: item.path, worker: worker, builder: builder, into: &output)
      }
      let (found, matches) = binaryFindings(
        bytes, path: item.path, rulePath: item.path, besides: [], worker: worker, builder: builder,
        excluding: held)
      output.findings += found
      if output.secrets != nil { output.secrets? += clearSecrets(of: matches, in: bytes) }
    }
    item.bytes.withUnsafeBufferPointer { bytes in
      output.summary.filesScanned += 1
      output.summary.bytesScanned += bytes.count
      scan(bytes, into: &output)
    }
    if let previous = item.previousBytes, !output.findings.isEmpty {
      var before = WorkerOutput()
      previous.withUnsafeBufferPointer { scan($0, into: &before) }
      // As for text (`findingsMadeNew`): the same finding treated alike is not new.
      let old = Set(before.findings.map(Self.treatment))
      output.findings.removeAll { old.contains(Self.treatment($0)) }
    }
    if item.pathRules {
      output.findings += builder.findings(
        for: worker.detectPath(item.path), path: item.path, bytes: UnsafeBufferPointer(start: nil, count: 0))
    }
    for index in output.findings.indices { output.findings[index].commit = item.commit }
  }

  /// Code points of a commit's subject a report shows.
  static let subjectLimit = 1_000

  /// A commit's fields with each of `secrets` (found by the scan, longest first)
  /// redacted where they quote it: the rules that mask a commit message see only the
  /// message, where a secret without its name around it is not recognisable.
  static func masking(_ secrets: [String], in commit: CommitInfo) -> CommitInfo {
    var commit = commit
    for secret in secrets {
      let redacted = Redaction.redact(secret)
      for field in [\CommitInfo.message, \CommitInfo.author, \CommitInfo.email]
      where commit[keyPath: field].contains(secret) {
        commit[keyPath: field] = commit[keyPath: field].replacingOccurrences(of: secret, with: redacted)
      }
    }
    return commit
  }

  /// The findings of one item, and (for a commit's item, when redacting) the secrets
  /// they hold in clear.
  private func scan(_ item: ContentItem, worker: DetectorWorker, builder: FindingBuilder) -> (
    findings: [Finding], secrets: [String]
  ) {
    if worker.isExcluded(path: item.path) { return ([], []) }
    var item = item
    if let whole = item.wholeVersion {
      // Read whole, with its version before, where the change takes code out of a test
      // item; else by its added lines alone.
      if let previous = item.previousBytes,
        ContextAnalyzer.takesCodeOutOfTests(path: item.path, before: previous, after: whole)
      {
        (item.bytes, item.lineNumbers) = (whole, nil)
      } else {
        item.previousBytes = nil
      }
      item.wholeVersion = nil
    }
    return item.bytes.withUnsafeBufferPointer { bytes in
      // A changed file read whole with its version before (staged, a range): what the
      // whole file holds, which answers alone when each of its findings takes in an
      // added line (most files hold none).
      var whole: (raw: [DetectedMatch], matches: [DetectedMatch], findings: [Finding])?
      if let reported = item.reportedLines, item.previousBytes != nil, item.lineNumbers == nil {
        let raw = worker.detectContent(bytes, path: item.path)
        let matches = worker.consolidated(path: [], content: raw)
        let findings = builder.findings(for: matches, path: item.path, bytes: bytes)
        whole = (raw, matches, findings.filter { !Self.takesIn(reported, $0) })
      }
      var content: [DetectedMatch]
      if let whole, whole.findings.isEmpty {
        content = whole.raw
      } else if let reported = item.reportedLines {
        // Only matches that take in a reported line count, before the file's matches
        // are consolidated: one on a line read only as context must not stand for a
        // secret file.
        var index: LineIndex?
        let reportable = { (range: Range<Int>) -> Bool in
          let lines = index ?? LineIndex(bytes)
          index = lines
          func line(_ offset: Int) -> Int {
            let line = lines.lineIndex(of: offset) + 1
            guard let numbers = item.lineNumbers, !numbers.isEmpty else { return line }
            return numbers[min(line, numbers.count) - 1]
          }
          return (line(range.lowerBound)...line(max(range.lowerBound, range.upperBound - 1))).contains(
            where: reported.contains)
        }
        content = worker.detectContent(bytes, path: item.path).filter { match in
          match.matchRange.map(reportable) ?? true
        }
      } else {
        content = worker.detectContent(bytes, path: item.path)
      }
      let all = worker.consolidated(
        path: item.pathRules ? worker.detectPath(item.path) : [], content: content)
      // Path findings have no place in the content, so no line to map.
      let fileFindings = builder.findings(
        for: all.filter { $0.matchRange == nil }, path: item.path, bytes: bytes)
      let matches = all.filter { $0.matchRange != nil }
      var contentFindings = builder.findings(for: matches, path: item.path, bytes: bytes).compactMap {
        finding -> Finding? in
        var finding = finding
        if let numbers = item.lineNumbers, !numbers.isEmpty {
          finding.start.line = numbers[min(finding.start.line, numbers.count) - 1]
          finding.end.line = numbers[min(finding.end.line, numbers.count) - 1]
        }
        if let lines = item.reportedLines, !Self.takesIn(lines, finding) { return nil }
        return finding
      }
      var secretMatches = matches
      if let whole, !whole.findings.isEmpty, let previous = item.previousBytes {
        let made = findingsMadeNew(
          whole.findings, before: previous, path: item.path, worker: worker, builder: builder,
          besides: contentFindings)
        contentFindings += made
        if !made.isEmpty { secretMatches += whole.matches }
      }
      let findings = (fileFindings + contentFindings).map { finding in
        var finding = finding
        finding.commit = item.commit
        if item.hidesMarkers { Self.takeNoMarker(&finding) }
        return finding
      }
      guard options.redact, item.commit != nil, !findings.isEmpty else { return (findings, []) }
      return (findings, clearSecrets(of: secretMatches, in: bytes))
    }
  }

  /// Whether `finding` takes in one of `lines`.
  private static func takesIn(_ lines: Set<Int>, _ finding: Finding) -> Bool {
    (finding.start.line...finding.end.line).contains(where: lines.contains)
  }

  /// Of `candidates` (findings on lines a change left as they were), those the change
  /// made new all the same: the version before (`previous`, read at the same path) had
  /// none with the same fingerprint, severity, fixture status and suppression. A key
  /// block whose body was filled in, a test module made production code by an edit to
  /// the line that marked it: what a scan of the tree reports and a scan of the added
  /// lines alone cannot see. `found` are the findings the added lines gave.
  private func findingsMadeNew(
    _ candidates: [Finding], before previous: [UInt8], path: String, worker: DetectorWorker,
    builder: FindingBuilder, besides found: [Finding]
  ) -> [Finding] {
    let known = Set(found.map(\.fingerprint))
    let candidates = candidates.filter { !known.contains($0.fingerprint) }
    guard !candidates.isEmpty else { return [] }
    let before = previous.withUnsafeBufferPointer { bytes in
      let matches = worker.consolidated(path: [], content: worker.detectContent(bytes, path: path))
      return Set(builder.findings(for: matches, path: path, bytes: bytes).map(Self.treatment))
    }
    return candidates.filter { !before.contains(Self.treatment($0)) }
  }

  /// A finding and how it is treated (severity, fixture, suppression): a change that
  /// keeps the finding but treats it otherwise (a fixture made production code, an
  /// allow taken away) makes it new.
  static func treatment(_ finding: Finding) -> String {
    "\(finding.fingerprint) \(finding.severity) \(finding.isFixture) \(finding.suppression == nil)"
  }
}

import Archives
import Dispatch
import Foundation
import VigilDetect
import VigilFiles
import VigilGit
import VigilReport
import VigilSupport
import VigilWalk

/// Runs a scan: `jobs` workers on Dispatch share one queue of directories to read and
/// batches of files to scan, so reading directories overlaps with scanning files, and
/// each worker keeps its own detector scratch, read buffer and results until one merge
/// at the end.
///
/// Concurrency by ownership: the detector, the ignore rules and the queue's items are
/// immutable and shared; the queue is the one reviewed lock. The output does not
/// depend on the number of jobs: findings and warnings are sorted after the merge.
public struct Scanner: Sendable {
  public let pack: RulePack
  public let options: ScanOptions
  /// Masks secrets in what the scan says about its inputs and itself, with the scan's
  /// rules and the built-in ones.
  public let masker: SecretMasker
  /// The detector, compiled on another thread from `init` on: an input's first steps
  /// (git listing a commit's changes, the walk's first directories) overlap it, and the
  /// workers wait for the rest.
  private let prepared: Prepared<Result<Detector, ScanError>>
  let archivePool = ArchivePool()
  let lfsStores = LFSStores()
  /// The secrets the scan found, in clear, masked in every finding's snippet at its end.
  let foundSecrets = FoundSecrets()

  public init(pack: RulePack, options: ScanOptions) {
    let prepared = Prepared { () -> Result<Detector, ScanError> in
      do {
        return .success(
          try Detector(
            pack: pack, countingKeywords: options.profile, decodeDepth: options.maxDecodeDepth,
            setStore: options.keywordSetCache.map(KeywordSetCache.init),
            decompress: options.maxArchiveDepth > 0 ? Self.inflate : nil))
      } catch {
        return .failure(.pattern("\(error)"))
      }
    }
    self.prepared = prepared
    self.masker = SecretMasker.forScan { try? prepared.value.get() }
    self.pack = pack
    self.options = options
  }

  /// The scan's detector, once compiled.
  /// - Throws: `ScanError.pattern` for a pattern that does not compile (the rule
  ///   loader has checked those of every pack it made).
  public func detector() throws(ScanError) -> Detector { try prepared.value.get() }

  public func run() throws(ScanError) -> ScanResult {
    var result = try walk(listOnly: false).result
    result.kind = .tree
    return result
  }

  /// Scans the tree as `run()` does, unless the walk meets a nested `.vigil.toml` (a
  /// file or link so named below the root): then it stops at once and returns `nil`,
  /// for the caller to load the layered configuration and scan again. Most trees have
  /// none, and so are walked once instead of once for configs and once for the scan.
  public func runUnlessNestedConfig() throws(ScanError) -> ScanResult? {
    let walked = try walk(listOnly: false, stopAtNestedConfig: true)
    guard !walked.metNestedConfig else {
      options.progress?.restart()
      return nil
    }
    var result = walked.result
    result.kind = .tree
    return result
  }

  static let configName = ".vigil.toml"

  /// Whether a walk's display path names a config below the root.
  private static func isNestedConfig(_ path: String) -> Bool { path.hasSuffix("/" + configName) }

  /// The files a scan would consider (before the binary and size checks), in byte
  /// order: what `vigil files` prints, and what the tests compare with git's own list.
  public func listFiles() throws(ScanError) -> [String] { try listFilesAndWarnings().files }

  /// The files a scan would consider, and what the walk warned about (a path named on
  /// the command line not followed, a directory it could not read).
  public func listFilesAndWarnings() throws(ScanError) -> (files: [String], warnings: [Diagnostic]) {
    let walked = try walk(listOnly: true)
    return (
      walked.listed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
      walked.result.diagnostics
    )
  }

  /// The files a scan would consider whose name is `name`, and links so named, in byte
  /// order: a walk that reads directories only and keeps nothing else.
  public func findFiles(named name: String) throws(ScanError) -> [String] {
    try walk(listOnly: true, named: name).listed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  private func walk(listOnly: Bool, named name: String? = nil, stopAtNestedConfig: Bool = false)
    throws(ScanError) -> (result: ScanResult, listed: [String], metNestedConfig: Bool)
  {
    let start = try ScanPlan(options: options)
    let builder = FindingBuilder(rules: pack.rules, redact: options.redact, collecting: foundSecrets)
    let reader = FileReader(maxFileSize: options.maxFileSize)
    let directoryReader = DirectoryReader(linksNamed: stopAtNestedConfig ? Self.configName : name)
    let metNestedConfig = Locked(false)
    let queue = WorkQueue(start.items)
    let ownReport = options.outputPath.map {
      ScanPlan.relative(PathText.absolute($0, from: FileManager.default.currentDirectoryPath), to: start.root)
    }
    options.progress?.found(start.items)
    // Locked once per worker, when it hands over its results: the merge-once point.
    let outputs = Locked<[WorkerOutput]>([])
    let setupFailure = Locked<String?>(nil)
    DispatchQueue.concurrentPerform(iterations: options.jobs) { _ in
      let worker: DetectorWorker
      do {
        worker = try detector().makeWorker(profiling: options.profile)
      } catch {
        setupFailure.withLock { $0 = "\(error)" }
        return
      }
      var output = WorkerOutput()
      output.ownReport = ownReport
      var buffer: [UInt8] = []
      while let item = queue.next() {
        if stopAtNestedConfig {
          if case .files(let targets) = item, targets.contains(where: { Self.isNestedConfig($0.path) }) {
            metNestedConfig.withLock { $0 = true }
          }
          // Once a nested config is met, the rest of the queue is drained unread.
          if metNestedConfig.withLock({ $0 }) {
            queue.finished()
            continue
          }
        }
        switch item {
        case .directory(let task):
          let listing = directoryReader.read(task)
          if stopAtNestedConfig && listing.links.contains(where: Self.isNestedConfig) {
            metNestedConfig.withLock { $0 = true }
          }
          var items = listing.items
          if let nested = listing.nestedRepository {
            let directory = String(
              decoding: nested.root.path + [UInt8(ascii: "/")] + nested.fileSystemPath, as: UTF8.self)
            let environment = IgnoreEnvironment(directory: directory)
            let (targets, links, repositories, warning) = ScanPlan.trackedButIgnored(
              directory: directory, rules: environment.rules, ignoreBase: environment.prefix,
              beneath: nested.fileSystemPath + [UInt8(ascii: "/")], display: nested.displayPrefix,
              root: nested.root)
            if !targets.isEmpty { items.append(.files(targets)) }
            if !links.isEmpty { items.append(.links(links)) }
            items += repositories.map {
              .directory(ScanPlan.walk(into: $0, root: nested.root, excludes: nested.excludes))
            }
            if var warning {
              warning.message += "; those ignore rules list were not scanned"
              output.diagnostics.append(warning)
              output.summary.skipped[.unreadable, default: 0] += 1
            }
          }
          options.progress?.found(items)
          queue.add(items)
          if !listOnly {
            for link in listing.linkTargets {
              scanLink(link, worker: worker, reader: reader, builder: builder, buffer: &buffer, into: &output)
            }
          }
          output.listed += listing.links
          output.summary.skipped.merge(listing.skipped, uniquingKeysWith: +)
          output.diagnostics += listing.warnings
        case .files(let targets) where listOnly:
          if let name {
            output.listed += targets.lazy.map(\.path).filter { $0 == name || $0.hasSuffix("/" + name) }
          } else {
            // What a scan skips for its size is not read: not listed.
            output.listed += targets.filter { !reader.exceedsMaximum($0) }.map(\.path)
          }
        case .files(let targets):
          for (index, target) in targets.enumerated() {
            scan(target, worker: worker, reader: reader, builder: builder, buffer: &buffer, into: &output)
            let rest = targets[(index + 1)...]
            if !rest.isEmpty && queue.share([.files(Array(rest))]) { break }
          }
        case .links(let links):
          output.summary.skipped[.symlink, default: 0] += links.count
          if !listOnly {
            for link in links {
              scanLink(link, worker: worker, reader: reader, builder: builder, buffer: &buffer, into: &output)
            }
          }
        }
        queue.finished()
      }
      output.diagnostics += worker.warnings
      output.summary.count(decodingCutShort: worker.decodingCutShort)
      output.summary.count(patternGaveUp: worker.patternsGaveUp)
      output.profile = worker.profile
      outputs.withLock { $0.append(output) }
    }
    if let failure = setupFailure.withLock({ $0 }) { throw .workerSetup(failure) }
    if metNestedConfig.withLock({ $0 }) {
      return (ScanResult(findings: [], diagnostics: [], summary: ScanSummary(), root: start.root), [], true)
    }
    var merged = WorkerOutput()
    merged.diagnostics = start.warnings
    if start.unreadable > 0 { merged.summary.skipped[.unreadable, default: 0] += start.unreadable }
    // A path named on the command line and not followed (a link in the tree) was not
    // scanned as asked: `--strict` fails on it, as on what could not be read.
    if start.links > 0 { merged.summary.skipped[.unreadable, default: 0] += start.links }
    // Taken out of the lock and dropped one by one: findings are never held twice.
    var finished = outputs.withLock { taken in
      defer { taken = [] }; return taken
    }
    merged.findings.reserveCapacity(finished.reduce(0) { $0 + $1.findings.count })
    while let output = finished.popLast() {
      merged.listed += output.listed
      merged.findings += output.findings
      merged.diagnostics += output.diagnostics
      merged.summary.merge(output.summary)
      merged.reports += output.reports
      merged.lfsMissing += output.lfsMissing
      merged.tooLarge += output.tooLarge
      if let profile = output.profile { merged.profile = ScanProfile.merged(merged.profile, profile) }
    }
    if let warning = LFSObjects.missingWarning(count: merged.lfsMissing.count, paths: merged.lfsMissing) {
      merged.diagnostics.append(warning)
    }
    if let first = merged.tooLarge.min() {
      let count = merged.tooLarge.count
      let named = merged.tooLarge.sorted().prefix(5).joined(separator: ", ") + (count > 5 ? ", …" : "")
      merged.diagnostics.append(
        Diagnostic(
          .warning,
          "\(count) file\(count == 1 ? " is" : "s are") larger than --max-file-size (\(options.maxFileSize) bytes) and not read"
            + (count > 1 ? ": \(named)" : ""), file: count == 1 ? first : nil))
    }
    if !merged.reports.isEmpty { scanReports(&merged, root: start.root) }
    if !listOnly { scanCheckoutEncodings(&merged, root: start.root, items: start.items) }
    merged.findings = foundSecrets.masked(ConfigLayer.apply(pack.layers, to: merged.findings))
    merged.findings.sort(by: Finding.reportOrder)
    merged.diagnostics.sort {
      ($0.file ?? "", $0.ruleID ?? "", $0.message) < ($1.file ?? "", $1.ruleID ?? "", $1.message)
    }
    var result = ScanResult(
      findings: merged.findings, diagnostics: merged.diagnostics, summary: merged.summary,
      root: start.root)
    result.profile = merged.profile
    return (result, merged.listed, false)
  }

  /// The files vigil wrote that a walk set aside: those git tracks (or has staged) are
  /// scanned like any other file; the others with the secret and secret-file rules
  /// only. Their rules' help quotes code that code rules would report, which is not
  /// news; a secret is news wherever it is (a report holds none in clear unless written
  /// with --no-redact, and a file dressed up as a report must not hide one).
  private func scanReports(_ output: inout WorkerOutput, root: String) {
    let reports = output.reports
    output.reports = []
    guard let worker = try? detector().makeWorker(profiling: options.profile) else {
      output.summary.skipped[.vigilOutput, default: 0] += reports.count
      return
    }
    let tracked = Self.tracked(reports.map(\.path), in: root)
    let builder = FindingBuilder(rules: pack.rules, redact: options.redact, collecting: foundSecrets)
    let reader = FileReader(maxFileSize: options.maxFileSize)
    var buffer: [UInt8] = []
    for target in reports {
      let before = output.findings.count
      scan(
        target, worker: worker, reader: reader, builder: builder, buffer: &buffer, into: &output,
        checkingReports: false)
      if !tracked.contains(target.path) {
        let found = output.findings[before...].filter(\.category.isSensitive)
        output.findings.replaceSubrange(before..., with: found)
      }
    }
    output.diagnostics += worker.warnings
    output.summary.count(decodingCutShort: worker.decodingCutShort)
    output.summary.count(patternGaveUp: worker.patternsGaveUp)
  }

  /// Which of `paths` (relative to `root`) git's index holds; none outside a repository.
  /// The whole listing beneath `root`, not the paths as arguments, which a tree could
  /// make too many for one command line; should git fail, every one counts as tracked:
  /// a file set aside is scanned rather than lost.
  static func tracked(_ paths: [String], in root: String) -> Set<String> {
    let git = GitCommand(repository: root)
    guard git.location != nil else { return [] }
    guard let listed = try? git.run(["ls-files", "-z", "--cached"], timeout: GitCommand.listingTimeout) else {
      return Set(paths)
    }
    let wanted = Set(paths)
    return Set(
      listed.split(separator: 0).lazy.map { PathText.display($0) }.filter(wanted.contains))
  }

  /// Whether `path` falls in `shard`: FNV-1a over its bytes, the same on every machine.
  static func isInShard(_ path: String, _ shard: (index: Int, count: Int)) -> Bool {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in path.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return Int(hash % UInt64(shard.count)) == shard.index
  }

  struct WorkerOutput {
    var findings: [Finding] = []
    var diagnostics: [Diagnostic] = []
    var summary = ScanSummary()
    var listed: [String] = []
    var profile: ScanProfile?
    /// Files vigil wrote, set aside until git says whether it tracks them.
    var reports: [ScanTarget] = []
    /// This scan's `-o` file as the walk names it.
    var ownReport: String?
    /// When not `nil`, the secrets found inside archives, in clear, are added here (a
    /// commit's subject may quote them: see `scanContent`).
    var secrets: [String]?
    /// Git LFS pointers whose objects are not in their repository's store.
    var lfsMissing: [String] = []
    /// Files not read for their size.
    var tooLarge: [String] = []
  }

  /// - Parameter checkingReports: set aside a file vigil wrote (`ScanOptions.skipOwnReports`)
  ///   into `output.reports`, for `scanReports` to scan if git tracks it.
  private func scan(
    _ target: ScanTarget, worker: DetectorWorker, reader: FileReader, builder: FindingBuilder,
    buffer: inout [UInt8], into output: inout WorkerOutput, checkingReports: Bool = true
  ) {
    if let shard = options.shard, !Self.isInShard(target.path, shard) { return }
    if worker.isExcluded(path: target.path) {
      output.summary.skipped[.excluded, default: 0] += 1
      return
    }
    let findingsBefore = output.findings.count
    let bytesBefore = output.summary.bytesScanned
    defer {
      options.progress?.add(
        bytes: output.summary.bytesScanned - bytesBefore, findings: output.findings.count - findingsBefore)
    }
    // Secret files are findings whatever their content, binary or huge ones included.
    var matches = worker.detectPath(target.path)
    switch reader.read(target, into: &buffer) {
    case .text(let count):
      if checkingReports && options.skipOwnReports
        && (target.path == output.ownReport
          || buffer.withUnsafeBufferPointer {
            WrittenByVigil.isReportOrBaseline(UnsafeBufferPointer(rebasing: $0[0..<count]))
          })
      {
        output.reports.append(target)
        return
      }
      output.summary.filesScanned += 1
      output.summary.bytesScanned += count
      buffer.withUnsafeBufferPointer { whole in
        let bytes = UnsafeBufferPointer(rebasing: whole[0..<count])
        matches = worker.consolidated(path: matches, content: worker.detectContent(bytes, path: target.path))
        var found = builder.findings(for: matches, path: target.path, bytes: bytes)
        // Text with a NUL where git looks (a file mostly text): git shows it as binary.
        if FileReader.showsAsBinary(bytes) {
          for index in found.indices { Self.takeNoMarker(&found[index]) }
        }
        // NULs past git's probe (UTF-16 after a part without one, a zip after a long
        // launch script): read as bytes too, and opened as an archive if it is one.
        if FileReader.isReadAsBytesToo(buffer[0..<count]) {
          let known = Set(found.map(\.fingerprint))
          found += openedAndBinaryFindings(
            bytes, path: target.path, besides: [], worker: worker, builder: builder, into: &output
          ).filter { !known.contains($0.fingerprint) }
        }
        output.findings += found
      }
      if count <= LFSObjects.maximumPointerBytes {
        scanLFSObject(
          pointer: Array(buffer[0..<count]), of: target, worker: worker, builder: builder, into: &output)
      }
      return
    case .wide(let count, let encoding):
      let decoded = WideText.decode(buffer[0..<count], as: encoding)
      output.summary.filesScanned += 1
      output.summary.bytesScanned += count
      var found = decoded.withUnsafeBufferPointer { bytes in
        builder.findings(
          for: worker.consolidated(path: matches, content: worker.detectContent(bytes, path: target.path)),
          path: target.path, bytes: bytes
        ).map { finding in
          // git shows UTF-16 and UTF-32 as binary files.
          var finding = finding
          Self.takeNoMarker(&finding)
          return finding
        }
      }
      // A byte-order mark is two bytes anyone can write (on an ASCII script, every line
      // decodes to CJK): the bytes are read as a binary file's too.
      // An archive whose bytes also read as UTF-16 (NULs in one half of its units) is
      // opened all the same.
      let known = Set(found.map(\.fingerprint))
      found += buffer.withUnsafeBufferPointer { whole in
        openedAndBinaryFindings(
          UnsafeBufferPointer(rebasing: whole[0..<count]), path: target.path, besides: [], worker: worker,
          builder: builder, into: &output
        ).filter { !known.contains($0.fingerprint) }
      }
      output.findings += found
      return
    case .binary(let count):
      output.summary.filesScanned += 1
      output.summary.bytesScanned += count
      buffer.withUnsafeBufferPointer { whole in
        output.findings += openedAndBinaryFindings(
          UnsafeBufferPointer(rebasing: whole[0..<count]), path: target.path, besides: matches,
          worker: worker,
          builder: builder, into: &output)
        matches = []
      }
    case .skipped(.tooLarge):
      // An archive past the limit (a fat jar, a wheel with native libraries) is opened
      // all the same, up to `largeArchiveLimit`: its entries each keep the limit.
      if let found = largeArchiveFindings(
        target, besides: matches, worker: worker, builder: builder, into: &output)
      {
        output.findings += found
        return
      }
      output.summary.skipped[.tooLarge, default: 0] += 1
      output.tooLarge.append(target.path)
    case .skipped(let reason):
      output.summary.skipped[reason, default: 0] += 1
    case .failed(let reason):
      output.summary.skipped[.unreadable, default: 0] += 1
      output.diagnostics.append(
        Diagnostic(.warning, "cannot read file: \(reason); it was not scanned", file: target.path))
    }
    output.findings += builder.findings(
      for: matches, path: target.path, bytes: UnsafeBufferPointer(start: nil, count: 0))
  }

  /// The largest archive file opened: eight times `--max-file-size` (256 MiB by
  /// default), what one archive may unpack at most; read whole into memory for as long
  /// as it is scanned.
  var largeArchiveLimit: Int {
    max(options.maxFileSize, min(Self.archiveBudgetCap / 4, 8 * options.maxFileSize))
  }

  /// The findings of a file larger than `--max-file-size` that is an archive by its name
  /// and its bytes, read whole up to `largeArchiveLimit`; nil for any other.
  private func largeArchiveFindings(
    _ target: ScanTarget, besides pathMatches: [DetectedMatch], worker: DetectorWorker,
    builder: FindingBuilder,
    into output: inout WorkerOutput
  ) -> [Finding]? {
    let name = target.path.lowercased()
    guard options.maxArchiveDepth > 0, Self.archiveSuffixes.contains(where: { name.hasSuffix($0) }) else {
      return nil
    }
    var bytes: [UInt8] = []
    let count: Int
    switch FileReader(maxFileSize: largeArchiveLimit).read(target, into: &bytes) {
    case .text(let read), .binary(let read), .wide(let read, _): count = read
    default: return nil
    }
    return bytes.withUnsafeBufferPointer { whole -> [Finding]? in
      let archive = UnsafeBufferPointer(rebasing: whole[0..<count])
      guard ArchiveReader.isArchive(archive) else { return nil }
      output.summary.filesScanned += 1
      output.summary.bytesScanned += count
      return openedAndBinaryFindings(
        archive, path: target.path, besides: pathMatches, worker: worker, builder: builder, into: &output)
    }
  }

  /// Names of the archives opened past `--max-file-size`.
  static let archiveSuffixes = [
    ".zip", ".jar", ".war", ".ear", ".aar", ".apk", ".whl", ".egg", ".nupkg", ".tar", ".tgz", ".tbz2", ".txz",
    ".tzst", ".gz", ".bz2", ".xz", ".zst", ".lzma", ".lz4", ".lz", ".z",
  ]

  /// The findings of a binary file's own bytes (`path` as reported, `rulePath` as rules
  /// see it; `besides`: its path rules' matches), and the matches they come from; none
  /// whose secret is in `excluding` (an archive's, found in its entries). An archive's
  /// bytes are read so too: what lies outside its entries (data after its end, its
  /// comment, a file that only starts like one) is not hidden by them. In a program or an
  /// image, a finding shows no line (the "line" of a binary runs on for kilobytes, and
  /// may hold the secret again, encoded as no mask finds it) but its secret, masked. No
  /// inline allow counts where git shows the file as binary: a review of the change does
  /// not see the marker.
  /// `bytes` read as a binary file's (`binaryFindings`), after opening them as an
  /// archive if they are one: its members' findings go to `output` under their own
  /// paths, and their secrets are not reported again from the archive's runs.
  /// A file checked out as a Git LFS pointer (a clone made with `GIT_LFS_SKIP_SMUDGE`,
  /// or without git-lfs): the object it names, from its repository's local store, read
  /// as the file; one not there is counted and said once.
  private func scanLFSObject(
    pointer: [UInt8], of target: ScanTarget, worker: DetectorWorker, builder: FindingBuilder,
    into output: inout WorkerOutput
  ) {
    guard LFSObjects.pointer(pointer) != nil else { return }
    let file =
      target.root.map {
        String(decoding: $0.path + [UInt8(ascii: "/")] + target.fileSystemPath, as: UTF8.self)
      }
      ?? String(decoding: target.fileSystemPath, as: UTF8.self)
    let directory = (file as NSString).deletingLastPathComponent
    // Outside a repository there is no store: the content was not read all the same.
    let store = lfsStores.store(
      forFileIn: directory.isEmpty ? "." : directory, maxFileSize: options.maxFileSize)
    guard let lookup = store.map({ $0.object(pointedToBy: pointer) }) ?? .missing else { return }
    switch lookup {
    case .content(let object, let binary):
      output.summary.bytesScanned += object.count
      output.findings += object.withUnsafeBufferPointer { bytes in
        binary
          ? openedAndBinaryFindings(
            bytes, path: target.path, besides: [], worker: worker, builder: builder, into: &output)
          : builder.findings(
            for: worker.consolidated(path: [], content: worker.detectContent(bytes, path: target.path)),
            path: target.path, bytes: bytes)
      }
    case .missing:
      output.summary.skipped[.lfsObjectMissing, default: 0] += 1
      output.lfsMissing.append(target.path)
    case .tooLarge:
      output.summary.skipped[.tooLarge, default: 0] += 1
    }
  }

  /// The Git LFS stores of the repositories a tree scan meets pointers in, each made
  /// once (git is asked where it is).
  final class LFSStores: Sendable {
    private let stores = Locked<[String: LFSObjects?]>([:])

    func store(forFileIn directory: String, maxFileSize: Int) -> LFSObjects? {
      guard let top = Scanner.repositoryTop(containing: directory) else { return nil }
      if let known = stores.withLock({ $0[top] }) { return known }
      let made = (try? GitRepository(containing: top)).map {
        LFSObjects(repository: $0, maxFileSize: maxFileSize)
      }
      stores.withLock { $0[top] = made }
      return made
    }
  }

  private func openedAndBinaryFindings(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, besides pathMatches: [DetectedMatch],
    worker: DetectorWorker, builder: FindingBuilder, into output: inout WorkerOutput
  ) -> [Finding] {
    var held: Set<String> = []
    if options.maxArchiveDepth > 0 && ArchiveReader.isArchive(bytes) {
      held = scanArchive(bytes, path: path, worker: worker, builder: builder, into: &output)
    }
    return binaryFindings(
      bytes, path: path, rulePath: path, besides: pathMatches, worker: worker, builder: builder,
      excluding: held
    ).findings
  }

  func binaryFindings(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, rulePath: String, besides pathMatches: [DetectedMatch],
    worker: DetectorWorker, builder: FindingBuilder, excluding held: Set<String> = []
  ) -> (findings: [Finding], matches: [DetectedMatch]) {
    var content = worker.detectSecretsInBinary(bytes, path: rulePath)
    if !held.isEmpty {
      content.removeAll { match in clearSecrets(of: [match], in: bytes).contains(where: held.contains) }
    }
    let matches = worker.consolidated(path: pathMatches, content: content)
    var findings = builder.findings(for: matches, path: path, bytes: bytes)
    // Text with a NUL only past git's probe is text to git, and its markers are seen.
    if !findings.isEmpty,
      FileReader.showsAsBinary(bytes)
        || WideText.encoding(of: ArraySlice(bytes.prefix(WideText.probeBytes))) != nil
        || worker.isProgram(bytes)
    {
      for index in findings.indices { Self.takeNoMarker(&findings[index]) }
    }
    if !findings.isEmpty, worker.isProgram(bytes) {
      for index in findings.indices {
        findings[index].snippet = findings[index].secret ?? ""
        findings[index].contextBefore = []
        findings[index].contextAfter = []
      }
    }
    return (findings, matches)
  }

  /// Takes away an inline `vigil:allow` from a finding where a review of the change
  /// does not see the marker (a file git shows as binary, an archive's entry).
  static func takeNoMarker(_ finding: inout Finding) {
    if finding.suppression?.kind == .inSource { finding.suppression = nil }
  }

  /// How long git may take to say which files `.gitattributes` make binary: its cost is
  /// the attribute lines times the files asked about, both a pull request's to choose.
  static let attributesTimeout = 10.0

  /// Takes away the inline allows in files the repository's attributes make binary to
  /// git (`-diff`, the `binary` macro), whatever they hold: a review of the change sees
  /// "Binary files differ", not the marker. Each file is asked about in the repository
  /// that holds it (the index's attributes with `cached`, else the work tree's), and
  /// only when a finding in it has such an allow. When git cannot answer in time (the
  /// pull request's `.gitattributes` is huge, or a FIFO), no allow counts in those files.
  public static func takeMarkersGitHides(from result: inout ScanResult, cached: Bool) {
    let allowed = Set(result.findings.filter { $0.suppression?.kind == .inSource }.map(\.path))
    guard !allowed.isEmpty else { return }
    let root = URL(fileURLWithPath: result.root).standardizedFileURL.path
    // The repository around each file's directory, and the file's path in it.
    var repositories: [String: String?] = [:]
    var asked: [String: [(path: String, relative: String)]] = [:]
    for path in allowed {
      let file = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: root + "/")).standardizedFileURL
      let directory = file.deletingLastPathComponent().path
      if repositories[directory] == nil {
        repositories[directory] = RepositoryLocation.containing(directory)?.workTree
      }
      guard let top = repositories[directory] ?? nil else { continue }
      let realTop = SymbolicLinks.realPath(top) ?? top
      let realFile = (SymbolicLinks.realPath(directory) ?? directory) + "/" + file.lastPathComponent
      guard realFile.hasPrefix(realTop + "/") else { continue }
      asked[top, default: []].append((path, String(realFile.dropFirst(realTop.count + 1))))
    }
    var hidden: Set<String> = []
    for (top, files) in asked {
      let git = GitCommand(repository: top)
      do {
        let binary = try GitAttributes.diffHidden(
          files.map(\.relative), git: git, cached: cached, timeout: Self.attributesTimeout)
        hidden.formUnion(files.filter { binary.contains($0.relative) }.map(\.path))
      } catch {
        hidden.formUnion(files.map(\.path))
        result.diagnostics.append(
          Diagnostic(
            .warning,
            "git could not say which files .gitattributes make binary (\(error)); no vigil:allow counts in "
              + "the \(files.count) file\(files.count == 1 ? "" : "s") with one", file: top))
      }
    }
    for index in result.findings.indices where hidden.contains(result.findings[index].path) {
      takeNoMarker(&result.findings[index])
    }
  }

  /// A symbolic link in the tree: never followed out of it, but its text (the name it
  /// holds, where git keeps a key as well as a path) is read as a file's content; and a
  /// link named as a secret file (`.env` → `docs/notes.txt`) is read through to a
  /// regular file inside the tree, under its own name, as what uses it reads it.
  func scanLink(
    _ link: ScanTarget, worker: DetectorWorker, reader: FileReader, builder: FindingBuilder,
    buffer: inout [UInt8], into output: inout WorkerOutput
  ) {
    guard let base = link.root, let text = Self.linkText(link.fileSystemPath, in: base) else { return }
    // Where the link is, from the top of the tree: a link may name any file in it.
    let (root, linkPath) = base.fromTop(link.fileSystemPath)
    if let shard = options.shard, !Self.isInShard(link.path, shard) { return }
    if worker.isExcluded(path: link.path) { return }
    // Never into a repository's own files (`.env` → `.git/config`: a checkout's
    // credentials, which no scan reads).
    let target =
      worker.namesSecretFile(link.path)
      ? Self.resolved(text, at: linkPath, in: root).flatMap { Self.isInGitDirectory($0) ? nil : $0 } : nil
    // The name's own findings (a secret file's) come with the file it names, if read.
    let pathMatches = target == nil ? worker.detectPath(link.path) : []
    text.withUnsafeBufferPointer { bytes in
      output.findings += builder.findings(
        for: worker.consolidated(path: pathMatches, content: worker.detectContent(bytes, path: link.path)),
        path: link.path, bytes: bytes)
    }
    guard let target else { return }
    scan(
      ScanTarget(path: link.path, relativePath: target, root: root), worker: worker, reader: reader,
      builder: builder, buffer: &buffer, into: &output, checkingReports: false)
  }

  /// Whether a path from the top of the tree passes through a `.git` directory (or file),
  /// which no scan reads.
  static func isInGitDirectory(_ path: [UInt8]) -> Bool {
    path.split(separator: UInt8(ascii: "/")).contains {
      $0.count == 4 && String(decoding: $0, as: UTF8.self).lowercased() == ".git"
    }
  }

  /// The regular file beneath `root` that the link at `path` names (`SymbolicLinks.resolved`:
  /// links followed inside the tree only), each part looked at beneath the root.
  static func resolved(_ text: [UInt8], at path: [UInt8], in root: RootDirectory) -> [UInt8]? {
    guard let top = PathText.withCString(root.path, { realpath($0, nil) }) else { return nil }
    defer { free(top) }
    let rootPath = Array(
      UnsafeBufferPointer(
        start: UnsafeRawPointer(top).assumingMemoryBound(to: UInt8.self), count: strlen(top)))
    return SymbolicLinks.resolved(text, at: path, root: rootPath) { beneath in
      let mode = inParent(of: beneath, in: root) { directory, name -> mode_t? in
        var info = stat()
        return PathText.withCString(name, { fstatat(directory, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0
          ? info.st_mode & S_IFMT : nil
      }
      switch mode {
      case S_IFREG: return .file
      case S_IFDIR: return .directory
      case S_IFLNK: return linkText(beneath, in: root).map { .link($0) } ?? .missing
      default: return .missing
      }
    }
  }

  /// `body` given the directory holding `path` (opened beneath `root`) and its name in
  /// it; nil if the directory does not open.
  static func inParent<Result>(
    of path: [UInt8], in root: RootDirectory, _ body: (Int32, [UInt8]) -> Result?
  ) -> Result? {
    let slash = path.lastIndex(of: UInt8(ascii: "/"))
    let parent = slash.map { Array(path[..<$0]) } ?? []
    let name = slash.map { Array(path[($0 + 1)...]) } ?? path
    let directory = root.open(parent, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { return nil }
    defer { close(directory) }
    return body(directory, name)
  }

  /// What the link at `path` (beneath `root`) holds, read without following it.
  static func linkText(_ path: [UInt8], in root: RootDirectory) -> [UInt8]? {
    inParent(of: path, in: root) { directory, name in
      var text = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = PathText.withCString(name) { name in
        text.withUnsafeMutableBytes { readlinkat(directory, name, $0.baseAddress!, $0.count) }
      }
      guard count > 0, count <= Int(PATH_MAX) else { return nil }
      return Array(text[..<count])
    }
  }

  /// What one archive (with every archive inside it) may unpack: this many times its
  /// size, at least four files of the largest size scanned, at most 1 GiB.
  static let archiveRatio = 100
  static let archiveBudgetCap = 1 << 30

  /// What all the archives of a scan may unpack together: 32 files of the largest size
  /// scanned (1 GiB by default) plus `archiveRatio` times the bytes of the archives read
  /// so far. Each archive's own budget alone let a thousand 17 KB archives unpack 128 MiB
  /// each (hours of scanning from 17 MB). Workers take their allowance when an archive
  /// starts, so together they may pass it by what the archives being read at that moment
  /// unpack, and which archives a scan past it leaves unread depends on their timing.
  final class ArchivePool: Sendable {
    private let state = Locked((unpacked: 0, archives: 0))

    /// What an archive of `bytes` may unpack now, its bytes counted in.
    func allowance(adding bytes: Int, floor: Int) -> Int {
      state.withLock { state in
        state.archives += bytes
        return max(0, floor + Scanner.archiveRatio * state.archives - state.unpacked)
      }
    }

    func spend(_ bytes: Int) { state.withLock { $0.unpacked += bytes } }
  }

  /// gzip found inside base64, inflated by libarchive to at most `limit` bytes: the file
  /// it holds, or the files of a tar inside (not opened further).
  static let inflate: Decompressor = { bytes, limit in
    var contents: [[UInt8]] = []
    var cutShort = false
    let budget = ArchiveReader.Budget(limit)
    let outcome = ArchiveReader.read(
      bytes, maxEntrySize: limit, budget: budget, entry: { _, content in contents.append(content) },
      skipped: { _, why in cutShort = cutShort || why == .tooLarge })
    return (contents, limit - max(0, budget.remaining), cutShort || outcome == .budgetSpent)
  }

  /// How many unreadable entries of one archive are each named in a warning.
  static let unreadableEntriesNamed = 8

  /// Scans the files inside an archive as if it were unpacked, each reported as
  /// `archive.zip!inner/path` (rules see `archive.zip/inner/path`); archives inside are
  /// opened in turn, to `ScanOptions.maxArchiveDepth`. An archive that contains itself,
  /// one nested too deep, and unpacking past the budget (a decompression bomb) are
  /// warnings: the scan goes on without them.
  private func scanArchive(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, depth: Int, budget: ArchiveReader.Budget,
    ancestors: inout [Int], held: inout Set<String>,
    worker: DetectorWorker, builder: FindingBuilder, into output: inout WorkerOutput
  ) {
    var unreadable = 0
    // Links, by path: what each holds, and whether it is a hard link.
    var links: [String: (target: String, hard: Bool)] = [:]
    func scanEntry(_ entryPath: String, _ content: [UInt8]) {
      let inner = path + "!" + entryPath
      let rulePath = path + "/" + entryPath
      if worker.isExcluded(path: rulePath) {
        output.summary.skipped[.excluded, default: 0] += 1
        return
      }
      var matches = worker.detectPath(rulePath)
      content.withUnsafeBufferPointer { entryBytes in
        // An archive inside is opened, and its bytes are read as well, as a file's are
        // (a text that only looks like an archive, data outside its entries); what its
        // entries hold is not reported again from them.
        var inside: Set<String> = []
        if ArchiveReader.isArchive(entryBytes) {
          let identity = Self.identity(of: entryBytes)
          if ancestors.contains(identity) {
            output.diagnostics.append(
              Diagnostic(.warning, "the archive contains itself; that copy was not opened", file: inner))
          } else if depth >= options.maxArchiveDepth {
            output.summary.skipped[.archiveIncomplete, default: 0] += 1
            output.diagnostics.append(
              Diagnostic(
                .warning,
                "archives nested more than \(options.maxArchiveDepth) deep (--max-archive-depth); not opened",
                file: inner))
          } else {
            ancestors.append(identity)
            scanArchive(
              entryBytes, path: inner, depth: depth + 1, budget: budget, ancestors: &ancestors,
              held: &inside,
              worker: worker, builder: builder, into: &output)
            ancestors.removeLast()
            held.formUnion(inside)
          }
        }
        output.summary.filesScanned += 1
        output.summary.bytesScanned += entryBytes.count
        var found: [Finding]
        if entryBytes.prefix(FileReader.binaryProbeBytes).contains(0) {
          (found, matches) = binaryFindings(
            entryBytes, path: inner, rulePath: rulePath, besides: matches, worker: worker, builder: builder,
            excluding: inside)
        } else {
          matches = worker.consolidated(
            path: matches, content: worker.detectContent(entryBytes, path: rulePath))
          if !inside.isEmpty {
            matches.removeAll { clearSecrets(of: [$0], in: entryBytes).contains(where: inside.contains) }
          }
          found = builder.findings(for: matches, path: inner, bytes: entryBytes)
        }
        // No inline allow counts inside an archive: a review of the change sees its
        // bytes, compressed, not the marker.
        for index in found.indices { Self.takeNoMarker(&found[index]) }
        output.findings += found
        let secrets = clearSecrets(of: matches, in: entryBytes)
        held.formUnion(secrets)
        if output.secrets != nil { output.secrets? += secrets }
      }
    }
    let before = budget.remaining
    let outcome = ArchiveReader.read(
      bytes, maxEntrySize: options.maxFileSize, budget: budget, unnamed: Self.unpackedName(of: path),
      entry: scanEntry,
      skipped: { entryPath, why in
        switch why {
        case .tooLarge: output.summary.skipped[.tooLarge, default: 0] += 1
        case .unreadable(let reason):
          unreadable += 1
          // The archive was not read whole: counted once, however many entries.
          if unreadable == 1 { output.summary.skipped[.archiveIncomplete, default: 0] += 1 }
          // The first few by name; an archive of thousands (all encrypted) is not a
          // warning for each.
          guard unreadable <= Self.unreadableEntriesNamed else { return }
          output.diagnostics.append(
            Diagnostic(
              .warning, "cannot read this entry (\(reason)); the archive's other entries were scanned",
              file: path + "!" + entryPath))
        }
      },
      link: { entryPath, target, hard in links[entryPath] = (target, hard) })
    if !links.isEmpty {
      let cutShort = scanLinks(
        links, in: bytes, path: path, unpacked: max(0, before - budget.remaining), scanEntry)
      if cutShort {
        output.summary.skipped[.archiveIncomplete, default: 0] += 1
        output.diagnostics.append(
          Diagnostic(
            .warning,
            "links named as secret files read more than the archive holds; the rest were read as the names they hold",
            file: path))
      }
    }
    if unreadable > Self.unreadableEntriesNamed {
      output.diagnostics.append(
        Diagnostic(
          .warning,
          "\(unreadable - Self.unreadableEntriesNamed) more entries cannot be read (damaged, encrypted or "
            + "compressed by a method libarchive lacks); the others were scanned", file: path))
    }
    switch outcome {
    case .complete, .budgetSpent, .notAnArchive: break
    case .unreadable(let reason):
      output.summary.skipped[.archiveIncomplete, default: 0] += 1
      output.diagnostics.append(
        Diagnostic(
          .warning, "cannot read the archive (\(reason)); what follows in it was not scanned", file: path))
    }
  }

  /// An archive's links, as a tree's are read: a link named as a secret file (`.env` →
  /// `config/prod.txt`, which dotenv follows) is read through to the entry it names
  /// (following links on the way, never out of the archive), under its own name; any
  /// other link, and one whose target is not in the archive, is read as the name it
  /// holds (a key fits there). The entries named are read in a second pass over the
  /// archive, which unpacks no more than the first did (`unpacked`), and what links read
  /// through is at most that too (or 1 MiB): a link does not make an archive a bomb, nor
  /// do a thousand links to one entry. Whether links were left unread for that.
  private func scanLinks(
    _ links: [String: (target: String, hard: Bool)], in bytes: UnsafeBufferPointer<UInt8>, path: String,
    unpacked: Int, _ scanEntry: (String, [UInt8]) -> Void
  ) -> Bool {
    let namer = secretFileNames()
    var wanted: [String: [String]] = [:]  // an entry's path → the links that read it
    for (name, link) in links.sorted(by: { $0.key < $1.key }) {
      guard namer(path + "/" + name), let target = Self.linkTarget(of: name, in: links) else {
        scanEntry(name, Array(link.target.utf8))
        continue
      }
      wanted[target, default: []].append(name)
    }
    guard !wanted.isEmpty else { return false }
    var found: Set<String> = []
    var readThrough = max(unpacked, 1 << 20)
    var cutShort = false
    _ = ArchiveReader.read(
      bytes, maxEntrySize: options.maxFileSize,
      budget: ArchiveReader.Budget(unpacked + ArchiveReader.headerCost),
      unnamed: Self.unpackedName(of: path),
      entry: { entryPath, content in
        let key = Self.normalizedEntryPath(entryPath) ?? entryPath
        guard let names = wanted[key], !found.contains(key) else { return }
        found.insert(key)
        for name in names {
          guard content.count <= readThrough else {
            cutShort = true
            scanEntry(name, Array((links[name]?.target ?? key).utf8))
            continue
          }
          readThrough -= content.count
          scanEntry(name, content)
        }
      }, skipped: { _, _ in })
    for (target, names) in wanted where !found.contains(target) {
      for name in names { scanEntry(name, Array((links[name]?.target ?? target).utf8)) }
    }
    return cutShort
  }

  /// The entry a link ends at, links followed (at most 16), as a normalized path inside
  /// the archive; `nil` past its top or in a loop.
  static func linkTarget(of name: String, in links: [String: (target: String, hard: Bool)]) -> String? {
    var current = normalizedEntryPath(name) ?? name
    var link = links[name]
    for _ in 0..<16 {
      guard let step = link else { return current }
      let directory = step.hard ? "" : String(current.split(separator: "/").dropLast().joined(separator: "/"))
      let joined =
        step.target.hasPrefix("/") || directory.isEmpty ? step.target : directory + "/" + step.target
      guard let next = normalizedEntryPath(joined) else { return nil }
      current = next
      link = links[next] ?? links["./" + next]
    }
    return nil
  }

  /// `path` without `.`, empty parts and a leading `/`, each `..` taking away the part
  /// before it; `nil` when one would leave the archive.
  static func normalizedEntryPath(_ path: String) -> String? {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..":
        guard !parts.isEmpty else { return nil }
        parts.removeLast()
      default: parts.append(part)
      }
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  /// `--exclude`'s patterns as one ignore file; `nil` when there are none.
  static func excludeFile(_ patterns: [String]) -> IgnoreFile? {
    patterns.isEmpty ? nil : IgnoreFile(base: [], contents: Array(patterns.joined(separator: "\n").utf8))
  }

  /// The secrets `matches` of secret and secret-file rules hold in `bytes`, in clear
  /// (decoded, for a secret found inside encoded text), and those a secret file's
  /// finding stands for (an `id_rsa`'s key).
  func clearSecrets(of matches: [DetectedMatch], in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
    matches.flatMap { match -> [String] in
      guard pack.rules[match.ruleIndex].category.isSensitive else { return [] }
      let own = match.secretRange.map {
        String(decoding: match.decoded?.secret ?? Array(bytes[$0]), as: UTF8.self)
      }
      return (own.map { [$0] } ?? [])
        + match.absorbedSecrets.map { String(decoding: bytes[$0], as: UTF8.self) }
    }
  }

  /// The name of the file a compressed stream at `path` holds: its own name without
  /// the compression suffix (`deploy/.env.gz` holds `.env`).
  static func unpackedName(of path: String) -> String {
    let name = path.split(whereSeparator: { $0 == "/" || $0 == "!" }).last.map(String.init) ?? path
    for suffix in [".gz", ".gzip", ".bz2", ".xz", ".zst", ".lzma", ".lz4", ".lz", ".z"]
    where name.lowercased().hasSuffix(suffix) {
      let stem = String(name.dropLast(suffix.count))
      return stem.isEmpty ? "data" : stem
    }
    return "data"
  }

  /// Scans an archive file's entries (`scanArchive`), within the budget one archive
  /// gets: the secrets they hold, in clear.
  func scanArchive(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, worker: DetectorWorker, builder: FindingBuilder,
    into output: inout WorkerOutput
  ) -> Set<String> {
    let own = min(Self.archiveBudgetCap, max(4 * options.maxFileSize, Self.archiveRatio * bytes.count))
    let pooled = archivePool.allowance(adding: bytes.count, floor: 32 * options.maxFileSize)
    let budget = ArchiveReader.Budget(min(own, pooled))
    var ancestors = [Self.identity(of: bytes)]
    var held: Set<String> = []
    let first = output.findings.count
    worker.archive = path
    defer { worker.archive = nil }
    scanArchive(
      bytes, path: path, depth: 1, budget: budget, ancestors: &ancestors, held: &held, worker: worker,
      builder: builder, into: &output)
    for index in first..<output.findings.count { output.findings[index].archive = path }
    archivePool.spend(min(own, pooled) - max(0, budget.remaining))
    if budget.remaining <= 0 || budget.exhausted {
      output.summary.skipped[.archiveIncomplete, default: 0] += 1
      output.diagnostics.append(
        Diagnostic(
          .warning,
          (pooled < own
            ? "the scan's archives have unpacked what they may together (32 times --max-file-size plus "
              + "\(Self.archiveRatio) times their size)"
            : "the archive unpacks to more than \(Self.archiveRatio) times its size (a decompression bomb?)")
            + "; scanning stopped there", file: path))
    }
    return held
  }

  /// A digest of an archive's bytes, to notice one that contains itself.
  private static func identity(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hasher = Hasher()
    hasher.combine(bytes.count)
    hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
    return hasher.finalize()
  }
}

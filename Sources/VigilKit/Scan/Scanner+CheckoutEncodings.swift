import Foundation
import VigilGit
import VigilModel
import VigilSupport
import VigilWalk

extension Scanner {
  /// Files git checks out in an encoding of their own (`working-tree-encoding=IBM037` in
  /// `.gitattributes`): on disk they are in that encoding, which no rule reads, while
  /// the repository keeps them as UTF-8 and shows them so (`git show`, a web view). Each
  /// is read again as the UTF-8 git keeps, and what that finds besides is added. Only in
  /// a work tree whose attributes name such an encoding: asking git about every file
  /// costs a process and a pass over the listing.
  /// `items` are what the scan was asked to read: files outside them are left alone.
  func scanCheckoutEncodings(_ output: inout WorkerOutput, root: String, items: [WalkItem]) {
    let git = GitCommand(repository: root)
    guard let location = git.location else { return }
    // The attributes files that could name one: the repository's own and every tracked
    // `.gitattributes` (above the scanned directory too, where git reads them).
    var sources = [location.gitDirectory + "/info/attributes"]
    if let all = try? git.run(
      ["ls-files", "-z", "--cached", "--full-name", "--", ":(top,glob)**/.gitattributes"],
      timeout: GitCommand.listingTimeout)
    {
      sources += all.split(separator: 0).map { location.workTree + "/" + String(decoding: $0, as: UTF8.self) }
    }
    let names = sources.contains { source in
      guard let text = FileManager.default.contents(atPath: source) else { return false }
      return !WorkingTreeEncoding.named(in: Array(text)).isEmpty
    }
    guard names,
      let listed = try? git.run(["ls-files", "-z", "--cached"], timeout: GitCommand.listingTimeout)
    else { return }
    let paths = listed.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    guard let declared = try? WorkingTreeEncoding.declared(for: paths, git: git, cached: false),
      !declared.isEmpty,
      let worker = try? detector().makeWorker(profiling: false)
    else { return }
    var prefixes: [String] = []
    var files: Set<String> = []
    for item in items {
      switch item {
      case .directory(let task): prefixes.append(task.displayPrefix)
      case .files(let targets): files.formUnion(targets.map(\.path))
      case .links: break
      }
    }
    let builder = FindingBuilder(rules: pack.rules, redact: options.redact)
    var known = Set(output.findings.map(\.fingerprint))
    for (path, encoding) in declared.sorted(by: { $0.key < $1.key }) {
      guard files.contains(path) || prefixes.contains(where: path.hasPrefix) else { continue }
      if worker.isExcluded(path: path) { continue }
      if let shard = options.shard, !Self.isInShard(path, shard) { continue }
      guard let bytes = Self.regularFile(root + "/" + path, atMost: options.maxFileSize),
        let text = WorkingTreeEncoding.utf8Form(of: bytes, encoding: encoding), text != bytes
      else { continue }
      let found = text.withUnsafeBufferPointer { text in
        builder.findings(
          for: worker.consolidated(path: [], content: worker.detectContent(text, path: path)), path: path,
          bytes: text)
      }
      for finding in found where known.insert(finding.fingerprint).inserted {
        output.findings.append(finding)
      }
    }
    output.diagnostics += worker.warnings
  }

  /// The bytes of the regular file at `path` (a link is not followed), if it is no
  /// larger than `limit`.
  private static func regularFile(_ path: String, atMost limit: Int) -> [UInt8]? {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= limit,
      let data = FileManager.default.contents(atPath: path)
    else { return nil }
    return Array(data)
  }
}

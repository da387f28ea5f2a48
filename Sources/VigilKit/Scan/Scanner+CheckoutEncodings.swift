import Foundation
import VigilFiles
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
    let paths = listed.split(separator: 0).map { PathText.display($0) }
    guard let declared = try? WorkingTreeEncoding.declared(for: paths, git: git, cached: false),
      !declared.isEmpty,
      let worker = try? detector().makeWorker(profiling: false),
      let directory = RootDirectory(path: Array(root.utf8))
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
    let builder = FindingBuilder(rules: pack.rules, redact: options.redact, collecting: foundSecrets)
    let excludes = Self.excludeFile(options.exclude)
    var known = Set(output.findings.map(\.fingerprint))
    // What the walk found at a place, by rule: the same secret read in the file's bytes
    // (a password with `äöü` in ISO-8859-1) has a fingerprint of its own there.
    var placed = Set(output.findings.map { "\($0.ruleID) \($0.path):\($0.start.line)" })
    for (path, encoding) in declared.sorted(by: { $0.key < $1.key }) {
      guard files.contains(path) || prefixes.contains(where: path.hasPrefix) else { continue }
      if worker.isExcluded(path: path) || excludes?.excludes(path) == true { continue }
      if let shard = options.shard, !Self.isInShard(path, shard) { continue }
      guard let bytes = Self.regularFile(path, beneath: directory, atMost: options.maxFileSize),
        let text = WorkingTreeEncoding.utf8Form(of: bytes, encoding: encoding), text != bytes
      else { continue }
      let found = text.withUnsafeBufferPointer { text in
        builder.findings(
          for: worker.consolidated(path: [], content: worker.detectContent(text, path: path)), path: path,
          bytes: text)
      }
      for finding in found
      where known.insert(finding.fingerprint).inserted
        && placed.insert("\(finding.ruleID) \(finding.path):\(finding.start.line)").inserted
      {
        output.findings.append(finding)
      }
    }
    output.diagnostics += worker.warnings
  }

  /// The bytes of the regular file at `path` beneath `root`, if it is no larger than
  /// `limit`, read as the walk reads (no symbolic link followed in any component: a
  /// tracked `d/creds.txt` whose `d` is a link out of the tree is not read).
  private static func regularFile(_ path: String, beneath root: RootDirectory, atMost limit: Int) -> [UInt8]?
  {
    var buffer: [UInt8] = []
    let target = ScanTarget(path: path, relativePath: PathText.bytes(display: path), root: root)
    switch FileReader(maxFileSize: limit).read(target, into: &buffer) {
    case .text(let count), .binary(let count): return Array(buffer[0..<count])
    default: return nil
    }
  }
}

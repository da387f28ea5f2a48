import VigilFiles
import VigilModel
import VigilSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one directory and sorts its entries into work: subdirectories to read, files
/// to scan, and things skipped.
///
/// Never follows a symbolic link (so a walk can neither leave its root nor loop), never
/// enters `.git`, and leaves FIFOs, sockets and devices alone. Ignored entries are left
/// out silently, as git leaves them out of `git ls-files`; an ignored directory is not
/// entered at all, so nothing inside it can be re-included (git's rule).
public struct DirectoryReader: Sendable {
  /// Files are handed out in batches of this many so that idle workers can help with
  /// a large directory.
  public static let batchSize = 32

  /// Links with this name (not ignored) are listed in `Output.links`: config discovery
  /// must see a `.vigil.toml` that is a link, to refuse one that leads outside the tree.
  public var linksNamed: String?

  public init(linksNamed: String? = nil) { self.linksNamed = linksNamed }

  public struct Output {
    public var links: [String] = []
    /// Every symbolic link met (not ignored nor excluded): never followed by the walk,
    /// but what it holds, its target's name, is text in the repository (`Scanner`).
    public var linkTargets: [ScanTarget] = []
    /// The directory read when it is the top of a repository other than the scanned
    /// one (a submodule, a nested clone): files that repository tracks and its ignore
    /// files list are committed there, and the walk cannot tell them (`ScanPlan`).
    public var nestedRepository: DirectoryTask?
    public var items: [WalkItem] = []
    public var skipped: [SkipReason: Int] = [:]
    public var warnings: [Diagnostic] = []
  }

  public func read(_ task: DirectoryTask) -> Output {
    var output = Output()
    let descriptor = task.root.open(task.fileSystemPath, flags: O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0, let handle = fdopendir(descriptor) else {
      let error = errno
      let reason = String(cString: strerror(error))
      if descriptor >= 0 { close(descriptor) }
      let shown = task.displayPrefix.isEmpty ? "." : String(task.displayPrefix.dropLast())
      if error == ELOOP {
        // Swapped for a link since its parent was read.
        output.skipped[.symlink, default: 0] += 1
        return output
      }
      output.skipped[.unreadable, default: 0] += 1
      output.warnings.append(
        Diagnostic(.warning, "cannot read directory (\(reason)); it was not scanned", file: shown))
      return output
    }
    var entries: [(bytes: [UInt8], name: String, type: UInt8)] = []
    while let entry = readdir(handle) {
      let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        Array(raw.prefix { $0 != 0 })
      }
      if bytes != [0x2E] && bytes != [0x2E, 0x2E] {
        var type = entry.pointee.d_type
        // File systems whose readdir does not say: ask, relative to this directory.
        if type == UInt8(DT_UNKNOWN) { type = Self.type(of: bytes, in: dirfd(handle)) }
        entries.append((bytes, PathText.display(bytes), type))
      }
    }
    // Deep in the tree, what is below is opened from here: every open from the root
    // walks the whole path again (and past PATH_MAX one component at a time), which
    // made a tree thousands of directories deep cost the square of its depth.
    var base = (root: task.root, path: task.fileSystemPath)
    if task.fileSystemPath.count > Self.rebaseLength {
      let copy = fcntl(dirfd(handle), F_DUPFD_CLOEXEC, 0)
      if copy >= 0 {
        base = (RootDirectory(descriptor: copy, at: task.fileSystemPath, beneath: task.root), [])
      }
    }
    closedir(handle)

    var rules = task.rules
    var ignoreBase = task.ignorePath
    // The top of another repository (a submodule, a nested clone): git judges what is
    // in it by its own ignore files alone, as if the walk started there. Not below a
    // directory outside any repository: there the tree may ship a `.git` of its own (an
    // archive's) to bring its `.gitignore` back.
    if rules?.readsIgnoreFiles == true && !task.fileSystemPath.isEmpty
      && entries.contains(where: {
        $0.name == ".git" && ($0.type == UInt8(DT_DIR) || $0.type == UInt8(DT_REG))
      })
    {
      let environment = IgnoreEnvironment(
        directory: String(decoding: task.root.path + [UInt8(ascii: "/")] + task.fileSystemPath, as: UTF8.self)
      )
      rules = environment.rules
      ignoreBase = []
      output.nestedRepository = task
      output.warnings += environment.warnings
    }
    if let current = rules, current.readsIgnoreFiles,
      let entry = entries.first(where: { $0.name == ".gitignore" })
    {
      if entry.type == UInt8(DT_REG) || entry.type == UInt8(DT_UNKNOWN) {
        if let contents = readSmallFile(join(base.path, Array(".gitignore".utf8)), root: base.root) {
          rules = current.adding(IgnoreFile(base: ignoreBase, contents: contents))
        }
      } else if entry.type != UInt8(DT_LNK) && entry.type != UInt8(DT_DIR) {
        // A FIFO or device is never read (git skips them too); a link is git's own rule.
        output.warnings.append(
          Diagnostic(
            .warning, "ignore file is not a regular file; it was not read",
            file: task.displayPrefix + ".gitignore"))
      }
    }

    var files: [ScanTarget] = []
    // Excludes meet a name's bytes, as git's patterns do (a name shown `k\\xFF` is not one
    // holding the byte FF).
    let excludePrefix = task.excludes == nil ? [] : PathText.bytes(display: task.displayPrefix)
    // No sorting: the order of the walk never shows (reports are sorted at the end),
    // and comparing names as UTF-8 cost a tenth of the scan.
    for entry in entries {
      let fullPath = join(base.path, entry.bytes)
      let type = entry.type
      let isDirectory = type == UInt8(DT_DIR)
      // Never entered nor read: a repository's own directory, or a submodule's `gitdir:`
      // file (git tracks neither).
      if entry.name == ".git" && (isDirectory || type == UInt8(DT_REG)) { continue }
      let ignorePath =
        ignoreBase.isEmpty ? entry.bytes : ignoreBase + [UInt8(ascii: "/")] + entry.bytes
      if let excludes = task.excludes {
        let path = excludePrefix + entry.bytes
        if excludes.verdict(path: path, basenameStart: excludePrefix.count, isDirectory: isDirectory) == true
        {
          if !isDirectory { output.skipped[.excluded, default: 0] += 1 }
          continue
        }
      }
      if let rules, rules.isIgnored(path: ignorePath, isDirectory: isDirectory) { continue }
      switch type {
      case UInt8(DT_DIR):
        output.items.append(
          .directory(
            DirectoryTask(
              root: base.root, fileSystemPath: fullPath, displayPrefix: task.displayPrefix + entry.name + "/",
              ignorePath: ignorePath, rules: rules, excludes: task.excludes)))
      case UInt8(DT_REG):
        files.append(
          ScanTarget(path: task.displayPrefix + entry.name, relativePath: fullPath, root: base.root))
        if files.count == Self.batchSize {
          output.items.append(.files(files))
          files.removeAll(keepingCapacity: true)
        }
      case UInt8(DT_LNK):
        output.skipped[.symlink, default: 0] += 1
        if entry.name == linksNamed { output.links.append(task.displayPrefix + entry.name) }
        output.linkTargets.append(
          ScanTarget(path: task.displayPrefix + entry.name, relativePath: fullPath, root: base.root))
      default:
        output.skipped[.special, default: 0] += 1
      }
    }
    if !files.isEmpty { output.items.append(.files(files)) }
    return output
  }

  /// How long a path below the root may grow before the walk goes on from the
  /// directory it names.
  static let rebaseLength = 1024

  private func join(_ directory: [UInt8], _ name: [UInt8]) -> [UInt8] {
    if directory.isEmpty { return name }
    return directory.last == UInt8(ascii: "/") ? directory + name : directory + [UInt8(ascii: "/")] + name
  }

  /// The `d_type` of `name` in the directory `descriptor` (or of a path relative to
  /// it), without following a final symbolic link.
  public static func type(of name: [UInt8], in descriptor: Int32) -> UInt8 {
    var info = stat()
    guard PathText.withCString(name, { fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
      return UInt8(DT_UNKNOWN)
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return UInt8(DT_DIR)
    case S_IFREG: return UInt8(DT_REG)
    case S_IFLNK: return UInt8(DT_LNK)
    default: return UInt8(DT_UNKNOWN)
    }
  }

  /// An ignore file's bytes; `nil` when it cannot be read or is absurdly large.
  private func readSmallFile(_ path: [UInt8], root: RootDirectory) -> [UInt8]? {
    var buffer: [UInt8] = []
    let target = ScanTarget(path: "", relativePath: path, root: root)
    guard case .text(let count) = FileReader(maxFileSize: 16 * 1024 * 1024).read(target, into: &buffer)
    else { return nil }
    return Array(buffer[0..<count])
  }
}

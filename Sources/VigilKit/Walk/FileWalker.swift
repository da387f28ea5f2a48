#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lists the files under a directory, depth first in byte order of names.
///
/// A simple, sequential walk: it skips `.git`, never follows a symbolic link (so it can
/// neither leave the root nor loop), and leaves FIFOs, sockets and devices alone. It
/// does not read ignore files yet.
public struct FileWalker {
  public struct Listing: Sendable {
    public var targets: [ScanTarget] = []
    public var skipped: [SkipReason: Int] = [:]
    public var warnings: [Diagnostic] = []
  }

  public init() {}

  /// - Parameters:
  ///   - directory: the directory to list, as the file system should open it.
  ///   - prefix: what to put before each relative path (`""` at the root, else `dir/`).
  public func list(directory: String, prefix: String) -> Listing {
    var listing = Listing()
    walk(directory: directory, prefix: prefix, into: &listing)
    return listing
  }

  private func walk(directory: String, prefix: String, into listing: inout Listing) {
    guard let handle = opendir(directory) else {
      listing.skipped[.unreadable, default: 0] += 1
      listing.warnings.append(
        Diagnostic(
          .warning, "cannot read directory: \(String(cString: strerror(errno)))",
          file: prefix.isEmpty ? "." : prefix))
      return
    }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    closedir(handle)
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let fullPath = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      let relative = prefix + name
      var info = stat()
      guard lstat(fullPath, &info) == 0 else {
        listing.skipped[.unreadable, default: 0] += 1
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        if name == ".git" { continue }
        walk(directory: fullPath, prefix: relative + "/", into: &listing)
      case S_IFREG:
        listing.targets.append(ScanTarget(path: relative, fileSystemPath: fullPath))
      case S_IFLNK:
        listing.skipped[.symlink, default: 0] += 1
      default:
        listing.skipped[.special, default: 0] += 1
      }
    }
  }
}

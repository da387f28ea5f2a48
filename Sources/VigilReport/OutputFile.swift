import Foundation
import VigilModel
import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a report, a baseline or a hook to a path the user named, whatever is there.
///
/// The rule, for `-o`, `--write-baseline` and `install-hook` alike:
/// - **Not a regular file** (a device such as `/dev/null`, a FIFO, a terminal), or a
///   name for one of vigil's descriptors (`/dev/stdout` is whatever descriptor 1 is,
///   a regular file included): opened and written in place (appending), never replaced.
/// - **A regular file, or nothing yet**: replaced atomically. The text goes to a new
///   file created with `O_CREAT | O_EXCL | O_NOFOLLOW` under an unpredictable name in
///   the target's directory, which is then renamed over the target: a failed write
///   leaves the target as it was, and a link planted under a guessable name is never
///   written through. A replaced file keeps its permission bits.
/// - **A symbolic link** is followed: the file it points to is replaced (or written in
///   place, by the rules above) and the link stays. A link that points nowhere is
///   refused: writing would create a file wherever it points. So is a link inside the
///   tree a scan read (`linkInScannedTree`): whoever wrote the tree (a pull request in
///   CI) chose where it points.
public enum OutputFile {
  /// Why `path` must not be written after a scan of `root`: it, or a directory on its
  /// way down from `root`, is a symbolic link in the scanned tree, which its author could
  /// point at any file the user may write (a shell's start-up file, with a report whose
  /// first line is a file name they chose). `nil` when there is none.
  ///
  /// `trees` are the scanned directory and the work tree holding it: a link anywhere in
  /// either counts, and in the current directory when a tree lies beneath it (`cd pkg &&
  /// vigil scan src -o r.sarif`: the top of an unpacked archive came with it). The path
  /// is followed component by component as the kernel would (`sub/../x` goes through
  /// `sub`), links outside the trees resolved on the way.
  public static func linkInScannedTree(_ path: String, trees: [String]) -> String? {
    let directory = FileManager.default.currentDirectoryPath
    let current = SymbolicLinks.realPath(directory) ?? directory
    let resolved = trees.map { SymbolicLinks.realPath($0) ?? $0 }
    let around =
      !resolved.contains(current) && resolved.contains { SymbolicLinks.isWithin($0, anyOf: [current]) }
      ? [current] : []
    guard let link = SymbolicLinks.firstInside(trees + around, onTheWayTo: path, from: directory) else {
      return nil
    }
    return "cannot write \(path): \(link) is a symbolic link inside the scanned tree "
      + (around.isEmpty ? "" : "or the directory holding it ")
      + "(\(SymbolicLinks.destination(link))), which the tree's author could point anywhere; write the report "
      + "elsewhere or remove the link"
  }

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// - Parameter mode: the new file's permission bits (the umask applies); an existing
  ///   file's are kept unless `forceMode`.
  public static func write(
    _ text: String, to path: String, mode: mode_t = 0o666, forceMode: Bool = false
  ) throws(Failure) {
    try write(to: path, mode: mode, forceMode: forceMode) { try $0.write(text) }
  }

  /// Writes what `produce` puts on the stream, as it comes, by the rule above: a long
  /// report is never held whole. When `produce` throws, a file being replaced is left
  /// as it was.
  public static func write(
    to path: String, mode: mode_t = 0o666, forceMode: Bool = false, _ produce: (ReportStream) throws -> Void
  ) throws(Failure) {
    var link = stat()
    let exists = lstat(path, &link) == 0
    var target = stat()
    let resolves = stat(path, &target) == 0
    if exists && link.st_mode & S_IFMT == S_IFLNK && !resolves {
      throw Failure(
        description:
          "cannot write \(path): it is a symbolic link to nothing (\(SymbolicLinks.destination(path)))")
    }
    if resolves && target.st_mode & S_IFMT == S_IFDIR {
      throw Failure(description: "cannot write \(path): it is a directory")
    }
    let special = resolves && target.st_mode & S_IFMT != S_IFREG
    let resolved = resolves ? (SymbolicLinks.realPath(path) ?? path) : path
    if special || isDescriptorAlias(path) {
      try writeInPlace(path: path, produce)
    } else {
      try replace(
        path: resolved, shown: path, mode: resolves && !forceMode ? target.st_mode & 0o7777 : mode,
        keepMode: resolves && !forceMode, produce)
    }
  }

  /// Runs `produce` with a stream onto `fd`, turning any failure into one that names `shown`.
  private static func stream(
    to fd: Int32, shown: String, _ produce: (ReportStream) throws -> Void
  ) throws(Failure) {
    let sink = { (chunk: [UInt8]) throws(Failure) in
      if let problem = writeAll(chunk, to: fd) {
        throw Failure(description: "cannot write \(shown): \(problem)")
      }
    }
    do {
      try ReportStream.run(sink: sink, produce)
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(description: "cannot write \(shown): \(error)")
    }
  }

  /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/…/fd/N`: names for a descriptor
  /// vigil already has, whatever it is open on (a regular file too, with `> out`).
  private static func isDescriptorAlias(_ path: String) -> Bool {
    path == "/dev/stdout" || path == "/dev/stderr" || path.hasPrefix("/dev/fd/")
      || (path.hasPrefix("/proc/") && path.contains("/fd/"))
  }

  /// Opened without waiting: a FIFO no process reads (one a scanned tree ships under the
  /// report's name) fails at once instead of blocking for ever; then written blocking.
  private static func writeInPlace(path: String, _ produce: (ReportStream) throws -> Void) throws(Failure) {
    let fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      var target = stat()
      let fifo = errno == ENXIO && stat(path, &target) == 0 && target.st_mode & S_IFMT == S_IFIFO
      let reason = fifo ? "it is a FIFO that no process reads" : errorText()
      throw Failure(description: "cannot write \(path): \(reason)")
    }
    defer { close(fd) }
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
      throw Failure(description: "cannot write \(path): \(errorText())")
    }
    try stream(to: fd, shown: path, produce)
  }

  private static func replace(
    path: String, shown: String, mode: mode_t, keepMode: Bool, _ produce: (ReportStream) throws -> Void
  ) throws(Failure) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""  // with its slash
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var random = SystemRandomNumberGenerator()
    let suffix = String(random.next() as UInt64, radix: 16) + String(random.next() as UInt64, radix: 16)
    let temporary = directory + ".\(name).vigil-\(suffix).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { throw Failure(description: "cannot write \(shown): \(errorText())") }
    // The umask applies to a new file; a replaced one keeps exactly what it had.
    if keepMode { fchmod(fd, mode) }
    do throws(Failure) {
      defer { close(fd) }
      try stream(to: fd, shown: shown, produce)
    } catch {
      unlink(temporary)
      throw error
    }
    if rename(temporary, path) != 0 {
      let reason = errorText()
      unlink(temporary)
      throw Failure(description: "cannot write \(shown): \(reason)")
    }
  }

  /// Writes every byte, or says why not.
  public static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        Glibc.write(fd, raw.baseAddress! + written, bytes.count - written)
      }
      if count < 0 {
        if errno == EINTR { continue }
        return errorText()
      }
      written += count
    }
    return nil
  }

  private static func errorText() -> String { String(cString: strerror(errno)) }
}

import Foundation

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
///   refused: writing would create a file wherever it points.
public enum OutputFile {
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// - Parameter mode: the new file's permission bits (the umask applies); an existing
  ///   file's are kept unless `forceMode`.
  public static func write(
    _ text: String, to path: String, mode: mode_t = 0o666, forceMode: Bool = false
  ) throws(Failure) {
    var link = stat()
    let exists = lstat(path, &link) == 0
    var target = stat()
    let resolves = stat(path, &target) == 0
    if exists && link.st_mode & S_IFMT == S_IFLNK && !resolves {
      throw Failure(
        description: "cannot write \(path): it is a symbolic link to nothing (\(Self.destination(path)))")
    }
    if resolves && target.st_mode & S_IFMT == S_IFDIR {
      throw Failure(description: "cannot write \(path): it is a directory")
    }
    let special = resolves && target.st_mode & S_IFMT != S_IFREG
    let resolved = resolves ? (realPath(path) ?? path) : path
    if special || isDescriptorAlias(path) {
      try writeInPlace(Array(text.utf8), path: path)
    } else {
      try replace(
        Array(text.utf8), path: resolved, shown: path,
        mode: resolves && !forceMode ? target.st_mode & 0o7777 : mode, keepMode: resolves && !forceMode)
    }
  }

  /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/…/fd/N`: names for a descriptor
  /// vigil already has, whatever it is open on (a regular file too, with `> out`).
  private static func isDescriptorAlias(_ path: String) -> Bool {
    path == "/dev/stdout" || path == "/dev/stderr" || path.hasPrefix("/dev/fd/")
      || (path.hasPrefix("/proc/") && path.contains("/fd/"))
  }

  private static func writeInPlace(_ bytes: [UInt8], path: String) throws(Failure) {
    let fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(errorText())") }
    defer { close(fd) }
    if let problem = writeAll(bytes, to: fd) {
      throw Failure(description: "cannot write \(path): \(problem)")
    }
  }

  private static func replace(
    _ bytes: [UInt8], path: String, shown: String, mode: mode_t, keepMode: Bool
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
    let problem = writeAll(bytes, to: fd)
    close(fd)
    if let problem {
      unlink(temporary)
      throw Failure(description: "cannot write \(shown): \(problem)")
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

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  private static func destination(_ path: String) -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
  }

  private static func errorText() -> String { String(cString: strerror(errno)) }
}

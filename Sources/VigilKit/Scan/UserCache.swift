import Foundation
import VigilGit
import VigilModel

/// vigil's cache directory (`$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`) and the
/// rules every cache in it follows: a file is read only from a directory and a file of
/// the user's that nobody else can write, and written atomically, private to the user.
/// Never inside a scanned tree: a repository could otherwise ship one.
enum UserCache {
  /// `<cache>/vigil/<name>`; `nil` when neither variable gives an absolute path.
  static func directory(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/vigil/" + name }
    if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/vigil/" + name }
    return nil
  }

  /// `<cache>/vigil/<name>` where a scan may use it, or `nil` and why not: a cache
  /// directory inside a scanned tree is not used (a CI job that sets `XDG_CACHE_HOME` or
  /// `HOME` to its checkout would otherwise read a cache the repository ships).
  static func directoryOutsideScannedTrees(
    _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> (String?, Diagnostic?) {
    guard let directory = directory(name, environment: environment) else { return (nil, nil) }
    guard UntrustedTrees.hold(directory) else { return (directory, nil) }
    let top = (directory as NSString).deletingLastPathComponent
    return (
      nil,
      Diagnostic(
        .warning,
        "vigil's cache is not used: \(top) lies inside the scanned tree, where a repository could ship one (set XDG_CACHE_HOME outside it)"
      )
    )
  }

  /// Why `path` is not to be trusted: not the user's, writable by others, a link, or
  /// `"missing"`; `nil` when it is fine.
  static func untrusted(_ path: String, isDirectory: Bool) -> String? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return "missing" }
    let type = info.st_mode & S_IFMT
    if type != (isDirectory ? S_IFDIR : S_IFREG) {
      return "\(path) is not a plain \(isDirectory ? "directory" : "file")"
    }
    if info.st_uid != geteuid() { return "\(path) belongs to another user" }
    if info.st_mode & 0o022 != 0 { return "\(path) can be written by others" }
    return nil
  }

  /// Writes `data` to `path` atomically (a private temporary file renamed over it), the
  /// directory made private if new; false if that could not be done.
  @discardableResult
  static func write(_ data: Data, to path: String) -> Bool {
    let directory = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    guard untrusted(directory, isDirectory: true) == nil else { return false }
    let temporary = path + ".\(getpid()).tmp"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
    else { return false }
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }

  /// Removes the least recently used files of `directory` whose names `belongs` picks,
  /// past the `kept` most recent (never `current`).
  static func prune(
    _ directory: String, keeping kept: Int, except current: String, _ belongs: (String) -> Bool
  ) {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap {
      name -> (path: String, used: (Int, Int))? in
      guard belongs(name) else { return nil }
      var info = stat()
      guard lstat(directory + "/" + name, &info) == 0 else { return nil }
      return (directory + "/" + name, (info.st_mtim.tv_sec, info.st_mtim.tv_nsec))
    }
    for stale in files.sorted(by: { $0.used > $1.used }).dropFirst(kept) where stale.path != current {
      unlink(stale.path)
    }
  }
}

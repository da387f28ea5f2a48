import Foundation
import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The repository's configuration files and every file they include, checked before
/// vigil runs git there.
///
/// git opens each of them with a blocking read, so one that is a FIFO or a device
/// (`include.path = trap` beside a `mkfifo trap` in a repository somebody else
/// prepared) would stop every git command for good. A repository whose configuration
/// names such a file is refused with a message naming it. Included files are listed by
/// git itself (`config --file … --no-includes`, which opens only the file named), so
/// vigil reads them exactly as git would; `includeIf` paths are checked whatever their
/// condition.
enum ConfigIncludes {
  /// git's own limit on nested includes.
  static let maxDepth = 10

  private static let checked = Locked<[String: String?]>([:])

  /// Why git must not run on the repository at `location`, or `nil`. Computed once per
  /// git directory.
  static func problem(in location: RepositoryLocation) -> String? {
    if let known = checked.withLock({ $0[location.gitDirectory] }) { return known }
    var files = [location.gitDirectory + "/config", location.gitDirectory + "/config.worktree"]
    var directories = [location.gitDirectory]
    var common = stat()
    if stat(location.gitDirectory + "/commondir", &common) == 0, common.st_mode & S_IFMT == S_IFREG,
      let named = try? String(contentsOfFile: location.gitDirectory + "/commondir", encoding: .utf8)
    {
      let path = named.trimmingCharacters(in: .whitespacesAndNewlines)
      let commonDirectory = path.hasPrefix("/") ? path : location.gitDirectory + "/" + path
      files.append(commonDirectory + "/config")
      directories.append(commonDirectory)
    }
    var seen: Set<String> = []
    var found: String?
    let untrusted = [location.workTree, location.gitDirectory]
    for file in files where found == nil {
      found = problem(file: file, depth: 0, seen: &seen, untrusted: untrusted)
    }
    // Files of the repository itself that git reads whole with a blocking open: a FIFO
    // there (a `.git` somebody else prepared) stops git as an included one does.
    for directory in directories where found == nil {
      for name in ["shallow", "info/grafts", "objects/info/alternates", "packed-refs", "HEAD", "index"] {
        var info = stat()
        let file = directory + "/" + name
        if stat(file, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
          found =
            "the repository's \(file) is not a regular file (git would wait on it for ever); vigil runs no git command on this repository"
          break
        }
      }
    }
    checked.withLock { $0[location.gitDirectory] = .some(found) }
    return found
  }

  private static func problem(file: String, depth: Int, seen: inout Set<String>, untrusted: [String])
    -> String?
  {
    guard depth <= maxDepth, seen.insert(file).inserted else { return nil }
    var info = stat()
    guard stat(file, &info) == 0 else { return nil }  // git skips a missing include
    guard info.st_mode & S_IFMT == S_IFREG else {
      return
        "the repository's git configuration reads \(file), which is not a regular file (git would wait on it for ever); vigil runs no git command on this repository"
    }
    let directory = (file as NSString).deletingLastPathComponent
    for path in includes(of: file, untrusted: untrusted) {
      var resolved = path
      if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
        resolved = home + path.dropFirst(1)
      } else if !path.hasPrefix("/") {
        resolved = directory + "/" + path
      }
      if let found = problem(file: resolved, depth: depth + 1, seen: &seen, untrusted: untrusted) {
        return found
      }
    }
    return nil
  }

  /// The `include.path` and `includeIf.*.path` values of one config file (git taken
  /// from outside the repository's trees, `untrusted`).
  private static func includes(of file: String, untrusted: [String]) -> [String] {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_DIR"] = "/dev/null/no-repository"  // no repository is read, only `file`
    environment.removeValue(forKey: "GIT_WORK_TREE")
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["LC_ALL"] = "C"
    var listed: [UInt8] = []
    guard
      let outcome = try? Subprocess.run(
        ["git", "-C", "/", "config", "--file", file, "--no-includes", "--null", "--list"],
        environment: environment, untrusted: untrusted, timeout: 30, output: { listed += $0 }),
      outcome.status == 0
    else { return [] }
    return listed.split(separator: 0).compactMap { entry in
      guard let newline = entry.firstIndex(of: 0x0A) else { return nil }
      let key = String(decoding: entry[..<newline], as: UTF8.self)
      guard key == "include.path" || (key.hasPrefix("includeif.") && key.hasSuffix(".path")) else {
        return nil
      }
      return String(decoding: entry[(newline + 1)...], as: UTF8.self)
    }
  }
}

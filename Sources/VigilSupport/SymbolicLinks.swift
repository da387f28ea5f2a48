import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Symbolic links on a path, as the kernel would follow them.
public enum SymbolicLinks {
  /// What a path inside a tree is, for `resolved` to walk it.
  public enum Entry {
    case file
    case directory
    /// A symbolic link, and the text it holds.
    case link([UInt8])
    /// Nothing there, or nothing to read (a FIFO, a submodule).
    case missing
  }

  /// The regular file inside a tree that the link at `path` (relative to the tree's top)
  /// names, as the kernel would find it, never leaving the tree: links on the way are
  /// followed (at most `maximumHops`), `..` above the top comes back in only by the
  /// top's own names (`../repo/docs/notes.txt` from `repo`, the directory a CI job
  /// checks out), and the text stops at a NUL (the link a checkout makes of a blob
  /// stops there). An absolute name that does not lead in so is taken as the tree's
  /// where it is deployed (`/app/config/prod.txt`, a Dockerfile having copied the tree
  /// to `/app`): the longest end of it that names a file from the top
  /// (`config/prod.txt`). `root` is the top's real path; `entry` says what a path
  /// beneath it is. The file's path beneath the top, or nil.
  public static func resolved(
    _ text: [UInt8], at path: [UInt8], root: [UInt8], entry: ([UInt8]) -> Entry
  ) -> [UInt8]? {
    if let found = walked(text, at: path, root: root, entry: entry) { return found }
    let slash = UInt8(ascii: "/")
    let target = text.prefix { $0 != 0 }
    guard target.first == slash else { return nil }
    let parts = target.split(separator: slash)
    for dropped in 1..<min(parts.count, maximumHops) {
      let rest = Array(parts[dropped...].joined(separator: [slash]))
      if let found = walked(rest, at: [], root: root, entry: entry) { return found }
    }
    return nil
  }

  private static func walked(
    _ text: [UInt8], at path: [UInt8], root: [UInt8], entry: ([UInt8]) -> Entry
  ) -> [UInt8]? {
    let slash = UInt8(ascii: "/")
    func parts(_ bytes: some Collection<UInt8>) -> [[UInt8]] { bytes.split(separator: slash).map(Array.init) }
    let top = parts(root)
    var current = top + parts(path).dropLast()
    // Parts still to walk, the next one last.
    var pending: [[UInt8]] = []
    func push(_ text: [UInt8]) {
      let target = text.prefix { $0 != 0 }
      if target.first == slash { current = [] }
      pending += parts(target).reversed()
    }
    let first = text.prefix { $0 != 0 }
    guard !first.isEmpty else { return nil }
    push(Array(first))
    var hops = 0
    var lookups = 0
    while let part = pending.popLast() {
      if part.elementsEqual(".".utf8) { continue }
      if part.elementsEqual("..".utf8) {
        _ = current.popLast()
        continue
      }
      // Above the top: only the way back down to it leads inside.
      if current.count < top.count {
        guard top[current.count] == part, current == Array(top.prefix(current.count)) else { return nil }
        current.append(part)
        continue
      }
      let candidate = current + [part]
      let beneath = Array(candidate.dropFirst(top.count).joined(separator: [slash]))
      // Each look may be a git call: a path of a thousand parts is not walked.
      lookups += 1
      guard lookups <= maximumLookups else { return nil }
      switch entry(beneath) {
      case .missing: return nil
      case .directory: current = candidate
      case .file: return pending.isEmpty ? beneath : nil
      case .link(let target):
        hops += 1
        guard hops <= maximumHops, !target.isEmpty, target.first != 0 else { return nil }
        push(target)
      }
    }
    return nil
  }

  /// Links followed one after another at most (the kernel's limit is 40), and parts
  /// looked at in all.
  public static let maximumHops = 16
  public static let maximumLookups = 64

  /// The first symbolic link inside one of `trees` on the way to `path` (relative to
  /// `directory` unless absolute), the path itself included: its path, or `nil`. A link
  /// inside a tree someone else wrote (a pull request) points wherever its author chose.
  public static func firstInside(_ trees: [String], onTheWayTo path: String, from directory: String)
    -> String?
  {
    let tops = trees.map { realPath($0) ?? $0 }
    return firstLink(onTheWayTo: path, from: directory) { isWithin($0, anyOf: tops) }
  }

  /// The first symbolic link on the way to `path` (relative to `directory` unless
  /// absolute), the path itself included, that stands in a directory `counts` says is
  /// part of a tree to distrust: its path, or `nil`. The path is followed component by
  /// component as the kernel would (`sub/../x` goes through `sub`); the links that do
  /// not count are resolved on the way.
  public static func firstLink(
    onTheWayTo path: String, from directory: String, counting counts: (String) -> Bool
  ) -> String? {
    var current = path.hasPrefix("/") ? "/" : (realPath(directory) ?? "/")
    var hops = 0
    for component in path.split(separator: "/") where component != "." {
      if component == ".." {
        current = (current as NSString).deletingLastPathComponent
        if current.isEmpty { current = "/" }
        continue
      }
      let next = current == "/" ? "/" + component : current + "/" + component
      var info = stat()
      guard lstat(next, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else {
        current = next
        continue
      }
      if counts(current) { return next }
      hops += 1
      guard hops < 40, let resolved = realPath(next) else { return nil }
      current = resolved
    }
    return nil
  }

  /// Whether `directory` is one of `tops` (resolved paths) or beneath one.
  public static func isWithin(_ directory: String, anyOf tops: [String]) -> Bool {
    let withSlash = directory.hasSuffix("/") ? directory : directory + "/"
    return tops.contains { withSlash.hasPrefix($0 == "/" ? $0 : $0 + "/") }
  }

  /// `path` with every link resolved (realpath(3)); `nil` if it does not resolve.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Where the link at `path` points, as written; `?` if it cannot be read.
  public static func destination(_ path: String) -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
  }
}

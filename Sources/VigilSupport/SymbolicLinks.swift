import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Symbolic links on a path, as the kernel would follow them.
public enum SymbolicLinks {
  /// The path beneath the root that a relative link at `path` names, its `.` and `..`
  /// worked out by name; nil for an absolute link or one that leads above the root.
  public static func resolved(_ text: [UInt8], from path: [UInt8]) -> [UInt8]? {
    // A link's text as git keeps it may run on past a NUL; the link a checkout makes stops there.
    let target = text.prefix { $0 != 0 }
    guard !target.isEmpty, target.first != UInt8(ascii: "/") else { return nil }
    var components = path.split(separator: UInt8(ascii: "/")).dropLast().map(Array.init)
    for component in target.split(separator: UInt8(ascii: "/")) {
      if component.elementsEqual(".".utf8) { continue }
      if component.elementsEqual("..".utf8) {
        guard components.popLast() != nil else { return nil }
        continue
      }
      components.append(Array(component))
    }
    guard !components.isEmpty else { return nil }
    return Array(components.joined(separator: [UInt8(ascii: "/")]))
  }

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

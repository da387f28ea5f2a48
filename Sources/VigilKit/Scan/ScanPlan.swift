import Foundation
import VigilFiles
import VigilGit
import VigilSupport
import VigilWalk

/// Where a scan starts: the root that report paths are relative to, and the first
/// work items (the directories and files named on the command line).
///
/// One directory argument is the root itself; otherwise the root is the working
/// directory and each argument keeps the path the user wrote, normalised. A file named
/// explicitly is scanned even if an ignore file lists it.
struct ScanPlan {
  var root: String
  var items: [WalkItem] = []
  var warnings: [Diagnostic] = []
  /// Directory arguments that could not be opened.
  var unreadable = 0
  /// Arguments refused because they go through a symbolic link in the working tree.
  var links = 0

  init(options: ScanOptions) throws(ScanError) {
    let manager = FileManager.default
    let current = PathText.absolute(
      options.workingDirectory ?? manager.currentDirectoryPath, from: manager.currentDirectoryPath)
    var arguments = (options.paths.isEmpty ? ["."] : options.paths).map {
      (given: $0, absolute: PathText.absolute($0, from: current))
    }
    var kinds: [Bool] = []
    for argument in arguments {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: argument.absolute, isDirectory: &isDirectory) else {
        throw .missingPath(argument.given)
      }
      kinds.append(isDirectory.boolValue)
    }
    // A path named on the command line that goes through a link in the working
    // directory's tree, or in any git work tree, is not followed, as the walk follows
    // none: whoever wrote the tree (a pull request replacing `src` by a link to the
    // runner's home) chose where it points. Links elsewhere are the user's own.
    let tops = ([current] + (Scanner.repositoryTop(containing: current).map { [$0] } ?? [])).map {
      SymbolicLinks.realPath($0) ?? $0
    }
    for index in arguments.indices.reversed() {
      let given = arguments[index].given
      guard
        let link = SymbolicLinks.firstLink(
          onTheWayTo: given, from: current,
          counting: {
            SymbolicLinks.isWithin($0, anyOf: tops) || Scanner.repositoryTop(containing: $0) != nil
          })
      else { continue }
      let shown = Self.relative(link, to: SymbolicLinks.realPath(current) ?? current)
      warnings.append(
        Diagnostic(
          .warning,
          "\(shown) is a symbolic link (to \(SymbolicLinks.destination(link))) inside the scanned tree; "
            + "\(given) was not followed there",
          file: given))
      links += 1
      arguments.remove(at: index)
      kinds.remove(at: index)
    }
    root = arguments.count == 1 && kinds[0] ? arguments[0].absolute : current
    for (argument, isDirectory) in zip(arguments, kinds) {
      let display = Self.relative(argument.absolute, to: root)
      if isDirectory {
        addDirectory(argument.absolute, display: display == "." ? "" : display + "/", options: options)
      } else {
        items.append(.files([ScanTarget(path: display, fileSystemPath: argument.absolute)]))
      }
    }
  }

  private mutating func addDirectory(_ directory: String, display: String, options: ScanOptions) {
    let shown = display.isEmpty ? "." : String(display.dropLast())
    guard let root = RootDirectory(path: Array(directory.utf8)) else {
      warnings.append(
        Diagnostic(
          .warning, "cannot read directory (\(String(cString: strerror(errno)))); it was not scanned",
          file: shown))
      unreadable += 1
      return
    }
    let excludes = Scanner.excludeFile(options.exclude)
    guard options.useIgnoreFiles else {
      items.append(
        .directory(
          DirectoryTask(
            root: root, fileSystemPath: [], displayPrefix: display, ignorePath: [], rules: nil,
            excludes: excludes)
        ))
      return
    }
    let environment = IgnoreEnvironment(directory: directory)
    warnings += environment.warnings
    items.append(
      .directory(
        DirectoryTask(
          root: root, fileSystemPath: [], displayPrefix: display, ignorePath: environment.prefix,
          rules: environment.rules, excludes: excludes)))
    // A file git tracks is committed even if an ignore file lists it: scan it too,
    // opened beneath the directory like every walked file (a directory on its path
    // swapped for a link to somewhere else is not followed).
    guard let top = environment.repositoryRoot else { return }
    let (targets, warning) = Self.trackedButIgnored(
      directory: directory, top: top, beneath: [], display: display, root: root)
    if !targets.isEmpty { items.append(.files(targets)) }
    if let warning { warnings.append(warning) }
  }

  /// The files git tracks in `directory` (`beneath` the walk's `root`, in a work tree
  /// whose top is `top`) that its ignore files list: committed, so scanned, though the
  /// walk leaves them out. For the directory a scan starts from, and for each nested
  /// repository the walk meets (a submodule's files are its own repository's to track).
  static func trackedButIgnored(
    directory: String, top: String, beneath relative: [UInt8], display: String, root: RootDirectory
  ) -> (targets: [ScanTarget], warning: Diagnostic?) {
    let shown = display.isEmpty ? "." : String(display.dropLast())
    do {
      let git = GitCommand(repository: directory)
      // git reads the .gitignore of every directory on a tracked file's path with a
      // blocking open: a FIFO there (which the walk skips) would hold it until the time
      // limit. Such a tree gets a warning at once instead.
      let tracked = try git.run(["ls-files", "-z", "--cached"], timeout: GitCommand.listingTimeout)
      if let special = Self.specialIgnoreFile(
        tracked: tracked, root: root, beneath: relative, directory: directory, top: top)
      {
        return (
          [],
          Diagnostic(
            .warning,
            "\(special) is not a regular file, so git cannot be asked which tracked files ignore rules list; they were not scanned",
            file: shown)
        )
      }
      let listed = try git.run(
        ["ls-files", "-z", "--cached", "--ignored"] + git.excludeOptions(), timeout: GitCommand.listingTimeout
      )
      var targets: [ScanTarget] = []
      for path in listed.split(separator: 0) where !path.isEmpty {
        let inRoot = relative + Array(path)
        if DirectoryReader.type(of: inRoot, in: root.descriptor) == UInt8(DT_REG) {
          targets.append(ScanTarget(path: display + PathText.display(path), relativePath: inRoot, root: root))
        }
      }
      return (targets, nil)
    } catch {
      return (
        [],
        Diagnostic(
          .warning,
          "could not ask git for tracked files that ignore rules list (\(error)); they were not scanned",
          file: shown)
      )
    }
  }

  /// The first `.gitignore` git would open on the way to a tracked file that is not a
  /// regular file, a directory or a link (which git does not follow), if any: in the
  /// directories from the work tree's top down to `directory`, then in each directory
  /// beneath it that holds tracked files.
  static func specialIgnoreFile(
    tracked: [UInt8], root: RootDirectory, beneath relative: [UInt8] = [], directory: String, top: String
  ) -> String? {
    func special(_ mode: mode_t) -> Bool {
      let type = mode & S_IFMT
      return type != S_IFREG && type != S_IFDIR && type != S_IFLNK
    }
    var above = directory
    while above.count >= top.count {
      var info = stat()
      if lstat(above + "/.gitignore", &info) == 0 && special(info.st_mode) { return above + "/.gitignore" }
      guard above != top, let slash = above.lastIndex(of: "/") else { break }
      above = String(above[..<slash])
    }
    let prefix = relative
    var directories: Set<ArraySlice<UInt8>> = []
    for path in tracked.split(separator: 0) {
      var end = path.lastIndex(of: UInt8(ascii: "/"))
      while let slash = end, directories.insert(path[path.startIndex..<slash]).inserted {
        end = path[path.startIndex..<slash].lastIndex(of: UInt8(ascii: "/"))
      }
    }
    for relative in directories {
      let name = Array(relative) + Array("/.gitignore".utf8)
      var info = stat()
      let found =
        PathText.withCString(prefix + name) { fstatat(root.descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) } == 0
      if found && special(info.st_mode) { return directory + "/" + PathText.display(name) }
    }
    return nil
  }

  /// `path` relative to `root` with `/`, or `path` itself when it is outside `root`.
  static func relative(_ path: String, to root: String) -> String {
    if path == root { return "." }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}

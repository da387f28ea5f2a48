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
    // Every path named was such a link: a scan of nothing would pass (`vigil scan src`
    // in CI, `src` made a link by the change it checks). An error, as a missing path is.
    if arguments.isEmpty, links > 0, let first = warnings.last?.file {
      throw .unreadablePath(
        first,
        reason:
          "it goes through a symbolic link inside the scanned tree, which is not followed; name the directory it points to"
      )
    }
    // A path the user named and vigil may not read (a directory it may not list or
    // enter, a FIFO) would be a scan of nothing that passes: an error, as a missing one
    // is. Asked only of what is left once links are refused: a link's target, chosen by
    // whoever wrote the tree, does not decide the exit status. What cannot be read below
    // a named directory is a warning, and `--strict` fails on it.
    for (argument, isDirectory) in zip(arguments, kinds) {
      var info = stat()
      if stat(argument.absolute, &info) == 0, !isDirectory, info.st_mode & S_IFMT != S_IFREG {
        throw .unreadablePath(argument.given, reason: "not a regular file or a directory")
      }
      if access(argument.absolute, R_OK | (isDirectory ? X_OK : 0)) != 0 {
        throw .unreadablePath(argument.given, reason: String(cString: strerror(errno)))
      }
    }
    root = arguments.count == 1 && kinds[0] ? arguments[0].absolute : current
    for (argument, isDirectory) in zip(arguments, kinds) {
      // Shown as the walk shows the same file (a name holding `\x41` is shown `\\x41`).
      let display = PathText.display(Array(Self.relative(argument.absolute, to: root).utf8))
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
    // Outside a repository git reads no ignore file, and nothing tells a file kept out of
    // the repository from one shipped (an unpacked archive's `.env`, or all of a tree
    // whose `.gitignore` says `*`): all is scanned, a repository met below included (the
    // tree may ship its `.git`). So too where git cannot list what the repository tracks
    // (a `.git` that is none, an empty directory or a `gitdir:` file the tree holds, or
    // git missing).
    var rules = IgnoreRules.outsideRepository
    var tracked: (targets: [ScanTarget], links: [ScanTarget], repositories: [ScanTarget])?
    if environment.repositoryRoot != nil {
      // A file git tracks is committed even if an ignore file lists it: scan it too,
      // opened beneath the directory like every walked file (a directory on its path
      // swapped for a link to somewhere else is not followed).
      let found = Self.trackedButIgnored(
        directory: directory, rules: environment.rules, ignoreBase: environment.prefix, beneath: [],
        display: display, root: root)
      if let warning = found.warning {
        warnings.append(
          Diagnostic(
            .warning, warning.message + "; no ignore file was read: all of the tree was scanned",
            file: warning.file))
      } else {
        rules = environment.rules
        tracked = (found.targets, found.links, found.repositories)
      }
    }
    items.append(
      .directory(
        DirectoryTask(
          root: root, fileSystemPath: [], displayPrefix: display, ignorePath: environment.prefix,
          rules: rules,
          excludes: excludes)))
    guard let tracked else { return }
    if !tracked.targets.isEmpty { items.append(.files(tracked.targets)) }
    if !tracked.links.isEmpty { items.append(.links(tracked.links)) }
    items += tracked.repositories.map { .directory(Self.walk(into: $0, root: root, excludes: excludes)) }
  }

  /// The files (and links) git tracks in `directory` (`beneath` the walk's `root`) that
  /// its ignore files list: committed, so scanned, though the walk leaves them out. For the
  /// directory a scan starts from, and for each nested repository the walk meets (a
  /// submodule's files are its own repository's to track). git lists what it tracks
  /// (`ls-files --cached`, which reads no ignore file); which of those the ignore files
  /// list is vigil's to judge, as the walk does (`rules`: those in force in `directory`
  /// before its own `.gitignore`, whose paths start at `ignoreBase`): asking git
  /// (`--ignored`) once let a pattern that takes git minutes, or a FIFO git opens with a
  /// blocking read, keep a committed `.env` from being read.
  static func trackedButIgnored(
    directory: String, rules: IgnoreRules, ignoreBase: [UInt8], beneath relative: [UInt8], display: String,
    root: RootDirectory
  ) -> (targets: [ScanTarget], links: [ScanTarget], repositories: [ScanTarget], warning: Diagnostic?) {
    let tracked: [UInt8]
    do {
      tracked = try GitCommand(repository: directory).run(
        ["ls-files", "-z", "--cached"], timeout: GitCommand.listingTimeout)
    } catch {
      return (
        [], [], [],
        Diagnostic(
          .warning,
          "could not ask git for the files it tracks (\(error))",
          file: display.isEmpty ? "." : String(display.dropLast()))
      )
    }
    func ignorePath(_ path: ArraySlice<UInt8>) -> [UInt8] {
      ignoreBase.isEmpty ? Array(path) : ignoreBase + [UInt8(ascii: "/")] + path
    }
    // The rules in force in each directory met, its own `.gitignore` added (a regular
    // file beneath the root; a link or a FIFO is not read, as in the walk).
    var rulesIn: [ArraySlice<UInt8>: IgnoreRules] = [:]
    func rulesInside(_ directory: ArraySlice<UInt8>, above: IgnoreRules) -> IgnoreRules {
      if let known = rulesIn[directory] { return known }
      var buffer: [UInt8] = []
      let file =
        relative + (directory.isEmpty ? [] : directory + [UInt8(ascii: "/")]) + Array(".gitignore".utf8)
      var found = above
      if case .text(let count) = FileReader(maxFileSize: 16 << 20).read(
        ScanTarget(path: "", relativePath: file, root: root), into: &buffer)
      {
        found = above.adding(IgnoreFile(base: ignorePath(directory), contents: Array(buffer[0..<count])))
      }
      rulesIn[directory] = found
      return found
    }
    var targets: [ScanTarget] = []
    var links: [ScanTarget] = []
    var repositories: [ScanTarget] = []
    for path in tracked.split(separator: 0) where !path.isEmpty {
      // Ignored if a directory on its path is (nothing beneath one comes back), else by
      // the rules of the directory it is in.
      var current = rulesInside(path.prefix(0), above: rules)
      var ignored = false
      var start = path.startIndex
      while let slash = path[start...].firstIndex(of: UInt8(ascii: "/")) {
        let directory = path[path.startIndex..<slash]
        if current.isIgnored(path: ignorePath(directory), isDirectory: true) {
          ignored = true
          break
        }
        current = rulesInside(directory, above: current)
        start = slash + 1
      }
      guard ignored || current.isIgnored(path: ignorePath(path), isDirectory: false) else { continue }
      let inRoot = relative + Array(path)
      let target = ScanTarget(path: display + PathText.display(path), relativePath: inRoot, root: root)
      switch DirectoryReader.type(of: inRoot, in: root.descriptor) {
      case UInt8(DT_REG): targets.append(target)
      // A committed link (a `.env` naming a file of the tree) is read as a link is.
      case UInt8(DT_LNK): links.append(target)
      // A submodule (git lists its top): walked as a repository of its own.
      case UInt8(DT_DIR): repositories.append(target)
      default: break
      }
    }
    return (targets, links, repositories, nil)
  }

  /// A walk of the repository (a submodule) at `target`: the walk reads its own ignore
  /// files there, as at any repository's top it meets.
  static func walk(into target: ScanTarget, root: RootDirectory, excludes: IgnoreFile?) -> DirectoryTask {
    DirectoryTask(
      root: root, fileSystemPath: target.fileSystemPath, displayPrefix: target.path + "/", ignorePath: [],
      rules: IgnoreRules(fallbacks: []), excludes: excludes)
  }

  /// `path` relative to `root` with `/`, or `path` itself when it is outside `root`.
  static func relative(_ path: String, to root: String) -> String {
    if path == root { return "." }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}

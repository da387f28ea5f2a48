import Foundation
import VigilFiles
import VigilSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the repository around a directory keeps its work tree and its git directory,
/// found as git discovers them (the nearest `.git` above) but without reading the
/// repository's configuration: `core.worktree` in a scanned repository's `.git/config`
/// would otherwise move the top directory, and the `.vigil.toml` read there, anywhere.
public struct RepositoryLocation: Sendable, Equatable {
  /// The top directory: the one holding `.git`.
  public let workTree: String
  /// The git directory: `.git` itself, or where a `.git` file or link points.
  public let gitDirectory: String
  /// `.git` is a file (`gitdir: …`, worktrees and submodules) or a symbolic link, so
  /// the history read is kept somewhere other than this tree.
  public let isIndirect: Bool
  /// A bare repository (a `git clone --mirror`): the directory is the git directory,
  /// with no work tree; only its history can be read.
  public var isBare = false

  /// The repository whose work tree holds `directory`, or `nil` outside any: the
  /// nearest `.git` above it; failing that, the repository `GIT_DIR` names (the caller's
  /// own: `git --git-dir=~/.cfg --work-tree=~`, which git's hooks run with) when its work
  /// tree (`GIT_WORK_TREE`, or the current directory) holds `directory`.
  ///
  /// The last two only for reading git's history and index (`forGitInputs`): a tree
  /// scan of a directory shaped like a bare repository (`HEAD`, `objects/`, `refs/`: an
  /// unpacked archive can be), or under a work tree an exported `GIT_DIR` names, is no
  /// repository's and reads no ignore file.
  public static func containing(
    _ directory: String, workingDirectory: String = FileManager.default.currentDirectoryPath,
    environment: [String: String] = ProcessInfo.processInfo.environment, forGitInputs: Bool = false
  ) -> RepositoryLocation? {
    if let found = discovered(directory, workingDirectory: workingDirectory) { return found }
    guard forGitInputs else { return nil }
    guard let gitDirectory = environment["GIT_DIR"], !gitDirectory.isEmpty else {
      return bare(directory, workingDirectory: workingDirectory)
    }
    let workTree = PathText.absolute(environment["GIT_WORK_TREE"] ?? workingDirectory, from: workingDirectory)
    let absolute = PathText.absolute(directory, from: workingDirectory)
    guard absolute == workTree || absolute.hasPrefix(workTree == "/" ? "/" : workTree + "/") else {
      return nil
    }
    var info = stat()
    let named = PathText.absolute(gitDirectory, from: workingDirectory)
    guard stat(named, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
    return RepositoryLocation(workTree: workTree, gitDirectory: named, isIndirect: false)
  }

  /// The bare repository `directory` is (its `HEAD`, `objects` and `refs`), as git
  /// discovers one it is run in.
  private static func bare(_ directory: String, workingDirectory: String) -> RepositoryLocation? {
    let absolute = PathText.absolute(directory, from: workingDirectory)
    func isKind(_ name: String, _ kind: mode_t) -> Bool {
      var info = stat()
      return lstat(absolute + "/" + name, &info) == 0 && info.st_mode & S_IFMT == kind
    }
    guard isKind("HEAD", S_IFREG), isKind("objects", S_IFDIR), isKind("refs", S_IFDIR) else { return nil }
    var location = RepositoryLocation(workTree: absolute, gitDirectory: absolute, isIndirect: false)
    location.isBare = true
    return location
  }

  /// The repository's own git directory for `gitDirectory`: where its `commondir` file
  /// says (a linked worktree's `.git/worktrees/NAME` names `../..`), else itself.
  public static func commonDirectory(of gitDirectory: String) -> String {
    var buffer: [UInt8] = []
    guard
      case .text(let count) = FileReader(maxFileSize: 4096).read(gitDirectory + "/commondir", into: &buffer)
    else { return gitDirectory }
    let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    return text.isEmpty ? gitDirectory : PathText.absolute(text, from: gitDirectory)
  }

  /// The nearest `.git` above `directory`, as git discovers it.
  private static func discovered(_ directory: String, workingDirectory: String) -> RepositoryLocation? {
    // Walk up from an absolute, normalised path: "." or "a/.." have no parent to go to.
    var current = PathText.absolute(directory, from: workingDirectory)
    while true {
      let dotGit = current == "/" ? "/.git" : current + "/.git"
      var link = stat()
      if lstat(dotGit, &link) == 0 {
        let isLink = link.st_mode & S_IFMT == S_IFLNK
        var target = stat()
        if stat(dotGit, &target) == 0 {
          switch target.st_mode & S_IFMT {
          case S_IFDIR:
            return RepositoryLocation(workTree: current, gitDirectory: dotGit, isIndirect: isLink)
          case S_IFREG:
            if let named = gitFileTarget(dotGit) {
              let path = named.hasPrefix("/") ? named : current + "/" + named
              return RepositoryLocation(
                workTree: current, gitDirectory: PathText.absolute(path, from: "/"), isIndirect: true)
            }
          default:
            break  // a FIFO or device named .git is never opened
          }
        }
      }
      guard current != "/", let slash = current.lastIndex(of: "/") else { return nil }
      current = slash == current.startIndex ? "/" : String(current[..<slash])
    }
  }

  /// The path a `.git` file names (`gitdir: <path>`), read as any small file is: no
  /// link followed, no blocking on a FIFO, at most 4 KiB.
  private static func gitFileTarget(_ path: String) -> String? {
    var buffer: [UInt8] = []
    guard case .text(let count) = FileReader(maxFileSize: 4096).read(path, into: &buffer) else { return nil }
    let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    guard text.hasPrefix("gitdir:") else { return nil }
    let target = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
    return target.isEmpty ? nil : target
  }
}

import CLinux
import Foundation
import Testing
import VigilTestSupport

@testable import VigilFiles

/// Opening beneath a root: the one-call way (openat2) and the stepwise fallback agree,
/// and neither follows a link in any component or leaves the root.
@Suite struct RootDirectoryTests {
  typealias Opener = @Sendable (Int32, UnsafePointer<CChar>, Int32) -> Int32
  static let openers: [(String, Opener)] = [
    ("openat2", { vigil_open_beneath($0, $1, $2) }),
    ("stepwise", { vigil_open_beneath_stepwise($0, $1, $2) }),
  ]

  @Test(arguments: [0, 1])
  func linksAndEscapesAreRefused(opener: Int) throws {
    let (name, open) = Self.openers[opener]
    let tree = try TemporaryTree()
    try tree.write("root/dir/file.txt", "inside\n")
    try tree.write("outside/file.txt", "outside\n")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/root/link", withDestinationPath: "../outside")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/root/dir/last.txt", withDestinationPath: "file.txt")
    let root = try #require(RootDirectory(path: Array((tree.path + "/root").utf8)))

    func attempt(_ path: String) -> (fd: Int32, error: Int32) {
      let fd = open(root.descriptor, path, O_RDONLY)
      let error = errno
      if fd >= 0 { close(fd) }
      return (fd, fd >= 0 ? 0 : error)
    }
    #expect(attempt("dir/file.txt").fd >= 0, "\(name)")
    #expect(attempt("dir//file.txt").fd >= 0, "\(name)")
    #expect(attempt("link/file.txt").error == ELOOP, "\(name): a link in the middle")
    #expect(attempt("dir/last.txt").error == ELOOP, "\(name): a link at the end")
    #expect(attempt("../outside/file.txt").error == EXDEV, "\(name): ..")
    #expect(attempt("dir/../../outside/file.txt").error == EXDEV, "\(name): .. further down")
    #expect(attempt(tree.path + "/outside/file.txt").error == EXDEV, "\(name): an absolute path")
    // The control: the same path opened plainly reaches outside.
    #expect(FileManager.default.contents(atPath: tree.path + "/root/link/file.txt") == Data("outside\n".utf8))
  }

  /// A path longer than PATH_MAX cannot be opened in one call; the walk still reads it.
  @Test func aPathLongerThanPathMaxIsOpened() throws {
    let tree = try TemporaryTree()
    let relative = try #require(tree.writeDeep("deep.txt", "x\n"))
    #expect(relative.utf8.count > Int(PATH_MAX))
    let root = try #require(RootDirectory(path: Array(tree.path.utf8)))
    let opened = root.open(Array(relative.utf8), flags: O_RDONLY)
    #expect(opened >= 0, "\(String(cString: strerror(errno)))")
    if opened >= 0 { close(opened) }
  }
}

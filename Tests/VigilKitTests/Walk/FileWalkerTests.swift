import Foundation
import Testing
import VigilKit
import VigilTestSupport

@Suite struct FileWalkerTests {
  @Test func listsFilesInByteOrderWithRelativePaths() throws {
    let tree = try TemporaryTree()
    for path in ["b.txt", "a/z.txt", "a/B.txt", ".hidden/.env", "a/deep/er/x.txt", ".git/HEAD"] {
      try tree.write(path, "x")
    }
    let listing = FileWalker().list(directory: tree.path, prefix: "")
    #expect(
      listing.targets.map(\.path) == [".hidden/.env", "a/B.txt", "a/deep/er/x.txt", "a/z.txt", "b.txt"])
    #expect(listing.targets.first?.fileSystemPath == tree.path + "/.hidden/.env")
  }

  @Test func prefixIsPrepended() throws {
    let tree = try TemporaryTree()
    try tree.write("f.txt", "x")
    #expect(FileWalker().list(directory: tree.path, prefix: "sub/").targets.map(\.path) == ["sub/f.txt"])
  }
}

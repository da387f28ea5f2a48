import Testing

@testable import VigilGit

/// What vigil takes for a Git LFS pointer: what git-lfs itself reads as one.
@Suite struct LFSObjectsTests {
  private let oid = String(repeating: "0123456789abcdef", count: 4)

  @Test func pointersGitLFSReadsAreRecognised() {
    for version in [
      "https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1", "http://git-media.io/v/2",
    ] {
      let pointer = "version \(version)\noid sha256:\(oid)\nsize 12\n"
      #expect(LFSObjects.pointer(Array(pointer.utf8)) == oid)
      // Blank space first (git-lfs trims it), CRLF, extension lines.
      #expect(LFSObjects.pointer(Array(("\n  " + pointer).utf8)) == oid)
      #expect(LFSObjects.pointer(Array(pointer.replacingOccurrences(of: "\n", with: "\r\n").utf8)) == oid)
      let extended = "version \(version)\next-0-foo sha256:\(oid)\noid sha256:\(oid)\nsize 12\n"
      #expect(LFSObjects.pointer(Array(extended.utf8)) == oid)
    }
  }

  @Test func otherTextIsNoPointer() {
    let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize 12\n"
    #expect(LFSObjects.pointer(Array(pointer.uppercased().utf8)) == nil)
    #expect(LFSObjects.pointer(Array(("# notes\n" + pointer).utf8)) == nil)
    #expect(LFSObjects.pointer(Array((pointer + String(repeating: "x", count: 1024)).utf8)) == nil)
    #expect(
      LFSObjects.pointer(Array(pointer.replacingOccurrences(of: oid, with: "../../etc/passwd").utf8)) == nil)
  }
}

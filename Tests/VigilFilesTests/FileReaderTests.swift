import Foundation
import Testing
import VigilFiles
import VigilTestSupport

@Suite struct FileReaderTests {
  private func read(_ path: String, maxFileSize: Int = 1 << 20) -> FileReader.Outcome {
    var buffer: [UInt8] = []
    return FileReader(maxFileSize: maxFileSize).read(path, into: &buffer)
  }

  @Test func binaryMeansANulInTheFirst8000Bytes() throws {
    let tree = try TemporaryTree()
    let early = try tree.write("early", bytes: Array(repeating: 0x61, count: 7999) + [0])
    let late = try tree.write("late", bytes: Array(repeating: 0x61, count: 8000) + [0])
    #expect(read(early) == .binary(count: 8000))
    #expect(read(late) == .text(count: 8001))
  }

  @Test func sizeLimitAndEmptyFiles() throws {
    let tree = try TemporaryTree()
    let file = try tree.write("f", String(repeating: "x", count: 100))
    #expect(read(file, maxFileSize: 99) == .skipped(.tooLarge))
    #expect(read(file, maxFileSize: 100) == .text(count: 100))
    #expect(read(try tree.write("empty", "")) == .text(count: 0))
  }

  @Test func symlinksFIFOsAndMissingFilesAreNotRead() throws {
    let tree = try TemporaryTree()
    let target = try tree.write("target", "x")
    try FileManager.default.createSymbolicLink(atPath: tree.path + "/link", withDestinationPath: target)
    #expect(read(tree.path + "/link") == .skipped(.symlink))
    #expect(mkfifo(tree.path + "/fifo", 0o600) == 0)
    #expect(read(tree.path + "/fifo") == .skipped(.special))
    guard case .failed(let reason) = read(tree.path + "/missing") else {
      Issue.record("a missing file did not fail")
      return
    }
    #expect(reason == "No such file or directory")
  }

  @Test func aReusedBufferHoldsOnlyTheCurrentFile() throws {
    let tree = try TemporaryTree()
    let long = try tree.write("long", String(repeating: "L", count: 5000))
    let short = try tree.write("short", "abc")
    var buffer: [UInt8] = []
    let reader = FileReader(maxFileSize: 1 << 20)
    #expect(reader.read(long, into: &buffer) == .text(count: 5000))
    #expect(reader.read(short, into: &buffer) == .text(count: 3))
    #expect(Array(buffer[0..<3]) == Array("abc".utf8))
  }
}

import VigilModel

/// Reads blobs by id with one `git cat-file --batch` process, however many there are.
package struct BlobReader {
  package let git: GitCommand

  package struct Missing: Error, CustomStringConvertible {
    var id: String
    package var description: String {
      "git has no object \(id) (the index names it, the object store lacks it)"
    }
  }

  /// - Throws: `Missing` for an object git does not have (a finding must never be
  ///   lost silently), `GitCommand.Failure` when git fails.
  package func read(_ ids: [String]) throws -> [String: [UInt8]] {
    let unique = Array(Set(ids)).sorted()
    guard !unique.isEmpty else { return [:] }
    let input = Array(unique.map { $0 + "\n" }.joined().utf8)
    let output = try git.run(["cat-file", "--batch"], input: input)
    var blobs: [String: [UInt8]] = [:]
    var index = 0
    while index < output.count {
      guard let newline = output[index...].firstIndex(of: 0x0A) else { break }
      let header = String(decoding: output[index..<newline], as: UTF8.self).split(separator: " ")
      index = newline + 1
      if header.count == 2 && header[1] == "missing" { throw Missing(id: String(header[0])) }
      guard header.count == 3, let size = Int(header[2]), index + size <= output.count else { continue }
      blobs[String(header[0])] = Array(output[index..<(index + size)])
      index += size + 1
    }
    return blobs
  }
}

/// Reads blobs by id with one `git cat-file --batch` process, however many there are.
struct BlobReader {
  let git: GitCommand

  func read(_ ids: [String]) throws -> [String: [UInt8]] {
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
      // `<id> missing` has no body.
      guard header.count == 3, let size = Int(header[2]), index + size <= output.count else { continue }
      blobs[String(header[0])] = Array(output[index..<(index + size)])
      index += size + 1
    }
    return blobs
  }
}

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

extension BlobReader {
  /// Reads `ids` in order with one `cat-file --batch`, handing each blob to `blob` with
  /// its position in `ids` as it arrives: its bytes, or `nil` when it is larger than
  /// `limit` (then its bytes are never kept) or not a blob. An id may repeat.
  ///
  /// git's delta cache and pack windows are capped, so that git's memory stays near
  /// 60 MB on a history of thousands of commits (about 190 MB with git's defaults; on
  /// rust-lang/cargo a 24 MB delta cache reads 2-3 % slower than 32 MB, for 10 MB less).
  /// - Throws: `Missing`, `GitCommand.Failure`, or what `blob` throws.
  package func stream(
    _ ids: [ObjectID], limit: Int, _ blob: (_ index: Int, _ bytes: [UInt8]?) throws -> Void
  ) throws {
    guard !ids.isEmpty else { return }
    var input: [UInt8] = []
    input.reserveCapacity(ids.count * 41)
    for id in ids {
      input += Array(id.description.utf8)
      input.append(0x0A)
    }
    var parser = BatchParser(limit: limit)
    try git.stream(Self.limitedMemory + ["cat-file", "--batch"], input: input) { chunk in
      try parser.consume(chunk[...], blob)
    }
    guard parser.delivered == ids.count else {
      throw GitCommand.Failure(
        arguments: ["cat-file"], status: 0,
        message: "git gave \(parser.delivered) of the \(ids.count) objects asked for")
    }
  }

  static let limitedMemory = [
    "-c", "core.deltaBaseCacheLimit=24m", "-c", "core.packedGitLimit=32m", "-c",
    "core.packedGitWindowSize=8m",
  ]

  /// `cat-file --batch` output, chunk by chunk: `<id> <type> <size>\n<bytes>\n` or
  /// `<id> missing\n`.
  struct BatchParser {
    let limit: Int
    var header: [UInt8] = []
    var body: [UInt8] = []
    /// Bytes of the current object still to come, its closing newline included.
    var remaining = 0
    var keeping = false
    var delivered = 0

    init(limit: Int) { self.limit = limit }

    mutating func consume(
      _ chunk: ArraySlice<UInt8>, _ blob: (_ index: Int, _ bytes: [UInt8]?) throws -> Void
    ) throws {
      var start = chunk.startIndex
      while start < chunk.endIndex {
        if remaining > 0 {
          let end = min(chunk.endIndex, start + remaining)
          if keeping { body += chunk[start..<end] }
          remaining -= end - start
          start = end
          if remaining == 0 {
            if keeping { body.removeLast() }
            try blob(delivered, keeping ? body : nil)
            delivered += 1
            body = []
          }
          continue
        }
        guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
          header += chunk[start...]
          break
        }
        header += chunk[start..<newline]
        start = newline + 1
        let line = header
        header = []
        let fields = line.split(separator: 0x20)
        if fields.count == 2 && fields[1].elementsEqual("missing".utf8) {
          throw Missing(id: String(decoding: fields[0], as: UTF8.self))
        }
        guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)) else {
          throw GitCommand.Failure(
            arguments: ["cat-file"], status: 0,
            message: "unexpected output: \(TerminalText.escaped(String(decoding: line, as: UTF8.self)))")
        }
        keeping = fields[1].elementsEqual("blob".utf8) && size <= limit
        if keeping { body.reserveCapacity(size + 1) }
        remaining = size + 1
      }
    }
  }
}

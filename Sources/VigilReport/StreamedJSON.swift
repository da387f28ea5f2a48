import Foundation
import VigilModel
import VigilSupport

/// JSON written in pieces, byte for byte as `encodeJSON` would write the whole
/// document: a report's long array of findings is encoded one element at a time.
///
/// A document is objects and arrays down to the parts that are small enough to encode
/// in one go (`value`). Object members are written in sorted key order, as
/// `JSONEncoder`'s `.sortedKeys` does for the plain ASCII keys used here.
indirect enum StreamedJSON {
  case value(any Encodable)
  /// A member whose value is `nil` is left out, as `encodeIfPresent` would.
  case object([(key: String, value: StreamedJSON?)])
  /// `count` elements, each made only when it is written.
  case array(count: Int, element: (Int) -> StreamedJSON)

  func write(to stream: ReportStream) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = Self.formatting
    try write(to: stream, encoder: encoder, indent: "")
    try stream.write("\n")
  }

  static let formatting = JSONFormatting.options

  private func write(to stream: ReportStream, encoder: JSONEncoder, indent: String) throws {
    let inner = indent + "  "
    switch self {
    case .value(let value):
      let text = String(decoding: try encoder.encode(value), as: UTF8.self)
      // Encoded strings hold no raw newline, so every newline starts a line to indent
      // (but the empty line inside an empty array or object, as JSONEncoder leaves it).
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      try stream.write(
        lines.enumerated().map { $0 == 0 || $1.isEmpty ? String($1) : indent + $1 }.joined(separator: "\n"))
    case .object(let members):
      let present = members.compactMap { member in member.value.map { (key: member.key, value: $0) } }
        .sorted { $0.key < $1.key }
      try stream.write("{\n")
      if present.isEmpty { try stream.write("\n") }
      for (offset, member) in present.enumerated() {
        try stream.write(inner + "\"" + member.key + "\" : ")
        try member.value.write(to: stream, encoder: encoder, indent: inner)
        try stream.write(offset == present.count - 1 ? "\n" : ",\n")
      }
      try stream.write(indent + "}")
    case .array(let count, let element):
      try stream.write("[\n")
      if count == 0 { try stream.write("\n") }
      for index in 0..<count {
        try stream.write(inner)
        try element(index).write(to: stream, encoder: encoder, indent: inner)
        try stream.write(index == count - 1 ? "\n" : ",\n")
      }
      try stream.write(indent + "]")
    }
  }
}

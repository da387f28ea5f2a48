import Dispatch
import Foundation
import VigilModel
import VigilSupport

/// JSON written in pieces, byte for byte as `encodeJSON` would write the whole
/// document: a report's long array of findings is encoded one element at a time.
///
/// A document is objects and arrays down to the parts that are small enough to encode
/// in one go (`value`). Object members are written in sorted key order, as
/// `JSONEncoder`'s `.sortedKeys` does for the plain ASCII keys used here.
indirect enum StreamedJSON: Sendable {
  case value(any Encodable & Sendable)
  /// A member whose value is `nil` is left out, as `encodeIfPresent` would.
  case object([(key: String, value: StreamedJSON?)])
  /// `count` elements, each made only when it is written.
  case array(count: Int, element: @Sendable (Int) -> StreamedJSON)

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
      try stream.write(try Self.text(of: value, encoder: encoder, indent: indent))
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
      var batch = 0..<0
      var texts: [String?] = []
      for index in 0..<count {
        if !batch.contains(index) {
          batch = index..<min(count, index + Self.batch)
          texts = Self.encodedValues(batch, element, indent: inner)
        }
        try stream.write(inner)
        if let text = texts[index - batch.lowerBound] {
          try stream.write(text)
        } else {
          try element(index).write(to: stream, encoder: encoder, indent: inner)
        }
        try stream.write(index == count - 1 ? "\n" : ",\n")
      }
      try stream.write(indent + "]")
    }
  }

  /// A value encoded, each line after the first indented by `indent`.
  private static func text(of value: any Encodable & Sendable, encoder: JSONEncoder, indent: String) throws
    -> String
  {
    let text = String(decoding: try encoder.encode(value), as: UTF8.self)
    // Encoded strings hold no raw newline, so every newline starts a line to indent
    // (but the empty line inside an empty array or object, as JSONEncoder leaves it).
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.enumerated().map { $0 == 0 || $1.isEmpty ? String($1) : indent + $1 }.joined(separator: "\n")
  }

  /// Elements an array writes at a time: those that are values are made and encoded
  /// on every core first (a report's findings: most of the time writing it took).
  static let batch = 1024

  /// The text of each element of `range` that is a value (nil for the others, and for
  /// one that does not encode: written in turn, it throws there).
  private static func encodedValues(
    _ range: Range<Int>, _ element: @Sendable (Int) -> StreamedJSON, indent: String
  ) -> [String?] {
    let chunk = 64
    let chunks = (range.count + chunk - 1) / chunk
    var texts = [String?](repeating: nil, count: range.count)
    texts.withUnsafeMutableBufferPointer { slots in
      // Each chunk fills its own slots.
      nonisolated(unsafe) let slots = slots
      DispatchQueue.concurrentPerform(iterations: chunks) { part in
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        for offset in part * chunk..<min(range.count, (part + 1) * chunk) {
          if case .value(let value) = element(range.lowerBound + offset) {
            slots[offset] = try? text(of: value, encoder: encoder, indent: indent)
          }
        }
      }
    }
    return texts
  }
}

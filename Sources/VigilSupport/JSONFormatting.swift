import Foundation

/// The one JSON layout vigil writes (reports, baselines): pretty, key-sorted, slashes
/// unescaped, so that the same value always gives the same bytes.
public enum JSONFormatting {
  public static let options: JSONEncoder.OutputFormatting = [
    .prettyPrinted, .sortedKeys, .withoutEscapingSlashes,
  ]
}

/// `value` as JSON in vigil's layout, ending in a newline.
public func encodeJSON(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = JSONFormatting.options
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

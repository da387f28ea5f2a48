import Foundation

/// A byte count as people read it, the same in the progress line and the summary:
/// `512 bytes`, `4.2 KB`, `12.3 MB`, `1.5 GB` (powers of 1,024).
public enum ByteCount {
  public static func text(_ count: Int) -> String {
    let units = ["KB", "MB", "GB", "TB"]
    guard count >= 1024 else { return "\(count) byte\(count == 1 ? "" : "s")" }
    var value = Double(count) / 1024
    var unit = 0
    while value >= 1024 && unit + 1 < units.count {
      value /= 1024
      unit += 1
    }
    return String(format: "%.1f", value) + " " + units[unit]
  }
}

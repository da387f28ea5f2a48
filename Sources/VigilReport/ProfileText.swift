import VigilModel

/// `vigil scan --profile`: what each rule cost, most expensive first, and a warning when
/// one rule took most of the detection time.
public enum ProfileText {
  /// A rule that takes more than this share of detection time is named in a warning.
  public static let dominantShare = 0.5

  public static func table(for profile: ScanProfile) -> String {
    let total = max(profile.totalNanoseconds, 1)
    let rows = profile.rulesByCost
    let width = max(32, rows.map { TerminalText.escaped($0.ruleID).count }.max() ?? 0)
    var lines = [
      "vigil profile: \(seconds(profile.totalNanoseconds)) of detection (time summed over worker threads) "
        + "in \(profile.files) file\(profile.files == 1 ? "" : "s")",
      pad("rule", width) + pad("time", 10, left: true) + pad("share", 8, left: true)
        + pad("keyword hits", 14, left: true) + pad("files", 8, left: true)
        + pad("regex calls", 13, left: true)
        + pad("matches", 10, left: true) + pad("kept", 8, left: true),
    ]
    func row(_ name: String, _ nanoseconds: UInt64, _ counts: [Int]?) -> String {
      var line =
        pad(name, width) + pad(seconds(nanoseconds), 10, left: true)
        + pad(percent(Double(nanoseconds) / Double(total)), 8, left: true)
      if let counts {
        for (count, columnWidth) in zip(counts, [14, 8, 13, 10, 8]) {
          line += pad(String(count), columnWidth, left: true)
        }
      }
      return line
    }
    for cost in rows {
      lines.append(
        row(
          TerminalText.escaped(cost.ruleID), cost.nanoseconds,
          [cost.keywordHits, cost.searches, cost.calls, cost.matches, cost.kept]))
    }
    lines.append(row("(keyword pass)", profile.keywordNanoseconds, nil))
    lines.append(row("(flow: SQL values, assignments)", profile.flowNanoseconds, nil))
    if let top = rows.first, Double(top.nanoseconds) / Double(total) > dominantShare {
      lines.append(
        "warning: rule \(TerminalText.escaped(top.ruleID)) took "
          + "\(percent(Double(top.nanoseconds) / Double(total))) of detection time: its regex ran "
          + "over \(top.searches) file\(top.searches == 1 ? "" : "s") and kept \(top.kept) "
          + "match\(top.kept == 1 ? "" : "es"); narrow its keywords or its pattern, or disable it")
    }
    return lines.joined(separator: "\n")
  }

  private static func seconds(_ nanoseconds: UInt64) -> String {
    let value = Double(nanoseconds) / 1e9
    return value < 0.1
      ? "\(Int((value * 1000).rounded())) ms"
      : "\(Int((value * 100).rounded()) / 100).\(twoDigits(Int((value * 100).rounded()) % 100)) s"
  }

  private static func percent(_ share: Double) -> String {
    let tenths = Int((share * 1000).rounded())
    return "\(tenths / 10).\(tenths % 10) %"
  }

  private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

  private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? " " + fill + text : text + fill
  }
}

import Foundation
import VigilSupport

/// The history audit's timeline: how many findings entered the history in each month
/// (or year, for a long history), by their commits' author dates, drawn as an inline
/// SVG bar chart so that the page still needs nothing from outside.
struct HTMLTimeline {
  struct Bar: Equatable {
    /// `2026-01` for a month, `2026` for a year.
    var label: String
    var count: Int
  }

  /// Findings spanning more months than this are counted by year: a bar a month over
  /// a decade would be too thin to read.
  static let maxMonths = 36
  /// Years spanning more than this are a forged date (1970, 2100) more likely than a
  /// history: only the years with findings get a bar then, not the empty ones between.
  static let maxYears = 60

  let bars: [Bar]

  /// - Parameter dates: the commits' dates as git prints `%aI`; a date that does not
  ///   start `YYYY-MM` is left out. Counted in the author's own calendar, as written.
  init(dates: [String]) {
    let periods = dates.compactMap(Self.yearAndMonth)
    let months = periods.map { $0.year * 12 + $0.month - 1 }
    guard let first = months.min(), let last = months.max() else {
      bars = []
      return
    }
    if last - first < Self.maxMonths {
      bars = Self.continuous(months, from: first, to: last) {
        String(format: "%04d-%02d", $0 / 12, $0 % 12 + 1)
      }
      return
    }
    let years = periods.map(\.year)
    let (firstYear, lastYear) = (first / 12, last / 12)
    if lastYear - firstYear < Self.maxYears {
      bars = Self.continuous(years, from: firstYear, to: lastYear) { String(format: "%04d", $0) }
    } else {
      bars = Dictionary(grouping: years, by: { $0 }).sorted { $0.key < $1.key }
        .map { Bar(label: String(format: "%04d", $0.key), count: $0.value.count) }
    }
  }

  /// One bar for every period from `first` to `last`, empty ones included: a gap in
  /// the chart is a stretch of history that added nothing.
  private static func continuous(_ periods: [Int], from first: Int, to last: Int, label: (Int) -> String)
    -> [Bar]
  {
    var counts: [Int: Int] = [:]
    for period in periods { counts[period, default: 0] += 1 }
    return (first...last).map { Bar(label: label($0), count: counts[$0] ?? 0) }
  }

  /// `2026-01-02T03:04:05+01:00` → (2026, 1); `nil` for anything else.
  static func yearAndMonth(_ date: String) -> (year: Int, month: Int)? {
    let bytes = Array(date.utf8.prefix(7))
    guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
      let year = Int(String(decoding: bytes[0..<4], as: UTF8.self)),
      let month = Int(String(decoding: bytes[5..<7], as: UTF8.self)), (1...12).contains(month)
    else { return nil }
    return (year, month)
  }

  /// The chart: a bar per period, its count above it when there is room, and every
  /// few periods' label beneath, spaced so that they do not overlap.
  var svg: String {
    guard !bars.isEmpty else { return "" }
    let plotHeight = 120.0
    let top = 16.0
    let barWidth = max(4, min(36, 760 / Double(bars.count)))
    let labelEvery = max(1, Int((52 / barWidth).rounded(.up)))
    let maximum = Double(max(1, bars.map(\.count).max() ?? 1))
    let width = Int(Double(bars.count) * barWidth + 40)
    let unit = bars[0].label.count == 4 ? "year" : "month"
    var svg =
      "<svg id=\"timeline\" role=\"img\" aria-label=\"Findings by the \(unit) their commit was made\" width=\"\(width)\" height=\"\(Int(top + plotHeight + 24))\" xmlns=\"http://www.w3.org/2000/svg\">"
    svg += String(
      format: "<line class=\"axis\" x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", top + plotHeight, width,
      top + plotHeight)
    for (index, bar) in bars.enumerated() {
      let x = Double(index) * barWidth
      let height = Double(bar.count) / maximum * plotHeight
      let label = MarkupEscaping.escape(bar.label)
      let noun = bar.count == 1 ? "finding" : "findings"
      svg += String(
        format:
          "<rect class=\"period\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%@: %d %@</title></rect>",
        x + barWidth * 0.1, top + plotHeight - height, barWidth * 0.8, height, label, bar.count, noun)
      if bar.count > 0 && barWidth >= 14 {
        svg += String(
          format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", x + barWidth / 2,
          top + plotHeight - height - 3, bar.count)
      }
      if index % labelEvery == 0 {
        svg += String(
          format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", x + barWidth * 0.1, top + plotHeight + 16, label)
      }
    }
    return svg + "</svg>"
  }
}

import Foundation
import VigilKit

/// The status line on a terminal's standard error while a long scan runs
/// (`ScanProgress.statusText`), redrawn a few times a second once the scan has taken a second.
final class ProgressLine: @unchecked Sendable {
  private let progress: ScanProgress
  private let started = Date()
  private let queue = DispatchQueue(label: "vigil.progress")
  private let timer: DispatchSourceTimer
  // Touched only on `queue`, where the timer fires.
  private var drawn = false

  init(progress: ScanProgress) {
    self.progress = progress
    timer = DispatchSource.makeTimerSource(queue: queue)
  }

  func start() {
    timer.schedule(deadline: .now() + 1, repeating: .milliseconds(250))
    timer.setEventHandler { [self] in draw() }
    timer.resume()
  }

  /// Stops redrawing and clears the line.
  func stop() {
    queue.sync {
      timer.cancel()
      if drawn { Console.errorText("\r\u{1B}[2K") }
    }
  }

  private func draw() {
    let seconds = Date().timeIntervalSince(started)
    Console.errorText("\r\u{1B}[2Kvigil: " + progress.statusText(seconds: seconds))
    drawn = true
  }
}

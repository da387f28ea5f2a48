import Foundation

/// The shared queue the scan's workers take directories and batches of files from.
///
/// A reviewed lock (the one shared mutable structure of a scan): workers add what
/// reading a directory turns up and take the next item; the queue knows the scan is
/// over when it is empty and no worker is busy, since only a busy worker can add work.
/// Items come out last in, first out, so the walk goes depth first and keeps the queue
/// short.
final class WorkQueue<Item: Sendable>: @unchecked Sendable {
  // Guarded by `condition`.
  private var items: [Item]
  private var busy = 0
  private let condition = NSCondition()

  init(_ items: [Item]) { self.items = items }

  /// The next item, waiting while other workers may still add some; `nil` when the
  /// queue is drained and every worker is idle. Each item taken must be followed by
  /// `finished()`.
  func next() -> Item? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty {
      if busy == 0 {
        condition.broadcast()
        return nil
      }
      condition.wait()
    }
    busy += 1
    return items.removeLast()
  }

  func add(_ new: [Item]) {
    guard !new.isEmpty else { return }
    condition.lock()
    items.append(contentsOf: new)
    condition.broadcast()
    condition.unlock()
  }

  /// Marks the item last taken by this worker as done.
  func finished() {
    condition.lock()
    busy -= 1
    if busy == 0 && items.isEmpty { condition.broadcast() }
    condition.unlock()
  }
}

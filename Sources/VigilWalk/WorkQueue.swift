import Foundation
import VigilModel

/// The shared queue the scan's workers take directories and batches of files from.
///
/// A reviewed lock (the one shared mutable structure of a scan): workers add what
/// reading a directory turns up and take the next item; the queue knows the scan is
/// over when it is empty, no worker is busy (only a busy worker can add work) and no
/// outside producer (a git log being parsed) may add more.
/// Items come out last in, first out, so the walk goes depth first and keeps the queue
/// short.
public final class WorkQueue<Item: Sendable>: @unchecked Sendable {
  // Guarded by `condition`.
  private var items: [Item]
  private var busy = 0
  private var waiting = 0
  private var producing: Bool
  private let condition = NSCondition()

  /// - Parameter producing: whether an outside producer will still `add` items and
  ///   then `close()` the queue.
  public init(_ items: [Item], producing: Bool = false) {
    self.items = items
    self.producing = producing
  }

  /// The outside producer is done.
  public func close() {
    condition.lock()
    producing = false
    condition.broadcast()
    condition.unlock()
  }

  /// The next item, waiting while other workers may still add some; `nil` when the
  /// queue is drained and every worker is idle. Each item taken must be followed by
  /// `finished()`.
  public func next() -> Item? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty {
      if busy == 0 && !producing {
        condition.broadcast()
        return nil
      }
      waiting += 1
      condition.wait()
      waiting -= 1
    }
    busy += 1
    return items.removeLast()
  }

  public func add(_ new: [Item]) {
    guard !new.isEmpty else { return }
    condition.lock()
    items.append(contentsOf: new)
    condition.broadcast()
    condition.unlock()
  }

  /// Hands `items` to the queue if a worker is waiting for work, and says whether it
  /// did. A worker halfway through a batch calls this so that one batch holding a few
  /// large files does not leave the other workers idle at the end of a scan.
  public func share(_ items: @autoclosure () -> [Item]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard waiting > 0 else { return false }
    self.items.append(contentsOf: items())
    condition.broadcast()
    return true
  }

  /// Marks the item last taken by this worker as done.
  public func finished() {
    condition.lock()
    busy -= 1
    if busy == 0 && items.isEmpty && !producing { condition.broadcast() }
    condition.unlock()
  }
}

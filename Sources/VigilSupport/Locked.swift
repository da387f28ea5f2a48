import Foundation

/// A value behind a lock: where workers hand their results back, once each.
///
/// Not `Synchronization.Mutex`: on Linux it locks with raw futex calls, which
/// ThreadSanitizer cannot see, so every hand-over showed up as a race under
/// `swift test --sanitize=thread`. NSLock is a pthread mutex, which TSan understands;
/// at one lock per worker per scan the cost is nil.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) { self.value = value }

  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}

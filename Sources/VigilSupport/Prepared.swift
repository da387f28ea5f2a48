import Foundation

/// A value worked out on another thread from the moment it is made: `value` waits for
/// it. For a slow step whose result is needed only later, so that what comes in
/// between overlaps it.
///
/// The value is made on a thread of its own, not on Dispatch's pool: the pool's threads
/// may all be workers waiting for it (a walk's workers waiting for their detector),
/// and the pool does not know they are blocked. An NSCondition (a pthread mutex and
/// condition), which ThreadSanitizer understands.
public final class Prepared<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var result: Value?

  public init(_ make: @escaping @Sendable () -> Value) {
    let thread = Thread {
      let made = make()
      self.condition.withLock {
        self.result = made
        self.condition.broadcast()
      }
    }
    thread.qualityOfService = .userInitiated
    thread.start()
  }

  /// The value, once made.
  public var value: Value {
    condition.withLock {
      while true {
        if let result { return result }
        condition.wait()
      }
    }
  }
}

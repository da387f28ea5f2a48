import Foundation

/// A value worked out on another thread from the moment it is made: `value` waits for
/// it. For a slow step whose result is needed only later, so that what comes in
/// between overlaps it.
///
/// An NSCondition (a pthread mutex and condition), which ThreadSanitizer understands.
public final class Prepared<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var result: Value?

  public init(_ make: @escaping @Sendable () -> Value) {
    DispatchQueue.global(qos: .userInitiated).async {
      let made = make()
      self.condition.withLock {
        self.result = made
        self.condition.broadcast()
      }
    }
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

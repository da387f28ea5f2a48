/// An Aho–Corasick automaton that finds every keyword in one pass over the bytes,
/// ASCII case-insensitively.
///
/// Why: a scan runs hundreds of rules over every file, and most rules can only match
/// near one of their keywords. One pass of this automaton tells which rules can match
/// at all, so only their regexes run.
///
/// The automaton runs over byte classes (bytes that occur in no keyword share class 0):
/// the hot loop is one load from a 256-byte class table and one transition load per
/// byte, with no branch on failure links. A state that ends a keyword is stored negated,
/// so the loop tests one sign bit for outputs. The default pack's table is 270 KiB
/// (1,329 states × 52 classes) where a full 256-column DFA took 1.3 MiB and fell out of
/// the cache: on the real-code corpus the keyword pass took 0.63–0.66 s against
/// 0.74–0.77 s with the full DFA.
/// Immutable and `Sendable`; the scan keeps its state in locals.
public struct KeywordAutomaton: Sendable {
  /// `transitions[state * classes + class]` is the next state's row (`next * classes`),
  /// negated (`~row`) when that state has outputs.
  private let transitions: [Int32]
  /// Each byte's class (bytes in no keyword share class 0; at most 256 classes).
  private let classOfByte: [UInt8]
  private let classes: Int
  /// Outputs of state `s` are `outputs[outputStart[s]..<outputStart[s + 1]]`.
  private let outputStart: [Int32]
  private let outputs: [Int32]

  /// - Parameter keywords: each keyword's bytes (matched ASCII case-insensitively) and
  ///   the payload reported when it occurs. Empty keywords are ignored.
  public init(keywords: [(bytes: [UInt8], payload: Int)]) {
    // Byte classes: one per distinct (case-folded) byte used by any keyword.
    var classOfByte = [Int32](repeating: 0, count: 256)
    var classCount: Int32 = 1
    for keyword in keywords {
      for byte in keyword.bytes {
        let folded = Self.fold(byte)
        if classOfByte[Int(folded)] == 0 {
          classOfByte[Int(folded)] = classCount
          classCount += 1
        }
      }
    }
    for byte in 0..<256 {
      classOfByte[byte] = classOfByte[Int(Self.fold(UInt8(byte)))]
    }
    let classes = Int(classCount)

    // The trie, with -1 for "no edge".
    var trie: [[Int32]] = [[Int32](repeating: -1, count: classes)]
    var stateOutputs: [[Int32]] = [[]]
    for keyword in keywords where !keyword.bytes.isEmpty {
      var state = 0
      for byte in keyword.bytes {
        let cls = Int(classOfByte[Int(byte)])
        if trie[state][cls] < 0 {
          trie[state][cls] = Int32(trie.count)
          trie.append([Int32](repeating: -1, count: classes))
          stateOutputs.append([])
        }
        state = Int(trie[state][cls])
      }
      stateOutputs[state].append(Int32(keyword.payload))
    }

    // Breadth-first: failure links, inherited outputs and the full transition table.
    var failure = [Int](repeating: 0, count: trie.count)
    var delta = [Int32](repeating: 0, count: trie.count * classes)
    var queue: [Int] = []
    for cls in 0..<classes {
      let next = trie[0][cls]
      if next >= 0 {
        delta[cls] = next
        queue.append(Int(next))
      }
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      stateOutputs[state].append(contentsOf: stateOutputs[failure[state]])
      for cls in 0..<classes {
        let next = trie[state][cls]
        if next >= 0 {
          failure[Int(next)] = Int(delta[failure[state] * classes + cls])
          delta[state * classes + cls] = next
          queue.append(Int(next))
        } else {
          delta[state * classes + cls] = delta[failure[state] * classes + cls]
        }
      }
    }
    var outputStart: [Int32] = [0]
    var flat: [Int32] = []
    for var list in stateOutputs {
      list = Array(Set(list)).sorted()
      flat.append(contentsOf: list)
      outputStart.append(Int32(flat.count))
    }
    // Each target stored as the offset of its row (state × classes), negative for a
    // state with outputs: the scan loop does one class load (a 256-byte table) and one
    // transition load per byte, with no multiplication.
    var rows = [Int32](repeating: 0, count: trie.count * classes)
    for index in 0..<rows.count {
      let target = Int(delta[index])
      let row = Int32(target * classes)
      rows[index] = stateOutputs[target].isEmpty ? row : ~row
    }
    self.transitions = rows
    self.classOfByte = classOfByte.map { UInt8(truncatingIfNeeded: $0) }
    self.classes = classes
    self.outputStart = outputStart
    self.outputs = flat
  }

  private init(copying other: KeywordAutomaton) {
    transitions = other.transitions.map { $0 }
    classOfByte = other.classOfByte.map { $0 }
    classes = other.classes
    outputStart = other.outputStart.map { $0 }
    outputs = other.outputs.map { $0 }
  }

  /// The same automaton in freshly allocated tables, for a worker that should share
  /// no reference count with other threads.
  public func copy() -> KeywordAutomaton { KeywordAutomaton(copying: self) }

  /// Calls `found` with the payload of every keyword occurrence and the offset just
  /// past it, in text order (a payload may be reported many times).
  public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ found: (_ payload: Int, _ end: Int) -> Void) {
    transitions.withUnsafeBufferPointer { delta in
      classOfByte.withUnsafeBufferPointer { classOf in
        var row = 0
        for (offset, byte) in bytes.enumerated() {
          let next = delta[row &+ Int(classOf[Int(byte)])]
          if next >= 0 {
            row = Int(next)
          } else {
            row = Int(~next)
            let state = row / classes
            for index in Int(outputStart[state])..<Int(outputStart[state + 1]) {
              found(Int(outputs[index]), offset &+ 1)
            }
          }
        }
      }
    }
  }

  private static func fold(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }
}

import VigilModel

/// What the detector found, as byte ranges into the file; the finding builder turns it
/// into lines, columns, a redacted snippet and a fingerprint.
public struct DetectedMatch: Sendable, Equatable {
  /// Index of the rule in the detector's pack.
  public var ruleIndex: Int
  /// The whole regex match; `nil` when the file itself is the finding (a path rule).
  public var matchRange: Range<Int>?
  /// The span reported and, for secret rules, redacted: the secret group or the match.
  public var secretRange: Range<Int>?
  /// Where what was found goes on to matter: the call an SQL construction reaches.
  public var relatedRange: Range<Int>?
  /// The value a code finding saw inserted, when one was told apart.
  public var valueRange: Range<Int>?
  /// For a construction followed to a sink: where what it inserts comes from. Request
  /// data is reported at the rule's severity, the rest one level lower; `nil` is no flow
  /// finding.
  public var insertedOrigin: InsertedOrigin?
  /// For a secret found by decoding: how (outermost first) and what it decoded to. Its
  /// ranges are then the encoded text's, in the file.
  public var decoded: DecodedSecret?
  /// The secrets of the matches this one stands for (a secret file's, whose own secrets
  /// are not findings of their own): masked wherever it is shown, as its own secret is.
  public var absorbedSecrets: [Range<Int>] = []

  public init(ruleIndex: Int, matchRange: Range<Int>?, secretRange: Range<Int>?) {
    self.ruleIndex = ruleIndex
    self.matchRange = matchRange
    self.secretRange = secretRange
  }
}

/// Where a value inserted into SQL comes from, as far as the file shows, weakest first.
public enum InsertedOrigin: Int, Sendable, Comparable {
  /// A field, a call's result, a global: nothing in the file says it is outside input.
  case unknown
  /// The session (`$_SESSION`, `session[…]`): set by the application, often from input.
  case session
  /// A parameter of the enclosing function (or a value made from one): its callers choose it.
  case parameter
  /// The request (`req.body.x`, `$_GET`, `getParameter`), directly, through variables or
  /// through the parameters of the file's functions that the file calls with it.
  case request

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  mutating func formMax(_ other: Self) { self = Swift.max(self, other) }
}

/// A secret found inside encoded text: the encodings undone to reach it, outermost
/// first, and the secret as decoded.
public struct DecodedSecret: Sendable, Equatable {
  public var encodings: [ContentEncoding]
  public var secret: [UInt8]
}

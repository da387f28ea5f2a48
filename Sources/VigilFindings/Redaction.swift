/// How much of a secret may be shown: at most its first 4 characters, fewer for short
/// secrets (a quarter of its length), then a fixed mask so the length is not shown
/// either.
public enum Redaction {
  public static let mask = "*****"

  /// The number of leading characters of a secret of `length` characters to reveal.
  public static func revealedCount(forLength length: Int) -> Int { min(4, length / 4) }

  public static func redact(_ secret: String) -> String {
    String(secret.prefix(revealedCount(forLength: secret.count))) + mask
  }
}

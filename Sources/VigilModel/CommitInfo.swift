/// The commit a finding was introduced in, for history and staged scans.
public struct CommitInfo: Sendable, Equatable, Codable {
  public var sha: String
  public var author: String
  public var email: String
  /// ISO 8601, as git prints `%aI`.
  public var date: String
  /// The first line of the commit message.
  public var message: String

  public init(sha: String, author: String, email: String, date: String, message: String) {
    self.sha = sha
    self.author = author
    self.email = email
    self.date = date
    self.message = message
  }
}

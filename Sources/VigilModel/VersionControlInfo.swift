/// The repository and revision a staged or history scan read, for SARIF's
/// `versionControlProvenance`.
public struct VersionControlInfo: Sendable, Equatable {
  public var repositoryURI: String
  public var revision: String?
  public var branch: String?

  public init(repositoryURI: String, revision: String?, branch: String?) {
    self.repositoryURI = repositoryURI
    self.revision = revision
    self.branch = branch
  }
}

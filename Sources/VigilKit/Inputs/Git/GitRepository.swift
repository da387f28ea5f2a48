/// Facts about the repository a staged or history scan reads.
struct GitRepository: Sendable {
  let git: GitCommand
  /// The work tree's top directory: report paths are relative to it.
  let root: String

  /// The repository containing `directory`.
  /// - Throws: `ScanError.input` when `directory` is not in a git work tree.
  init(containing directory: String) throws(ScanError) {
    do {
      root = try GitCommand(repository: directory).text(["rev-parse", "--show-toplevel"])
    } catch {
      throw .input("\(directory) is not inside a git work tree (\(error.message))")
    }
    git = GitCommand(repository: root)
  }

  /// The commit HEAD names, or `nil` before the first commit.
  var head: String? { try? git.text(["rev-parse", "--verify", "--quiet", "HEAD"]) }

  var branch: String? {
    (try? git.text(["symbolic-ref", "--quiet", "--short", "HEAD"])).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Where the repository lives, for SARIF's `versionControlProvenance`: the `origin`
  /// remote when there is one (credentials in it removed), else the local directory.
  var uri: String {
    if let remote = try? git.text(["remote", "get-url", "origin"]), !remote.isEmpty {
      return Self.withoutCredentials(remote)
    }
    return SARIFReporter.directoryURI(root)
  }

  /// `https://user:token@host/x` → `https://host/x`: a remote URL can itself hold a secret.
  static func withoutCredentials(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
      !url[scheme.upperBound..<at].contains("/")
    else { return url }
    return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
  }

  var versionControl: VersionControlInfo {
    VersionControlInfo(repositoryURI: uri, revision: head, branch: branch)
  }
}

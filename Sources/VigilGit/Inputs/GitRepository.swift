import Foundation
import VigilModel
import VigilSupport

/// Facts about the repository a staged or history scan reads.
package struct GitRepository: Sendable {
  package let git: GitCommand
  /// The work tree's top directory: report paths are relative to it.
  package let root: String
  /// Where its history is kept, as vigil found it.
  package let location: RepositoryLocation

  /// The repository containing `directory`, its top found by `RepositoryLocation`
  /// (never by `core.worktree`).
  /// - Throws: `ScanError.input` when `directory` is not in a git work tree.
  package init(containing directory: String) throws(ScanError) {
    let git = GitCommand(repository: directory, forGitInputs: true)
    guard let location = git.location else {
      throw .input("\(directory) is not inside a git work tree (no .git above it)")
    }
    do {
      _ = try git.run(["rev-parse", "--git-dir"])
    } catch {
      throw .input("\(directory) is not inside a usable git repository (\(error.message))")
    }
    root = location.workTree
    self.location = location
    self.git = GitCommand(repository: root, forGitInputs: true)
  }

  /// A warning naming the repository whose history is read, when `.git` is a link or a
  /// `gitdir:` file pointing somewhere other than a linked worktree's or a submodule's
  /// usual place: the history scanned is not this tree's own.
  package var elsewhereWarning: Diagnostic? {
    guard location.isIndirect else { return nil }
    let directory = URL(fileURLWithPath: location.gitDirectory).resolvingSymlinksInPath().path
    if directory.contains("/.git/worktrees/") || directory.contains("/.git/modules/") { return nil }
    return Diagnostic(
      .warning,
      "the history scanned is that of the repository at \(directory): .git here is a link or a file that points there",
      file: ".git")
  }

  /// Whether the repository is a shallow clone (`--depth`, CI checkouts' default): its
  /// history stops at a boundary, and what was committed before it cannot be read.
  package var isShallow: Bool {
    (try? git.text(["rev-parse", "--is-shallow-repository"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
      == "true"
  }

  /// Whether `range` selects no commit (its ends swapped, or the same commit).
  package func selectsNoCommit(_ range: String) -> Bool {
    (try? git.text(["rev-list", "--max-count=1"] + GitCommand.revisionArguments([range])))?
      .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true
  }

  /// Whether the commits of `range` (`base..head`) reach a shallow clone's boundary: a
  /// commit whose parents the clone lacks, so that the range's history stops short of
  /// `base` (a pull request's first commits are not here). `false` for a full clone.
  package func rangeReachesShallowBoundary(_ range: String) -> Bool {
    guard isShallow, let file = try? git.text(["rev-parse", "--git-path", "shallow"]) else { return false }
    let path = file.hasPrefix("/") ? file : (root as NSString).appendingPathComponent(file)
    guard let listed = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
    let boundary = Set(listed.split(whereSeparator: \.isNewline).map(String.init))
    guard !boundary.isEmpty, let commits = try? git.text(["rev-list", "--end-of-options", range]) else {
      return false
    }
    return commits.split(whereSeparator: \.isNewline).contains { boundary.contains(String($0)) }
  }

  /// A failed git command as a scan error, saying why when the repository is a partial
  /// clone: the objects it lacks are never fetched, since fetching runs whatever
  /// transport the repository's configuration names.
  package func explain(_ error: any Error) -> ScanError {
    let failure = error as? GitCommand.Failure
    let message = failure?.description ?? "\(error)"
    guard let remote = promisorRemote else { return .input(message, detail: failure?.details) }
    return .input(
      message
        + "\nThis repository is a partial clone (promisor remote '\(TerminalText.escaped(remote))'):"
        + " vigil never lets git fetch the objects it lacks, as fetching would run the transport"
        + " the repository's configuration names. Scan a full clone (one made without --filter).",
      detail: failure?.details)
  }

  /// The remote a partial clone fetches missing objects from, if this is one.
  package var promisorRemote: String? {
    let listed =
      (try? git.text(["config", "--get-regexp", #"^(extensions\.partialclone|remote\..*\.promisor)$"#])) ?? ""
    for line in listed.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      if parts[0] == "extensions.partialclone" { return parts[1] }
      if ["true", "yes", "on", "1"].contains(parts[1].lowercased()) {
        return String(parts[0].dropFirst("remote.".count).dropLast(".promisor".count))
      }
    }
    return nil
  }

  /// Whether commit `ancestor` is in the history of `descendant` (or is it).
  package func isAncestor(_ ancestor: String, of descendant: String) -> Bool {
    (try? git.run(["merge-base", "--is-ancestor", ancestor, descendant])) != nil
  }

  /// Whether a commit after `ancestor` up to `descendant` changes a `.gitattributes`
  /// file anywhere, a merge against any of its parents (true when git cannot tell): what the attributes name (an encoding a
  /// file is checked out in) may change how blobs read before must be read.
  package func changesAttributes(after ancestor: String, upTo descendant: String) -> Bool {
    guard
      let changed = try? git.run([
        "log", "-m", "--format=", "--name-only", "--no-renames", "\(ancestor)..\(descendant)", "--",
        ":(glob).gitattributes", ":(glob)**/.gitattributes",
      ])
    else { return true }
    return changed.contains { $0 != 0x0A }
  }

  /// Whether `revision` names a commit (a branch, a tag, an id, `HEAD~2`).
  package func isCommit(_ revision: String) -> Bool {
    (try? git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])) != nil
  }

  /// What a revision's name could mean besides what git takes, when they are different
  /// commits: the refs in git's lookup order (gitrevisions(7): `refs/<name>`,
  /// `refs/tags/`, `refs/heads/`, `refs/remotes/`, `refs/remotes/<name>/HEAD`), and a
  /// commit whose id starts with the name. git takes the first and only warns, so a tag
  /// a repository ships named `origin/main` (or like the short id a CI job passes) would
  /// empty the range `origin/main..HEAD` it scans. A name followed by `@{…}` is left to
  /// git (`feature@{u}` reads the branch's configuration).
  package func ambiguousRefs(_ revision: String) -> [String] {
    guard !revision.contains("@{") else { return [] }
    let name = revision.prefix { !"^~:".contains($0) }
    guard !name.isEmpty, name != "HEAD" else { return [] }
    // A full object id is the object, whatever refs are named like it (40 hex digits
    // only in a SHA-1 repository: in a SHA-256 one they are an abbreviation).
    let idLength = (try? git.text(["rev-parse", "--show-object-format"])) == "sha256" ? 64 : 40
    if name.count == idLength && name.allSatisfy(\.isHexDigit) { return [] }
    let candidates =
      ["refs/", "refs/tags/", "refs/heads/", "refs/remotes/"].map { $0 + name } + [
        "refs/remotes/\(name)/HEAD"
      ]
    guard
      let listing = try? git.text(["for-each-ref", "--format=%(refname)", "--end-of-options"] + candidates)
    else { return [] }
    let listed = Set(listing.split(separator: "\n").map(String.init))
    let refs = candidates.filter(listed.contains)
    guard !refs.isEmpty else { return [] }
    // Each peeled to its commit (a tag of a tag too).
    var meant: [(what: String, commit: String)] = refs.compactMap { ref in
      (try? git.text(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"])).map {
        (ref, $0)
      }
    }
    // What the name means when no ref has it: an abbreviated id, or `git describe`'s
    // `<tag>-<n>-g<id>`.
    var abbreviated = Substring(name)
    if let dash = name.range(of: "-g", options: .backwards), name[..<dash.lowerBound].contains("-") {
      abbreviated = name[dash.upperBound...]
    }
    if abbreviated.count >= 4, abbreviated.allSatisfy(\.isHexDigit),
      let objects = try? git.text(["rev-parse", "--disambiguate=" + abbreviated.lowercased()])
    {
      for object in objects.split(separator: "\n").map(String.init)
      where (try? git.text(["cat-file", "-t", object])) == "commit" {
        meant.append(("commit \(object)", object))
      }
    }
    guard Set(meant.map(\.commit)).count > 1 else { return [] }
    return meant.map(\.what)
  }

  /// The commit HEAD names, or `nil` before the first commit.
  package var head: String? { try? git.text(["rev-parse", "--verify", "--quiet", "HEAD"]) }

  package var branch: String? {
    (try? git.text(["symbolic-ref", "--quiet", "--short", "HEAD"])).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Where the repository lives, for SARIF's `versionControlProvenance`: the `origin`
  /// remote when there is one (credentials in it removed, the rest masked), else the
  /// local directory.
  package func uri(mask: (String) -> String) -> String {
    // As configured: `remote get-url` applies the scanning user's `url.<base>.insteadOf`, which
    // can turn it into a path of the scanning machine.
    if let remote = try? git.text(["config", "--get", "remote.origin.url"]),
      let network = Self.networkURI(remote)
    {
      return mask(Self.withoutCredentials(network))
    }
    return FileURI.directory(root)
  }

  /// A remote as an absolute URI of a network transport: `https://`, `ssh://`, `git://`
  /// as they are, scp's `git@host:org/repo.git` as `ssh://git@host/org/repo.git`. `nil`
  /// for a path of this machine (`../src`, `/srv/git/x`, `file://`) or another transport
  /// (`ext::`): a report never names the machine's own paths, and SARIF wants a URI.
  package static func networkURI(_ remote: String) -> String? {
    if let scheme = remote.range(of: "://") {
      let name = remote[..<scheme.lowerBound].lowercased()
      let known = ["http", "https", "ssh", "git", "git+ssh", "ssh+git"]
      let rest = remote[scheme.upperBound...]
      // A host: `ssh:///srv/git/x` names a path of this machine.
      guard known.contains(name), let first = rest.first, first != "/" else { return nil }
      return uriEncoded(remote)
    }
    // scp's form: a host (no `/` before the first `:`), then the path.
    guard let colon = remote.firstIndex(of: ":"), colon > remote.startIndex,
      !remote[..<colon].contains("/"), !remote[..<colon].contains("\\"),
      remote.index(after: colon) < remote.endIndex
    else { return nil }
    let host = remote[..<colon]
    var path = remote[remote.index(after: colon)...]
    // `host::transport` is git's remote-helper syntax, not scp's; `C:/repo` a drive.
    guard !path.hasPrefix(":"), host.count > 1 else { return nil }
    if path.hasPrefix("/") { path = path.dropFirst() }
    return uriEncoded("ssh://" + host + "/" + path)
  }

  /// `text` with every byte a URI may not hold as it is percent-encoded (a space in an
  /// Azure DevOps project's name, a letter past ASCII, a `%` that starts no escape).
  private static let uriPunctuation = Set("-._~:/?#[]@!$&'()*+,;=".utf8)

  static func uriEncoded(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var result = ""
    for (index, byte) in bytes.enumerated() {
      let allowed =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || uriPunctuation.contains(byte)
      let escape =
        byte == UInt8(ascii: "%") && index + 2 < bytes.count
        && bytes[(index + 1)...(index + 2)].allSatisfy { Character(Unicode.Scalar($0)).isHexDigit }
      if allowed || escape {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        result += String(format: "%%%02X", byte)
      }
    }
    return result
  }

  /// `https://user:token@host/x?access_token=t#f` → `https://host/x`: a remote URL can
  /// itself hold a secret, in its user information or its query.
  package static func withoutCredentials(_ url: String) -> String {
    var url = url
    if let scheme = url.range(of: "://") {
      if let end = url[scheme.upperBound...].firstIndex(where: { $0 == "?" || $0 == "#" }) {
        url = String(url[..<end])
      }
      let rest = url[scheme.upperBound...]
      let authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
      if let at = authority.lastIndex(of: "@") {
        url = String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
      }
    }
    return url
  }

  package func versionControl(mask: (String) -> String) -> VersionControlInfo {
    VersionControlInfo(repositoryURI: uri(mask: mask), revision: head, branch: branch)
  }
}

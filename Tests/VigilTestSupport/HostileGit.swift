import Foundation

/// What a hostile repository's `.git/config`, its `.gitattributes`, or a user's own
/// `~/.gitconfig` can say to make `git` run a program, block, or change the text of the
/// patches vigil reads. Drawn from git-config(1) and gitattributes(5): every setting
/// there that names a program, a file git opens, or how a diff or log is printed.
///
/// In values, `$PAYLOAD` is a program that leaves a marker file (and copies its input
/// through, so that it works as a filter or pager), `$HOOKS` a directory of such
/// programs named as hooks, `$FIFO` a named pipe nobody writes, `$ATTRIBUTES` a file of
/// attributes that mark everything binary, `$ELSEWHERE` a directory outside the
/// repository holding a `.vigil.toml` that turns every rule off.
public enum HostileGit {
  public enum Effect: Sendable {
    /// Makes plain git run `$PAYLOAD`.
    case runs
    /// Makes plain git print different patch text (or read another directory).
    case changes
    /// Makes plain git block on `$FIFO`.
    case blocks
  }

  public struct Setting: Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var effect: Effect
    /// Other settings it needs to take effect (`log.showSignature` for `gpg.program`).
    public var with: [(key: String, value: String)] = []

    public var description: String { "\(key)=\(value)" }
  }

  private static func runs(_ key: String, _ value: String = "$PAYLOAD", with: [(String, String)] = [])
    -> Setting
  {
    Setting(key: key, value: value, effect: .runs, with: with.map { (key: $0.0, value: $0.1) })
  }
  private static func changes(_ key: String, _ value: String, with: [(String, String)] = []) -> Setting {
    Setting(key: key, value: value, effect: .changes, with: with.map { (key: $0.0, value: $0.1) })
  }
  private static func blocks(_ key: String, with: [(String, String)] = []) -> Setting {
    Setting(key: key, value: "$FIFO", effect: .blocks, with: with.map { (key: $0.0, value: $0.1) })
  }

  /// Every setting, each live on `Subject` (its control shows plain git obeying it).
  public static let settings: [Setting] = [
    // Programs.
    runs("core.hooksPath", "$HOOKS"),
    runs("core.fsmonitor"),
    runs("core.pager"),
    runs("pager.log"),
    runs("pager.diff"),
    runs("diff.external"),
    runs("diff.evil.textconv", with: [("core.attributesFile", "$EVIL_ATTRIBUTES")]),
    runs("diff.evil.command", with: [("core.attributesFile", "$EVIL_ATTRIBUTES")]),
    runs("gpg.program", with: [("log.showSignature", "true")]),
    runs("gpg.openpgp.program", with: [("log.showSignature", "true")]),
    // Settings that change what a patch says.
    changes("diff.noprefix", "true"),
    changes("diff.mnemonicPrefix", "true"),
    changes("core.bigFileThreshold", "1"),
    changes("log.showRoot", "false"),
    changes("i18n.logOutputEncoding", "UTF-16"),
    changes("log.showSignature", "true"),
    changes("diff.renames", "false"),
    changes("diff.context", "5"),
    changes("diff.interHunkContext", "5"),
    changes("diff.suppressBlankEmpty", "true", with: [("diff.context", "3")]),
    changes("diff.relative", "true"),
    changes("color.ui", "always"),
    changes("color.diff", "always"),
    changes("core.quotePath", "true"),
    changes("core.attributesFile", "$ATTRIBUTES"),
    changes("diff.evil.binary", "true", with: [("core.attributesFile", "$EVIL_ATTRIBUTES")]),
    changes("core.worktree", "$ELSEWHERE"),
    changes("format.pretty", "format:%H %s"),
    changes("log.decorate", "full"),
    // Files git opens: a FIFO blocks it.
    blocks("diff.orderFile"),
    blocks("mailmap.file", with: [("log.mailmap", "true")]),
  ]

  /// Attribute lines a committed `.gitattributes` (or `.git/info/attributes`) can hold
  /// that change how git shows a file.
  public static let attributes = [
    "* -diff", "*.py -diff", "* binary", "* diff=evil", "* -text", "* text eol=crlf",
    "* filter=evil", "* working-tree-encoding=UTF-16", "* whitespace=-trailing-space",
  ]

  /// A repository with history and a staged change that every scan must report the same
  /// way: four commits (a root commit, one with a signature header, one renaming and
  /// editing a file in two places, one with a non-ASCII file name), a replace ref that
  /// hides the last one from plain git, and a staged new file plus a staged line in a committed file, each
  /// adding a secret.
  public final class Subject {
    public let tree: TemporaryTree
    public var repository: String { tree.path + "/repo" }
    public var home: String { tree.path + "/home" }
    public var marker: String { tree.path + "/ran" }
    public var fifo: String { tree.path + "/fifo" }

    /// `forTheRun`: a test suite keeps one subject in a static, which is never released.
    public init() throws {
      tree = try TemporaryTree.forTheRun()
      var tokens = TestTokens(seed: 0x6_17)
      for directory in ["repo", "home", "elsewhere", "hooks"] {
        try FileManager.default.createDirectory(
          atPath: tree.path + "/" + directory, withIntermediateDirectories: true)
      }
      let payload = try tree.write("payload.sh", "#!/bin/sh\ntouch '\(tree.path)/ran'\ncat\n")
      chmod(payload, 0o755)
      for hook in [
        "pre-commit", "post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change",
      ] {
        chmod(try tree.write("hooks/\(hook)", "#!/bin/sh\ntouch '\(tree.path)/ran'\n"), 0o755)
      }
      try tree.write("binary-attributes", "* -diff\n")
      try tree.write("evil-attributes", "* diff=evil\n")
      try tree.write(
        "elsewhere/.vigil.toml", "[extend]\nuseDefault = true\ndisabledRules = \(Subject.allRules)\n")
      guard mkfifo(fifo, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }

      let repo = repository
      try Git.run(["init", "-q"], in: repo)
      let readme = (1...12).map { "Line \($0) of words.\n" }
      try tree.write("repo/README.md", "# project\n\n" + readme.joined())
      try tree.write(
        "repo/app/settings.py", "import os\n\nAWS_SECRET_ACCESS_KEY = \"\(tokens.awsSecretKey())\"\n")
      try Git.run(["add", "."], in: repo)
      try Git.run(["commit", "-qm", "one"], in: repo)

      try tree.write("repo/deploy/run.sh", "#!/bin/sh\n\nexport TOKEN=\(tokens.githubToken())\n\necho done\n")
      try Git.run(["add", "."], in: repo)
      try Git.run(["commit", "-qm", "two"], in: repo)
      try signHead()

      try FileManager.default.removeItem(atPath: repo + "/README.md")
      var edited = readme
      edited[1] = "token = \"\(tokens.githubToken())\"\n"
      edited[9] = "Line ten, rewritten.\n"
      try tree.write("repo/docs/README.md", "# project\n\n" + edited.joined())
      try Git.run(["add", "-A"], in: repo)
      try Git.run(["commit", "-qm", "three"], in: repo)

      try tree.write("repo/docs/café.txt", "key: \(tokens.githubToken())\n")
      try Git.run(["add", "."], in: repo)
      try Git.run(["commit", "-qm", "four"], in: repo)
      // A replacement for commit "four" whose tree lacks the file it added.
      let parent = try Git.run(["rev-parse", "HEAD~1"], in: repo).trimmingCharacters(in: .newlines)
      let tree3 = try Git.run(["rev-parse", "HEAD~1^{tree}"], in: repo).trimmingCharacters(in: .newlines)
      let replacement = try Git.run(["commit-tree", tree3, "-p", parent, "-m", "four"], in: repo)
        .trimmingCharacters(in: .newlines)
      try Git.run(["replace", "HEAD", replacement], in: repo)

      try tree.write("repo/lib/new.py", "API_KEY = \"\(tokens.githubToken())\"\n")
      try tree.write(
        "repo/app/settings.py",
        "import os\n\nAWS_SECRET_ACCESS_KEY = \"\(tokens.awsSecretKey())\"\npassword = \"\(tokens.githubToken())\"\n"
      )
      try Git.run(["add", "."], in: repo)
    }

    /// Gives HEAD a `gpgsig` header, as a signed commit has, without a signing key.
    private func signHead() throws {
      let commit = try Git.run(["cat-file", "commit", "HEAD"], in: repository)
      guard let blank = commit.range(of: "\n\n") else { return }
      let signature = """
        gpgsig -----BEGIN PGP SIGNATURE-----
         
         iQEzBAABCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
         =AAAA
         -----END PGP SIGNATURE-----
        """
      let signed = commit[..<blank.lowerBound] + "\n" + signature + commit[blank.lowerBound...]
      let path = try tree.write("signed-commit", String(signed))
      let id = try Git.run(["hash-object", "-t", "commit", "-w", path], in: repository)
        .trimmingCharacters(in: .newlines)
      try Git.run(["update-ref", "HEAD", id], in: repository)
    }

    /// A copy of the subject whose repository has `settings` in its `.git/config` (or,
    /// with `global`, in `$HOME/.gitconfig`) and `attributes` in its
    /// `.git/info/attributes`.
    public func planted(
      _ settings: [(key: String, value: String)], global: [(key: String, value: String)] = [],
      attributes: [String] = []
    ) throws -> Subject {
      let copy = try Subject(copying: self)
      if !settings.isEmpty {
        let config = copy.repository + "/.git/config"
        let existing = try String(contentsOfFile: config, encoding: .utf8)
        try (existing + copy.configText(settings)).write(toFile: config, atomically: false, encoding: .utf8)
      }
      if !global.isEmpty {
        try copy.configText(global).write(
          toFile: copy.home + "/.gitconfig", atomically: false, encoding: .utf8)
      }
      if !attributes.isEmpty {
        try copy.tree.write("repo/.git/info/attributes", attributes.joined(separator: "\n") + "\n")
      }
      return copy
    }

    private init(copying other: Subject) throws {
      tree = try TemporaryTree()
      for entry in try FileManager.default.contentsOfDirectory(atPath: other.tree.path) where entry != "fifo"
      {
        try FileManager.default.copyItem(
          atPath: other.tree.path + "/" + entry, toPath: tree.path + "/" + entry)
      }
      guard mkfifo(fifo, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
      // The copies name the original's paths: point them here.
      for script in ["payload.sh"]
        + ["pre-commit", "post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change"].map({
          "hooks/" + $0
        })
      {
        let path = tree.path + "/" + script
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: other.tree.path, with: tree.path)
          .write(toFile: path, atomically: false, encoding: .utf8)
      }
    }

    /// `key=value` pairs as git config text, placeholders replaced.
    func configText(_ settings: [(key: String, value: String)]) -> String {
      settings.map { setting in
        let parts = setting.key.split(separator: ".", omittingEmptySubsequences: false)
        let section =
          parts.count > 2
          ? "[\(parts[0]) \"\(parts[1..<(parts.count - 1)].joined(separator: "."))\"]"
          : "[\(parts[0])]"
        let value = resolve(setting.value).replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"")
        return "\(section)\n\t\(parts.last ?? "") = \"\(value)\"\n"
      }.joined()
    }

    public func resolve(_ value: String) -> String {
      value.replacingOccurrences(of: "$PAYLOAD", with: tree.path + "/payload.sh")
        .replacingOccurrences(of: "$HOOKS", with: tree.path + "/hooks")
        .replacingOccurrences(of: "$FIFO", with: fifo)
        .replacingOccurrences(of: "$EVIL_ATTRIBUTES", with: tree.path + "/evil-attributes")
        .replacingOccurrences(of: "$ATTRIBUTES", with: tree.path + "/binary-attributes")
        .replacingOccurrences(of: "$ELSEWHERE", with: tree.path + "/elsewhere")
    }

    public var payloadRan: Bool { FileManager.default.fileExists(atPath: marker) }

    /// Plain `git` as a user would run it in this repository, with this subject's home.
    public func plainGit(_ arguments: [String], timeout: Double = 5) throws -> ProcessOutput {
      try ProcessRunner.run(
        "/usr/bin/env", ["git"] + arguments, in: repository,
        environment: ["PATH": "/usr/bin:/bin", "HOME": home, "GIT_PAGER": "", "PAGER": ""], timeout: timeout)
    }

    static let allRules =
      "[\""
      + ["aws-secret-access-key", "github-pat-classic", "generic-secret-assignment"]
      .joined(separator: "\", \"") + "\"]"
  }
}

import Foundation
import Testing
import VigilTestSupport

/// `--staged`, `--history` and standard input, end to end on real git repositories.
@Suite struct GitInputTests {
  @Test func stagedScansTheIndexNotTheWorkTree() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 11)
    let staged = tokens.githubToken()
    // Staged with a token, then the work tree copy cleaned: the commit would still leak it.
    try tree.write("app/config.py", "token = '\(staged)'\n")
    try Git.run(["add", "app/config.py"], in: tree.path)
    try tree.write("app/config.py", "token = os.environ['TOKEN']\n")
    // An unstaged change with a token is not what the commit records.
    try tree.write("README.md", "# project\n\(tokens.githubToken())\n")
    let output = try VigilBinary.run(["scan", "--staged", "--format", "json"], in: tree.path)
    #expect(output.status == 1)
    let found = try findings(output)
    #expect(found.map { $0["path"] as? String } == ["app/config.py"])
    #expect(found.map { $0["line"] as? Int } == [1])
  }

  /// The caller's `GIT_DIR`, `GIT_WORK_TREE` and `GIT_INDEX_FILE` (git sets them for its
  /// hooks) name the repository vigil reads when they are its own: a bare "dotfiles"
  /// repository's staged files are scanned. Another repository's (a hook of one
  /// repository scanning a second) never apply to the second: its tracked files are
  /// scanned whatever the first's index says.
  @Test func theCallersGitEnvironmentAppliesToItsOwnRepositoryOnly() throws {
    var tokens = TestTokens(seed: 12)
    let first = try Git.repository()
    let second = try Git.repository()
    try second.write("creds.cfg", "token = '\(tokens.githubToken())'\n")
    try second.write(".gitignore", "creds.cfg\n")
    try Git.run(["add", "-f", "creds.cfg", ".gitignore"], in: second.path)
    for variable in [["GIT_INDEX_FILE": first.path + "/.git/index"], ["GIT_DIR": first.path + "/.git"]] {
      let output = try VigilBinary.run(["scan", "-q", second.path], in: first.path, environment: variable)
      #expect(output.status == 1, "\(variable): \(output.stderr)")
    }
    // A work tree with no .git of its own, named by the caller's GIT_DIR and GIT_WORK_TREE.
    let home = try TemporaryTree()
    let store = home.path + "/.cfg"
    _ = try Git.run(["init", "-q", "--bare", store], in: home.path)
    try home.write("notes.txt", "token = '\(tokens.githubToken())'\n")
    let environment = ["GIT_DIR": store, "GIT_WORK_TREE": home.path]
    _ = try ProcessRunner.run(
      "/usr/bin/env", ["git", "add", "notes.txt"], in: home.path,
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
    let staged = try VigilBinary.run(
      ["scan", "--staged", "--format", "json"], in: home.path, environment: environment)
    #expect(staged.status == 1, "\(staged.stderr)")
    #expect(try findings(staged).map { $0["path"] as? String } == ["notes.txt"])
  }

  /// A bare clone (`git clone --mirror`, the usual way to audit a remote's history)
  /// has its history read in place; it has no staged changes to read.
  @Test func aBareMirrorsHistoryIsRead() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 13)
    try tree.write("app/settings.py", "token = '\(tokens.githubToken())'\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add"], in: tree.path)
    let mirror = tree.path + "/../\(UUID().uuidString).git"
    defer { try? FileManager.default.removeItem(atPath: mirror) }
    _ = try Git.run(["clone", "-q", "--mirror", tree.path, mirror], in: tree.path)
    let history = try VigilBinary.run(["scan", "--history", "--format", "json"], in: mirror)
    #expect(history.status == 1, "\(history.stderr)")
    #expect(try findings(history).map { $0["path"] as? String } == ["app/settings.py"])
    let named = try VigilBinary.run(["scan", "--history", "-q", mirror], in: tree.path)
    #expect(named.status == 1, "\(named.stderr)")
    let staged = try VigilBinary.run(["scan", "--staged"], in: mirror)
    #expect(staged.status == 2 && staged.stderr.contains("is a bare repository"), "\(staged.stderr)")
  }

  /// A shallow clone (CI checkouts' default) holds no commit before its boundary: a
  /// history scan says so, and `--strict` fails, rather than report a clean history.
  @Test func aShallowClonesHistoryIsSaidToBeCut() throws {
    let full = try Git.repository()
    var tokens = TestTokens(seed: 13)
    try full.write("README", "a\n")
    try Git.run(["add", "."], in: full.path)
    try Git.run(["commit", "-qm", "base"], in: full.path)
    try full.write("t.py", "TOKEN = '\(tokens.githubToken())'\n")
    try Git.run(["add", "."], in: full.path)
    try Git.run(["commit", "-qm", "secret"], in: full.path)
    try Git.run(["rm", "-q", "t.py"], in: full.path)
    try Git.run(["commit", "-qm", "removed"], in: full.path)
    #expect(try VigilBinary.run(["scan", "--no-cache", "--history", "."], in: full.path).status == 1)
    let scratch = try TemporaryTree()
    try Git.run(["clone", "-q", "--depth", "1", "file://" + full.path, "shallow"], in: scratch.path)
    let shallow = scratch.path + "/shallow"
    let output = try VigilBinary.run(["scan", "--no-cache", "--history", "."], in: shallow)
    #expect(output.status == 0)
    #expect(output.stderr.contains("this clone is shallow"), "\(output.stderr)")
    let strict = try VigilBinary.run(["scan", "--no-cache", "--strict", "--history", "."], in: shallow)
    #expect(strict.status == 2 && strict.stderr.contains("shallow clone"), "\(strict.stderr)")
    // The full repository's history is not cut.
    #expect(
      !(try VigilBinary.run(["scan", "--no-cache", "--history", "."], in: full.path)).stderr.contains(
        "shallow"))
    // A pull request's range in a shallow checkout: its first commits are not there.
    try Git.run(["branch", "-q", "-M", "main"], in: full.path)
    try Git.run(["checkout", "-q", "-b", "pr", "HEAD~2"], in: full.path)
    try full.write("u.py", "TOKEN = '\(tokens.githubToken())'\n")
    try Git.run(["add", "."], in: full.path)
    try Git.run(["commit", "-qm", "pr secret"], in: full.path)
    try Git.run(["rm", "-q", "u.py"], in: full.path)
    try Git.run(["commit", "-qm", "pr removes it"], in: full.path)
    #expect(try VigilBinary.run(["scan", "--range", "main..pr"], in: full.path).status == 1)
    try Git.run(
      ["clone", "-q", "--depth", "1", "--no-single-branch", "file://" + full.path, "pr"], in: scratch.path)
    let range = try VigilBinary.run(
      ["scan", "--strict", "--range", "origin/main..origin/pr"], in: scratch.path + "/pr")
    #expect(range.status == 2 && range.stderr.contains("this clone is shallow"), "\(range.stderr)")
  }

  @Test func stagedReportsOnlyAddedLinesOfAChangedFile() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 12)
    try tree.write("deploy.sh", "A=\(tokens.githubToken())\nB=1\nC=2\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "old secret already committed"], in: tree.path)
    let fresh = tokens.githubToken()
    try tree.write(
      "deploy.sh",
      "A=\(try String(contentsOfFile: tree.path + "/deploy.sh", encoding: .utf8).split(separator: "\n")[0].dropFirst(2))\nB=1\nD=\(fresh)\nC=2\n"
    )
    try Git.run(["add", "."], in: tree.path)
    let output = try VigilBinary.run(["scan", "--staged", "--format", "json"], in: tree.path)
    #expect(output.status == 1)
    let found = try findings(output)
    #expect(found.map { $0["line"] as? Int } == [3])

    // Nothing staged: clean.
    try Git.run(["commit", "-qm", "x"], in: tree.path)
    let clean = try VigilBinary.run(["scan", "--staged"], in: tree.path)
    #expect(clean.status == 0, "\(clean.stdout)")
  }

  @Test func stagedSecretFileIsReportedAndARenameKeepsNothingBack() throws {
    let tree = try Git.repository()
    try tree.write("services/.env.production", "DEBUG=1\nSMTP_PASSWORD=Vt6-harbor-Quill\n")
    try Git.run(["add", "."], in: tree.path)
    let output = try VigilBinary.run(["scan", "--staged", "--format", "json"], in: tree.path)
    #expect(output.status == 1)
    #expect(try findings(output).map { $0["ruleId"] as? String } == ["dotenv-file"])
  }

  /// Content moved to a path the rules judge differently is read again there: a secret
  /// committed as a test fixture (a note) or in an excluded directory, then renamed or
  /// copied into the code, is an error in staged, range and history scans, as in a scan
  /// of the tree; a rename between paths judged alike still adds nothing.
  @Test func aSecretMovedWhereItCountsIsReported() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 61)
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n[scan]\nexclude = [\"vendor/\"]\n")
    try tree.write("tests/fixtures/creds.py", "token = \"\(tokens.githubToken())\"\n")
    try tree.write("vendor/lib/creds.py", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "fixture and vendored code"], in: tree.path)
    try Git.run(["branch", "base"], in: tree.path)
    func errors(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return try findings(output).filter { $0["severity"] as? String == "error" }.compactMap {
        $0["path"] as? String
      }
      .sorted()
    }
    #expect(try errors(["--history"]).isEmpty)

    try FileManager.default.createDirectory(atPath: tree.path + "/app", withIntermediateDirectories: true)
    try Git.run(["mv", "tests/fixtures/creds.py", "app/creds.py"], in: tree.path)
    try Git.run(["mv", "vendor/lib/creds.py", "app/vendored.py"], in: tree.path)
    #expect(try errors(["--staged"]) == ["app/creds.py", "app/vendored.py"])
    try Git.run(["commit", "-qm", "move into the app"], in: tree.path)
    #expect(try errors(["--range", "base..HEAD"]) == ["app/creds.py", "app/vendored.py"])
    #expect(try errors(["--history"]) == ["app/creds.py", "app/vendored.py"])
    #expect(try errors(["."]) == ["app/creds.py", "app/vendored.py"])

    // A copy, not a rename: the blob was read already, at the fixture's path.
    try Git.run(["checkout", "-q", "base"], in: tree.path)
    try tree.write(
      "src/copied.py", try String(contentsOfFile: tree.path + "/tests/fixtures/creds.py", encoding: .utf8))
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "copy"], in: tree.path)
    #expect(try errors(["--history"]) == ["src/copied.py"])

    // Between two paths judged alike, a rename is only a rename.
    try Git.run(["mv", "src/copied.py", "src/renamed.py"], in: tree.path)
    #expect(try errors(["--staged"]).isEmpty)
    try Git.run(["commit", "-qm", "rename"], in: tree.path)
    #expect(try errors(["--range", "HEAD~1..HEAD"]).isEmpty)
  }

  /// A match that spans lines is found in range and history scans when only part of
  /// it is new: a placeholder key block completed by a later commit, a block whose
  /// BEGIN line comes last, an AWS secret key written next to an access key id
  /// committed before (the composite rule needs both).
  @Test func aMatchCompletedByALaterCommitIsReported() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 67)
    let body = (0..<6).map { _ in tokens.string(64, from: TestTokens.base64) }
    // Another key: the same content at two paths would be one blob, read once.
    let otherBody = (0..<6).map { _ in tokens.string(64, from: TestTokens.base64) }
    let (begin, end) = ("-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----")
    try tree.write("deploy/key.pem", [begin, "PASTE THE KEY HERE", end].joined(separator: "\n") + "\n")
    try tree.write("half.pem", (otherBody + [end]).joined(separator: "\n") + "\n")
    let keyID = tokens.awsAccessKeyID()
    try tree.write(
      "app/aws.ini", "[default]\naws_access_key_id = \(keyID)\naws_secret_access_key = CHANGE_ME\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "placeholders"], in: tree.path)
    #expect(
      !(try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path).stdout)
        .contains("half.pem"))

    try tree.write("deploy/key.pem", ([begin] + body + [end]).joined(separator: "\n") + "\n")
    try tree.write("half.pem", ([begin] + otherBody + [end]).joined(separator: "\n") + "\n")
    try tree.write(
      "app/aws.ini",
      "[default]\naws_access_key_id = \(keyID)\naws_secret_access_key = \(tokens.awsSecretKey())\n")
    try Git.run(["commit", "-qam", "the real ones"], in: tree.path)
    for arguments in [["--range", "HEAD~1..HEAD"], ["--history"]] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      #expect(output.status == 1, "\(output.stderr)")
      let found = try findings(output).map {
        "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")"
      }
      // A key file's block is reported by the key-file rule.
      #expect(found.contains("private-key-file deploy/key.pem"), "\(arguments)")
      #expect(found.contains("private-key-file half.pem"), "\(arguments)")
      #expect(found.contains("aws-secret-access-key app/aws.ini"), "\(arguments)")
    }
  }

  /// A history reports a secret once, at its first commit, and again where a later
  /// commit makes it graver: an allow marker taken away.
  @Test func aHistoryReportsASecretAgainWhereItIsJudgedGraver() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 1209)
    let token = tokens.githubToken()
    try tree.write("a.py", "TOKEN = \"\(token)\"  # vigil:allow revoked demo token\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "allowed"], in: tree.path)
    try tree.write("a.py", "TOKEN = \"\(token)\"\n")
    try Git.run(["commit", "-qam", "not any more"], in: tree.path)
    try tree.write("b.py", "import a\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "unrelated"], in: tree.path)
    let output = try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path)
    #expect(output.status == 1, "\(output.stderr)")
    let messages = try findings(output).compactMap { ($0["commit"] as? [String: Any])?["message"] as? String }
    #expect(messages == ["not any more"], "\(output.stdout)")
  }

  /// A key written over an SSH key file (`id_rsa`, whose rule goes by its name) is a new
  /// key: reported by a commit's and a range's scans, which take the name only for new
  /// files; and a baseline of the file as it was does not pass it, nor a baseline of a
  /// `.git-credentials` placeholder a token written to it later.
  @Test func aKeyWrittenOverAKeyFileIsNew() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 1208)
    func key() -> String {
      (["-----BEGIN OPENSSH PRIVATE KEY-----"]
        + (0..<6).map { _ in tokens.string(64, from: TestTokens.base64) }
        + ["-----END OPENSSH PRIVATE KEY-----"]).joined(separator: "\n") + "\n"
    }
    try tree.write("deploy/id_rsa", key())
    try tree.write(".git-credentials", "# filled in by the deploy job\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "base"], in: tree.path)
    let baseline = tree.path + "/../" + URL(fileURLWithPath: tree.path).lastPathComponent + "-baseline.json"
    defer { try? FileManager.default.removeItem(atPath: baseline) }
    _ = try VigilBinary.run(["scan", "-q", "--write-baseline", baseline, "."], in: tree.path)
    try tree.write("deploy/id_rsa", key())
    let scheme = "https:"
    try tree.write(".git-credentials", "\(scheme)//deploy:\(tokens.githubToken())@github.com\n")
    try Git.run(["add", "."], in: tree.path)
    let staged = try VigilBinary.run(["scan", "--staged", "--format", "json"], in: tree.path)
    #expect(staged.status == 1, "\(staged.stderr)")
    #expect(try findings(staged).contains { $0["path"] as? String == "deploy/id_rsa" })
    try Git.run(["commit", "-qm", "another key"], in: tree.path)
    let range = try VigilBinary.run(["scan", "--range", "HEAD~1..HEAD", "--format", "json"], in: tree.path)
    #expect(try findings(range).contains { $0["path"] as? String == "deploy/id_rsa" }, "\(range.stderr)")
    let after = try VigilBinary.run(["scan", "--baseline", baseline, "--format", "json", "."], in: tree.path)
    let paths = Set(try findings(after).compactMap { $0["path"] as? String })
    #expect(paths == ["deploy/id_rsa", ".git-credentials"], "\(after.stderr)")
  }

  /// A change that leaves a secret's line as it was can still make it news: a test
  /// module turned into production code by an edit to the lines around it. Staged and
  /// range scans compare the findings of both versions and report the fixture (a note
  /// before) as the error it now is; an edit that changes nothing about it adds nothing.
  @Test func aFixtureMadeProductionCodeByAnEditAroundItIsReported() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 73)
    let token = tokens.githubToken()
    func source(_ header: String?) -> String {
      "pub fn run() {}\n\n" + (header.map { $0 + "\n" } ?? "")
        + "mod tests {\n    const TOKEN: &str = \"\(token)\";\n}\n"
    }
    try tree.write("src/lib.rs", source("#[cfg(test)]"))
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "fixture"], in: tree.path)
    func severities(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return try findings(output).compactMap { $0["severity"] as? String }
    }
    #expect(try severities(["."]) == ["note"])
    // An unrelated edit: nothing new.
    try tree.write(
      "src/lib.rs", source("#[cfg(test)]").replacingOccurrences(of: "run() {}", with: "run() { }"))
    try Git.run(["add", "."], in: tree.path)
    #expect(try severities(["--staged"]).isEmpty)
    try Git.run(["commit", "-qm", "edit"], in: tree.path)
    #expect(try severities(["--range", "HEAD~1..HEAD"]).isEmpty)
    // The module is production code now: the line that marked it deleted, nothing added.
    try tree.write("src/lib.rs", source(nil))
    try Git.run(["add", "."], in: tree.path)
    #expect(try severities(["--staged"]) == ["error"])
    try Git.run(["commit", "-qm", "production"], in: tree.path)
    #expect(try severities(["--range", "HEAD~1..HEAD"]) == ["error"])
    #expect(try severities(["."]) == ["error"])
    // A whole history, which reads the lines each commit adds, reads this change whole too.
    let history = try severities(["--history"])
    #expect(history.sorted() == ["error", "note"], "\(history)")
    // Made binary on the way (a NUL in a comment, which rustc accepts): the same.
    try tree.write("src/lib.rs", source("#[cfg(test)]"))
    try Git.run(["commit", "-qam", "a fixture again"], in: tree.path)
    try tree.write("src/lib.rs", bytes: Array(source("// \u{0}").utf8))
    try Git.run(["add", "."], in: tree.path)
    #expect(try severities(["--staged"]) == ["error"])
  }

  /// Code taken out of a test module without a line of it added: the module closed
  /// before it, or the line moved below the module. A history reads such a change whole.
  @Test func codeTakenOutOfATestModuleIsReportedInHistory() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 79)
    let token = tokens.githubToken()
    let line = "    pub const TOKEN: &str = \"\(token)\";\n"
    let module = "#[cfg(test)]\nmod tests {\n    use super::*;\n" + line + "}\n"
    try tree.write("src/lib.rs", "pub fn run() {}\n\n" + module)
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "fixture"], in: tree.path)
    // Moved below the module: the same line, at another place.
    try tree.write(
      "src/lib.rs", "pub fn run() {}\n\n" + module.replacingOccurrences(of: line, with: "") + line)
    try Git.run(["commit", "-qam", "moved"], in: tree.path)
    let output = try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path)
    let found = try findings(output).map { "\($0["severity"] as? String ?? "") \($0["line"] as? Int ?? 0)" }
    #expect(found == ["note 6", "error 7"], "\(output.stderr)")
    // Closed early, by a brace at the start of the secret's own line.
    let other = tokens.githubToken()
    let closing = "#[cfg(test)]\nmod more {\n    fn a() {\n    } pub const OTHER: &str = \"\(other)\";\n}\n"
    try tree.write("src/more.rs", closing)
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "more"], in: tree.path)
    try tree.write("src/more.rs", closing.replacingOccurrences(of: "    fn a() {\n", with: ""))
    try Git.run(["commit", "-qam", "closed"], in: tree.path)
    let again = try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path)
    let more = try findings(again).filter { $0["path"] as? String == "src/more.rs" }.compactMap {
      $0["severity"] as? String
    }
    #expect(more.sorted() == ["error", "note"], "\(again.stderr)")
  }

  /// A file Git LFS keeps is committed as a pointer, its content in the repository's
  /// local store (where `git lfs`'s clean filter puts it on `git add`): git inputs read
  /// the content from there, as the file the pointer stands for; an object not there is
  /// said, and `--strict` fails. (A small clean filter stands in for `git lfs clean`: the
  /// same pointer, the same store.)
  @Test func aGitLFSFileIsReadFromTheLocalStore() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 97)
    let filter = try tree.write(
      "../lfs-clean-\(UUID().uuidString).sh",
      """
      #!/bin/sh
      t=$(mktemp); cat > "$t"; oid=$(sha256sum "$t" | cut -d' ' -f1)
      d="$(git rev-parse --git-common-dir)/lfs/objects/$(echo $oid | cut -c1-2)/$(echo $oid | cut -c3-4)"
      mkdir -p "$d" && cp "$t" "$d/$oid"
      printf 'version https://git-lfs.github.com/spec/v1\\noid sha256:%s\\nsize %s\\n' "$oid" "$(wc -c < "$t")"
      rm -f "$t"

      """)
    defer { try? FileManager.default.removeItem(atPath: filter) }
    chmod(filter, 0o755)
    try Git.run(["config", "filter.lfs.clean", filter], in: tree.path)
    try Git.run(["config", "filter.lfs.smudge", "cat"], in: tree.path)
    try tree.write(".gitattributes", "*.json filter=lfs -text\n")
    try tree.write("config.json", "{\"token\": \"\(tokens.githubToken())\"}\n")
    try Git.run(["add", "."], in: tree.path)
    #expect(try Git.run(["show", ":config.json"], in: tree.path).hasPrefix("version https://git-lfs"))
    func scan(_ arguments: [String]) throws -> (status: Int32, paths: [String], stderr: String) {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return (output.status, try findings(output).compactMap { $0["path"] as? String }, output.stderr)
    }
    #expect(try scan(["--staged"]).paths == ["config.json"])
    try Git.run(["commit", "-qm", "lfs"], in: tree.path)
    #expect(try scan(["--history"]).paths == ["config.json"])
    // Changed: only what the new object adds is news, in a whole history too.
    let config = try String(contentsOfFile: tree.path + "/config.json", encoding: .utf8)
    try tree.write("config.json", config + "{\"second\": \"\(tokens.githubToken())\"}\n")
    try Git.run(["add", "."], in: tree.path)
    #expect(try scan(["--staged"]).paths == ["config.json"])
    try Git.run(["commit", "-qm", "another"], in: tree.path)
    let history = try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path)
    let lines = try findings(history).map { "\($0["line"] as? Int ?? 0)" }
    #expect(lines.sorted() == ["1", "2"], "\(history.stderr)")
    // A checkout left as pointers (GIT_LFS_SKIP_SMUDGE): a tree scan reads the store too.
    try tree.write("config.json", try Git.run(["show", "HEAD:config.json"], in: tree.path))
    #expect(try scan(["."]).paths == ["config.json", "config.json"])
    // The objects gone from the store (a clone without `git lfs fetch`): said once,
    // strict fails.
    try FileManager.default.removeItem(atPath: tree.path + "/.git/lfs")
    let unread = try scan(["."])
    #expect(unread.paths.isEmpty && unread.stderr.contains("1 Git LFS object is not"), "\(unread.stderr)")
    #expect(try scan(["--strict", "."]).status == 2)
    let missing = try scan(["--history"])
    #expect(missing.status == 0, "\(missing.stderr)")
    #expect(
      missing.stderr.components(separatedBy: "2 Git LFS objects are not").count == 2, "\(missing.stderr)")
    #expect(try scan(["--history", "--strict"]).status == 2)
  }

  /// A NUL byte does not hide a file from git inputs either: a staged or committed
  /// binary file is read for secrets in its text, and a modified one reports only what
  /// its version before lacked.
  @Test func aBinaryFileIsReadForSecretsInGitInputs() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 71)
    let first = tokens.githubToken()
    func script(_ tokens: [String]) -> [UInt8] {
      Array("#!/bin/sh\n# ".utf8) + [0] + Array(tokens.map { "\nexport GH=\($0)" }.joined().utf8) + [0x0A]
    }
    try tree.write("deploy.sh", bytes: script([first]))
    try Git.run(["add", "."], in: tree.path)
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json", "--no-cache"] + arguments, in: tree.path)
      return try findings(output).compactMap { finding in
        (finding["path"] as? String).map { "\($0) \(finding["line"] as? Int ?? 0)" }
      }
    }
    #expect(try paths(["--staged"]) == ["deploy.sh 3"])
    try Git.run(["commit", "-qm", "script"], in: tree.path)
    try tree.write("deploy.sh", bytes: script([first, tokens.githubToken()]))
    try Git.run(["add", "."], in: tree.path)
    #expect(try paths(["--staged"]) == ["deploy.sh 4"])
    try Git.run(["commit", "-qam", "another"], in: tree.path)
    #expect(try paths(["--range", "HEAD~1..HEAD"]) == ["deploy.sh 4"])
    #expect(try paths(["--history"]).sorted() == ["deploy.sh 3", "deploy.sh 4"])
  }

  /// A blob larger than --max-file-size is counted among the skipped files in staged
  /// and history scans, as in a scan of the tree, not passed over in silence.
  @Test func anOversizedBlobIsCountedAsSkipped() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 62)
    try tree.write(
      "big.py", "token = \"\(tokens.githubToken())\"\n" + String(repeating: "# filler\n", count: 400))
    try Git.run(["add", "."], in: tree.path)
    func skipped(_ arguments: [String]) throws -> [String: Int] {
      let output = try VigilBinary.run(
        ["scan", "--format", "json", "--no-cache", "--max-file-size", "1024"] + arguments, in: tree.path)
      #expect(output.status == 0, "\(output.stderr)")
      let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
      return (document?["summary"] as? [String: Any])?["skipped"] as? [String: Int] ?? [:]
    }
    #expect(try skipped(["--staged"]) == ["too large": 1])
    try Git.run(["commit", "-qm", "big"], in: tree.path)
    #expect(try skipped(["--history"]) == ["too large": 1])
    #expect(try skipped(["."]) == ["too large": 1])
  }

  /// A file whose name holds a space is scanned under its name in history and staged
  /// scans, so rules for its extension apply (git ends such names with a TAB).
  @Test func aFileNameWithASpaceKeepsItsFindings() throws {
    let tree = try Git.repository()
    let query = "const rows = await db.query(`SELECT * FROM users WHERE id = ${req.query.id}`);\n"
    try tree.write("web/user lookup.js", query)
    try Git.run(["add", "."], in: tree.path)
    let staged = try VigilBinary.run(["scan", "--staged", "--format", "json"], in: tree.path)
    #expect(try findings(staged).map { $0["path"] as? String } == ["web/user lookup.js"])
    try Git.run(["commit", "-qm", "lookup"], in: tree.path)
    let history = try VigilBinary.run(
      ["scan", "--history", "--code-rules", "--format", "json"], in: tree.path)
    #expect(try findings(history).map { $0["path"] as? String } == ["web/user lookup.js"])
    // Code rules describe the current tree: a history scan leaves them out unless asked.
    let secretsOnly = try VigilBinary.run(["scan", "--history", "--format", "json"], in: tree.path)
    #expect(secretsOnly.status == 0)
    #expect(try findings(secretsOnly).isEmpty)
  }

  @Test func historyReportsEachFindingOnceAtTheCommitThatAddedIt() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 21)
    let leaked = tokens.githubToken()
    try tree.write("src/client.py", "import os\nTOKEN = '\(leaked)'\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add client"], in: tree.path)
    let adding = try Git.run(["rev-parse", "HEAD"], in: tree.path).trimmingCharacters(
      in: .whitespacesAndNewlines)
    // Deleted in a later commit: still leaked.
    try tree.write("src/client.py", "import os\nTOKEN = os.environ['TOKEN']\n")
    try Git.run(["commit", "-qam", "remove token"], in: tree.path)
    // A rename of a file holding another secret must not report it twice.
    let other = tokens.awsAccessKeyID()
    try tree.write("old/name.txt", "key \(other)\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add key"], in: tree.path)
    try FileManager.default.createDirectory(atPath: tree.path + "/new", withIntermediateDirectories: true)
    try Git.run(["mv", "old/name.txt", "new/name.txt"], in: tree.path)
    try Git.run(["commit", "-qm", "rename"], in: tree.path)
    // Deleting it adds nothing either.
    try Git.run(["rm", "-q", "new/name.txt"], in: tree.path)
    try Git.run(["commit", "-qm", "delete"], in: tree.path)

    let output = try VigilBinary.run(["scan", "--history", "--format", "json"], in: tree.path)
    #expect(output.status == 1)
    let found = try findings(output)
    #expect(found.count == 2)
    let byRule = Dictionary(uniqueKeysWithValues: found.map { ($0["ruleId"] as? String ?? "", $0) })
    let token = try #require(byRule["github-token"])
    #expect(token["path"] as? String == "src/client.py")
    #expect(token["line"] as? Int == 2)
    let commit = try #require(token["commit"] as? [String: Any])
    #expect(commit["sha"] as? String == adding)
    #expect(commit["message"] as? String == "add client")
    #expect(commit["author"] as? String == "Test Author")
    #expect((commit["date"] as? String)?.hasPrefix("2026-01-02") == true)
    #expect(byRule["aws-access-key-id"]?["path"] as? String == "old/name.txt")
    #expect(!output.stdout.contains(leaked) && !output.stdout.contains(other))
  }

  /// An allowlist's `commits` (gitleaks') drops what those commits added, in history
  /// scans only; an abbreviated id works as git prints it.
  @Test func anAllowlistsCommitsDropWhatThoseCommitsAdded() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 23)
    try tree.write("a.py", "TOKEN = '\(tokens.githubToken())'\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "known test token"], in: tree.path)
    let allowed = try Git.run(["rev-parse", "HEAD"], in: tree.path).trimmingCharacters(
      in: .whitespacesAndNewlines)
    try tree.write("b.py", "TOKEN = '\(tokens.githubToken())'\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "a real leak"], in: tree.path)
    let config = try TemporaryTree()
    let path = try config.write(
      "vigil.toml", "[extend]\nuseDefault = true\n[[allowlists]]\ncommits = [\"\(allowed.prefix(10))\"]\n")
    let history = try VigilBinary.run(
      ["scan", "--history", "--config", path, "--format", "json"], in: tree.path)
    #expect(history.status == 1)
    #expect(try findings(history).map { $0["path"] as? String } == ["b.py"])
    // A tree scan has no commits: the allowlist allows nothing there.
    let treeScan = try VigilBinary.run(["scan", "--config", path, "--format", "json", "."], in: tree.path)
    #expect(try findings(treeScan).compactMap { $0["path"] as? String }.sorted() == ["a.py", "b.py"])
  }

  @Test func historyFollowsMergesAndFindsSecretsAddedInAMerge() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 31)
    try Git.run(["checkout", "-qb", "feature"], in: tree.path)
    try tree.write("feature.txt", "k \(tokens.githubToken())\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "feature secret"], in: tree.path)
    try Git.run(["checkout", "-q", "main"], in: tree.path)
    try tree.write("main.txt", "clean\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "main work"], in: tree.path)
    try Git.run(["merge", "-q", "--no-ff", "--no-commit", "feature"], in: tree.path)
    // An "evil merge": a secret that only the merge commit adds.
    try tree.write("merge-only.txt", "k \(tokens.githubToken())\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "merge feature"], in: tree.path)

    let output = try VigilBinary.run(["scan", "--history", "--format", "json"], in: tree.path)
    #expect(output.status == 1)
    let found = try findings(output)
    let located = found.map {
      ($0["path"] as? String ?? "", ($0["commit"] as? [String: Any])?["message"] as? String ?? "")
    }
    #expect(located.map(\.0) == ["feature.txt", "merge-only.txt"])
    #expect(located.map(\.1) == ["feature secret", "merge feature"])

    // A range limits the scan to the commits in it.
    let ranged = try VigilBinary.run(["scan", "--range", "main~1..main", "--format", "json"], in: tree.path)
    let rangedFound = try findings(ranged)
    #expect(rangedFound.map { $0["path"] as? String } == ["feature.txt", "merge-only.txt"])
    let none = try VigilBinary.run(
      ["scan", "--range", "feature..feature", "--format", "json"], in: tree.path)
    #expect(none.status == 0)
  }

  @Test func historySARIFIsValidAndCarriesProvenance() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 41)
    try tree.write("a.txt", tokens.githubToken())
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "secret"], in: tree.path)
    let local = try VigilBinary.run(["scan", "--history", "--format", "sarif"], in: tree.path)
    #expect(local.status == 1)
    #expect(try SARIFValidator.errors(in: local.stdout) == [])
    #expect(local.stdout.contains("\"commitSha\""))
    // Without a remote, the repository is only a local directory: left out.
    #expect(!local.stdout.contains("\"versionControlProvenance\""))
    #expect(!local.stdout.contains(tree.path) && !local.stdout.contains("file://"))
    try Git.run(["remote", "add", "origin", "https://git.example.invalid/team/app.git"], in: tree.path)
    let output = try VigilBinary.run(["scan", "--history", "--format", "sarif"], in: tree.path)
    #expect(try SARIFValidator.errors(in: output.stdout) == [])
    #expect(output.stdout.contains("\"versionControlProvenance\""))
    #expect(output.stdout.contains("https://git.example.invalid/team/app.git"))
    // As configured, not as the scanning user's `insteadOf` rewrites it (to a path of
    // the scanning machine).
    try Git.run(["config", "url./srv/mirrors/.insteadOf", "https://git.example.invalid/"], in: tree.path)
    let rewritten = try VigilBinary.run(["scan", "--history", "--format", "sarif"], in: tree.path)
    #expect(rewritten.stdout.contains("https://git.example.invalid/team/app.git"))
    #expect(!rewritten.stdout.contains("/srv/mirrors"))
  }

  @Test func notARepositoryExitsTwo() throws {
    let tree = try TemporaryTree()
    let output = try VigilBinary.run(["scan", "--staged"], in: tree.path)
    #expect(output.status == 2)
    #expect(output.stderr.contains("not inside a git work tree"))
  }

  /// A file name that is not UTF-8 is shown escaped in every mode, the same as a tree
  /// scan shows it (`k\\xFF.txt`): two such names once both read `k\u{FFFD}.txt` in
  /// `--staged` and `--history`, a name no file has, their findings indistinguishable.
  /// A file whose name holds the text `\xFF` is another file: it is shown with its
  /// backslash doubled, and SARIF's URIs percent-encode each name's own bytes.
  @Test func nonUTF8NamesAreTheSameInEveryMode() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x0FF1)
    let script =
      "import sys\nfor n, t in ((b'k\\xff', sys.argv[1]), (b'k\\xfe', sys.argv[2]), (b'k\\\\xFF', sys.argv[1])):\n"
      + "    open(n + b'.txt', 'w').write('token = \"' + t + '\"\\n' + n.decode('latin-1') + '\\n')\n"
    let made = try ProcessRunner.python(script, [tokens.githubToken(), tokens.githubToken()], in: tree.path)
    #expect(made.status == 0, "\(made.stderr)")
    try Git.run(["add", "-A"], in: tree.path)
    func paths(_ arguments: [String]) throws -> [String] {
      let output = try VigilBinary.run(["scan", "--format", "json"] + arguments, in: tree.path)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
      let findings = document?["findings"] as? [[String: Any]] ?? []
      #expect(Set(findings.compactMap { $0["fingerprint"] as? String }).count == 3, "\(arguments)")
      return findings.compactMap { $0["path"] as? String }.sorted()
    }
    let expected = ["k\\\\xFF.txt", "k\\xFE.txt", "k\\xFF.txt"]
    #expect(try paths(["."]) == expected)
    #expect(try paths(["--staged"]) == expected)
    let sarif = try VigilBinary.run(["scan", "--format", "sarif", "."], in: tree.path)
    let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
    let results = (log?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
    let uris = results.compactMap {
      (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
    }
    #expect(uris.sorted() == ["k%5CxFF.txt", "k%FE.txt", "k%FF.txt"], "\(sarif.stderr)")
    try Git.run(["commit", "-qm", "names"], in: tree.path)
    #expect(try paths(["--history", "--no-cache"]) == expected)
  }

  /// Names git holds apart are held apart: `café` with `é` one code point (NFC) and
  /// with `e` and a combining accent (NFD), which Swift's strings compare equal; a name
  /// holding the byte FF and one holding the text `\xFF`. A nested config in one
  /// directory does not reach the other, history keeps each file's secret at its own
  /// path, and an exclude meets the name's bytes, as git's patterns do.
  @Test func namesGitHoldsApartAreNeverTakenForOneAnother() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x4E46)
    let (composed, decomposed, raw, literal) = (
      tokens.awsAccessKeyID(), tokens.awsAccessKeyID(), tokens.awsAccessKeyID(), tokens.awsAccessKeyID()
    )
    let made = try ProcessRunner.python(
      "import os, sys\n"
        + "for d, v in ((b'caf\\xc3\\xa9', sys.argv[1]), (b'cafe\\xcc\\x81', sys.argv[2])):\n"
        + "    os.mkdir(d); open(d + b'/a.py', 'w').write('c = \"' + v + '\"\\n')\n"
        + "open(b'k\\xff.py', 'w').write('c = \"' + sys.argv[3] + '\"\\n')\n"
        + "open(b'k\\\\xFF.py', 'w').write('c = \"' + sys.argv[4] + '\"\\n')\n",
      [composed, decomposed, raw, literal], in: tree.path)
    #expect(made.status == 0, "\(made.stderr)")
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", "names"], in: tree.path)
    // The composed directory's config turns the rule off there only; the root's
    // exclude is written for the file named with the text `\xFF` (git's escaping).
    try tree.write("café/.vigil.toml", "[scan]\ndisabledRules = [\"aws-access-key-id\"]\n")
    try tree.write(".vigil.toml", "[extend]\nuseDefault = true\n[scan]\nexclude = ['k\\\\xFF.py']\n")
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", "configs"], in: tree.path)
    let expected = [decomposed, raw]
    for mode in [["."], ["--history", "--no-cache"]] {
      let output = try VigilBinary.run(["scan", "--no-redact", "--format", "json"] + mode, in: tree.path)
      #expect(output.status == 1, "\(mode): \(output.stderr)")
      let found = try findings(output).filter { $0["ruleId"] as? String == "aws-access-key-id" }
      let snippets = found.compactMap { $0["snippet"] as? String }
      for token in [composed, decomposed, raw, literal] {
        #expect(
          snippets.contains { $0.contains(token) } == expected.contains(token),
          "\(mode): \(token) in \(found.map { $0["path"] ?? "" })")
      }
      #expect(found.contains { $0["path"] as? String == "cafe\\xCC\\x81/a.py" }, "\(mode)")
      #expect(found.contains { $0["path"] as? String == "k\\xFF.py" }, "\(mode)")
    }
  }

  /// A name shown escaped (not in NFC: `cafe\xCC\x81`) is still its bytes wherever it
  /// is used as a name: a checkout encoding's file read again, a rule's `path` and an
  /// allowlist's `paths` written with the real name, and a link's target looked up in a
  /// commit's tree.
  @Test func aNameShownEscapedIsStillItsBytes() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0xCC81)
    let name = "cafe\u{301}"
    let made = try ProcessRunner.python(
      "import os, sys\nd = 'cafe\\u0301'\nos.makedirs('wte/' + d); os.makedirs('rule/' + d)\n"
        + "os.makedirs('tests/' + d)\n"
        + "open('wte/' + d + '/k.txt', 'wb').write(('c = \"' + sys.argv[1] + '\"\\n').encode('cp037'))\n"
        + "open('rule/' + d + '/a.txt', 'w').write('t = \"ZZTOP-' + sys.argv[2] + '\"\\n')\n"
        + "open('tests/' + d + '/data', 'w').write('DB_PASSWORD=Zq8rT2vLx9PmW4kN\\n')\n",
      [tokens.awsAccessKeyID(), tokens.string(16, from: "0123456789abcdef")], in: tree.path)
    #expect(made.status == 0, "\(made.stderr)")
    try tree.write(".gitattributes", "wte/**/*.txt working-tree-encoding=IBM037\n")
    try tree.write(
      ".vigil.toml",
      "[extend]\nuseDefault = true\n[[rules]]\nid = \"zz-token\"\ndescription = \"zz\"\n"
        + "regex = '''ZZTOP-[0-9a-f]{16}'''\npath = '''^rule/\(name)/'''\n")
    try tree.write(
      "rule/\(name)/.vigil.toml",
      "[[rules]]\nid = \"yy-token\"\ndescription = \"yy\"\nregex = '''ZZTOP-[0-9a-f]{16}'''\nkeywords = [\"zztop\"]\n"
    )
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", "files"], in: tree.path)
    #expect(symlink("tests/\(name)/data", tree.path + "/.env") == 0)
    try Git.run(["add", "-A"], in: tree.path)
    try Git.run(["commit", "-qm", "link"], in: tree.path)
    let scanned = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let located = Set(try findings(scanned).map { "\($0["ruleId"] ?? "") \($0["path"] ?? "")" })
    #expect(located.contains("aws-access-key-id wte/cafe\\xCC\\x81/k.txt"), "\(located)")
    #expect(located.contains("zz-token rule/cafe\\xCC\\x81/a.txt"), "\(located)")
    // A nested config's rule is scoped to its directory's bytes.
    #expect(located.contains("yy-token rule/cafe\\xCC\\x81/a.txt"), "\(located)")
    let history = try VigilBinary.run(["scan", "--history", "--no-cache", "--format", "json"], in: tree.path)
    #expect(
      try findings(history).contains {
        $0["ruleId"] as? String == "dotenv-file" && $0["path"] as? String == ".env"
      }, "\(history.stdout)")
    try tree.write(
      ".vigil.toml",
      "[extend]\nuseDefault = true\n[[allowlists]]\ndescription = \"x\"\n"
        + "paths = ['''^wte/\(name)/''', '''^rule/''']\n")
    let allowed = try VigilBinary.run(["scan", "--format", "json", "wte", "rule"], in: tree.path)
    #expect(!allowed.stdout.contains("aws-access-key-id"), "an allowlist for the real name applies")
  }

  /// A name holding the text `\x41` is shown `\\x41` (it would read as the byte A
  /// otherwise) but is judged by its bytes everywhere git judges it: an ignore pattern
  /// written against the shown form hides nothing, a staged link to a `.env` in such a
  /// directory is followed, and a path named on the command line is shown, and its SARIF
  /// URI made, as the walk shows it.
  @Test func namesHoldingEscapeTextAreJudgedByTheirBytes() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x41)
    try tree.write("k\\x41.py", "token = \"\(tokens.githubToken())\"\n")
    try tree.write(".gitignore", "k\\\\\\\\x41.py\n")
    try tree.write("d\\x41/vals", "DB_PASSWORD=\(tokens.string(16, from: TestTokens.alphanumeric))7\n")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/d\\x41/.env", withDestinationPath: "vals")
    try Git.run(["add", "-A"], in: tree.path)
    let ignored = try ProcessRunner.run(
      "/usr/bin/env", ["git", "check-ignore", "--no-index", "k\\x41.py"], in: tree.path)
    #expect(ignored.status == 1, "git ignores it: the test means nothing")
    func findings(_ arguments: [String]) throws -> [[String: Any]] {
      let output = try VigilBinary.run(["scan", "--format", "json"] + arguments, in: tree.path)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
      return document?["findings"] as? [[String: Any]] ?? []
    }
    for mode in [["."], ["--staged"]] {
      let found = try findings(mode)
      #expect(found.contains { $0["path"] as? String == "k\\\\x41.py" }, "\(mode)")
      #expect(found.contains { $0["ruleId"] as? String == "dotenv-file" }, "\(mode)")
    }
    // A nested config there applies there (it was opened under its shown name: exit 2).
    try tree.write(
      "d\\x41/.vigil.toml",
      "[[rules]]\nid = \"acme-key\"\ndescription = \"x\"\nregex = 'acme_[a-z0-9]{16}'\nkeywords = [\"acme_\"]\n"
    )
    try tree.write(
      "d\\x41/f.txt", "k = acme_\(tokens.string(16, from: "abcdefghijklmnopqrstuvwxyz0123456789"))\n")
    // Archive members are shown as files are: members named apart are shown apart.
    let packed = try ProcessRunner.python(
      "import io, sys, tarfile\nt = tarfile.open('a.tar', 'w')\n"
        + "for n, v in ((b'm\\\\x41/x.py', sys.argv[1]), (b'mA/x.py', sys.argv[2]), (b'm\\xff/x.py', sys.argv[1])):\n"
        + "    d = ('token = \"' + v + '\"\\n').encode()\n"
        + "    i = tarfile.TarInfo(n.decode('utf-8', 'surrogateescape')); i.size = len(d); t.addfile(i, io.BytesIO(d))\n"
        + "t.close()\n", [tokens.githubToken(), tokens.githubToken()], in: tree.path)
    #expect(packed.status == 0, "\(packed.stderr)")
    // A zip's link is resolved among its members as they are shown.
    let zipped = try ProcessRunner.python(
      "import sys, zipfile\nz = zipfile.ZipFile('z.zip', 'w')\n"
        + "l = zipfile.ZipInfo('.env'); l.create_system = 3; l.external_attr = 0o120777 << 16\n"
        + "z.writestr(l, 'd\\\\x41b/real.dat')\n"
        + "z.writestr('d\\\\x41b/real.dat', 'DB_PASSWORD=' + sys.argv[1] + '\\n')\nz.close()\n",
      [tokens.string(16, from: TestTokens.alphanumeric) + "7"], in: tree.path)
    #expect(zipped.status == 0, "\(zipped.stderr)")
    try Git.run(["add", "-A"], in: tree.path)
    for mode in [["."], ["--staged"]] {
      let found = try findings(mode)
      #expect(
        found.contains { $0["ruleId"] as? String == "acme-key" && $0["path"] as? String == "d\\\\x41/f.txt" },
        "\(mode)")
      #expect(
        found.contains { $0["ruleId"] as? String == "dotenv-file" && $0["path"] as? String == "z.zip!.env" },
        "\(mode)")
      let members = Set(found.compactMap { $0["path"] as? String }.filter { $0.hasPrefix("a.tar!") })
      #expect(members == ["a.tar!m\\\\x41/x.py", "a.tar!mA/x.py", "a.tar!m\\xFF/x.py"], "\(mode)")
    }
    let named = try findings(["k\\x41.py"])
    #expect(named.map { $0["path"] as? String } == ["k\\\\x41.py"])
    let sarif = try VigilBinary.run(["scan", "--format", "sarif", "k\\x41.py"], in: tree.path)
    #expect(
      sarif.stdout.contains("\"uri\" : \"k%5Cx41.py\"") || sarif.stdout.contains("\"uri\":\"k%5Cx41.py\""),
      "\(sarif.stdout.prefix(2000))")
  }

  /// A tag the repository ships named like the base branch (`origin/main`) is what git
  /// takes first, and would make the range a CI job scans empty: an ambiguous name is an
  /// error, exit 2. The same name meaning one commit, or named in full, is scanned.
  @Test func anAmbiguousRangeEndIsAnError() throws {
    let tree = try Git.repository()
    try tree.write("a.txt", "a\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "base"], in: tree.path)
    try Git.run(["update-ref", "refs/remotes/origin/main", "HEAD"], in: tree.path)
    var tokens = TestTokens(seed: 0xA3B1)
    try tree.write("b.txt", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "leak"], in: tree.path)
    try Git.run(["tag", "origin/main", "HEAD"], in: tree.path)
    let ambiguous = try VigilBinary.run(["scan", "--range", "origin/main..HEAD"], in: tree.path)
    #expect(ambiguous.status == 2)
    #expect(
      ambiguous.stderr.contains("'origin/main' is ambiguous: refs/tags/origin/main, refs/remotes/origin/main")
    )
    let full = try VigilBinary.run(["scan", "--range", "refs/remotes/origin/main..HEAD"], in: tree.path)
    #expect(full.status == 1, "\(full.stderr)")
    try Git.run(["tag", "-d", "origin/main"], in: tree.path)
    try Git.run(["tag", "origin/main", "HEAD~1"], in: tree.path)  // the same commit: no doubt
    let same = try VigilBinary.run(["scan", "--range", "origin/main..HEAD"], in: tree.path)
    #expect(same.status == 1, "\(same.stderr)")
    // A tag named like the base's short id: git takes the tag.
    let short = try Git.run(["rev-parse", "--short=8", "HEAD~1"], in: tree.path)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try Git.run(["tag", short, "HEAD"], in: tree.path)
    let shadowed = try VigilBinary.run(["scan", "--range", short + "..HEAD"], in: tree.path)
    #expect(shadowed.status == 2)
    #expect(shadowed.stderr.contains("is ambiguous: refs/tags/\(short), commit "), "\(shadowed.stderr)")
  }

  /// A range that selects no commit scans nothing, and says so: ends swapped is a
  /// warning (`--strict` fails), no start at all (`$BASE..HEAD` with BASE unset) exit 2.
  @Test func anEmptyRangeIsSaid() throws {
    let tree = try Git.repository()
    try tree.write("a.txt", "a\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "base"], in: tree.path)
    var tokens = TestTokens(seed: 0xA3B2)
    try tree.write("b.txt", "token = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "leak"], in: tree.path)
    let swapped = try VigilBinary.run(["scan", "--range", "HEAD..HEAD~1"], in: tree.path)
    #expect(swapped.status == 0)
    #expect(
      swapped.stderr.contains("warning: the range 'HEAD..HEAD~1' selects no commit"), "\(swapped.stderr)")
    let strict = try VigilBinary.run(["scan", "--strict", "--range", "HEAD..HEAD~1"], in: tree.path)
    #expect(strict.status == 2, "\(strict.stderr)")
    let noStart = try VigilBinary.run(["scan", "--range", "..HEAD"], in: tree.path)
    #expect(noStart.status == 2)
    #expect(noStart.stderr.contains("has no start"), "\(noStart.stderr)")
    let right = try VigilBinary.run(["scan", "--range", "HEAD~1..HEAD"], in: tree.path)
    #expect(right.status == 1 && !right.stderr.contains("selects no commit"), "\(right.stderr)")
  }

  /// A git failure is one line naming what is wrong, exit 2; `--verbose` adds the git
  /// command and all git said.
  @Test func gitFailuresAreOneClearLine() throws {
    let tree = try Git.repository()
    try tree.write("a.txt", "a\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "first"], in: tree.path)
    let noRemote = try VigilBinary.run(["scan", "--range", "origin/main..HEAD"], in: tree.path)
    #expect(noRemote.status == 2)
    #expect(
      noRemote.stderr.trimmingCharacters(in: .newlines)
        == "vigil: error: bad revision range 'origin/main..HEAD': 'origin/main' names no commit here"
        + " (in CI, fetch it first: a shallow checkout has only the commit it builds)")

    // A commit whose object is gone: git itself fails.
    let head = try Git.run(["rev-parse", "HEAD"], in: tree.path).trimmingCharacters(
      in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(
      atPath: tree.path + "/.git/objects/\(head.prefix(2))/\(head.dropFirst(2))")
    let broken = try VigilBinary.run(["scan", "--history"], in: tree.path)
    #expect(broken.status == 2)
    #expect(broken.stderr.split(separator: "\n").count == 1, "\(broken.stderr)")
    #expect(broken.stderr.contains("vigil: error: git log: bad object \(head)"))
    #expect(!broken.stderr.contains("--no-ext-diff"))
    let verbose = try VigilBinary.run(["scan", "--history", "--verbose"], in: tree.path)
    #expect(verbose.status == 2)
    #expect(verbose.stderr.contains("git command (exit 128): git "))
    #expect(verbose.stderr.contains("--no-ext-diff") && verbose.stderr.contains("fatal: bad object"))
  }

  @Test func standardInput() throws {
    var tokens = TestTokens(seed: 51)
    let tree = try TemporaryTree()
    let input = try tree.write("input.txt", "x = 1\ny = '\(tokens.githubToken())'\n")
    let output = try ProcessRunner.run(
      "/bin/sh", ["-c", "\"$0\" scan --format json - < \"$1\"", VigilBinary.path, input])
    #expect(output.status == 1)
    let found = try findings(output)
    #expect(found.map { $0["path"] as? String } == ["<stdin>"])
    #expect(found.map { $0["line"] as? Int } == [2])
  }

  /// `--stdin-filename` scans standard input as that file: the same findings as the
  /// file on disk gives (path rules too: a `.env` is a committed secret file, a
  /// `.env.example` is not), naming it.
  @Test func standardInputNamedByStdinFilename() throws {
    var tokens = TestTokens(seed: 52)
    let tree = try TemporaryTree()
    let text = "DEBUG=1\nAPI_KEY='\(tokens.githubToken())'\n"
    let input = try tree.write("input.txt", text)
    try tree.write("deploy/.env", text)
    try tree.write("deploy/.env.example", text)
    func scan(_ name: String?) throws -> [String] {
      let option = name.map { "--stdin-filename '\($0)' " } ?? ""
      let output = try ProcessRunner.run(
        "/bin/sh", ["-c", "\"$0\" scan --format json \(option)- < \"$1\"", VigilBinary.path, input])
      #expect(output.status == 1, "\(output.stderr)")
      return try findings(output).map { "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")" }
    }
    let onDisk = try findings(VigilBinary.run(["scan", "--format", "json", "."], in: tree.path))
      .map { "\($0["ruleId"] as? String ?? "") \($0["path"] as? String ?? "")" }
    #expect(onDisk.contains("dotenv-file deploy/.env"))
    #expect(!onDisk.contains("dotenv-file deploy/.env.example"))
    #expect(try scan("./deploy/.env").sorted() == onDisk.filter { $0.hasSuffix(" deploy/.env") }.sorted())
    #expect(
      try scan("deploy/.env.example").sorted() == onDisk.filter { $0.hasSuffix(".env.example") }.sorted())
    #expect(try scan(nil).allSatisfy { $0.hasSuffix(" <stdin>") && !$0.hasPrefix("dotenv-file") })

    let misplaced = try VigilBinary.run(["scan", "--stdin-filename", ".env", "."], in: tree.path)
    #expect(misplaced.status == 2)
    #expect(misplaced.stderr.contains("--stdin-filename names standard input"))
  }
}

/// Commit fields and remote URLs come from the repository and can hold a secret: they
/// are masked as snippets are.
@Suite struct CommitFieldRedactionTests {
  @Test func commitSubjectsAuthorsAndRemoteURLsAreRedacted() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x5ECC)
    let inSubject = tokens.githubToken()
    let inAuthor = tokens.githubToken()
    let inQuery = tokens.githubToken()
    try tree.write("app.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(
      ["-c", "user.name=dev \(inAuthor)", "commit", "-qm", "rotate \(inSubject) later"], in: tree.path)
    try Git.run(["config", "user.name", "x"], in: tree.path)
    try Git.run(
      ["remote", "add", "origin", "https://git.example.invalid/r.git?access_token=\(inQuery)"], in: tree.path)
    // Git.run sets the author from the environment: amend with the name that holds a token.
    try Git.run(
      [
        "commit", "--amend", "-qm", "rotate \(inSubject) later", "--author",
        "dev \(inAuthor) <d@example.invalid>",
      ], in: tree.path)
    for format in ["text", "json", "sarif"] {
      let output = try VigilBinary.run(["scan", "--history", "--format", format], in: tree.path)
      #expect(output.status == 1, "\(output.stderr)")
      for secret in [inSubject, inAuthor, inQuery] {
        #expect(
          !(output.stdout + output.stderr).contains(secret.dropFirst(4)), "\(format) shows a secret in clear")
      }
    }
    let control = try VigilBinary.run(["scan", "--history", "--no-redact"], in: tree.path)
    #expect(control.stdout.contains(inSubject), "control: the subject is not in the report at all")
  }

  /// A subject quoting a secret found in another commit, or inside an archive, is masked
  /// too: every secret the scan finds is masked in every commit's fields.
  @Test func aSubjectQuotingASecretFoundElsewhereIsMasked() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x5ECE)
    let (earlier, zipped) = (tokens.awsSecretKey(), tokens.awsSecretKey())
    try tree.write(
      "creds.ini", "aws_access_key_id = \(tokens.awsAccessKeyID())\naws_secret_access_key = \(earlier)\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "creds"], in: tree.path)
    try tree.write("notes.txt", "token = \(tokens.githubToken())\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "notes; the old key was \(earlier)"], in: tree.path)
    let script =
      "import zipfile\nwith zipfile.ZipFile('c.zip', 'w') as z:\n"
      + "    z.writestr('creds.ini', 'aws_access_key_id = \(tokens.awsAccessKeyID())\\naws_secret_access_key = \(zipped)\\n')\n"
    #expect(try ProcessRunner.python(script, in: tree.path).status == 0)
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "zip with \(zipped)"], in: tree.path)
    for format in ["text", "json"] {
      let output = try VigilBinary.run(
        ["scan", "--history", "--no-cache", "--format", format], in: tree.path)
      #expect(output.status == 1, "\(output.stderr)")
      #expect(!output.stdout.contains(earlier.dropFirst(4)), "\(format): the earlier key in clear")
      #expect(!output.stdout.contains(zipped.dropFirst(4)), "\(format): the zipped key in clear")
    }
    let control = try VigilBinary.run(["scan", "--history", "--no-cache", "--no-redact"], in: tree.path)
    #expect(control.stdout.contains("notes; the old key was \(earlier)"), "control")
  }

  /// A subject of many kilobytes is cut in reports (after its secrets are masked).
  @Test func aLongSubjectIsCut() throws {
    let tree = try Git.repository()
    var tokens = TestTokens(seed: 0x5ECD)
    let key = tokens.awsSecretKey()
    try tree.write("app.py", "aws_secret_access_key = \"\(key)\"\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", String(repeating: "long ", count: 5_000) + key], in: tree.path)
    let output = try VigilBinary.run(["scan", "--history", "--format", "json"], in: tree.path)
    let commit = try findings(output).first?["commit"] as? [String: Any]
    let message = commit?["message"] as? String ?? ""
    #expect(message.count == 1_001 && message.hasSuffix("…"), "\(message.count)")
  }
}

import Foundation
import Testing
import VigilKit
import VigilTestSupport

/// git itself is the oracle for ignore rules: random trees with random `.gitignore`
/// files, `.git/info/exclude` and a `core.excludesFile`, some files tracked, and
/// vigil's list of files to scan must equal `git ls-files -co --exclude-standard`.
@Suite struct GitIgnoreOracleTests {
  static let names = ["a", "b", "c", "a.txt", "b.log", "x1", "#h", "!i", "e f", "[x]", "q?", "deep.txt"]
  static let directories = ["a", "b", "d", "e f", "logs"]
  static let segments = [
    "a", "b", "c", "d", "a.txt", "b.log", "x*", "*.txt", "*.log", "?", "[ab]", "[!a]*", "[a-c]",
    "**", "*", "e f", "e\\ f", "\\#h", "\\!i", "\\[x]", "q\\?", "logs", "deep.*", "[[:alpha:]]",
    "*.[tl]*", "a*b", "**.txt",
  ]

  static func pattern(_ random: inout SeededGenerator) -> String {
    if Int.random(in: 0..<12, using: &random) == 0 { return "# a comment" }
    if Int.random(in: 0..<15, using: &random) == 0 { return "" }
    var text = Bool.random(using: &random) && Int.random(in: 0..<3, using: &random) == 0 ? "!" : ""
    if Int.random(in: 0..<4, using: &random) == 0 { text += "/" }
    let count = Int.random(in: 1...3, using: &random)
    text += (0..<count).map { _ in segments.randomElement(using: &random)! }.joined(separator: "/")
    if Int.random(in: 0..<4, using: &random) == 0 { text += "/" }
    switch Int.random(in: 0..<10, using: &random) {
    case 0: text += "  "
    case 1: text += "\\ "
    default: break
    }
    return text
  }

  static func ignoreFile(_ random: inout SeededGenerator) -> String {
    (0..<Int.random(in: 1...5, using: &random)).map { _ in pattern(&random) }.joined(separator: "\n") + "\n"
  }

  static func makeCase(seed: UInt64) throws -> TemporaryTree {
    var random = SeededGenerator(seed: seed)
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    var directoriesMade = [""]
    for _ in 0..<Int.random(in: 4...20, using: &random) {
      let depth = Int.random(in: 0...3, using: &random)
      let directory = (0..<depth).map { _ in directories.randomElement(using: &random)! }.joined(
        separator: "/")
      let name = names.randomElement(using: &random)!
      let path = directory.isEmpty ? name : directory + "/" + name
      // A name cannot be both a file and a directory.
      if FileManager.default.fileExists(atPath: tree.path + "/" + path) { continue }
      var clash = false
      var prefix = ""
      for component in directory.split(separator: "/") {
        prefix += (prefix.isEmpty ? "" : "/") + component
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: tree.path + "/" + prefix, isDirectory: &isDirectory),
          !isDirectory.boolValue
        {
          clash = true
        }
      }
      if clash { continue }
      try tree.write(path, "content\n")
      directoriesMade.append(directory)
    }
    for directory in Set(directoriesMade).sorted() where Int.random(in: 0..<3, using: &random) < 2 {
      let path = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: tree.path + "/" + path, isDirectory: &isDirectory) {
        continue
      }
      try tree.write(path, ignoreFile(&random))
    }
    if Bool.random(using: &random) {
      try tree.write(".git/info/exclude", ignoreFile(&random))
    }
    if Bool.random(using: &random) {
      let global = try tree.write(".git/vigil-global-excludes", ignoreFile(&random))
      try Git.run(["config", "core.excludesFile", global], in: tree.path)
    }
    // Some files tracked whatever ignores them: listed by git, and scanned by vigil.
    let files = try FileManager.default.subpathsOfDirectory(atPath: tree.path)
      .filter { !$0.hasPrefix(".git/") && $0 != ".git" }.sorted()
      .filter { path in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: tree.path + "/" + path, isDirectory: &isDirectory)
          && !isDirectory.boolValue
      }
    let chosen = files.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }
    if !chosen.isEmpty { try Git.run(["add", "-f", "--"] + chosen.map { ":(literal)" + $0 }, in: tree.path) }
    return tree
  }

  static func gitList(_ root: String) throws -> [String] {
    let output = try Git.run(["ls-files", "-z", "-co", "--exclude-standard"], in: root)
    return output.split(separator: "\0").map(String.init).sorted {
      $0.utf8.lexicographicallyPrecedes($1.utf8)
    }
  }

  static func vigilList(_ root: String) throws -> [String] {
    try Scanner(pack: RulePack(), options: ScanOptions(paths: [root], jobs: 2)).listFiles()
  }

  @Test(arguments: 0..<240)
  func randomTreesMatchGit(seed: Int) throws {
    let tree = try Self.makeCase(seed: UInt64(seed) &* 7919 &+ 17)
    let expected = try Self.gitList(tree.path)
    let actual = try Self.vigilList(tree.path)
    if actual != expected {
      let ignoreFiles = try FileManager.default.subpathsOfDirectory(atPath: tree.path)
        .filter { $0.hasSuffix(".gitignore") || $0.hasSuffix("exclude") || $0.hasSuffix("excludes") }
        .map { "--- \($0)\n" + ((try? String(contentsOfFile: tree.path + "/" + $0, encoding: .utf8)) ?? "") }
      Issue.record(
        "seed \(seed): vigil \(actual) git \(expected)\n\(ignoreFiles.joined(separator: "\n"))")
    }
  }

  /// A relative `core.excludesFile` is read from the work tree's top, as git reads it
  /// (not from wherever vigil runs); a linked worktree applies the repository's own
  /// `info/exclude` (its git directory's `commondir`).
  @Test func excludesAreReadWhereGitReadsThem() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q", "main"], in: tree.path)
    let main = tree.path + "/main"
    for name in ["a.txt", "b.txt", "c.txt", "kept.txt"] { try tree.write("main/" + name, "x\n") }
    try tree.write("main/ignore-list", "a.txt\n")
    try Git.run(["config", "core.excludesFile", "ignore-list"], in: main)
    try tree.write("main/.git/info/exclude", "c.txt\n")
    try Git.run(["add", "kept.txt"], in: main)
    try Git.run(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "i"], in: main)
    let expected = try Self.gitList(main)
    #expect(!expected.contains("a.txt") && !expected.contains("c.txt") && expected.contains("b.txt"))
    #expect(try Self.vigilList(main) == expected)
    try Git.run(["worktree", "add", "-q", tree.path + "/linked"], in: main)
    for name in ["a.txt", "b.txt", "c.txt"] { try tree.write("linked/" + name, "x\n") }
    try tree.write("linked/ignore-list", "a.txt\n")
    let linked = try Self.gitList(tree.path + "/linked")
    #expect(!linked.contains("c.txt"))
    #expect(try Self.vigilList(tree.path + "/linked") == linked)
  }

  /// git's wildmatch retries each `**/` group from every directory it could end at: k
  /// groups over a deep path cost about 7^k steps (git takes 40 s at k = 8 over 60
  /// levels). vigil remembers what each retry gave: git's answers, in polynomial time.
  @Test func manyDoubleStarGroupsOverADeepPathMatchGit() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    let deep = Array(repeating: "a", count: 30).joined(separator: "/")
    for path in [deep + "/b", deep + "/c.py", "a/a/a/b", "a/a/a/a/b", "a/a/a/a/c.py", "b"] {
      try tree.write(path, "x\n")
    }
    let groups = String(repeating: "**/a/", count: 4)
    try tree.write(".gitignore", groups + "b\n" + groups + "*.py\n!" + groups + "a/*.py\n")
    let expected = try Self.gitList(tree.path)
    #expect(expected.contains("a/a/a/b") && !expected.contains("a/a/a/a/b"))
    #expect(try Self.vigilList(tree.path) == expected)
    // Twelve groups: days in git's way; each path here at once.
    try tree.write(".gitignore", String(repeating: "**/a/", count: 12) + "b\n")
    let listed = try Self.vigilList(tree.path)
    #expect(!listed.contains(deep + "/b") && listed.contains("a/a/a/a/b") && listed.contains(deep + "/c.py"))
    // Past `WildMatch.maximumSteps` (a re-including pattern of 200 groups over a path
    // 250 deep that it does not match), matching gives up and the path is left in:
    // scanned, where git would take hours to say the line above ignores it.
    let deeper = Array(repeating: "a", count: 250).joined(separator: "/")
    try tree.write(deeper + "/c.py", "x\n")
    try tree.write(".gitignore", "c.py\n!" + String(repeating: "**/a/", count: 200) + "b.py\n")
    #expect(try Self.vigilList(tree.path).contains(deeper + "/c.py"))
  }

  @Test func trackedFilesThatIgnoreRulesListAreStillScanned() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    try tree.write("config/secrets.env", "x\n")
    try tree.write("keep.txt", "x\n")
    try Git.run(["add", "."], in: tree.path)
    try Git.run(["commit", "-qm", "add"], in: tree.path)
    try tree.write(".gitignore", "config/\n*.env\n")
    try tree.write("config/new.env", "x\n")
    let expected = try Self.gitList(tree.path)
    #expect(expected == [".gitignore", "config/secrets.env", "keep.txt"])
    #expect(try Self.vigilList(tree.path) == expected)
  }

  @Test func ignoreFilesAboveTheScannedDirectoryApply() throws {
    let tree = try TemporaryTree()
    try Git.run(["init", "-q"], in: tree.path)
    try tree.write(".gitignore", "*.log\nsub/skip/\n")
    try tree.write("sub/a.log", "x")
    try tree.write("sub/a.txt", "x")
    try tree.write("sub/skip/b.txt", "x")
    #expect(try Self.vigilList(tree.path + "/sub") == ["a.txt"])
  }

  /// Outside a repository git reads no ignore file, and neither does the walk: nothing
  /// tells a file kept out of a repository from one shipped (an unpacked archive's
  /// `.env`), and a tree's `*` would hide all of it. Nor in a repository below (the tree
  /// may ship its `.git`); from inside that repository its rules count.
  @Test func ignoreFilesApplyOnlyInARepository() throws {
    let tree = try TemporaryTree()
    try tree.write(".gitignore", "build/\n*.tmp\n!keep.tmp\n*\n")
    try tree.write("build/out.js", "x")
    try tree.write("a.tmp", "x")
    try tree.write("keep.tmp", "x")
    try tree.write(".env", "x")
    try tree.write("clone/.gitignore", "*.log\n")
    try tree.write("clone/a.log", "x")
    try tree.write("clone/a.txt", "x")
    try Git.run(["init", "-q"], in: tree.path + "/clone")
    #expect(
      try Self.vigilList(tree.path) == [
        ".env", ".gitignore", "a.tmp", "build/out.js", "clone/.gitignore", "clone/a.log", "clone/a.txt",
        "keep.tmp",
      ])
    #expect(try Self.vigilList(tree.path + "/clone") == [".gitignore", "a.txt"])
    let all = try Scanner(
      pack: RulePack(), options: ScanOptions(paths: [tree.path], useIgnoreFiles: false)
    ).listFiles()
    #expect(
      all == [
        ".env", ".gitignore", "a.tmp", "build/out.js", "clone/.gitignore", "clone/a.log", "clone/a.txt",
        "keep.tmp",
      ]
    )
  }

  @Test func theRepositoryItselfMatchesGit() throws {
    let root = RepositoryPaths.root
    guard FileManager.default.fileExists(atPath: root + "/.git") else { return }
    // Tracked files deleted in the work tree are in git's list but cannot be scanned.
    let existing = try Self.gitList(root).filter {
      FileManager.default.fileExists(atPath: root + "/" + $0)
    }
    #expect(try Self.vigilList(root) == existing)
  }
}

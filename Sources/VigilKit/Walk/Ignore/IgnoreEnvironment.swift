import Foundation

/// Where ignore rules come from for a scan of one directory: the enclosing git
/// repository (if any), its `.git/info/exclude`, the user's `core.excludesFile`, and
/// the `.gitignore` files of the directories between the repository root and the
/// scanned directory.
///
/// Outside a repository the scanned directory is the root and its `.gitignore` files
/// still apply (only `info/exclude` needs a repository).
struct IgnoreEnvironment: Sendable {
  /// The repository's work tree root, if the directory is inside one.
  let repositoryRoot: String?
  /// The scanned directory relative to the ignore root: `""` or `dir/sub`.
  let prefix: [UInt8]
  /// The rules in force in the scanned directory before its own `.gitignore`.
  let rules: IgnoreRules

  init(directory: String) {
    let repository = RepositoryLocation.containing(directory)
    let root = repository?.workTree ?? directory
    var fallbacks: [IgnoreFile] = []
    if let gitDirectory = repository?.gitDirectory,
      let exclude = Self.read(gitDirectory + "/info/exclude")
    {
      fallbacks.append(IgnoreFile(base: [], contents: exclude))
    }
    if let path = Self.globalExcludesPath(directory: directory), let global = Self.read(path) {
      fallbacks.append(IgnoreFile(base: [], contents: global))
    }
    var rules = IgnoreRules(fallbacks: fallbacks)
    let relative = directory == root ? "" : String(directory.dropFirst(root.count + 1))
    var base = ""
    if !relative.isEmpty {
      // The .gitignore files of every directory above the scanned one, down from the root.
      for component in [""] + relative.split(separator: "/").dropLast().map(String.init) {
        base = component.isEmpty ? "" : (base.isEmpty ? component : base + "/" + component)
        let path = base.isEmpty ? root + "/.gitignore" : root + "/" + base + "/.gitignore"
        if let contents = Self.read(path) {
          rules = rules.adding(IgnoreFile(base: Array(base.utf8), contents: contents))
        }
      }
    }
    self.repositoryRoot = repository?.workTree
    self.prefix = Array(relative.utf8)
    self.rules = rules
  }

  /// `core.excludesFile` as git resolves it, else git's default
  /// `$XDG_CONFIG_HOME/git/ignore` (or `~/.config/git/ignore`).
  static func globalExcludesPath(directory: String) -> String? {
    if let configured = try? GitCommand(repository: directory).text(
      ["config", "--path", "--get", "core.excludesFile"]), !configured.isEmpty
    {
      return configured
    }
    let environment = ProcessInfo.processInfo.environment
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/git/ignore" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.config/git/ignore" }
    return nil
  }

  static func read(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
  }
}

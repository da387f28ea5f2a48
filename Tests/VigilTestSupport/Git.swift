import Foundation

/// The real `git`, for tests that build repositories.
public enum Git {
  /// Runs git in `directory` with a fixed identity and no user or system config
  /// surprises in commits; fails the caller when git fails.
  @discardableResult
  public static func run(_ arguments: [String], in directory: String) throws -> String {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_AUTHOR_NAME"] = "Test Author"
    environment["GIT_AUTHOR_EMAIL"] = "author@example.invalid"
    environment["GIT_COMMITTER_NAME"] = "Test Committer"
    environment["GIT_COMMITTER_EMAIL"] = "committer@example.invalid"
    environment["GIT_AUTHOR_DATE"] = environment["GIT_AUTHOR_DATE"] ?? "2026-01-02T03:04:05Z"
    environment["GIT_COMMITTER_DATE"] = environment["GIT_COMMITTER_DATE"] ?? "2026-01-02T03:04:05Z"
    let output = try ProcessRunner.run(
      "/usr/bin/env", ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + arguments,
      in: directory, environment: environment)
    guard output.status == 0 else {
      throw GitFailure(message: "git \(arguments.joined(separator: " ")): \(output.stderr)")
    }
    return output.stdout
  }

  public struct GitFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}

extension Git {
  /// A new repository in a temporary directory, with one commit.
  public static func repository() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    try run(["init", "-q"], in: tree.path)
    try tree.write("README.md", "# project\n")
    try run(["add", "."], in: tree.path)
    try run(["commit", "-qm", "initial"], in: tree.path)
    return tree
  }
}

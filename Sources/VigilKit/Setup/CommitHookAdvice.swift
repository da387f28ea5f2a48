/// What a pre-commit hook says when vigil blocks a commit: that the commit was blocked,
/// why, and the ways forward. One text for the hook `vigil install-hook` writes and for
/// `vigil scan --staged --hook-advice` (the pre-commit framework's hook), so both name
/// the same suppression mechanisms (`Documentation/Suppressing.md`) the same way.
public enum CommitHookAdvice {
  /// Which hook runs vigil: it decides how to skip it.
  public enum Runner: Sendable {
    /// The plain git hook `vigil install-hook` writes.
    case gitHook
    /// The pre-commit framework, where `SKIP=vigil` skips only this hook.
    case preCommitFramework
  }

  /// After a scan that failed on its findings (exit 1), printed below them.
  public static func blocked(by runner: Runner) -> String {
    """
    vigil: commit blocked by the findings above. To proceed:
      - remove the secret (rotate it if it was real) or fix the code, then
        `git add` the file again and commit;
      - for a false positive, add a `vigil:allow RULE-ID reason` comment on its
        line, or a [[ignore]] entry with its fingerprint and a reason to
        .vigilignore (`vigil scan --staged --format json` prints fingerprints);
    \(skipping(runner, "the findings are committed"))
    """
  }

  /// After vigil failed to run or could not scan (exit 2, or the shell's 127 when
  /// vigil is missing), printed below vigil's own error.
  public static func failed(by runner: Runner) -> String {
    """
    vigil: commit blocked: vigil failed to run, so nothing was scanned (its error is
    above). To proceed:
      - fix what it says and commit again;
    \(runner == .gitHook ? repointing : "")\(skipping(runner, "nothing is scanned"))
    """
  }

  /// For the git hook: vigil moved or went since the hook was installed.
  private static let repointing = """
      - if vigil is no longer on PATH or where the hook calls it, point the hook at
        it: `vigil install-hook --force` (add `--vigil PATH` when it is not on PATH);

    """

  /// The last line: how to commit without the hook, and its cost.
  private static func skipping(_ runner: Runner, _ cost: String) -> String {
    switch runner {
    case .gitHook:
      "  - `git commit --no-verify` skips this hook (use it with care:\n    \(cost))."
    case .preCommitFramework:
      "  - `SKIP=vigil git commit` skips this hook, `git commit --no-verify` every\n"
        + "    hook (use them with care: \(cost))."
    }
  }
}

import VigilSupport

/// What `.gitattributes` give paths, as git reads them (`git check-attr`).
package enum GitAttributes {
  /// The value of `attribute` for each of `paths` (relative to the git command's
  /// directory): `set`, `unset`, `unspecified` or the value given. The index's
  /// attributes with `cached`, else the work tree's.
  package static func values(
    of attribute: String, for paths: [String], git: GitCommand, cached: Bool, timeout: Double? = nil
  ) throws -> [String: String] {
    guard !paths.isEmpty else { return [:] }
    // Paths as vigil shows them: git is asked about the names' own bytes.
    let input: [UInt8] = paths.flatMap { PathText.bytes(display: $0) + [UInt8(0)] }
    let output = try git.run(
      ["check-attr", "-z", "--stdin"] + (cached ? ["--cached"] : []) + [attribute], input: input,
      timeout: timeout)
    // `path NUL attribute NUL value NUL`, for each path.
    let fields = output.split(separator: 0, omittingEmptySubsequences: false)
    var values: [String: String] = [:]
    var index = 0
    while index + 2 < fields.count {
      values[PathText.display(fields[index])] = String(
        decoding: fields[index + 2], as: UTF8.self)
      index += 3
    }
    return values
  }

  /// Which of `paths` git shows as binary files whatever they hold (`-diff`, or the
  /// `binary` macro): a change to one is "Binary files differ" in a review.
  package static func diffHidden(
    _ paths: [String], git: GitCommand, cached: Bool, timeout: Double? = nil
  ) throws -> Set<String> {
    Set(
      try values(of: "diff", for: paths, git: git, cached: cached, timeout: timeout).filter {
        $0.value == "unset"
      }
      .keys)
  }
}

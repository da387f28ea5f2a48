import Foundation
import Testing
import VigilTestSupport

/// Rust `unsafe` blocks and `unsafe impl`s without a `// SAFETY:` comment, as clippy's
/// `undocumented_unsafe_blocks` has it, found at their lines with CWE-758; documented
/// ones, tests, comments, strings and `unsafe fn` declarations are not.
@Suite struct UndocumentedUnsafeTests {
  private let library = """
    use std::cell::UnsafeCell;

    pub struct Slot<T> {
        value: UnsafeCell<Option<T>>,
    }

    // SAFETY: every access to `value` goes through the lock in `Pool`.
    unsafe impl<T: Send> Sync for Slot<T> {}
    unsafe impl<T: Send> Send for Slot<T> {}

    impl<T> Slot<T> {
        /// # Safety
        /// The caller holds the pool's lock.
        pub unsafe fn take(&self) -> Option<T> {
            // SAFETY: the caller holds the lock (this function's contract), so no
            // other reference to `value` exists.
            unsafe { (*self.value.get()).take() }
        }

        pub fn peek_len(&self, bytes: &[u8]) -> u8 {
            let first = unsafe { *bytes.as_ptr() };
            // Safety: `bytes` is non-empty, checked by the caller.
            let last = unsafe { *bytes.as_ptr().add(bytes.len() - 1) };
            first ^ last
        }

        pub fn describe(&self) -> &'static str {
            // An unsafe { } block here would need its own comment.
            "unsafe { *ptr } is documented in the guide"
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn reads_first() {
            let v = [1u8, 2];
            assert_eq!(unsafe { *v.as_ptr() }, 1);
        }
    }

    """

  @Test func undocumentedBlocksAndImplsAreFoundAtTheirLines() throws {
    let tree = try TemporaryTree()
    try tree.write("crates/pool/src/slot.rs", library)
    try tree.write(
      "crates/pool/tests/raw.rs",
      "#[test]\nfn raw() {\n    let x = 1;\n    assert_eq!(unsafe { *(&x as *const i32) }, 1);\n}\n")
    try tree.write(
      "crates/pool/benches/copy.rs",
      "fn bench() {\n    let v = vec![0u8; 8];\n    let _ = unsafe { v.get_unchecked(3) };\n}\n")

    let output = try VigilBinary.run(["scan", "--format", "json", "."], in: tree.path)
    let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
    let findings = try #require(document?["findings"] as? [[String: Any]])
    let unsafeFindings = findings.filter { $0["ruleId"] as? String == "rust-unsafe-undocumented" }
    let places = unsafeFindings.compactMap { finding -> String? in
      guard let path = finding["path"] as? String, let line = finding["line"] as? Int else { return nil }
      return "\(path):\(line)"
    }
    // The second impl (the comment above is the first one's) and the first block.
    let lines = library.split(separator: "\n", omittingEmptySubsequences: false)
    func line(of text: String) -> Int { (lines.firstIndex { $0.contains(text) } ?? -1) + 1 }
    let expected = ["unsafe impl<T: Send> Send", "let first = unsafe"].map {
      "crates/pool/src/slot.rs:\(line(of: $0))"
    }
    #expect(Set(places) == Set(expected) && places.count == expected.count, "\(places)")
    #expect(unsafeFindings.allSatisfy { $0["severity"] as? String == "warning" }, "\(unsafeFindings)")

    let tags = try #require(try VigilBinary.sarifRuleTags(scanning: tree.path)["rust-unsafe-undocumented"])
    #expect(tags.contains("external/cwe/cwe-758") && tags.contains("hardening"), "\(tags)")
  }

  /// Adding the missing comments leaves nothing to report.
  @Test func aFullyDocumentedFileIsClean() throws {
    let tree = try TemporaryTree()
    let documented =
      library
      .replacingOccurrences(
        of: "unsafe impl<T: Send> Send",
        with: "// SAFETY: Slot owns its value; sending it sends the value.\nunsafe impl<T: Send> Send"
      )
      .replacingOccurrences(
        of: "let first = unsafe",
        with: "// SAFETY: `bytes` is non-empty, checked by the caller.\n        let first = unsafe")
    try tree.write("src/slot.rs", documented)
    let found = try VigilBinary.rulesByPath(scanning: tree.path, category: "hardening")
    #expect(found.isEmpty, "\(found)")
  }
}

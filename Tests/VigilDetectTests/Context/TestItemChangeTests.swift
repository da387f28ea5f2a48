import Testing

@testable import VigilDetect

/// When an edit to a Rust file takes code out of a test item, which a history reads
/// whole; most edits cannot, and are told so without lexing.
@Suite struct TestItemChangeTests {
  private let module = """
    pub fn run() -> u32 { 1 }

    #[cfg(test)]
    mod tests {
        const LABEL: &str = "plain words for a label";
        fn a() {
        }
    }

    """

  private func leaves(_ before: String, _ after: String) -> Bool {
    ContextAnalyzer.takesCodeOutOfTests(
      path: "src/lib.rs", before: Array(before.utf8), after: Array(after.utf8))
  }

  @Test func takingCodeOutIsSeen() {
    #expect(leaves(module, module.replacingOccurrences(of: "#[cfg(test)]\n", with: "")))
    #expect(leaves(module, module.replacingOccurrences(of: "#[cfg(test)]", with: "#[cfg(unix)]")))
    let line = "    const LABEL: &str = \"plain words for a label\";\n"
    #expect(leaves(module, module.replacingOccurrences(of: line, with: "") + line))
    // Two lines with string literals swapped across the module's end.
    let swapped = module.replacingOccurrences(of: "    const LABEL", with: "    const LABEL2")
      .replacingOccurrences(
        of: "    }\n}\n", with: "    }\n}\nconst OTHER: &str = \"other words for a label\";\n")
    let across = swapped.replacingOccurrences(
      of: "const OTHER: &str = \"other words for a label\";", with: "@@"
    )
    .replacingOccurrences(
      of: "    const LABEL2: &str = \"plain words for a label\";",
      with: "    const OTHER: &str = \"other words for a label\";"
    )
    .replacingOccurrences(of: "@@", with: "const LABEL2: &str = \"plain words for a label\";")
    #expect(leaves(swapped, across))
    // A value edited: no structure changed, told without lexing.
    let edited = module.replacingOccurrences(of: "plain words for a label", with: "plain words for a title")
    #expect(!ContextAnalyzer.changesStructure(Array(module.utf8), Array(edited.utf8)))
    // The attribute edited, not deleted: no longer a test item.
    #expect(leaves(module, module.replacingOccurrences(of: "#[cfg(test)]", with: "#[cfg(not(test))]")))
    #expect(leaves(module, module.replacingOccurrences(of: "#[cfg(test)]", with: "// #[cfg(test)]")))
    // Closed early by a brace before the line.
    #expect(leaves(module, module.replacingOccurrences(of: "mod tests {\n", with: "mod tests {\n}\n")))
  }

  @Test func otherEditsAreNot() {
    #expect(!leaves(module, module.replacingOccurrences(of: "-> u32 { 1 }", with: "-> u32 { 2 }")))
    #expect(
      !leaves(
        module, module.replacingOccurrences(of: "plain words for a label", with: "plain words for a title")))
    #expect(!leaves(module, module + "pub fn other() {}\n"))
    // No structure changed: told without lexing.
    #expect(
      !ContextAnalyzer.changesStructure(
        Array(module.utf8), Array(module.replacingOccurrences(of: "u32", with: "u64").utf8)))
    #expect(
      ContextAnalyzer.changesStructure(
        Array(module.utf8), Array(module.replacingOccurrences(of: "fn a() {\n", with: "").utf8)))
  }
}

import Testing

@testable import VigilGit

@Suite struct PatchParserTests {
  private func parse(_ text: String) -> [FilePatch] {
    var parser = PatchParser()
    for line in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
      parser.consume(line)
    }
    parser.flush()
    return parser.takeFinished()
  }

  @Test func addedLinesCarryTheirNewLineNumbers() {
    let patches = parse(
      """
      diff --git a/src/app.py b/src/app.py
      index 1111111..2222222 100644
      --- a/src/app.py
      +++ b/src/app.py
      @@ -3,0 +4,2 @@ def f():
      +token = 1
      ++++ not a header inside a hunk
      @@ -10 +12 @@
      -old
      +new
      diff --git a/gone.txt b/gone.txt
      deleted file mode 100644
      --- a/gone.txt
      +++ /dev/null
      @@ -1 +0,0 @@
      -bye
      """)
    #expect(patches.count == 2)
    #expect(patches[0].path == "src/app.py")
    #expect(patches[0].addedLines.map(\.number) == [4, 5, 12])
    #expect(
      patches[0].addedLines.map { String(decoding: $0.text, as: UTF8.self) } == [
        "token = 1", "+++ not a header inside a hunk", "new",
      ])
    #expect(patches[1].isDeleted)
  }

  /// Git ends a `+++` name that holds a space with a TAB; the path is the name without it.
  @Test func aNameWithASpaceLosesGitsTrailingTab() {
    let patches = parse(
      "diff --git a/web/a b.js b/web/a b.js\nnew file mode 100644\n--- /dev/null\n+++ b/web/a b.js\t\n@@ -0,0 +1 @@\n+x\n"
    )
    #expect(patches.map(\.path) == ["web/a b.js"])
  }

  @Test func newBinaryRenamedAndQuotedPaths() {
    let patches = parse(
      """
      diff --git a/logo.png b/logo.png
      new file mode 100644
      index 0000000..3333333
      Binary files /dev/null and b/logo.png differ
      diff --git a/old name.txt b/new name.txt
      similarity index 100%
      rename from old name.txt
      rename to new name.txt
      diff --git "a/tab\\there" "b/tab\\there"
      new file mode 100644
      --- /dev/null
      +++ "b/tab\\there\\303\\251"
      @@ -0,0 +1 @@
      +x
      """)
    #expect(patches.map(\.path) == ["logo.png", "new name.txt", "tab\there\u{e9}"])
    #expect(patches[0].isNew && patches[0].isBinary)
    #expect(patches[1].isRenamed && patches[1].addedLines.isEmpty)
    #expect(patches[2].isNew)
  }
}

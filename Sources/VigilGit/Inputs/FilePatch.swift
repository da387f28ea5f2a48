import VigilModel

/// What one commit (or the index) changed in one file: its path after the change and
/// the lines it added, with their line numbers in the new file.
package struct FilePatch: Sendable {
  package var path: String = ""
  /// The file did not exist before (added, or the target of a copy).
  package var isNew = false
  package var isRenamed = false
  package var isBinary = false
  package var isDeleted = false
  /// 1-based line numbers in the new file and the bytes of each added line.
  package var addedLines: [(number: Int, text: ArraySlice<UInt8>)] = []

  package init() {}
}

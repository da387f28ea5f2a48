/// What one commit (or the index) changed in one file: its path after the change and
/// the lines it added, with their line numbers in the new file.
struct FilePatch: Sendable {
  var path: String = ""
  /// The file did not exist before (added, or the target of a copy).
  var isNew = false
  var isRenamed = false
  var isBinary = false
  var isDeleted = false
  /// 1-based line numbers in the new file and the bytes of each added line.
  var addedLines: [(number: Int, text: ArraySlice<UInt8>)] = []
}

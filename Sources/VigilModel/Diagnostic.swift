/// A message about the configuration or the scan, for people: warnings go on, errors
/// stop the configuration from loading.
///
/// Messages name files, rules and reasons; what they quote from a file is masked
/// (`masked()`) before it is shown.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  public enum Level: String, Sendable {
    case warning
    case error
  }

  public var level: Level
  public var message: String
  /// The file the problem is in (a rule file, a config file or a scanned file).
  public var file: String?
  /// 1-based line in `file`, when known.
  public var line: Int?
  public var ruleID: String?

  public init(
    _ level: Level, _ message: String, file: String? = nil, line: Int? = nil,
    ruleID: String? = nil
  ) {
    self.level = level
    self.message = message
    self.file = file
    self.line = line
    self.ruleID = ruleID
  }

  /// `file:line: level: rule 'id': message`, leaving out the parts that are unknown,
  /// with control characters escaped (file names and messages can come from the
  /// scanned tree).
  public var description: String {
    var text = ""
    if let file {
      text += TerminalText.escaped(file)
      if let line { text += ":\(line)" }
      text += ": "
    }
    text += "\(level.rawValue): "
    if let ruleID { text += "rule '\(TerminalText.escaped(ruleID))': " }
    return text + TerminalText.escaped(message)
  }
}

import VigilModel

/// What one TOML file holds, before it is merged into a pack.
struct RuleFile: Sendable {
  /// gitleaks' `[extend]`: build on the default pack and/or another file.
  struct Extend: Sendable {
    var useDefault = false
    var path: String?
    var disabledRules: [String] = []
  }

  var rules: [Rule] = []
  var allowlists: [Allowlist] = []
  var extend: Extend?
  var settings = ScanSettings()
  var disabledRules: [String] = []
  var severityOverrides: [(id: String, severity: Severity)] = []
}

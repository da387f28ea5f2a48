import PCRE2
import TOMLKit

/// Reads rule files in vigil's format, which is a superset of gitleaks' config.
///
/// Loading never stops at the first problem; every problem goes into the context so
/// that one run shows the user the whole list. `strict` is for vigil's own pack, where
/// every rule must name its category and severity and carry both kinds of examples.
struct RuleLoader {
  var strict: Bool

  func parse(text: String, file: String) -> (RuleFile, [Diagnostic]) {
    let context = LoadContext(file: file, text: text)
    let root: TOMLTable
    do throws(TOMLDocument.SyntaxError) {
      root = try TOMLDocument.parse(text)
    } catch {
      context.add(.error, error.description, line: error.line)
      return (RuleFile(), context.problems)
    }
    let reader = TOMLReader(root, path: "", context: context)
    var result = RuleFile()
    _ = reader.string("title")
    _ = reader.string("description")
    _ = reader.string("minVersion")
    if let extend = reader.table("extend") {
      result.extend = RuleFile.Extend(
        useDefault: extend.bool("useDefault") ?? false,
        path: extend.string("path"),
        disabledRules: extend.strings("disabledRules"))
      extend.finish()
    }
    if let scan = reader.table("scan") {
      result.settings.exclude = scan.strings("exclude")
      if let size = scan.int("maxFileSize") {
        if size < 0 { context.error("'scan.maxFileSize' cannot be negative") }
        result.settings.maxFileSize = size
      }
      result.disabledRules = scan.strings("disabledRules")
      scan.finish()
    }
    if let severity = reader.table("severity") {
      for (id, name) in severity.stringEntries() {
        if let parsed = Severity(rawValue: name) {
          result.severityOverrides.append((id, parsed))
        } else {
          context.error("'severity.\(id)' must be error, warning or note, not '\(name)'")
        }
      }
    }
    // gitleaks has both the older single `[allowlist]` and the newer `[[allowlists]]`.
    for table in reader.tables("allowlist") + reader.tables("allowlists") {
      if let allowlist = readAllowlist(table, global: true) { result.allowlists.append(allowlist) }
    }
    for table in reader.tables("rules") {
      if let rule = readRule(table, file: file) { result.rules.append(rule) }
      context.ruleID = nil
      context.ruleLine = nil
    }
    reader.finish()
    return (result, context.problems)
  }

  private func readRule(_ table: TOMLReader, file: String) -> Rule? {
    let context = table.context
    let errorsBefore = context.problems.count { $0.level == .error }
    guard let id = table.string("id"), !id.isEmpty else {
      context.error("'\(table.path)' has no 'id'")
      return nil
    }
    context.ruleID = id
    context.ruleLine = context.line(ofRuleID: id)

    let description = table.string("description") ?? ""
    if strict && description.isEmpty { context.error("has no 'description'") }

    var category = RuleCategory.secret
    if let name = table.string("category") {
      if let parsed = RuleCategory(rawValue: name) {
        category = parsed
      } else {
        let known = RuleCategory.allCases.map(\.rawValue).joined(separator: ", ")
        context.error("category '\(name)' is not one of: \(known)")
      }
    } else if strict {
      context.error("has no 'category'")
    }

    var severity = Severity.error
    if let name = table.string("severity") {
      if let parsed = Severity(rawValue: name) {
        severity = parsed
      } else {
        context.error("severity '\(name)' is not one of: error, warning, note")
      }
    } else if strict {
      context.error("has no 'severity'")
    }

    var securitySeverity = category.defaultSecuritySeverity
    if let value = table.double("securitySeverity") {
      if (0...10).contains(value) {
        securitySeverity = value
      } else {
        context.error("securitySeverity \(value) is outside 0.0–10.0")
      }
    }

    let regex = table.string("regex").flatMap { compile($0, key: "regex", context: context) }
    let path = table.string("path").flatMap { compile($0, key: "path", context: context) }
    if !table.has("regex") && !table.has("path") {
      context.error("has neither 'regex' nor 'path': give at least one")
    }

    let secretGroup = table.int("secretGroup")
    if let secretGroup, let regex {
      if secretGroup < 0 || secretGroup > regex.captureCount {
        context.error(
          "secretGroup \(secretGroup) is beyond the regex's \(regex.captureCount) capture group(s)")
      }
    }
    let entropy = table.double("entropy")
    if let entropy, !(0...8).contains(entropy) {
      context.error("entropy \(entropy) is outside 0–8 bits per byte")
    }
    let keywords = table.strings("keywords").map { $0.lowercased() }
    if keywords.contains("") { context.error("has an empty keyword, which would match everything") }

    var allowlists: [Allowlist] = []
    // `[rules.allowlist]` is gitleaks' older, single form.
    for allowTable in table.tables("allowlists") + table.tables("allowlist") {
      if let allowlist = readAllowlist(allowTable, global: false) { allowlists.append(allowlist) }
    }

    var skipIn: Set<CodeContext> = []
    for name in table.strings("skipIn") {
      if let context = CodeContext(rawValue: name) {
        skipIn.insert(context)
      } else {
        let known = CodeContext.allCases.map(\.rawValue).joined(separator: ", ")
        context.error("skipIn names '\(name)', which is not one of: \(known)")
      }
    }

    var validator: SecretValidator?
    if let name = table.string("validate") {
      validator = SecretValidator(rawValue: name)
      if validator == nil {
        let known = SecretValidator.allCases.map(\.rawValue).joined(separator: ", ")
        context.error("validate names '\(name)', which is not one of: \(known)")
      }
    }

    let examples = table.table("examples").map(readExamples) ?? RuleExamples()
    if strict && !(examples.hasPositive && examples.hasNegative) {
      context.error(
        "needs examples that must match and examples that must not ([rules.examples] match/noMatch)")
    }

    if strict && regex != nil && path != nil && examples.path == nil {
      context.error("has a path and a regex, so its examples need a 'path' that the path regex matches")
    }

    let cwe = table.string("cwe") ?? category.defaultCWE
    let rule = Rule(
      id: id, description: description, remediation: table.string("remediation"),
      category: category, severity: severity, securitySeverity: securitySeverity, cwe: cwe,
      tags: table.strings("tags"), regex: regex, path: path, secretGroup: secretGroup,
      entropy: entropy, keywords: keywords, allowlists: allowlists, skipIn: skipIn,
      validator: validator, examples: examples,
      source: file)
    for unsupported in ["skipReport", "required"] where table.accept(unsupported) {
      context.warning("'\(unsupported)' is a gitleaks key vigil does not support yet; it is ignored")
    }
    table.finish()
    let errorsAfter = context.problems.count { $0.level == .error }
    return errorsAfter == errorsBefore ? rule : nil
  }

  private func readAllowlist(_ table: TOMLReader, global: Bool) -> Allowlist? {
    let context = table.context
    var allowlist = Allowlist()
    allowlist.description = table.string("description")
    if let condition = table.string("condition") {
      if let parsed = Allowlist.Condition(rawValue: condition.uppercased()) {
        allowlist.condition = parsed
      } else {
        context.error("'\(table.path).condition' must be \"OR\" or \"AND\", not '\(condition)'")
      }
    }
    if let target = table.string("regexTarget") {
      if let parsed = Allowlist.Target(rawValue: target) {
        allowlist.regexTarget = parsed
      } else {
        context.error(
          "'\(table.path).regexTarget' must be \"secret\", \"match\" or \"line\", not '\(target)'")
      }
    }
    allowlist.regexes = table.strings("regexes").compactMap {
      compile($0, key: "\(table.path).regexes", context: context)
    }
    allowlist.paths = table.strings("paths").compactMap {
      compile($0, key: "\(table.path).paths", context: context)
    }
    allowlist.stopwords = table.strings("stopwords").map { $0.lowercased() }
    allowlist.commits = table.strings("commits")
    if global && table.accept("targetRules") {
      context.warning("'\(table.path).targetRules' is not supported yet; the allowlist applies to every rule")
    }
    table.finish()
    if allowlist.isEmpty {
      context.warning("'\(table.path)' has no regexes, paths, stopwords or commits; it allows nothing")
    }
    return allowlist
  }

  private func readExamples(_ table: TOMLReader) -> RuleExamples {
    var examples = RuleExamples()
    examples.match = table.strings("match")
    examples.noMatch = table.strings("noMatch")
    examples.matchPaths = table.strings("matchPaths")
    examples.noMatchPaths = table.strings("noMatchPaths")
    examples.path = table.string("path")
    for (index, example) in examples.match.enumerated() {
      let opens = example.filter { $0 == RuleExamples.openMarker }.count
      let closes = example.filter { $0 == RuleExamples.closeMarker }.count
      if opens == 0 || opens != closes {
        table.context.error(
          "'\(table.path).match[\(index)]' must mark each expected finding «like this»")
      }
    }
    table.finish()
    return examples
  }

  private func compile(_ pattern: String, key: String, context: LoadContext) -> Regex? {
    do {
      return try Regex(pattern)
    } catch {
      context.error("'\(key)' does not compile: \(error)")
      return nil
    }
  }
}

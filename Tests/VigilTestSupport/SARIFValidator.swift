import Foundation

/// Validates SARIF against the official 2.1.0 JSON schema with Python's `jsonschema`
/// (installed by `.ci/run`), so that the check is the schema itself, not our reading of it.
public enum SARIFValidator {
  /// The schema errors for `sarif` (empty when valid).
  public static func errors(in sarif: String) throws -> [String] {
    let tree = try TemporaryTree()
    let file = try tree.write("report.sarif", sarif)
    let script = """
      import json, sys, jsonschema
      schema = json.load(open(sys.argv[1]))
      document = json.load(open(sys.argv[2]))
      cls = jsonschema.validators.validator_for(schema)
      cls.check_schema(schema)
      errors = sorted(cls(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
      for e in errors:
          print("/".join(map(str, e.absolute_path)) + ": " + e.message)
      sys.exit(1 if errors else 0)
      """
    guard FileManager.default.fileExists(atPath: RepositoryPaths.sarifSchema) else {
      return ["the SARIF schema is missing at \(RepositoryPaths.sarifSchema)"]
    }
    let output = try ProcessRunner.run(
      "/usr/bin/env", ["python3", "-c", script, RepositoryPaths.sarifSchema, file])
    if output.status == 0 { return [] }
    let lines = output.stdout.split(separator: "\n").map(String.init)
    return lines.isEmpty ? ["validator failed: \(output.stderr)"] : lines
  }
}

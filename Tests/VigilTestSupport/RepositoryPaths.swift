import Foundation

/// Paths in the source checkout, found from this file's own location.
public enum RepositoryPaths {
  /// The package root (the directory with Package.swift).
  public static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The official SARIF 2.1.0 schema, kept in the shared folder beside the checkout.
  public static let sarifSchema = root + "/../shared/schemas/sarif-schema-2.1.0.json"
}

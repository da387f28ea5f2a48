import Foundation
import Testing
import VigilTestSupport

/// The pipeline's direction is the package's target graph, and the compiler checks it,
/// but only for what a target declares: SwiftPM lets a target import any module built
/// before it, a transitive dependency included. These tests read every source file's
/// imports against `swift package dump-package`.
@Suite struct TargetImportsTests {
  struct Target: Decodable {
    var name: String
    var type: String
    var path: String?
    var dependencies: [[String: [String?]]]

    /// The names of the targets and products it depends on.
    var declared: Set<String> { Set(dependencies.compactMap { $0.values.first?.first ?? nil }) }

    var directory: String {
      path ?? (type == "test" ? "Tests/" : "Sources/") + name
    }
  }

  struct Manifest: Decodable { var targets: [Target] }

  static let manifest = Result { () throws -> Manifest in
    // A scratch path of its own: the running `swift test` holds the lock on .build.
    let scratch = try TemporaryTree()
    let output = try ProcessRunner.run(
      "/usr/bin/env", ["swift", "package", "--scratch-path", scratch.path, "dump-package"],
      in: RepositoryPaths.root, timeout: 120)
    return try JSONDecoder().decode(Manifest.self, from: Data(output.stdout.utf8))
  }

  /// The project modules each Swift file of `target` imports.
  static func imports(of target: Target, projectModules: Set<String>) -> [(file: String, module: String)] {
    let directory = RepositoryPaths.root + "/" + target.directory
    let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
    var found: [(String, String)] = []
    for file in files where file.hasSuffix(".swift") {
      let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
      for line in text.split(separator: "\n") {
        let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
        guard words.first == "import", words.count >= 2 else { continue }
        // `import struct Module.Name` names the kind first.
        let named = words.count >= 3 ? words[2] : words[1]
        let module = String(named.split(separator: ".").first ?? "")
        if projectModules.contains(module) { found.append((target.directory + "/" + file, module)) }
      }
    }
    return found
  }

  @Test func everyImportedProjectTargetIsADeclaredDependency() throws {
    let targets = try Self.manifest.get().targets
    let modules = Set(targets.map(\.name))
    #expect(targets.count > 5)
    for target in targets where target.type != "system" {
      for (file, module) in Self.imports(of: target, projectModules: modules)
      where module != target.name && !target.declared.contains(module) {
        Issue.record("\(file) imports \(module), which target \(target.name) does not declare")
      }
    }
  }

  /// A folder under Sources/ or Tests/ that no target claims is never compiled: its
  /// tests would silently not run.
  @Test func everySourceAndTestFolderBelongsToATarget() throws {
    let claimed = Set(try Self.manifest.get().targets.map(\.directory))
    for parent in ["Sources", "Tests"] {
      let folders = try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.root + "/" + parent)
      for folder in folders where !claimed.contains(parent + "/" + folder) {
        Issue.record("\(parent)/\(folder) belongs to no target in Package.swift")
      }
    }
  }

  /// The command line is a thin layer over the library.
  @Test func theExecutableDependsOnTheLibraryAndArgumentParserOnly() throws {
    let vigil = try #require(try Self.manifest.get().targets.first { $0.name == "vigil" })
    #expect(vigil.declared == ["VigilKit", "ArgumentParser"])
  }

  /// Each C library is bound in one place: one target imports its module map.
  @Test(arguments: ["CPCRE2", "CLibcrypto", "PCRE2", "CVectorscan", "Vectorscan", "CLibarchive", "Archives"])
  func oneTargetImports(module: String) throws {
    let targets = try Self.manifest.get().targets
    let modules = Set(targets.map(\.name))
    let products = targets.filter { $0.type != "test" && $0.name != "VigilTestSupport" }
    let importers = Set(
      products.filter { target in
        Self.imports(of: target, projectModules: modules).contains { $0.module == module }
      }.map(\.name))
    #expect(importers.count == 1, "\(module) is imported by \(importers.sorted())")
  }
}

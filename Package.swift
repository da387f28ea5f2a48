// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "vigil",
  products: [
    .executable(name: "vigil", targets: ["vigil"]),
    .library(name: "VigilKit", targets: ["VigilKit"]),
    // For the fuzz package's targets, which each exercise one stage.
    .library(name: "VigilWalk", targets: ["VigilWalk"]),
    .library(name: "VigilDetect", targets: ["VigilDetect"]),
    .library(name: "VigilRules", targets: ["VigilRules"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // The C binding: a module map and a shim header, nothing else.
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    // Vectorscan (Hyperscan's portable fork) from Debian: the keyword pass's literal
    // matcher. A module map and a shim header, and the one target that imports it.
    .systemLibrary(
      name: "CVectorscan",
      pkgConfig: "libhs",
      providers: [.apt(["libvectorscan-dev"])]
    ),
    .target(name: "Vectorscan", dependencies: ["CVectorscan"]),
    // libarchive from Debian: the files inside archives (zip, tar, compressed streams).
    // A module map and a shim header, and the one target that imports it.
    .systemLibrary(
      name: "CLibarchive",
      pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]
    ),
    .target(name: "Archives", dependencies: ["CLibarchive", "Digest", "VigilSupport"]),
    // Linux calls Swift cannot make (openat2): a module map and a shim header.
    .systemLibrary(name: "CLinux"),
    // Byte classification Swift does not vectorise itself (runs of base64 bytes, 16 at
    // a time with SSE2): a module map and a header of inline functions.
    .systemLibrary(name: "CByteRuns"),
    // The only target that imports CPCRE2.
    .target(name: "PCRE2", dependencies: ["CPCRE2"]),
    // SHA-256 from Debian's OpenSSL: a module map and a shim header, and the one
    // target that imports it.
    .systemLibrary(
      name: "CLibcrypto",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    .target(name: "Digest", dependencies: ["CLibcrypto"]),
    // Bottom of the graph: small helpers with no project dependency (a lock, path
    // bytes as text, markup escaping).
    .target(name: "VigilSupport"),
    // The plain values the pipeline passes along: rules (patterns as text), content
    // held in memory, findings, positions, diagnostics, a scan's result. No I/O, no C.
    .target(name: "VigilModel"),
    // Reading files safely: beneath an open root, no link followed, never blocking.
    .target(name: "VigilFiles", dependencies: ["VigilModel", "VigilSupport", "CLinux", "CByteRuns"]),
    // Running git safely on a repository somebody else prepared, and the inputs read
    // from it: staged changes, history.
    .target(name: "VigilGit", dependencies: ["VigilModel", "VigilFiles", "VigilSupport", "CLinux"]),
    // The parallel walk: directories read beneath the root, git's ignore rules.
    .target(name: "VigilWalk", dependencies: ["VigilModel", "VigilSupport", "VigilFiles", "VigilGit"]),
    // Detection: compiles a pack's patterns and runs them, with the keyword automaton,
    // the code-context lexers and the secret validators. The only importer of PCRE2.
    .target(
      name: "VigilDetect",
      dependencies: ["VigilModel", "VigilSupport", "PCRE2", "Vectorscan", "CByteRuns", "Digest"]),
    // From TOML to a rule pack: vigil's and gitleaks' rule files, validated with every
    // problem on its line; the built-in pack embedded; the ignore file; keeping a
    // config from the scanned tree inside it.
    .target(
      name: "VigilRules",
      dependencies: [
        "VigilModel", "VigilSupport", "VigilDetect", "Digest", .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    // From detected matches to findings: positions, redaction, fingerprints, and every
    // kind of suppression but allowlists, which VigilDetect evaluates with its compiled
    // patterns (inline allow, layered configs, the ignore file, the baseline), with the
    // exit decision; masking of vigil's messages.
    .target(
      name: "VigilFindings",
      dependencies: ["VigilModel", "VigilSupport", "VigilDetect", "VigilRules", "VigilWalk", "Digest"]),
    // Reports in every format, and writing them: depends on the plain values only.
    .target(name: "VigilReport", dependencies: ["VigilModel", "VigilSupport", "Digest"]),
    // The orchestrator: ScanSession turns a ScanRequest into a ScanOutcome; the scanner
    // feeds the walk and git inputs to the detector.
    .target(
      name: "VigilKit",
      dependencies: [
        "Archives",
        "VigilModel",
        "VigilSupport",
        "VigilFiles",
        "VigilGit",
        "VigilWalk",
        "VigilReport",
        "VigilDetect",
        "VigilRules",
        "VigilFindings",
        "Digest",
      ]
    ),
    .executableTarget(
      name: "vigil",
      dependencies: [
        "VigilKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Writes Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift from Rules/.
    .executableTarget(name: "embed-rules", dependencies: ["VigilRules"], path: "Tools/embed-rules"),
    // Helpers every test target shares: temporary trees, generated test tokens,
    // running a process, validating SARIF against the official schema.
    .target(name: "VigilTestSupport", dependencies: ["VigilKit"], path: "Tests/VigilTestSupport"),
    .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
    .testTarget(name: "VectorscanTests", dependencies: ["Vectorscan"]),
    .testTarget(name: "ArchivesTests", dependencies: ["Archives"]),
    .testTarget(name: "DigestTests", dependencies: ["Digest"]),
    .testTarget(name: "VigilSupportTests", dependencies: ["VigilSupport"]),
    .testTarget(
      name: "VigilFilesTests", dependencies: ["VigilFiles", "VigilSupport", "VigilTestSupport", "CLinux"]),
    .testTarget(name: "VigilGitTests", dependencies: ["VigilGit", "VigilTestSupport"]),
    // Reads every source file's imports against the target graph.
    .testTarget(name: "ArchitectureTests", dependencies: ["VigilTestSupport"]),
    .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules", "VigilKit", "VigilTestSupport"]),
    .testTarget(
      name: "VigilFindingsTests",
      dependencies: ["VigilFindings", "VigilRules", "VigilKit", "VigilTestSupport"]),
    .testTarget(
      name: "VigilDetectTests",
      dependencies: ["VigilDetect", "VigilModel", "VigilRules", "VigilKit", "VigilTestSupport", "CByteRuns"]),
    .testTarget(
      name: "VigilKitTests", dependencies: ["VigilKit", "VigilDetect", "VigilRules", "VigilTestSupport"]),
    .testTarget(
      name: "VigilReportTests",
      dependencies: ["VigilReport", "VigilSupport", "VigilKit", "VigilTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "RulePackTests", dependencies: ["VigilKit", "VigilRules", "VigilTestSupport"]),
    .testTarget(name: "VigilEndToEndTests", dependencies: ["vigil", "VigilTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

// A release build carries the Swift runtime and Foundation inside the binary (what
// `swift build --static-swift-stdlib` does, here for every release build, the
// pre-commit framework's included): the dynamic loader then binds a few C libraries
// instead of Swift's, about 13 ms off each start, and a hook starts vigil per commit.
for target in package.targets where target.type != .system {
  let staticRuntime = ["-static-stdlib"]
  target.swiftSettings =
    (target.swiftSettings ?? []) + [
      .unsafeFlags(staticRuntime, .when(platforms: [.linux], configuration: .release))
    ]
  if target.type == .executable {
    target.linkerSettings =
      (target.linkerSettings ?? [])
      + [.unsafeFlags(staticRuntime, .when(platforms: [.linux], configuration: .release))]
  }
}

// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for vigil's parsers and detector. Not part of the main build: each
// target defines `LLVMFuzzerTestOneInput` instead of `main`, and links only when built
// with `-sanitize=fuzzer`. Scripts/fuzz.sh builds and runs them.
let package = Package(
  name: "vigil-fuzz",
  dependencies: [.package(name: "vigil", path: "..")],
  targets: [
    .executableTarget(name: "FuzzConfig", dependencies: [.product(name: "VigilKit", package: "vigil")]),
    .executableTarget(name: "FuzzIgnore", dependencies: [.product(name: "VigilKit", package: "vigil")]),
    .executableTarget(name: "FuzzRustLexer", dependencies: [.product(name: "VigilKit", package: "vigil")]),
    .executableTarget(name: "FuzzDetector", dependencies: [.product(name: "VigilKit", package: "vigil")]),
  ],
  swiftLanguageModes: [.v6]
)

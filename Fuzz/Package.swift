// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for vigil's parsers and detector. Not part of the main build: each
// target defines `LLVMFuzzerTestOneInput` instead of `main`, and links only when built
// with `-sanitize=fuzzer`. Scripts/fuzz.sh builds and runs them. Tools version 5.4
// because later SwiftPM renames an executable's `main` (to test it), and libFuzzer
// supplies `main`.
let package = Package(
  name: "vigil-fuzz",
  dependencies: [.package(name: "vigil", path: "..")],
  targets: [
    .executableTarget(
      name: "FuzzConfig",
      dependencies: [
        .product(name: "VigilRules", package: "vigil"), .product(name: "VigilDetect", package: "vigil"),
      ]),
    .executableTarget(name: "FuzzIgnore", dependencies: [.product(name: "VigilWalk", package: "vigil")]),
    .executableTarget(name: "FuzzLexers", dependencies: [.product(name: "VigilDetect", package: "vigil")]),
    .executableTarget(name: "FuzzDetector", dependencies: [.product(name: "VigilKit", package: "vigil")]),
  ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "vigil",
  products: [
    .executable(name: "vigil", targets: ["vigil"]),
    .library(name: "VigilKit", targets: ["VigilKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
  ],
  targets: [
    // The C binding: a module map and a shim header, nothing else.
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    // Linux calls Swift cannot make (openat2): a module map and a shim header.
    .systemLibrary(name: "CLinux"),
    // The only target that imports CPCRE2.
    .target(name: "PCRE2", dependencies: ["CPCRE2"]),
    .target(
      name: "VigilKit",
      dependencies: [
        "PCRE2",
        "CLinux",
        .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "vigil",
      dependencies: [
        "VigilKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Writes Sources/VigilKit/Rules/DefaultRulePack+Embedded.swift from Rules/.
    .executableTarget(name: "embed-rules", path: "Tools/embed-rules"),
    // Helpers every test target shares: temporary trees, generated test tokens,
    // running a process, validating SARIF against the official schema.
    .target(name: "VigilTestSupport", dependencies: ["VigilKit"], path: "Tests/VigilTestSupport"),
    .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
    .testTarget(
      name: "VigilKitTests", dependencies: ["VigilKit", "VigilTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "RulePackTests", dependencies: ["VigilKit", "VigilTestSupport"]),
    .testTarget(name: "VigilEndToEndTests", dependencies: ["vigil", "VigilTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

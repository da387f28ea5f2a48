import Testing
import VigilKit

@testable import VigilDetect

@Suite struct RustLexerTests {
  private func regions(_ source: String) -> (ContextRegions, [UInt8]) {
    let bytes = Array(source.utf8)
    return (bytes.withUnsafeBufferPointer { RustLexer.regions($0) }, bytes)
  }

  private func offset(of needle: String, in bytes: [UInt8], occurrence: Int = 0) -> Int {
    let target = Array(needle.utf8)
    var found = -1
    var seen = 0
    for start in 0...(bytes.count - target.count) where Array(bytes[start..<(start + target.count)]) == target
    {
      if seen == occurrence {
        found = start
        break
      }
      seen += 1
    }
    return found
  }

  @Test func commentsAndStrings() {
    let (regions, bytes) = regions(
      """
      let a = "x // not a comment"; // real comment
      /* outer /* nested */ still comment */ let b = 1;
      let c = r##"raw "# still raw"##; let d = b"bytes"; let e = '"';
      """)
    #expect(regions.contains(offset(of: "not a comment", in: bytes), in: .string))
    #expect(!regions.contains(offset(of: "not a comment", in: bytes), in: .comment))
    #expect(regions.contains(offset(of: "real comment", in: bytes), in: .comment))
    #expect(regions.contains(offset(of: "still comment", in: bytes), in: .comment))
    #expect(!regions.contains(offset(of: "let b", in: bytes), in: .comment))
    #expect(regions.contains(offset(of: "still raw", in: bytes), in: .string))
    #expect(!regions.contains(offset(of: "let d", in: bytes), in: .string))
    #expect(regions.contains(offset(of: "bytes", in: bytes), in: .string))
    // The char literal '"' must not open a string.
    #expect(!regions.contains(offset(of: "let e", in: bytes) + 12, in: .string))
  }

  @Test func testItemsEndAtTheirBlockWhateverTheBracesInside() {
    let (regions, bytes) = regions(
      """
      fn before() {}
      #[cfg(test)]
      mod tests {
          fn helper<'a>(s: &'a str) -> char { let c = '}'; let t = "}}"; s.chars().next().unwrap() }
          #[test]
          fn t() { inner(); }
      }
      fn after() { work(); }
      #[test]
      fn lone() { check(); }
      #[cfg(all(unix, test))]
      use helpers::x;
      fn last() {}
      """)
    #expect(!regions.contains(offset(of: "before", in: bytes), in: .test))
    #expect(regions.contains(offset(of: "helper", in: bytes), in: .test))
    #expect(regions.contains(offset(of: "inner", in: bytes), in: .test))
    #expect(!regions.contains(offset(of: "work", in: bytes), in: .test))
    #expect(regions.contains(offset(of: "check", in: bytes), in: .test))
    #expect(regions.contains(offset(of: "helpers", in: bytes), in: .test))
    #expect(!regions.contains(offset(of: "last", in: bytes), in: .test))
  }

  @Test func notTestAndInnerAttributes() {
    let (production, bytes) = regions("#[cfg(not(test))]\nfn p() { go(); }\n")
    #expect(!production.contains(offset(of: "go", in: bytes), in: .test))
    let (whole, wholeBytes) = regions("//! helpers\n#![cfg(test)]\nfn a() { b(); }\n")
    #expect(whole.contains(offset(of: "b()", in: wholeBytes), in: .test))
  }

  /// Only a `cfg` predicate that holds in test builds alone makes an item test code:
  /// `any(test, unix)` holds in every Unix build, and `cfg_attr(test, …)` only adds
  /// attributes in tests (the item is compiled always).
  @Test func onlyAPredicateThatImpliesTestMakesTestCode() {
    let test = [
      "cfg(test)", "cfg(all(test, unix))", "cfg(all(unix, any(test, all(test, windows))))",
      "cfg(not(not(test)))", "cfg(any(test))", "cfg(not(any(not(test), not(test))))",
      "cfg(not(not(all(test))))",
      "cfg(not(any(not(test), unix)))", "cfg(all(feature = \"a,)\", test))",
      "cfg( all( test , unix ) )",
    ]
    let production = [
      "cfg(not(test))", "cfg(any(test, unix))", "cfg(any(test, debug_assertions))",
      "cfg(any(test, feature = \"test\"))", "cfg(any(test, not(test)))", "cfg_attr(test, allow(dead_code))",
      "cfg_attr(test, derive(Debug))", "cfg(not(all(test, unix)))", "cfg(feature = \"test\")", "cfg(test",
      // any(test, not(target_os = "none")): compiled on every real system.
      "cfg(not(all(not(test), target_os = \"none\")))", "cfg(not(all(not(test), unix)))",
      "cfg(all(test, unix)", "cfg(any())",
      // Deeper than anyone writes: read as saying nothing.
      "cfg(" + String(repeating: "all(", count: 40) + "test" + String(repeating: ")", count: 40) + ")",
    ]
    for attribute in test + production {
      let (regions, bytes) = regions("#[\(attribute)]\nfn item() { body(); }\nfn after() {}\n")
      #expect(
        regions.contains(offset(of: "body", in: bytes), in: .test) == test.contains(attribute), "\(attribute)"
      )
      #expect(!regions.contains(offset(of: "after", in: bytes), in: .test), "\(attribute)")
    }
  }

  @Test func testPathsAcrossLanguages() {
    for path in [
      "tests/a.rs", "src/foo_test.go", "pkg/test_util.py", "app/models_test.py", "web/a.test.ts",
      "web/b.spec.js", "src/test/java/FooTest.java", "Tests/VigilKitTests/FooTests.swift",
      "spec/models/user_spec.rb", "__tests__/x.js", "conftest.py",
      // Test tooling and documentation code: test-support packages, examples, benches.
      "actix-http-test/src/lib.rs", "crates/cargo-test-support/src/lib.rs",
      "crates/resolver-tests/src/lib.rs",
      "xtask/src/main.rs", "examples/tls/src/main.rs", "benches/parse.rs", "diesel/src/doctest_setup.rs",
      "pkg/test_helpers/db.go",
      // Test targets named after what they test, snapshot and mock folders.
      "Marlin/MarlinTests/Mocks/Data/ntm.json", "App/AppUITests/Login.swift", "src/Api.Tests/Auth.cs",
      "identity/.snapshots/TestHandler.json", "web/__snapshots__/view.js.snap", "app/mocks/user.ts",
      "src/it/java/OrderServiceIT.java", "Payments2IT.java",
      // end-to-end suites
      "qa/testsuite/login.yml",
      // sample clients and test inputs
      "apps/accounts/demos/python/demo.py", "migrations/kube/testcases/a/telegraf.conf",
      "database/factories/UserFactory.php",
      "shenyu-e2e/case/compose/mysql.yml", "shenyu-examples-https/src/keystore.p12", ".env.testing",
      "app/.env.test",
    ] {
      #expect(ContextAnalyzer.isTestPath(path), "\(path)")
    }
    for path in [
      "src/main.rs", "src/latest.py", "src/contest.go", "lib/testify.rb", "Attest.java", "src/testing.rs",
      "contest-app/src/main.rs", "latest-release/a.py", "attestation/src/lib.rs",
      "Latests/a.swift", "src/Contests/b.cs", "Attest/c.go",
      ".env", ".env.production", "src/demo/animation.rs",
      "app/factories/connection.py", "database/seeders/AdminSeeder.php",
      // all capitals ending in IT: no integration test
      "INIT.sh", "scripts/AUDIT.py", "SUBMIT.py", "UIKIT.py",
    ] {
      #expect(!ContextAnalyzer.isTestPath(path), "\(path)")
    }
  }
}

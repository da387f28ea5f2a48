import Foundation
import Testing
import VigilTestSupport

/// `-o`, `--write-baseline` and `install-hook` write where the user said and nowhere
/// else: a device or FIFO is written in place, never replaced; a regular file is
/// replaced through a temporary file nobody can predict or plant a link at.
@Suite struct OutputFileTests {
  /// A tree with one finding, so every report has something in it.
  private func sample() throws -> (tree: TemporaryTree, source: String) {
    let tree = try TemporaryTree()
    var tokens = TestTokens(seed: 0x0F11E)
    try tree.write("src/config.py", "TOKEN = \"\(tokens.githubToken())\"\n")
    return (tree, tree.path + "/src")
  }

  private func type(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
  }

  private func leftovers(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
      $0.contains(".vigil-")
    }
  }

  /// A character device the test makes itself (1, 3: the numbers of /dev/null): once,
  /// `vigil scan -o /dev/null` as root replaced the system's /dev/null with a file.
  @Test(.enabled(if: getuid() == 0, "mknod needs root"))
  func aDeviceIsWrittenInPlaceNotReplaced() throws {
    let (tree, source) = try sample()
    let device = tree.path + "/null"
    #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0, "\(String(cString: strerror(errno)))")
    for arguments in [["-o", device], ["--write-baseline", device, "-q"]] {
      let output = try VigilBinary.run(["scan", source] + arguments)
      #expect(output.status == 1, "\(arguments): \(output.stderr)")
      #expect(type(device) == S_IFCHR, "\(arguments): the device was replaced")
    }
    #expect(leftovers(tree.path) == [])
  }

  @Test func aFIFOIsWrittenInPlace() throws {
    let (tree, source) = try sample()
    let fifo = tree.path + "/pipe"
    #expect(mkfifo(fifo, 0o600) == 0)
    nonisolated(unsafe) var received: [UInt8] = []
    let reader = Thread {
      let fd = open(fifo, O_RDONLY)
      var buffer = [UInt8](repeating: 0, count: 65536)
      while fd >= 0 {
        let count = read(fd, &buffer, buffer.count)
        if count <= 0 { break }
        received += buffer[0..<count]
      }
      close(fd)
    }
    reader.start()
    let output = try VigilBinary.run(["scan", source, "--format", "json", "-o", fifo], timeout: 30)
    // Bounded: a vigil that replaced the FIFO never opens it, and the reader waits on.
    for _ in 0..<1000 where !reader.isFinished { usleep(10_000) }
    #expect(output.status == 1, "\(output.stderr)")
    #expect(String(decoding: received, as: UTF8.self).contains("\"ruleId\""))
    #expect(type(fifo) == S_IFIFO)
  }

  /// A FIFO no process reads (a scanned tree can ship one under the report's name) is an
  /// error at once, for a report and a baseline alike, never a scan that waits for ever.
  @Test func aFIFONoProcessReadsIsAnErrorNotAHang() throws {
    let (tree, source) = try sample()
    let fifo = tree.path + "/vigil.sarif"
    #expect(mkfifo(fifo, 0o600) == 0)
    for flag in ["-o", "--write-baseline"] {
      let output = try VigilBinary.run(["scan", source, flag, fifo], timeout: 30)
      #expect(output.status == 2, "\(flag): \(output.stderr)")
      #expect(output.stderr.contains("FIFO that no process reads"), "\(output.stderr)")
    }
    #expect(type(fifo) == S_IFIFO)
  }

  /// `/dev/fd/1` is whatever standard output is: here the pipe the test reads.
  @Test func standardOutputByNameIsWrittenInPlace() throws {
    let (tree, source) = try sample()
    let output = try VigilBinary.run(["scan", source, "--format", "json", "-o", "/dev/fd/1"])
    #expect(leftovers(tree.path) == [])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(output.stdout.contains("\"ruleId\""))
  }

  /// The report and a baseline (read or written) named as one file, by the same path or
  /// through a link: a usage error, and neither file touched (the report would replace
  /// the baseline).
  @Test func theReportAndABaselineAreNeverOneFile() throws {
    let (tree, source) = try sample()
    let baseline = try tree.write("out/baseline.json", "kept\n")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/same.json", withDestinationPath: baseline)
    for arguments in [
      ["-o", baseline, "--write-baseline", baseline],
      ["-o", tree.path + "/same.json", "--baseline", baseline],
      ["-o", tree.path + "/out/../out/baseline.json", "--write-baseline", baseline],
    ] {
      let output = try VigilBinary.run(["scan", source] + arguments)
      #expect(
        output.status == 2 && output.stderr.contains("name the same file"), "\(arguments): \(output.stderr)")
      #expect(try String(contentsOfFile: baseline, encoding: .utf8) == "kept\n")
    }
    // A file not there yet, named through a linked directory: the same file.
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/linked", withDestinationPath: tree.path + "/out")
    let fresh = try VigilBinary.run(
      ["scan", source, "-o", tree.path + "/linked/new.json", "--write-baseline", tree.path + "/out/new.json"])
    #expect(fresh.status == 2 && !FileManager.default.fileExists(atPath: tree.path + "/out/new.json"))
    // A dangling link to the baseline about to be written: the same file.
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/report.json", withDestinationPath: "out/b2.json")
    let dangling = try VigilBinary.run(
      ["scan", source, "-o", tree.path + "/report.json", "--write-baseline", tree.path + "/out/b2.json"])
    #expect(dangling.status == 2 && !FileManager.default.fileExists(atPath: tree.path + "/out/b2.json"))
    // `..` after a link goes up from its target: another file, not refused.
    try FileManager.default.createDirectory(atPath: tree.path + "/a/b", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/deep", withDestinationPath: tree.path + "/a/b")
    let apart = try VigilBinary.run(
      ["scan", source, "-o", tree.path + "/deep/../r.json", "--write-baseline", tree.path + "/r.json"])
    #expect(apart.status == 1, "\(apart.stderr)")
    #expect(FileManager.default.fileExists(atPath: tree.path + "/a/r.json"))
  }

  @Test func aRegularFileIsReplacedKeepingItsModeAndALinkIsFollowed() throws {
    let (tree, source) = try sample()
    let report = try tree.write("out/report.json", "old\n")
    chmod(report, 0o640)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/latest.json", withDestinationPath: "out/report.json")
    let output = try VigilBinary.run(["scan", source, "-o", tree.path + "/latest.json"])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(type(tree.path + "/latest.json") == S_IFLNK, "the link was replaced")
    #expect(try String(contentsOfFile: report, encoding: .utf8).contains("\"ruleId\""))
    var info = stat()
    #expect(stat(report, &info) == 0 && info.st_mode & 0o777 == 0o640)
    #expect(leftovers(tree.path + "/out") == [] && leftovers(tree.path) == [])
  }

  /// A link inside the scanned tree is never written through, at the report's name or
  /// on its way there: the tree's author (a pull request scanned in CI) chose its target.
  @Test func aLinkInsideTheScannedTreeIsRefused() throws {
    let (tree, _) = try sample()
    let outside = try TemporaryTree()
    let target = try outside.write("profile", "unchanged\n")
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/vigil.sarif", withDestinationPath: target)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/reports", withDestinationPath: outside.path)
    for arguments in [
      ["-o", "vigil.sarif"], ["--write-baseline", "vigil.sarif"], ["-o", "reports/report.json"],
      ["-o", tree.path + "/vigil.sarif"],
    ] {
      let output = try VigilBinary.run(["scan", "."] + arguments, in: tree.path)
      #expect(output.status == 2, "\(arguments): \(output.stderr)")
      #expect(output.stderr.contains("is a symbolic link inside the scanned tree"), "\(output.stderr)")
    }
    // Scanning only a subdirectory, through a link to the tree, or going through a
    // linked directory and back up: the link is still in the work tree.
    try Git.run(["init", "-q"], in: tree.path)
    try FileManager.default.createDirectory(atPath: outside.path + "/d", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/sub", withDestinationPath: outside.path + "/d")
    let linkToTree = outside.path + "/tree-link"
    try FileManager.default.createSymbolicLink(atPath: linkToTree, withDestinationPath: tree.path)
    for (arguments, directory) in [
      (["src", "-o", "vigil.sarif"], tree.path), ([linkToTree, "-o", "vigil.sarif"], tree.path),
      ([".", "-o", "sub/../escaped.json"], tree.path),
    ] {
      let output = try VigilBinary.run(["scan"] + arguments, in: directory)
      #expect(output.status == 2, "\(arguments): \(output.stderr)")
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "unchanged\n")
    #expect(!FileManager.default.fileExists(atPath: outside.path + "/report.json"))
    #expect(!FileManager.default.fileExists(atPath: outside.path + "/escaped.json"))
    try FileManager.default.removeItem(atPath: tree.path + "/.git")
    // Outside any repository, the current directory above the scanned one is the tree's
    // too (an unpacked archive: `cd pkg && vigil scan src`).
    let above = try VigilBinary.run(["scan", "src", "-o", "vigil.sarif"], in: tree.path)
    #expect(above.status == 2, "\(above.stderr)")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "unchanged\n")
    // A regular file in the tree, and a link outside the trees and the directory above
    // them, are written as before.
    #expect(try VigilBinary.run(["scan", ".", "-o", "report.json"], in: tree.path).status == 1)
    try FileManager.default.createSymbolicLink(
      atPath: outside.path + "/vigil.sarif", withDestinationPath: target)
    #expect(
      try VigilBinary.run(["scan", tree.path + "/src", "-o", "vigil.sarif"], in: outside.path).status == 1)
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"ruleId\""))
  }

  /// `vigil merge -o`, run in the checkout whose shards it merges (the CI recipe), refuses
  /// a link the checkout holds at the output's name, as `scan -o` does.
  @Test func mergeRefusesALinkInTheCheckoutItRunsIn() throws {
    let (tree, _) = try sample()
    try Git.run(["init", "-q"], in: tree.path)
    let outside = try TemporaryTree()
    let target = try outside.write("profile", "unchanged\n")
    let shard = outside.path + "/shard.sarif"
    #expect(try VigilBinary.run(["scan", ".", "--shard", "1/1", "-o", shard], in: tree.path).status == 1)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/vigil.sarif", withDestinationPath: target)
    let output = try VigilBinary.run(["merge", "-o", "vigil.sarif", shard], in: tree.path)
    #expect(output.status == 2, "\(output.stderr)")
    #expect(output.stderr.contains("is a symbolic link inside the scanned tree"), "\(output.stderr)")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "unchanged\n")
    // Outside any repository, or to a regular file, it writes as before.
    #expect(try VigilBinary.run(["merge", "-o", "merged.sarif", shard], in: tree.path).status == 1)
    #expect(
      try VigilBinary.run(["merge", "-o", outside.path + "/merged.sarif", shard], in: outside.path).status
        == 1)
  }

  /// A link to nothing is refused: following it would create a file wherever it points.
  @Test func aDanglingLinkIsRefused() throws {
    let (tree, source) = try sample()
    let target = tree.path + "/elsewhere/created.json"
    try FileManager.default.createDirectory(
      atPath: tree.path + "/elsewhere", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: tree.path + "/report.json", withDestinationPath: target)
    for arguments in [["-o", tree.path + "/report.json"], ["--write-baseline", tree.path + "/report.json"]] {
      let output = try VigilBinary.run(["scan", source] + arguments)
      #expect(output.status == 2, "\(arguments): \(output.stderr)")
      #expect(output.stderr.contains("symbolic link to nothing"), "\(output.stderr)")
      #expect(!FileManager.default.fileExists(atPath: target))
      #expect(type(tree.path + "/report.json") == S_IFLNK)
    }

    let repository = try Git.repository()
    try FileManager.default.createSymbolicLink(
      atPath: repository.path + "/.git/hooks/pre-commit", withDestinationPath: tree.path + "/elsewhere/hook")
    let hook = try VigilBinary.run(
      ["install-hook", "--force", "--vigil", VigilBinary.path], in: repository.path)
    #expect(hook.status == 2, "\(hook.stdout)\(hook.stderr)")
    #expect(hook.stderr.contains("symbolic link to nothing"), "\(hook.stderr)")
    #expect(!FileManager.default.fileExists(atPath: tree.path + "/elsewhere/hook"))
  }

  /// Another user who can write to the report's directory plants links at the names a
  /// predictable temporary file would take (`.NAME.vigil-PID.tmp`, for the next 2,000
  /// process ids); root's report must never go through one of them.
  @Test(.enabled(if: getuid() == 0, "needs root and a second user"))
  func linksPlantedByAnotherUserAreNeverWrittenThrough() throws {
    let (tree, source) = try sample()
    let victim = try tree.write("victim", "precious\n")
    let shared = tree.path + "/shared"
    try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
    chmod(tree.path, 0o755)
    chmod(shared, 0o777)  // writable by everyone, and not sticky
    let next =
      Int(
        (try? String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8))?
          .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 1
    // One process plants them all (a process per link would use up the ids).
    let plant =
      "for my $p (\(next)..\(next + 2000)) { symlink($ARGV[0], \"$ARGV[1]/.report.json.vigil-$p.tmp\") or die $! }"
    let planted = try ProcessRunner.run(
      "/usr/bin/setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/perl", "-e", plant, victim, shared],
      environment: ["PATH": "/usr/bin:/bin"])
    #expect(planted.status == 0, "\(planted.stderr)")
    let output = try VigilBinary.run(["scan", source, "--format", "json", "-o", shared + "/report.json"])
    #expect(output.status == 1, "\(output.stderr)")
    #expect(
      try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "root wrote through a planted link"
    )
    #expect(try String(contentsOfFile: shared + "/report.json", encoding: .utf8).contains("\"ruleId\""))
    // The control: root writing to a planted name does reach the victim.
    let control = try ProcessRunner.run(
      "/bin/sh", ["-c", "echo overwritten > '\(shared)/.report.json.vigil-\(next).tmp'"],
      environment: ["PATH": "/usr/bin:/bin"])
    let overwritten = try String(contentsOfFile: victim, encoding: .utf8)
    #expect(control.status == 0 && overwritten == "overwritten\n", "control: the planted link was not live")
  }
}

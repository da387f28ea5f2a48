import Foundation
import VigilSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Directories a program is never taken from, whatever command runs it: the trees a
/// scan reads, set once they are known (`ScanSession`), beside those each git command
/// names for itself.
package enum UntrustedTrees {
  /// The scanned paths and their repositories' work trees.
  static let directories = Locked<[String]>([])
  /// Directories around them that came with them as far as vigil can tell (the current
  /// directory above a scanned path: an unpacked archive's top), or hold the home
  /// directory: in those, the user's own `~/bin` and `~/.local/bin` stay trusted (`vigil
  /// scan project` from `~` with git in `~/bin`), nothing else (a `HOME` a CI job points
  /// at its workspace does not make the workspace's `node_modules/.bin` trusted).
  static let surrounding = Locked<[String]>([])
  /// The scanned paths and their repositories' work trees, whether or not they hold the
  /// home directory: where a repository can ship files (`hold`).
  static let shipped = Locked<[String]>([])

  /// Adds `paths` (resolved here), their repositories' work trees, and the current
  /// directory when one of them lies beneath it; never `/` (`vigil scan /src` from `/`
  /// in a container) as a work tree or the current directory.
  package static func add(scanning paths: [String]) {
    let current = SymbolicLinks.realPath(FileManager.default.currentDirectoryPath)
    let home = ProcessInfo.processInfo.environment["HOME"].flatMap { SymbolicLinks.realPath($0) }
    func holdsHome(_ directory: String) -> Bool {
      home.map { $0 == directory || $0.hasPrefix(directory + "/") } ?? false
    }
    var strict: [String] = []
    var around: [String] = []
    var trees: [String] = []
    for path in paths {
      guard let resolved = SymbolicLinks.realPath(path) else { continue }
      strict.append(resolved)
      trees.append(resolved)
      var wider: [String] = []
      if let tree = RepositoryLocation.containing(resolved)?.workTree {
        wider.append(SymbolicLinks.realPath(tree) ?? tree)
        if wider[0] != "/" { trees.append(wider[0]) }
      }
      if let current, SymbolicLinks.isWithin(resolved, anyOf: [current]) { wider.append(current) }
      for directory in wider where directory != "/" {
        if holdsHome(directory) { around.append(directory) } else { strict.append(directory) }
      }
    }
    directories.withLock { $0 += strict.filter { !$0.isEmpty } }
    shipped.withLock { $0 += trees.filter { !$0.isEmpty } }
    surrounding.withLock { $0 += around.filter { !$0.isEmpty } }
  }

  /// Whether `path`, which need not exist yet, lies in a scanned tree (the scanned paths
  /// and their work trees, a home directory in them too: a CI job's `HOME` set to its
  /// checkout; the current directory above a scanned path, an unpacked archive's top,
  /// unless it holds the home directory), its links resolved through the deepest part
  /// that exists.
  package static func hold(_ path: String) -> Bool {
    var existing = path
    var rest: [String] = []
    var resolved = SymbolicLinks.realPath(existing)
    while resolved == nil, existing.count > 1 {
      rest.insert((existing as NSString).lastPathComponent, at: 0)
      existing = (existing as NSString).deletingLastPathComponent
      resolved = SymbolicLinks.realPath(existing.isEmpty ? "." : existing)
    }
    guard let resolved else { return false }
    let full = ([resolved == "/" ? "" : resolved] + rest).joined(separator: "/")
    if SymbolicLinks.isWithin(full, anyOf: shipped.withLock { $0 } + directories.withLock { $0 }) {
      return true
    }
    // A current directory that holds the home directory: only the home directory in it
    // is the user's (`HOME=$PWD/.home` beside a shipped `.cache`).
    let home = ProcessInfo.processInfo.environment["HOME"].flatMap { SymbolicLinks.realPath($0) }
    return SymbolicLinks.isWithin(full, anyOf: surrounding.withLock { $0 })
      && !(home.map { SymbolicLinks.isWithin(full, anyOf: [$0]) } ?? false)
  }

  /// Whether a program may be taken from `directory` (resolved), beside the trees a
  /// command names itself (`named`).
  static func allows(_ directory: String, named: [String]) -> Bool {
    if SymbolicLinks.isWithin(directory, anyOf: named + directories.withLock { $0 }) { return false }
    let around = surrounding.withLock { $0 }
    guard SymbolicLinks.isWithin(directory, anyOf: around) else { return true }
    guard let home = ProcessInfo.processInfo.environment["HOME"].flatMap({ SymbolicLinks.realPath($0) })
    else {
      return false
    }
    return directory == home + "/bin" || directory == home + "/.local/bin"
  }
}

/// Runs a program with `posix_spawn` and pipes, with no shell and no threads: one
/// `poll` loop feeds standard input and drains standard output and error.
///
/// Why not Foundation's `Process`: on Linux it added about half a second of latency
/// per call here (measured: three git calls took 2.2 s), which a pre-commit hook
/// cannot afford. All pipe ends are close-on-exec, so concurrent spawns never leak
/// descriptors into each other's children.
enum Subprocess {
  struct Failure: Error {
    var message: String
  }

  /// A pipe whose ends are close-on-exec (Glibc's module does not export `pipe2`).
  private static func makePipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    return true
  }

  /// A child that exits before reading all its input must give us EPIPE, not SIGPIPE.
  private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

  /// Where `name` is found in PATH, among its directories that are absolute and not
  /// within any of `untrusted` (resolved paths): a PATH with `node_modules/.bin` in it
  /// (npm's scripts put it there, relative or absolute) must not let a scanned tree's
  /// own `git` run. `nil` if there is none.
  static func executable(named name: String, outside untrusted: [String]) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for entry in path.split(separator: ":", omittingEmptySubsequences: true) where entry.hasPrefix("/") {
      let directory = SymbolicLinks.realPath(String(entry)) ?? String(entry)
      if !UntrustedTrees.allows(directory, named: untrusted) { continue }
      let candidate = directory + "/" + name
      var status = stat()
      if stat(candidate, &status) == 0, status.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
        return candidate
      }
    }
    return nil
  }

  /// Runs `arguments[0]` (looked up in PATH's absolute directories outside
  /// `untrusted`, the trees being read: `executable(named:outside:)`) and calls `output`
  /// with each chunk of its standard output as it arrives. Returns the exit status and
  /// standard error.
  /// With `timeout`, a child still running after that many seconds is killed and
  /// `Failure` thrown: for commands that must be quick and that something outside
  /// vigil's control (a FIFO where git expects a file) could block. With
  /// `stallTimeout`, the same for a child that writes nothing for that long.
  static func run(
    _ arguments: [String], environment: [String: String], untrusted: [String] = [], input: [UInt8]? = nil,
    timeout: Double? = nil, stallTimeout: Double? = nil, output: ([UInt8]) throws -> Void
  ) throws -> (status: Int32, errors: [UInt8]) {
    _ = ignoreBrokenPipes
    guard let program = arguments.first else { throw Failure(message: "no program to run") }
    let executable =
      program.contains("/")
      ? program
      : Self.executable(
        named: program,
        outside: untrusted.map { SymbolicLinks.realPath($0) ?? $0 })
    guard let executable else {
      throw Failure(message: "cannot run \(program): not found in PATH (outside the scanned tree)")
    }
    var stdoutPipe: [Int32] = [-1, -1]
    var stderrPipe: [Int32] = [-1, -1]
    var stdinPipe: [Int32] = [-1, -1]
    guard makePipe(&stdoutPipe), makePipe(&stderrPipe), makePipe(&stdinPipe) else {
      throw Failure(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    close(stdinPipe[0])
    close(stdoutPipe[1])
    close(stderrPipe[1])
    guard spawned == 0 else {
      close(stdinPipe[1])
      close(stdoutPipe[0])
      close(stderrPipe[0])
      throw Failure(message: "cannot run \(arguments.first ?? "?"): \(String(cString: strerror(spawned)))")
    }

    // Non-blocking, so that a write never waits for room while the child waits for us
    // to read its output (`cat-file --batch` answers as it reads).
    _ = fcntl(stdinPipe[1], F_SETFL, fcntl(stdinPipe[1], F_GETFL) | O_NONBLOCK)
    // A larger pipe (Linux's F_SETPIPE_SZ, up to 1 MiB unprivileged): the child keeps
    // writing while vigil works on what it read, instead of the two taking turns.
    _ = fcntl(stdoutPipe[0], 1031, 1 << 20)
    var errors: [UInt8] = []
    let pending = input ?? []
    var written = 0
    var stdinOpen = true
    if pending.isEmpty {
      close(stdinPipe[1])
      stdinOpen = false
    }
    var stdoutOpen = true
    var stderrOpen = true
    var buffer = [UInt8](repeating: 0, count: 65536)
    var failure: Error?
    let deadline = timeout.map { Date(timeIntervalSinceNow: $0) }
    var lastActivity = Date()
    var stopped: String?  // why the child was killed
    while stdoutOpen || stderrOpen {
      var fds = [
        pollfd(fd: stdoutOpen ? stdoutPipe[0] : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: stderrOpen ? stderrPipe[0] : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: stdinOpen ? stdinPipe[1] : -1, events: Int16(POLLOUT), revents: 0),
      ]
      var wait: Int32 = -1
      if stopped == nil {
        var limits: [(at: Date, reason: String)] = []
        if let deadline, let timeout { limits.append((deadline, "did not finish within \(Int(timeout)) s")) }
        if let stallTimeout {
          limits.append(
            (lastActivity.addingTimeInterval(stallTimeout), "gave no output for \(Int(stallTimeout)) s"))
        }
        if let next = limits.min(by: { $0.at < $1.at }) {
          let left = next.at.timeIntervalSinceNow
          if left <= 0 {
            kill(pid, SIGKILL)
            stopped = next.reason
          } else {
            wait = Int32(min(left * 1000 + 1, 60_000))
          }
        }
      }
      let ready = poll(&fds, 3, wait)
      if ready < 0 {
        if errno == EINTR { continue }
        break
      }
      if ready == 0 { continue }
      if stdinOpen && fds[2].revents != 0 {
        let count = pending.withUnsafeBytes { raw in
          write(stdinPipe[1], raw.baseAddress! + written, min(65536, pending.count - written))
        }
        if count > 0 {
          written += count
          lastActivity = Date()
        }
        if count < 0 && errno != EINTR && errno != EAGAIN || written == pending.count {
          close(stdinPipe[1])
          stdinOpen = false
        }
      }
      for (index, fd) in [(0, stdoutPipe[0]), (1, stderrPipe[0])] where fds[index].revents != 0 {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 {
          close(fd)
          if index == 0 { stdoutOpen = false } else { stderrOpen = false }
          continue
        }
        if index == 1 {
          errors += buffer[0..<count]
        } else if failure == nil {
          do { try output(Array(buffer[0..<count])) } catch {
            failure = error
            kill(pid, SIGTERM)
          }
        }
        lastActivity = Date()  // after `output`: time vigil spends on a chunk is not the child's
      }
    }
    if stdinOpen { close(stdinPipe[1]) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if let failure { throw failure }
    if let stopped {
      throw Failure(message: "\(arguments.first ?? "?") \(stopped) and was stopped")
    }
    // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, errors)
  }
}

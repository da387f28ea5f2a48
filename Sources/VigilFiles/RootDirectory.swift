import CLinux
import VigilSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A directory named on the command line, held open for the whole walk. Everything
/// under it is opened relative to it by `vigil_open_beneath`: no symbolic link is
/// followed in any component and nothing above it can be reached, so neither a link
/// planted in the tree nor a directory swapped for one while the scan runs leads out.
public final class RootDirectory: Sendable {
  public let descriptor: Int32
  /// The path it was opened by, for git, which takes directories by name.
  public let path: [UInt8]
  /// For a directory the walk went on from deep in the tree: the directory named on the
  /// command line, and where this one is beneath it.
  public let top: RootDirectory?
  public let prefix: [UInt8]

  /// Opens `path` (the user named it: links in it are followed).
  public init?(path: [UInt8]) {
    descriptor = PathText.withCString(path) { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    self.path = path
    top = nil
    prefix = []
    if descriptor < 0 { return nil }
  }

  /// The directory `relative` opened beneath `parent` (`descriptor` is its own now), for
  /// the walk to go on from there.
  public init(descriptor: Int32, at relative: [UInt8], beneath parent: RootDirectory) {
    self.descriptor = descriptor
    path = parent.path + [UInt8(ascii: "/")] + relative
    top = parent.top ?? parent
    prefix = parent.prefix.isEmpty ? relative : parent.prefix + [UInt8(ascii: "/")] + relative
  }

  /// `relative` (beneath this directory) as the directory named on the command line
  /// and the path beneath it: what a link may reach is the whole tree, not the part of
  /// it the walk went on from.
  public func fromTop(_ relative: [UInt8]) -> (root: RootDirectory, path: [UInt8]) {
    guard let top else { return (self, relative) }
    return (top, relative.isEmpty ? prefix : prefix + [UInt8(ascii: "/")] + relative)
  }

  deinit { close(descriptor) }

  /// A descriptor for `relative` (`""` is the root itself), or -1 with `errno` set:
  /// `ELOOP` when a component is a symbolic link.
  public func open(_ relative: [UInt8], flags: Int32) -> Int32 {
    PathText.withCString(relative.isEmpty ? [UInt8(ascii: ".")] : relative) {
      vigil_open_beneath(descriptor, $0, flags)
    }
  }
}

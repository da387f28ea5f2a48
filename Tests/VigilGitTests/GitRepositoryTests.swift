import Testing

@testable import VigilGit

@Suite struct GitRepositoryTests {
  /// A report names a remote only as an absolute URI of a network transport: never a
  /// path of the scanning machine, and scp's form written as the URI it stands for.
  @Test func aRemoteIsNamedOnlyAsANetworkURI() {
    #expect(GitRepository.networkURI("https://github.com/acme/app.git") == "https://github.com/acme/app.git")
    #expect(
      GitRepository.networkURI("ssh://git@git.example.org:2222/acme/app")
        == "ssh://git@git.example.org:2222/acme/app")
    #expect(GitRepository.networkURI("git@github.com:acme/app.git") == "ssh://git@github.com/acme/app.git")
    #expect(GitRepository.networkURI("host.example:/srv/app.git") == "ssh://host.example/srv/app.git")
    for local in [
      "../src", "/srv/git/app.git", "file:///srv/git/app.git", "ext::sh -c x", "app", "dir/x:y", "",
    ] {
      #expect(GitRepository.networkURI(local) == nil, "\(local)")
    }
  }
}

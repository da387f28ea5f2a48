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
    #expect(
      GitRepository.networkURI("https://dev.azure.com/acme/My Project/_git/app")
        == "https://dev.azure.com/acme/My%20Project/_git/app")
    #expect(GitRepository.networkURI("https://host/a%zz%41") == "https://host/a%25zz%41")
    for local in [
      "../src", "/srv/git/app.git", "file:///srv/git/app.git", "ext::sh -c x", "app", "dir/x:y", "",
      "ssh:///srv/git/x", "git:///x", "C:/Users/me/repo",
    ] {
      #expect(GitRepository.networkURI(local) == nil, "\(local)")
    }
  }
}

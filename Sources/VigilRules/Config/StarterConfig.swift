/// The commented `.vigil.toml` that `vigil init` writes.
public enum StarterConfig {
  public static let text = """
    # vigil configuration. Documentation/Configuration.md explains every setting.
    # This file uses the same schema as vigil's rules (a superset of gitleaks' config).

    # Start from vigil's built-in rules; without this, only the rules below would run.
    [extend]
    useDefault = true

    [scan]
    # gitignore-style patterns, relative to this directory, never scanned.
    exclude = [
      # "vendor/",
      # "**/*.min.js",
    ]
    # Files larger than this many bytes are skipped (--max-file-size wins over it).
    # maxFileSize = 33554432
    # The least severity that fails the scan (exit 1): error, warning or note. Secrets
    # in test material are reported as fixtures at note (--fail-on wins over it).
    # failOn = "warning"
    # Rules that do not apply to this project, by id (`vigil rules` lists them).
    disabledRules = [
      # "rust-unwrap",
    ]

    # Per-rule severity: error, warning or note.
    [severity]
    # age-encrypted-file = "warning"

    # Values or paths that are never findings, for every rule. Prefer an inline
    # `vigil:allow` comment or a .vigilignore entry for a single finding.
    # [[allowlists]]
    # description = "Fixtures with revoked credentials"
    # paths = ['''^tests/fixtures/''']

    # A rule of your own:
    # [[rules]]
    # id = "acme-api-key"
    # description = "ACME API key"
    # regex = '''\\b(acme_[a-z0-9]{32})\\b'''
    # keywords = ["acme_"]
    # category = "secret"
    # severity = "error"

    """
}

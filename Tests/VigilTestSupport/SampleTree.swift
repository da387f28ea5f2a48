/// A small project with one finding of each category, its tokens generated at test
/// time: the tree the reporter golden files and the end-to-end tests scan.
public enum SampleTree {
  public struct Secrets {
    public var awsKeyID: String
    public var awsSecret: String
    public var githubToken: String
    public var smtpPassword: String
  }

  /// Writes the tree into `tree` and returns the secrets planted in it.
  @discardableResult
  public static func write(into tree: TemporaryTree) throws -> Secrets {
    var tokens = TestTokens()
    let secrets = Secrets(
      awsKeyID: tokens.awsAccessKeyID(), awsSecret: tokens.awsSecretKey(),
      githubToken: tokens.githubToken(), smtpPassword: tokens.string(18, from: TestTokens.alphanumeric))
    try tree.write(
      "app/settings.py",
      """
      import boto3

      AWS_ACCESS_KEY_ID = "\(secrets.awsKeyID)"
      aws_secret_access_key = "\(secrets.awsSecret)"
      client = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID)

      """)
    try tree.write("deploy/.env", "SMTP_HOST=mail.internal\nSMTP_PASSWORD=\(secrets.smtpPassword)\n")
    try tree.write("deploy/.env.example", "SMTP_PASSWORD=changeme\n")
    try tree.write(
      "deploy/release.sh",
      "#!/bin/sh\ncurl -H \"Authorization: token \(secrets.githubToken)\" https://api.github.com/user\n")
    // Pieces joined at run time so that this file holds no finding itself.
    let permissive = "CorsLayer::" + "permissive()"
    try tree.write(
      "server/src/main.rs",
      """
      use tower_http::cors::CorsLayer;

      fn main() {
          let port = std::env::var("PORT").unwrap();
          let app = Router::new().layer(\(permissive));
      }

      """)
    try tree.write("server/tests/smoke.rs", "fn t() { run().unwrap(); }\n")
    try tree.write(
      "web/db.js", "const rows = db.query(\"SELECT * FROM users WHERE name = '\" + req.query.name + \"'\");\n"
    )
    try tree.write("README.md", "# Sample\n\nNothing to see here.\n")
    try tree.write("assets/logo.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
    return secrets
  }
}

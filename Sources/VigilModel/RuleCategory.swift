/// What kind of problem a rule finds. Every rule has exactly one.
public enum RuleCategory: String, CaseIterable, Codable, Sendable {
  /// A file that should never be committed (`.env`, private keys, age files).
  case secretFile = "secret-file"
  /// A credential inside a file.
  case secret
  /// SQL built by string concatenation or interpolation.
  case sqlInjection = "sql-injection"
  /// Rust `.unwrap()` / `.expect()` in production code.
  case unwrap
  /// A CORS policy that lets any origin in.
  case cors
  /// A protection switched off in code or configuration: TLS certificate checks, a
  /// server bound to every interface, undocumented `unsafe`, debug features in
  /// production.
  case hardening

  /// Whether what the rule matches is itself sensitive and must be redacted.
  public var isSensitive: Bool { self == .secret || self == .secretFile }

  /// The CWE a rule of this category maps to unless it names its own.
  public var defaultCWE: String {
    switch self {
    case .secretFile: "CWE-538"
    case .secret: "CWE-798"
    case .sqlInjection: "CWE-89"
    case .unwrap: "CWE-248"
    case .cors: "CWE-942"
    case .hardening: "CWE-693"
    }
  }

  /// The `security-severity` (0.0–10.0) used when a rule gives none.
  public var defaultSecuritySeverity: Double {
    switch self {
    case .secretFile, .secret: 8.0
    case .sqlInjection: 8.0
    case .cors, .hardening: 5.0
    case .unwrap: 3.0
    }
  }

  /// Why a rule of this category and weakness (`cwe`) matters: the category's reason,
  /// or, for hardening, whose rules switch off different protections, the weakness's.
  public func why(cwe: String) -> String {
    guard self == .hardening, let own = Self.hardeningWhy[cwe] else { return why }
    return own
  }

  private static let hardeningWhy = [
    "CWE-295":
      "A connection that accepts any certificate is encrypted to whoever answers: anyone on the network path (a shared Wi-Fi, a compromised router, a spoofed DNS answer) reads and changes the traffic, credentials included.",
    "CWE-1327":
      "A server listening on every interface is reachable from every network the host is on: a service meant for this machine (an admin API, a debug port) then has only a firewall rule between it and anyone there.",
    "CWE-319":
      "A connection without TLS carries its password and every byte of data in clear past everyone on the network path between the application and the server.",
    "CWE-758":
      "Inside unsafe the compiler stops checking what the code promises (a pointer is valid, an index in bounds, a type safe to share); a promise written nowhere cannot be reviewed, and the change that breaks it is undefined behaviour: memory corruption an attacker can steer.",
    "CWE-489":
      "A debug feature left on in production hands whoever reaches the application what it hides from users: stack traces, settings and secrets, internal endpoints, and with some (Werkzeug's debugger) a console that runs their code.",
  ]

  /// Why each category matters, shown for every rule in it.
  public var why: String {
    switch self {
    case .secretFile:
      "A file like this holds credentials by its nature; once committed, everyone with the repository (and its history, forever) has them."
    case .secret:
      "A credential in source is readable by everyone with the repository and stays in its history after deletion: anyone who finds it acts as you."
    case .sqlInjection:
      "Text pasted into SQL can change the statement: a crafted value reads, alters or deletes data it should never reach."
    case .unwrap:
      "A panic on unexpected input takes the whole process down: in a server, one bad request becomes a denial of service."
    case .cors:
      "A permissive CORS policy lets any web page call the API from a visitor's browser and read what the visitor's session can see."
    case .hardening:
      "A protection the platform gives is switched off in the code or its configuration, so every build ships without it: anyone on the network path, or able to reach the port, gets what the protection kept from them."
    }
  }
}

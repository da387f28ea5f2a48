import VigilModel

/// The part of the SARIF 2.1.0 object model vigil writes, as typed `Codable` structs so
/// the compiler, not string building, keeps the shape right.
///
/// Property names follow the spec exactly; optional values are left out when `nil`.
struct SARIFLog: Codable, Equatable {
  var schema = "https://json.schemastore.org/sarif-2.1.0.json"
  var version = "2.1.0"
  var runs: [Run]

  enum CodingKeys: String, CodingKey {
    case schema = "$schema"
    case version
    case runs
  }

  struct Run: Codable, Equatable {
    var tool: Tool
    var automationDetails: AutomationDetails?
    /// The base a result's path is relative to, described but never located: its
    /// absolute path is the scanning machine's business, not the report reader's.
    var originalUriBaseIds: [String: BaseLocation]?
    var versionControlProvenance: [VersionControlDetails]?
    var columnKind = "unicodeCodePoints"
    var invocations: [Invocation]
    var results: [Result]
  }

  struct AutomationDetails: Codable, Equatable {
    var id: String
  }

  struct Tool: Codable, Equatable {
    var driver: ToolComponent
  }

  struct ToolComponent: Codable, Equatable {
    var name: String
    var version: String
    var semanticVersion: String
    var informationUri: String
    var rules: [ReportingDescriptor]
  }

  struct ReportingDescriptor: Codable, Equatable {
    var id: String
    var name: String
    var shortDescription: Message
    var fullDescription: Message
    var help: Message
    var defaultConfiguration: Configuration
    var properties: RuleProperties
  }

  struct Configuration: Codable, Equatable {
    var level: String
  }

  struct RuleProperties: Codable, Equatable {
    var tags: [String]
    var securitySeverity: String
    var category: String
    var precision = "high"

    enum CodingKeys: String, CodingKey {
      case tags
      case securitySeverity = "security-severity"
      case category
      case precision
    }
  }

  struct Message: Codable, Equatable {
    var text: String
    var markdown: String?
  }

  struct Invocation: Codable, Equatable {
    var executionSuccessful: Bool
    var toolExecutionNotifications: [Notification]
    var properties: InvocationProperties?
  }

  /// vigil's own: the shard of a sharded scan (`K/N`), for `vigil merge` to check.
  struct InvocationProperties: Codable, Equatable {
    var shard: String?
  }

  struct Notification: Codable, Equatable {
    var level: String
    var message: Message
    var locations: [Location]?
  }

  struct Result: Codable, Equatable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: Message
    var locations: [Location]
    var relatedLocations: [Location]?
    var partialFingerprints: [String: String]
    var suppressions: [SARIFSuppression]?
    var properties: ResultProperties
  }

  struct SARIFSuppression: Codable, Equatable {
    var kind: String
    var justification: String
    /// `accepted`, `underReview` or `rejected`; vigil writes none (in effect). Read
    /// from a report to merge: only an accepted one keeps a finding from failing.
    var status: String? = nil

    var isInEffect: Bool { status == nil || status == "accepted" }
  }

  struct ResultProperties: Codable, Equatable {
    var category: String
    var commitSha: String?
    var commitAuthor: String?
    var commitEmail: String?
    var commitDate: String?
    var commitMessage: String?
    /// True for a secret in test or fixture material (reported at `note`).
    var fixture: Bool?
    /// For a secret inside encoded text: the encodings undone, outermost first.
    var decodedFrom: [String]?
  }

  struct VersionControlDetails: Codable, Equatable {
    var repositoryUri: String
    var revisionId: String?
    var branch: String?
  }

  struct Location: Codable, Equatable {
    var id: Int?
    var physicalLocation: PhysicalLocation
    var message: Message?
  }

  struct PhysicalLocation: Codable, Equatable {
    var artifactLocation: ArtifactLocation
    var region: Region?
  }

  struct BaseLocation: Codable, Equatable {
    var description: Message
  }

  struct ArtifactLocation: Codable, Equatable {
    var uri: String
    var uriBaseId: String?
  }

  struct Region: Codable, Equatable {
    var startLine: Int
    var startColumn: Int?
    var endLine: Int?
    var endColumn: Int?
    var snippet: Message?
  }
}

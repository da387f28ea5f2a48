import VigilModel

/// vigil's identity as reports state it.
public enum ToolInfo {
  public static let name = "vigil"
  public static let version = "0.2.0"
  public static let informationURI = "https://github.com/vigil-scanner/vigil"
}

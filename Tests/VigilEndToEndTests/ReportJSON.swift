import Foundation
import Testing
import VigilTestSupport

/// The `findings` array of a JSON report a command printed; a test that expected JSON
/// fails with the command's output when there is none.
func findings(_ output: ProcessOutput) throws -> [[String: Any]] {
  let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
  return try #require(object?["findings"] as? [[String: Any]], "\(output.stdout)\n\(output.stderr)")
}

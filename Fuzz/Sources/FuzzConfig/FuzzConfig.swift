import VigilDetect
import VigilModel

@testable import VigilRules

/// Random bytes as a rules file: the loader must report problems, never crash; a file
/// it accepts must compile into a detector that can scan the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let text = String(decoding: bytes, as: UTF8.self)
  let (file, problems) = RuleLoader(strict: false).parse(text: text, file: "fuzz.toml")
  for problem in problems where problem.message.isEmpty {
    preconditionFailure("a problem without a message")
  }
  guard !problems.contains(where: { $0.level == .error }) else { return 0 }
  let detector: Detector
  do {
    detector = try Detector(pack: RulePack(rules: file.rules, allowlists: file.allowlists))
  } catch {
    preconditionFailure("a file the loader accepted does not compile: \(error)")
  }
  guard let worker = try? detector.makeWorker() else { return 0 }
  let matches = worker.detectContent(bytes, path: "fuzz.toml")
  for match in matches {
    precondition(match.ruleIndex < file.rules.count, "rule index out of range")
    if let range = match.secretRange { precondition(range.upperBound <= size, "secret past the end") }
  }
  return 0
}

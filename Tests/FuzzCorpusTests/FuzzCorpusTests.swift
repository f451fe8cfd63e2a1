import XCTest
import APKTestSupport
import Foundation
import FuzzTargets

/// Replays the fuzz seeds (`Fuzz/corpus/<target>`) and every input that once crashed a reader
/// (`Fuzz/crashes/<target>`, kept as regression cases) through the same code the fuzzer runs.
/// A crash stops the test process; a reader must end each input with a result or an error.
final class FuzzCorpusTests: XCTestCase {
    func testCorpusAndCrashInputs() throws {
        let root = Shared.repoRoot.appendingPathComponent("Fuzz")
        let scratch = try temporaryFolder(self)
        var replayed: [String: Int] = [:]
        for folder in ["corpus", "crashes"] {
            for target in FuzzTarget.allCases {
                let dir = root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where !name.hasPrefix(".") {
                    let data = try Data(contentsOf: dir.appendingPathComponent(name))
                    data.withUnsafeBytes { target.run($0, scratch: scratch) }
                    replayed[target.rawValue, default: 0] += 1
                }
            }
        }
        // Every reader has seeds.
        for target in FuzzTarget.allCases { XCTAssertGreaterThan(replayed[target.rawValue] ?? 0, 0, target.rawValue) }
    }
}

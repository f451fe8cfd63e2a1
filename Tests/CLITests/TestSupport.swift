import Foundation
import XCTest

/// Paths of the shared test material (`../shared` beside the repository), when present.
enum Shared {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/external-data")

    /// The path of a shared file, or skips the test when `../shared` is absent.
    static func path(_ relative: String) throws -> String {
        let p = root.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: p) else { throw XCTSkip("shared data not present: \(relative)") }
        return p
    }

    static let apav = "jesseds_apav/apav/tests/"
    static let depict = "lukasgartmair_3Depict_Isosurfaces/test/rangefiles/"
    static let ifes = "atomprobe-tc_ifes_apt_tc_data_modeling/tests/data/"
}

/// A fresh temporary folder, removed at the end of the test.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apk-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
}

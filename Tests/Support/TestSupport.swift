import Foundation
import XCTest

/// Paths of the shared test material (`../shared` beside the repository), when present.
public enum Shared {
    public static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let root = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/external-data")

    /// The path of a shared file, or skips the test when `../shared` is absent.
    public static func path(_ relative: String) throws -> String {
        let p = root.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: p) else { throw XCTSkip("shared data not present: \(relative)") }
        return p
    }

    public static let apav = "jesseds_apav/apav/tests/"
    public static let depict = "lukasgartmair_3Depict_Isosurfaces/test/rangefiles/"
    public static let ifes = "atomprobe-tc_ifes_apt_tc_data_modeling/tests/data/"
}

/// A fresh temporary folder, removed at the end of the test.
public func temporaryFolder(_ test: XCTestCase) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apk-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
}

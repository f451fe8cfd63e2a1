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

/// Small real files bundled with the tests (licences allowing), in `Tests/Fixtures`.
public enum Fixtures {
    public static let root = Shared.repoRoot.appendingPathComponent("Tests/Fixtures")
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    /// ifes_apt_tc_data_modeling range files (Apache-2.0), same layout as in `../shared`.
    public static let ifes = "ifes/tests/data/"
}

/// A fresh temporary folder, removed at the end of the test.
public func temporaryFolder(_ test: XCTestCase) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apk-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
}

/// An accepted difference between a computed number and its reference, and where the reference
/// and the size of the difference come from. Every numeric check of the suite goes through
/// `assertClose`, so a failure says what was compared with what, and why that much is allowed.
public struct Tolerance {
    public enum Source: String {
        case closedForm = "closed form"
        case groundTruth = "synthetic ground truth"
        case knownAnswer = "known answer of a real file (SOURCES.md)"
        case peer = "peer tool"
        case statistics = "counting statistics"
        case discretization = "discretization error"
        case roundoff = "floating-point round-off"
    }
    public let amount: Double
    public let source: Source
    public let why: String

    public static func closedForm(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .closedForm, why: why) }
    public static func groundTruth(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .groundTruth, why: why) }
    public static func knownAnswer(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .knownAnswer, why: why) }
    public static func peer(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .peer, why: why) }
    public static func statistics(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .statistics, why: why) }
    public static func discretization(_ a: Double, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .discretization, why: why) }
    public static func roundoff(_ a: Double = 1e-12, _ why: String = "") -> Tolerance { Tolerance(amount: a, source: .roundoff, why: why) }
}

/// Asserts |actual - expected| <= tolerance, naming the tolerance's source on failure.
public func assertClose(_ actual: @autoclosure () throws -> Double, _ expected: @autoclosure () throws -> Double, within t: Tolerance,
                        _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    do {
        let a = try actual(), e = try expected()
        let ok = (a - e).magnitude <= t.amount || a == e
        XCTAssertTrue(ok, "\(a) is not \(e) ± \(t.amount) (\(t.source.rawValue)\(t.why.isEmpty ? "" : ": " + t.why)) \(message())", file: file, line: line)
    } catch {
        XCTFail("threw \(error) \(message())", file: file, line: line)
    }
}

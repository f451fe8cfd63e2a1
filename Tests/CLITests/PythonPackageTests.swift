import XCTest
import Foundation

/// Runs the Python package's own tests (Python/tests, pytest) against this build: the package
/// from its sources, the library and executable `swift test` built. The interpreter is the one
/// the README's install step sets up (`.venv-python`, with numpy, pandas and pytest); without it
/// the test is skipped and says why.
final class PythonPackageTests: XCTestCase {
    func testPytest() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let python = repo.appendingPathComponent(".venv-python/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("no \(python): run the README's install step (Scripts/install-deps.sh) to test the Python package")
        }
        let products = CLITests.executable.deletingLastPathComponent()
        let library = products.appendingPathComponent("libAtomProbeKitC.so").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: library), "the C ABI library was not built at \(library)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Python/tests"]
        p.currentDirectoryURL = repo
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = repo.appendingPathComponent("Python/src").path
        env["ATOMPROBEKIT_LIB"] = library
        p.environment = env
        let out = Pipe()
        p.standardOutput = out; p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "pytest failed:\n\(text.suffix(6000))")
        print(text.split(separator: "\n").last ?? "")
    }
}

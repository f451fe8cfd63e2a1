import XCTest
import APKTestSupport
import Foundation

/// The README's transcripts (its ```console blocks) run as written: each `$ atomprobe ...` must
/// exit 0 and print the lines shown under it, in that order (the README may leave lines out).
/// Timings ("6.3 s") are not compared, and output folders go to a temporary folder. Commands
/// reading `../shared` are skipped when it is absent. So the README cannot drift from the program.
final class ReadmeTranscriptTests: XCTestCase {
    struct Transcript { var line: Int; var arguments: [String]; var expected: [String] }

    static func transcripts(_ readme: String) -> [Transcript] {
        var out: [Transcript] = []
        var inConsole = false
        for (k, raw) in readme.components(separatedBy: "\n").enumerated() {
            if raw.hasPrefix("```") { inConsole = raw == "```console"; continue }
            guard inConsole else { continue }
            if raw.hasPrefix("$ atomprobe ") {
                let command = raw.dropFirst("$ atomprobe ".count).components(separatedBy: "#")[0]
                out.append(Transcript(line: k + 1, arguments: command.split(separator: " ").map(String.init), expected: []))
            } else if !out.isEmpty {
                out[out.count - 1].expected.append(raw)
            }
        }
        return out
    }

    /// Timings and the output folder are the only parts allowed to differ.
    static func normalized(_ line: String, outputs: [(String, String)]) -> String {
        var s = line
        for (readme, actual) in outputs { s = s.replacingOccurrences(of: actual, with: "OUT").replacingOccurrences(of: readme, with: "OUT") }
        s = s.replacingOccurrences(of: #"\b\d+(\.\d+)? s\b"#, with: "N s", options: .regularExpression)
        return s.trimmingCharacters(in: .whitespaces)
    }

    func testReadmeTranscripts() throws {
        let readme = try String(contentsOf: Shared.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let all = Self.transcripts(readme)
        XCTAssertGreaterThanOrEqual(all.count, 5, "the README's console transcripts")
        let tmp = try temporaryFolder(self)
        for t in all {
            var args = t.arguments
            var outputs: [(String, String)] = []
            if let o = args.firstIndex(of: "-o"), o + 1 < args.count {
                let actual = tmp + "/" + URL(fileURLWithPath: args[o + 1]).lastPathComponent
                outputs.append((args[o + 1], actual))
                args[o + 1] = actual
            }
            if args.contains(where: { $0.hasPrefix("../shared/") && !FileManager.default.fileExists(atPath: Shared.repoRoot.appendingPathComponent($0).path) }) {
                continue  // ../shared absent
            }
            let p = Process()
            p.executableURL = CLITests.executable
            p.arguments = args
            p.currentDirectoryURL = Shared.repoRoot
            let out = Pipe()
            p.standardOutput = out; p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "README line \(t.line): atomprobe \(t.arguments.joined(separator: " "))")
            let actual = String(decoding: data, as: UTF8.self).components(separatedBy: "\n").map { Self.normalized($0, outputs: outputs) }
            var at = 0
            for want in t.expected.map({ Self.normalized($0, outputs: outputs) }) where !want.isEmpty {
                guard let k = actual[at...].firstIndex(of: want) else {
                    XCTFail("README line \(t.line): the output of `atomprobe \(t.arguments.joined(separator: " "))` lacks, in order:\n\(want)\nactual:\n\(actual.joined(separator: "\n"))")
                    break
                }
                at = k + 1
            }
        }
    }
}

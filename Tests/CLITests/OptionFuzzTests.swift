import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// Issue 23's option-level fuzzer, run with the normal suite in bounded time: every option that
/// takes a value, of every command (read from the commands' own `--help`), gets absurd values
/// (NaN, infinities, -1, 0, 1e300, 1e-300, "", ",", huge integers, vectors of those, control
/// characters, and large but finite values such as 1000 and 1e9) on tiny inputs. Verified against the project's rule for bad input: a run ends
/// within 20 s, by itself (no signal), with exit 0 or with exactly one `Error:` line and no usage
/// block. Deterministic: the values come from a fixed seed; the first pass gives every option
/// (each name once, on the cheapest command that has it) one value, later passes more values
/// until about 50 s have gone.
final class OptionFuzzTests: XCTestCase {
    static let values = ["nan", "inf", "-inf", "-1", "0", "1e300", "1e-300", "", ",", "99999999999999999999", "-99999999999999999999",
                         "1e300,1e300,1e300", "0,0,0", "nan,1,1", "-1,-1,-1", "abc", "a\nb", "1e-300,1e-300,1e-300", "2147483648",
                         "1", "1000", "1e9", "0.001", "1e9,1e9,1e9"]
    static let perRunSeconds = 20.0
    /// About 50 s; APK_OPTION_FUZZ_SECONDS sets another budget (a longer campaign by hand).
    static let budgetSeconds = Double(ProcessInfo.processInfo.environment["APK_OPTION_FUZZ_SECONDS"] ?? "") ?? 50

    struct Outcome { var status: Int32; var signalled: Bool; var hung: Bool; var stderr: String }

    /// Runs the CLI in `dir` with stdout discarded and stderr in a file (no pipe to block on),
    /// killed after `perRunSeconds`.
    func run(_ args: [String], in dir: String) throws -> Outcome {
        let errPath = dir + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let p = Process()
        p.executableURL = CLITests.executable
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        var hung = false
        if done.wait(timeout: .now() + Self.perRunSeconds) == .timedOut {
            hung = true
            kill(p.processIdentifier, SIGKILL)
            done.wait()
        }
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(status: p.terminationStatus, signalled: !hung && p.terminationReason == .uncaughtSignal, hung: hung, stderr: text)
    }

    /// The options of a command that take a value, from its help text.
    func valueOptions(_ command: [String], in dir: String) throws -> [String] {
        let p = Process()
        p.executableURL = CLITests.executable
        p.arguments = command + ["--help"]
        let out = Pipe(); p.standardOutput = out; p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(command) --help")
        var found: [String] = []
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard let r = t.range(of: #"^(-[a-zA-Z], )?--[a-z0-9-]+ <"#, options: .regularExpression) else { continue }
            let name = String(t[r].split(separator: " ").first { $0.hasPrefix("--") } ?? "")
            if !name.isEmpty, !found.contains(name) { found.append(name) }
        }
        return found
    }

    func testEveryOptionSurvivesAbsurdValues() throws {
        let dir = try temporaryFolder(self)
        let start = Date()
        // Tiny inputs: a 30000-ion interface (a surface at Li 42 at.%) and an 8-element simulation.
        for args in [["synth", "interface", "--ions", "30000", "--depth-nm", "2", "-o", "T"], ["simulate", "dislocation", "--elements", "8", "-o", "S"]] {
            let r = try run(args, in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let t = "T/interface", surface = ["--ranges", "T/interface.rrng", "--species", "Li", "--threshold", "42"]
        // Each command with arguments that succeed, cheapest first (an option shared by several
        // commands is fuzzed on the first that has it).
        let commands: [[String]] = [
            ["info", t + ".pos"], ["ranges", t + ".rrng"], ["composition", t + ".pos", "--ranges", t + ".rrng"],
            ["compare", "--measured", "S/profile.csv", "--measured-columns", "distance_nm,li_at_pct,li_at_pct", "--simulated", "S/profile.csv",
             "--measured-origin-nm", "0", "-o", "c"],
            ["clusters", t + ".pos", "--ranges", t + ".rrng", "--solutes", "Zr", "-o", "k"],
            ["profile", t + ".pos", "--ranges", t + ".rrng", "--from", "0,0,0", "--to", "0,0,-10", "--radius", "4", "-o", "p"],
            ["convert", t + ".pos", "x.epos"], ["spectrum", t + ".pos", "-o", "s"], ["export-nexus", t + ".pos", "--ranges", t + ".rrng", "-o", "x.nxs"],
            ["synth", "interface", "--ions", "30000", "--depth-nm", "2", "-o", "i"], ["synth", "tip", "--ions", "30000", "--objects", "0", "-o", "y"],
            ["virtualize", "S", "-o", "v"], ["table", t + ".pos"] + surface, ["proxigram", t + ".pos"] + surface + ["-o", "x"],
            ["isosurface", t + ".pos"] + surface + ["-o", "u"], ["analyze", t + ".pos"] + surface + ["-o", "a"],
            ["simulate", "dislocation", "--elements", "8", "-o", "d"], ["simulate", "interface", "--elements", "8", "-o", "f"],
            ["simulate", "sweep", "dislocation", "--elements", "8", "--vary", "chi=1,2", "-o", "w"],
        ]
        // Every (command, option) pair; an option's first command comes first (every name gets a
        // value in pass 0, which always runs to the end), the same name on other commands after.
        var primary: [(command: [String], option: String)] = [], secondary = primary, seen = Set<String>()
        for c in commands {
            let sub = Array(c.prefix { !$0.contains("/") && !$0.hasPrefix("-") && !["S", "x.epos"].contains($0) })
            for o in try valueOptions(sub, in: dir) where o != "--help" {
                if seen.insert(o).inserted { primary.append((c, o)) } else { secondary.append((c, o)) }
            }
        }
        XCTAssertGreaterThan(primary.count, 80, "option names found: \(primary.count)")
        let plan = primary + secondary
        var rng = SeededRandom(seed: 23)
        let firstValue = plan.map { _ in Int(rng.uniform() * Double(Self.values.count)) }
        // (plan index, pass): pass 0 of the primary pairs, then the secondary ones, then more values.
        let order = primary.indices.map { ($0, 0) } + (0..<Self.values.count).flatMap { pass in
            plan.indices.filter { pass > 0 || $0 >= primary.count }.map { ($0, pass) }
        }
        var failures: [String] = [], runs = 0
        for (k, pass) in order {
            if k >= primary.count || pass > 0, Date().timeIntervalSince(start) >= Self.budgetSeconds { break }
            let step = plan[k]
            let value = Self.values[(firstValue[k] + pass) % Self.values.count]
            // Replace the option where the command gives it, else append it.
            var args = step.command
            if let at = args.firstIndex(of: step.option) ?? (step.option == "--output" ? args.firstIndex(of: "-o") : nil) {
                args[at + 1] = value
            } else {
                args += [step.option, value]
            }
            let r = try run(args, in: dir)
            runs += 1
            let errorLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count
            let shown = "\(args.map { $0.debugDescription }.joined(separator: " ")) -> \(r.stderr.suffix(300))"
            if r.hung { failures.append("hang (> \(Int(Self.perRunSeconds)) s): " + shown) }
            else if r.signalled { failures.append("signal \(r.status): " + shown) }
            else if r.status != 0 && (errorLines != 1 || r.stderr.contains("Usage:")) { failures.append("\(errorLines) error lines: " + shown) }
        }
        let pairs = Set(order.prefix(runs).map(\.0)).count
        print("option fuzzer: \(primary.count) option names on \(plan.count) (command, option) pairs, \(runs) runs covering \(pairs) pairs, \(String(format: "%.0f", Date().timeIntervalSince(start))) s, \(failures.count) failure(s)")
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }
}

import XCTest
import APKTestSupport
import Foundation
import KitFoundation

/// The documented contract is tested: docs/CONVENTIONS.md (the names) against docs/contract.json
/// (the same names, machine-readable, with the commands that write them and their types) and
/// against what the commands write on SampleData/. Either side can fail:
///
/// - `testDocumentAndContractNameTheSameThings` (no binary needed): every file and key of the
///   contract is written in backticks in its bullet of CONVENTIONS.md, and every backticked token
///   of the first- and second-round sections is in the contract, or in its `allow` list (option
///   names, tools) with the reason. A key renamed or added in the document fails here.
/// - `testCommandsWriteTheDocumentedKeys`: each item's command runs on the samples and must write
///   each listed file, and each key with its type. A key renamed in the code fails here.
///
/// Third-round items (features documented before they are built) are checked once their gate
/// opens and reported as pending until then; the gates are described in contract.json's `about`.
final class ContractTests: XCTestCase {
    static let repo = Shared.repoRoot.path
    static let documentPath = repo + "/docs/CONVENTIONS.md"
    static let contractPath = repo + "/docs/contract.json"

    // MARK: The document

    /// One bullet of CONVENTIONS.md with the names it writes in backticks.
    struct Bullet {
        var round: Int?          // 1, 2, 3 for the output sections, nil elsewhere
        var text: String         // after "- "
        var tokens: [String]     // backticked names: whole spans, the keys of JSON-like spans, CSV headers split at commas
        var words: Set<String>   // the space-separated words of every span (e.g. FILE.nxs in a command line)
        var firstLine: String { String(text.prefix(90)) + (text.count > 90 ? "..." : "") }
    }

    static func bullets(of markdown: String) -> [Bullet] {
        var out: [Bullet] = []
        var round: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("#") {
                round = line.contains("Machine-readable outputs") ? 1 : line.contains("second round") ? 2 : line.contains("third round") ? 3 : nil
            } else if line.hasPrefix("- ") {
                out.append(Bullet(round: round, text: String(line.dropFirst(2)), tokens: [], words: []))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty, !out.isEmpty, line.hasPrefix(" ") {
                out[out.count - 1].text += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        for k in out.indices {
            for span in spans(out[k].text) {
                out[k].words.formUnion(span.split(separator: " ").map(String.init))
                if span.hasPrefix("{") || span.hasPrefix("[") {
                    out[k].tokens += jsonKeys(span)
                } else if span.contains(","), !span.contains(" ") {
                    out[k].tokens += [span] + span.split(separator: ",").map(String.init)  // a CSV header
                } else {
                    out[k].tokens.append(span)
                }
            }
        }
        return out
    }

    /// The text between backticks.
    static func spans(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The keys of a JSON-like example: quoted strings right after `{` or `,` (values follow `:`).
    static func jsonKeys(_ span: String) -> [String] {
        var keys: [String] = []
        var previous: Character = " "
        var chars = Array(span)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\"" {
                let string = String(chars.prefix { $0 != "\"" })
                chars = chars.dropFirst(string.count + 1)
                if previous == "{" || previous == "," { keys.append(string) }
                previous = "\""
            } else if !c.isWhitespace {
                previous = c
            }
        }
        return keys
    }

    // MARK: The contract

    static func contract() throws -> JSONValue {
        try JSONValue.parse(String(contentsOfFile: contractPath, encoding: .utf8))
    }

    /// The bullet whose text starts with `prefix`; records a failure unless there is exactly one.
    static func bullet(_ prefix: String, in bullets: [Bullet], for what: String) -> Int? {
        let found = bullets.indices.filter { bullets[$0].text.hasPrefix(prefix) }
        if found.count == 1 { return found[0] }
        XCTFail("docs/CONVENTIONS.md: \(found.isEmpty ? "no" : "\(found.count)") bullet(s) start with \(prefix) (\(what) in docs/contract.json)")
        return nil
    }

    /// The names a key path uses: its members, without selectors and wildcards.
    static func names(in path: String) -> [String] {
        path.split(separator: ".").map { String($0.prefix { $0 != "[" }) }.filter { !$0.isEmpty && $0 != "*" }
    }

    /// A key's type and its own documentation (a further bullet, or words).
    static func keySpec(_ v: JSONValue) -> (type: String, doc: String?, documentedAs: String?) {
        if let s = v.string { return (s, nil, nil) }
        return (v["type"]?.string ?? "?", v["doc"]?.string, v["documented_as"]?.string)
    }

    // MARK: (a) the document and the contract name the same things

    func testDocumentAndContractNameTheSameThings() throws {
        let bullets = Self.bullets(of: try String(contentsOfFile: Self.documentPath, encoding: .utf8))
        let contract = try Self.contract()
        let items = try XCTUnwrap(contract["items"]?.array, "docs/contract.json has no items")
        var covered = [Set<String>](repeating: [], count: bullets.count)
        var checkedKeys = 0

        for item in items {
            let id = item["id"]?.string ?? "?"
            guard let doc = item["doc"]?.string, let b = Self.bullet(doc, in: bullets, for: "item \(id)") else { continue }
            covered[b].formUnion(Self.spans(doc))
            for token in item["covers"]?.array?.compactMap(\.string) ?? [] {
                XCTAssertTrue(bullets[b].tokens.contains(token), "docs/CONVENTIONS.md: the bullet \"\(bullets[b].firstLine)\" no longer names `\(token)` (covers of item \(id) in docs/contract.json)")
                covered[b].insert(token)
            }
            for output in item["outputs"]?.array ?? [] {
                let file = output["file"]?.string ?? "?"
                let name = file == "-" ? "the standard output of item \(id)" : "\(URL(fileURLWithPath: file).lastPathComponent) (item \(id))"
                var scope = [b]
                if let d = output["doc"]?.string, let o = Self.bullet(d, in: bullets, for: "the doc of \(name)") { scope.append(o) }
                func tokens(_ s: [Int]) -> Set<String> { Set(s.flatMap { bullets[$0].tokens }) }
                func text(_ s: [Int]) -> String { s.map { bullets[$0].text }.joined(separator: "\n") }
                let where_ = "the bullet \"\(bullets[b].firstLine)\""
                // The file: by name, or in words.
                if let docName = output["doc_name"]?.string {
                    XCTAssertTrue(tokens(scope).contains(docName) || scope.contains { bullets[$0].words.contains(docName) },
                                  "docs/CONVENTIONS.md does not name the file `\(docName)` in \(where_) (\(name) in docs/contract.json)")
                    covered[b].insert(docName)
                } else if let words = output["documented_as"]?.string {
                    XCTAssertTrue(text(scope).contains(words), "docs/CONVENTIONS.md no longer says \"\(words)\" in \(where_) (\(name) in docs/contract.json)")
                } else if file != "-" {
                    XCTFail("docs/contract.json: \(name) has neither doc_name nor documented_as")
                }
                // Its keys, columns and strings.
                for (path, spec) in output["keys"]?.object ?? [] {
                    let k = Self.keySpec(spec)
                    var keyScope = scope
                    if let d = k.doc, let o = Self.bullet(d, in: bullets, for: "the doc of key \(path) of \(name)") { keyScope.append(o) }
                    checkedKeys += 1
                    if let words = k.documentedAs {
                        XCTAssertTrue(text(keyScope).contains(words), "docs/CONVENTIONS.md no longer says \"\(words)\" in \(where_) (key \(path) of \(name) in docs/contract.json)")
                        continue
                    }
                    for n in Self.names(in: path) {
                        XCTAssertTrue(tokens(keyScope).contains(n),
                                      "docs/CONVENTIONS.md does not name the key `\(n)` (\(path) of \(name) in docs/contract.json) in backticks in \(where_)")
                        for s in keyScope { covered[s].insert(n) }
                    }
                }
                for column in output["columns"]?.array?.compactMap(\.string) ?? [] {
                    checkedKeys += 1
                    XCTAssertTrue(tokens(scope).contains(column), "docs/CONVENTIONS.md does not name the column `\(column)` (\(name) in docs/contract.json) in backticks in \(where_)")
                    for s in scope { covered[s].insert(column) }
                }
                if output["exact"]?.bool == true, let columns = output["columns"]?.array?.compactMap(\.string) {
                    let header = columns.joined(separator: ",")
                    XCTAssertTrue(tokens(scope).contains(header), "docs/CONVENTIONS.md does not give the header `\(header)` of \(name) in \(where_)")
                    covered[b].insert(header)
                }
                for string in output["contains"]?.array?.compactMap(\.string) ?? [] {
                    checkedKeys += 1
                    XCTAssertTrue(tokens(scope).contains(string), "docs/CONVENTIONS.md does not name `\(string)` (\(name) in docs/contract.json) in backticks in \(where_)")
                    covered[b].insert(string)
                }
            }
        }

        // Every backticked name of the first- and second-round sections is in the contract or allowed.
        let allow = contract["allow"]?.object ?? []
        let allowed = Set(allow.map(\.0))
        var seen = Set<String>()
        for (k, bullet) in bullets.enumerated() where bullet.round == 1 || bullet.round == 2 {
            for token in bullet.tokens {
                seen.insert(token)
                if covered[k].contains(token) || allowed.contains(token) { continue }
                XCTFail("docs/CONVENTIONS.md names `\(token)` in the bullet \"\(bullet.firstLine)\" but docs/contract.json does not list it: add it to the keys or files of an item, or to allow with the reason")
            }
        }
        for (token, _) in allow where !seen.contains(token) {
            XCTFail("docs/contract.json allows `\(token)`, which the first- and second-round sections of docs/CONVENTIONS.md no longer name: remove it")
        }
        XCTAssertTrue(bullets.contains { $0.round == 3 }, "docs/CONVENTIONS.md: the third-round section is missing")
        print("contract: \(items.count) items, \(checkedKeys) keys/columns named in docs/CONVENTIONS.md; \(seen.count) backticked names of rounds 1-2 all listed or allowed (\(allowed.count) allowed)")
    }

    /// The checker itself: it reads the keys out of the document's JSON examples (not their
    /// values), and reports a missing, mistyped or empty key with where it stopped.
    func testTheCheckerSeesMissingAndMistypedKeys() throws {
        XCTAssertEqual(Self.jsonKeys(#"{"kind": "pos", "ions": N, "bounds_nm": {"min": [x, y, z]}, "rows": [{"name": "bulk", "region": "bulk"}, ...]}"#),
                       ["kind", "ions", "bounds_nm", "min", "rows", "name", "region"])
        XCTAssertEqual(Self.jsonKeys(#"{"x_nm", "y_nm", "burgers_nm": [bx, by], "core_width_nm"}"#), ["x_nm", "y_nm", "burgers_nm", "core_width_nm"])
        let doc = Self.bullets(of: "## Outputs added in the second round\n- `cmd`: `DIR/a.csv` with header `x_nm,c`\n")
        XCTAssertEqual(doc.first?.round, 2); XCTAssertEqual(doc.first?.tokens, ["cmd", "DIR/a.csv", "x_nm,c", "x_nm", "c"])
        XCTAssertEqual(Self.names(in: "rows[region=core].elements.*.at_pct"), ["rows", "elements", "at_pct"])
        let j = try JSONValue.parse(#"{"interface": {"crossing_x_nm": 1}, "rows": [{"region": "bulk", "atoms": 3}, {"region": "inside", "atoms": 2.5}], "none": []}"#)
        func problems(_ path: String, _ type: String) -> [String] {
            Self.resolve(j, Self.steps(path)[...], at: "").compactMap {
                switch $0 {
                case .missing(let at, let why): return "\(at): \(why)"
                case .value(let at, let v): return Self.matches(v, type) ? nil : "\(at): \(Self.kind(v))"
                }
            }
        }
        XCTAssertEqual(problems("interface.crossing_nm", "number"), ["interface.crossing_nm: no such key"])
        XCTAssertEqual(problems("interface.crossing_x_nm", "number"), [])
        XCTAssertEqual(problems("rows[].atoms", "integer"), ["rows[1].atoms: a non-integer number"])
        XCTAssertEqual(problems("rows[].atoms", "number"), [])
        XCTAssertEqual(problems("rows[region=core].atoms", "integer"), ["rows[region=core]: no element has region = core"])
        XCTAssertEqual(problems("none[].x", "number"), ["none[]: the array is empty: nothing to check"])
        XCTAssertEqual(problems("none[]?.x", "number"), [])
    }

    // MARK: (b) the commands write the documented files and keys

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func execute(_ executable: String, _ args: [String], env: [String: String] = [:]) throws -> Run {
        let p = Process()
        if executable == "atomprobe" {
            p.executableURL = CLITests.executable
            p.arguments = args
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [executable] + args
        }
        if !env.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
        // stderr to a file, so that neither pipe can fill up and block the command.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("apk-contract-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let out = Pipe(), err = try FileHandle(forWritingTo: errFile)
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try err.close()
        let e = (try? Data(contentsOf: errFile)) ?? Data()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// One step of a key path.
    enum Step { case member(String), anyMember, every(allowEmpty: Bool), select(String, String) }

    static func steps(_ path: String) -> [Step] {
        var steps: [Step] = []
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            if rest.hasPrefix("[") {
                let inside = rest.dropFirst().prefix { $0 != "]" }
                rest = rest.dropFirst(inside.count + 2)
                if inside.isEmpty {
                    let optional = rest.hasPrefix("?")
                    if optional { rest = rest.dropFirst() }
                    steps.append(.every(allowEmpty: optional))
                } else {
                    let kv = inside.split(separator: "=", maxSplits: 1).map(String.init)
                    steps.append(.select(kv[0], kv.count > 1 ? kv[1] : ""))
                }
            } else {
                let name = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(name.count)
                steps.append(name == "*" ? .anyMember : .member(String(name)))
            }
        }
        return steps
    }

    enum Found { case value(String, JSONValue), missing(String, String) }

    /// Every value a path reaches (at least one each time it fans out), or where it stops.
    static func resolve(_ value: JSONValue, _ steps: ArraySlice<Step>, at here: String) -> [Found] {
        guard let step = steps.first else { return [.value(here, value)] }
        let rest = steps.dropFirst()
        switch step {
        case .member(let name):
            guard case .object = value else { return [.missing(here + "." + name, "\(here.isEmpty ? "the file" : here) is \(kind(value)), not an object")] }
            guard let v = value[name] else { return [.missing(here.isEmpty ? name : here + "." + name, "no such key")] }
            return resolve(v, rest, at: here.isEmpty ? name : here + "." + name)
        case .anyMember:
            guard case .object(let fields) = value, !fields.isEmpty else { return [.missing(here + ".*", "\(here) is not an object with members")] }
            return fields.flatMap { resolve($0.1, rest, at: here + "." + $0.0) }
        case .every(let allowEmpty):
            guard case .array(let a) = value else { return [.missing(here + "[]", "\(here.isEmpty ? "the file" : here) is \(kind(value)), not an array")] }
            if a.isEmpty && !allowEmpty { return [.missing(here + "[]", "the array is empty: nothing to check")] }
            return a.enumerated().flatMap { resolve($0.element, rest, at: here + "[\($0.offset)]") }
        case .select(let key, let wanted):
            guard case .array(let a) = value else { return [.missing(here + "[\(key)=\(wanted)]", "\(here) is \(kind(value)), not an array")] }
            let chosen = a.enumerated().filter { $0.element[key]?.string == wanted || $0.element[key]?.int.map(String.init) == wanted }
            if chosen.isEmpty { return [.missing(here + "[\(key)=\(wanted)]", "no element has \(key) = \(wanted)")] }
            return chosen.flatMap { resolve($0.element, rest, at: here + "[\($0.offset)]") }
        }
    }

    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a bool"
        case .int: return "an integer"
        case .number: return "a non-integer number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    static func matches(_ v: JSONValue, _ type: String) -> Bool {
        switch (type, v) {
        case ("any", _), ("number", .int), ("number", .number), ("integer", .int), ("string", .string), ("bool", .bool), ("array", .array), ("object", .object): return true
        default: return false
        }
    }

    /// The subcommands `atomprobe --help` lists: under SUBCOMMANDS, the first word of each line
    /// indented by two spaces (wrapped abstracts are indented further).
    func subcommands() throws -> Set<String> {
        let help = try execute("atomprobe", ["--help"]).stdout
        let lines = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first?.split(separator: "\n") ?? []
        return Set(lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }.compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    func testCommandsWriteTheDocumentedKeys() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: CLITests.executable.path), "atomprobe not found at \(CLITests.executable.path)")
        let contract = try Self.contract()
        let items = try XCTUnwrap(contract["items"]?.array)
        let out = try temporaryFolder(self)
        let commands = try subcommands()
        XCTAssertTrue(commands.isSuperset(of: ["info", "composition", "analyze", "simulate", "profile", "virtualize", "compare", "clusters", "export-nexus"]),
                      "atomprobe --help lists \(commands.sorted())")
        func fill(_ s: String) -> String { s.replacingOccurrences(of: "$REPO", with: Self.repo).replacingOccurrences(of: "$OUT", with: out) }
        var pending: [String] = [], checked = 0, report: [String] = []

        for item in items {
            let id = item["id"]?.string ?? "?"
            let round = item["round"]?.int ?? 0
            let gate = item["gate"]
            let clock = Date()
            // Third round: closed gates are pending, not failures.
            if let command = gate?["command"]?.string, !commands.contains(command) {
                pending.append("\(id): `atomprobe --help` lists no \(command)"); continue
            }
            if let path = gate?["path"]?.string, !FileManager.default.fileExists(atPath: Self.repo + "/" + path) {
                pending.append("\(id): no \(path)/ in the repository"); continue
            }
            if let reason = gate?["pending"]?.string { pending.append("\(id): \(reason)"); continue }
            let lenient = gate?["any_key_present"]?.bool == true
            XCTAssertTrue(round == 3 || gate == nil, "docs/contract.json: item \(id) has a gate but is not a third-round item")

            // The commands.
            let exec = item["exec"]?.string ?? "atomprobe"
            let env = (item["env"]?.object ?? []).reduce(into: [String: String]()) { $0[$1.0] = fill($1.1.string ?? "") }
            var stdout = ""
            var failed = false
            for args in (item["setup"]?.array ?? []).map({ $0.array?.compactMap(\.string) ?? [] }) {
                let r = try execute(exec, args.map(fill), env: env)
                if r.status != 0 { XCTFail("contract item \(id): setup `\(exec) \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)"); failed = true }
            }
            if failed { continue }
            if let args = item["run"]?.array?.compactMap(\.string) {
                let r = try execute(exec, args.map(fill), env: env)
                if r.status != 0 {
                    let refusal = item["accept_refusal_naming"]?.array?.compactMap(\.string) ?? []
                    if !refusal.isEmpty && refusal.allSatisfy({ r.stderr.contains($0) }) { report.append("\(id): refused as documented"); checked += 1; continue }
                    if lenient { pending.append("\(id): the command fails (\(r.stderr.split(separator: "\n").last ?? ""))"); continue }
                    XCTFail("contract item \(id): `\(exec == "atomprobe" ? "atomprobe " : exec + " ")\(args.map(fill).joined(separator: " "))` exited \(r.status): \(r.stderr)")
                    continue
                }
                stdout = r.stdout
            }

            // The files and their keys.
            var failures: [String] = [], present = 0, keys = 0
            for output in item["outputs"]?.array ?? [] {
                let file = fill(output["file"]?.string ?? "-")
                let name = file == "-" ? "the standard output of `\(exec == "atomprobe" ? "atomprobe " : "")\(item["run"]?[0]?.string ?? "")`"
                                       : file.replacingOccurrences(of: out + "/", with: "")
                guard file == "-" || FileManager.default.fileExists(atPath: file) else { failures.append("\(name) was not written"); continue }
                let data = file == "-" ? Data(stdout.utf8) : try Data(contentsOf: URL(fileURLWithPath: file))
                let text = String(decoding: data, as: UTF8.self)
                switch output["format"]?.string {
                case "exists":
                    keys += 1
                    if data.isEmpty { failures.append("\(name) is empty") } else { present += 1 }
                case "text":
                    for s in output["contains"]?.array?.compactMap(\.string) ?? [] {
                        keys += 1
                        if text.contains(s) { present += 1 } else { failures.append("\(name) does not contain `\(s)`") }
                    }
                case "csv":
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                    let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
                    let row = lines.count > 1 ? lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init) : []
                    let elements = output["El"]?.array?.compactMap(\.string) ?? []
                    let columns = (output["columns"]?.array?.compactMap(\.string) ?? []).flatMap { c in
                        c.contains("<El>") ? elements.map { c.replacingOccurrences(of: "<El>", with: $0) } : [c]
                    }
                    if output["exact"]?.bool == true && header != columns {
                        failures.append("\(name): the header is `\(header.joined(separator: ","))`, the contract says `\(columns.joined(separator: ","))`")
                    }
                    for c in columns {
                        keys += 1
                        guard let k = header.firstIndex(of: c) else { failures.append("\(name) has no column `\(c)` (header: \(header.joined(separator: ",")))"); continue }
                        present += 1
                        if k >= row.count || Double(row[k]) == nil { failures.append("\(name): column `\(c)` of the first row is \(k < row.count ? "\"\(row[k])\"" : "missing"), not a number") }
                    }
                case "json":
                    let json: JSONValue
                    do { json = try JSONValue.parse(text) } catch { failures.append("\(name) is not JSON: \(error)"); continue }
                    for (path, spec) in output["keys"]?.object ?? [] {
                        keys += 1
                        let type = Self.keySpec(spec).type
                        let found = Self.resolve(json, Self.steps(path)[...], at: "")
                        if found.contains(where: { if case .value = $0 { return true }; return false }) { present += 1 }
                        for f in found {
                            switch f {
                            case .missing(let at, let why): failures.append("\(name): key `\(path)` is missing (\(at): \(why))")
                            case .value(let at, let v) where !Self.matches(v, type): failures.append("\(name): key `\(path)` is \(Self.kind(v)) at \(at), the contract says \(type)")
                            case .value: break
                            }
                        }
                    }
                default:
                    XCTFail("docs/contract.json: \(name) of item \(id) has an unknown format")
                }
            }
            if lenient && present == 0 { pending.append("\(id): none of its keys is written yet"); continue }
            for f in failures {
                XCTFail("contract item \(id) (docs/CONVENTIONS.md, round \(round); docs/contract.json): \(f)")
            }
            checked += 1
            report.append(String(format: "%@: %d keys/files, %.1f s", id, keys, Date().timeIntervalSince(clock)))
        }
        print("contract outputs: \(checked) items checked\n  " + report.joined(separator: "\n  "))
        print("contract: pending (third round, not checked yet):\n  " + pending.joined(separator: "\n  "))
    }
}

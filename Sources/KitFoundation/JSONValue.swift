import Foundation

/// A JSON document that keeps the order of object keys, so outputs read the way they are
/// documented.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.int(x), .number(y)), let (.number(y), .int(x)): return Double(x) == y
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public static func numbers(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }

    /// Serialized text; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        if pretty { out += "\n" }
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        let nl = indent == nil ? "" : "\n"
        let pad = { (n: Int) in String(repeating: "  ", count: n) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += JSONValue.format(d)
        case .string(let s): out += JSONValue.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            let flat = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if flat || indent == nil {
                out += "["
                for (k, v) in items.enumerated() {
                    if k > 0 { out += indent == nil ? "," : ", " }
                    v.write(into: &out, indent: indent.map { _ in 0 })
                }
                out += "]"
            } else {
                let i = indent!
                out += "[" + nl
                for (k, v) in items.enumerated() {
                    out += pad(i + 1)
                    v.write(into: &out, indent: i + 1)
                    out += (k < items.count - 1 ? "," : "") + nl
                }
                out += pad(i) + "]"
            }
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (k, (key, v)) in fields.enumerated() {
                if let i = indent { out += pad(i + 1) }
                out += JSONValue.quote(key) + (indent == nil ? ":" : ": ")
                v.write(into: &out, indent: indent.map { $0 + 1 })
                out += (k < fields.count - 1 ? "," : "") + nl
            }
            if let i = indent { out += pad(i) }
            out += "}"
        }
    }

    /// Shortest text that reads back to the same Double; non-finite numbers become null.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Parses JSON text; object key order follows the text.
    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(Array(text.utf8))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.b.count else { throw p.error("unexpected text after the JSON value") }
        return v
    }

    // MARK: Access

    public subscript(key: String) -> JSONValue? {
        if case .object(let f) = self { return f.first { $0.0 == key }?.1 }
        return nil
    }
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
    public var double: Double? {
        switch self { case .int(let i): return Double(i); case .number(let d): return d; default: return nil }
    }
    public var int: Int? {
        switch self { case .int(let i): return i; case .number(let d) where d == d.rounded(): return Int(d); default: return nil }
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var object: [(String, JSONValue)]? { if case .object(let o) = self { return o }; return nil }
}

/// A small recursive-descent JSON reader (RFC 8259) over UTF-8 bytes.
private struct JSONParser {
    let b: [UInt8]
    var i = 0
    var depth = 0
    init(_ b: [UInt8]) { self.b = b }

    func error(_ m: String) -> AtomProbeError { AtomProbeError.format("invalid JSON: \(m)", file: nil, at: .byteOffset(i)) }

    mutating func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }

    mutating func literal(_ s: String, _ v: JSONValue) throws -> JSONValue {
        let u = Array(s.utf8)
        guard i + u.count <= b.count, Array(b[i..<i + u.count]) == u else { throw error("unknown word") }
        i += u.count
        return v
    }

    mutating func value() throws -> JSONValue {
        guard i < b.count else { throw error("unexpected end") }
        switch b[i] {
        case UInt8(ascii: "{"):
            depth += 1; defer { depth -= 1 }
            guard depth < 512 else { throw error("nested too deeply") }
            i += 1; skipSpace()
            var fields: [(String, JSONValue)] = []
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let k = try string()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                i += 1; skipSpace()
                fields.append((k, try value()))
                skipSpace()
                guard i < b.count else { throw error("unexpected end") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            depth += 1; defer { depth -= 1 }
            guard depth < 512 else { throw error("nested too deeply") }
            i += 1; skipSpace()
            var items: [JSONValue] = []
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard i < b.count else { throw error("unexpected end") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    mutating func number() throws -> JSONValue {
        let start = i
        var isInt = true
        while i < b.count, let c = Optional(b[i]), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { isInt = false }
            i += 1
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if isInt, let n = Int(text) { return .int(n) }
        guard !text.isEmpty, let d = Double(text) else { i = start; throw error("expected a value") }
        return .number(d)
    }

    mutating func string() throws -> String {
        i += 1  // opening quote
        var out = [UInt8]()
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < b.count else { break }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= b.count, var code = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else { throw error("bad \\u escape") }
                    i += 4
                    if code >= 0xD800, code < 0xDC00, i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: b[i + 2..<i + 6], as: UTF8.self), radix: 16), low >= 0xDC00, low < 0xE000 {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c); i += 1
        }
        throw error("unterminated string")
    }
}

/// Where in a file a problem was found.
public enum FileLocation: Sendable, Hashable, CustomStringConvertible {
    case byteOffset(Int)
    case line(Int)
    case record(Int)
    case whole

    public var description: String {
        switch self {
        case .byteOffset(let o): return "byte \(o)"
        case .line(let l): return "line \(l)"
        case .record(let r): return "record \(r)"
        case .whole: return ""
        }
    }
}

/// Every error the toolkit reports to a user: what went wrong, in which file, and where.
public struct AtomProbeError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case format        // a file's content does not follow its format
        case io            // the file could not be opened, read or written
        case invalidInput  // an impossible parameter or a request that cannot be met
        case unknownElement
        case computation   // a solver did not converge or produced non-finite values
    }
    /// A way out the user can take, which a front end words in its own terms (a command line
    /// names its option); the library's message names no front end.
    public enum Remedy: String, Sendable {
        case dropNonFinite     // drop (or keep) the records with NaN or infinite values
        case ionicComposition  // count ions instead of decomposing them into elements
        case raiseMemoryLimit  // a coarser setting, or a higher memory limit
        case simplerBackground // a background model with fewer terms, or other fit windows
        case moreDistanceSlabs // build the distance query lists in more slabs
        case allowSpinodal     // run beyond the spinodal anyway
        case giveOrigins       // place the interface on each profile's axis by hand
    }
    public let kind: Kind
    public let message: String
    public let file: String?
    public let location: FileLocation
    public var remedy: Remedy?
    /// The run parameter the message is about, by its documented name (snake_case, as the Python
    /// package spells it, e.g. `bin_width`); a front end names it in its own terms (the command
    /// line as `--bin-width`). The message then reads after the name: "must be > 0". Other
    /// parameters such a message mentions (or any message, with no parameter of its own) are
    /// written `{name}`, worded the same way.
    public var parameter: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, at location: FileLocation = .whole, remedy: Remedy? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.location = location
        self.remedy = remedy
    }

    public static func format(_ message: String, file: String?, at location: FileLocation = .whole) -> AtomProbeError {
        AtomProbeError(.format, message, file: file, at: location)
    }

    public static func invalid(_ message: String) -> AtomProbeError {
        AtomProbeError(.invalidInput, message)
    }

    /// A parameter's value that a run cannot take: `message` reads after the parameter's name.
    public static func invalid(_ parameter: String, _ message: String) -> AtomProbeError {
        var e = AtomProbeError(.invalidInput, message)
        e.parameter = parameter
        return e
    }

    /// The message with the parameter named by `name` (default: its documented name).
    public func described(naming name: (String) -> String = { $0 }) -> String {
        var prefix = ""
        if let file { prefix += file + ": " }
        if location != .whole { prefix += "\(location): " }
        guard let parameter else { return prefix + Self.naming(message, name) }
        return prefix + name(parameter) + " " + Self.naming(message, name)
    }

    /// `message` with each `{parameter}` replaced by `name(parameter)`.
    static func naming(_ message: String, _ name: (String) -> String) -> String {
        var out = "", rest = Substring(message)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let word = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !word.isEmpty, after.dropFirst(word.count).first == "}" {
                out += name(String(word))
                rest = after.dropFirst(word.count + 1)
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// "file.pos: byte 32: message" or "bin_width must be > 0" (parts left out when unknown).
    public var description: String { described() }

    /// What gets round the error, to append to `described(naming:)` (parameters named the same
    /// way: "; use --non-finite drop ..." on the command line); empty without a remedy.
    public func advice(naming name: (String) -> String = { $0 }) -> String {
        guard let remedy else { return "" }
        return Self.naming(remedy.advice, name)
    }
}

extension AtomProbeError.Remedy {
    /// The advice, with the parameters it names written `{name}`.
    var advice: String {
        switch self {
        case .dropNonFinite: return "; use {non_finite} drop to drop them (or keep to keep them)"
        case .ionicComposition: return "; use {mode} ionic, or {exclude} with that symbol"
        case .raiseMemoryLimit: return "; choose coarser settings or raise {memory_limit_gb}"
        case .simplerBackground: return "; try {background_model} constant or other {background_windows}"
        case .moreDistanceSlabs: return ": build them in more slabs ({distance_slabs})"
        case .allowSpinodal: return ", or {allow_spinodal} to try anyway"
        case .giveOrigins: return "; give {measured_origin_nm} and {sim_origin_nm}"
        }
    }
}

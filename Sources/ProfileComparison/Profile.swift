import Foundation
import AtomProbe
import KitFoundation

/// A 1D profile: values (e.g. Li at.%) with optional one-sigma errors against distance (nm).
public struct Profile: Sendable, Equatable {
    public var distance: [Double]
    public var value: [Double]
    public var sigma: [Double]?
    public var label: String

    public init(distance: [Double], value: [Double], sigma: [Double]? = nil, label: String = "") {
        precondition(distance.count == value.count && (sigma == nil || sigma!.count == value.count))
        self.distance = distance; self.value = value; self.sigma = sigma; self.label = label
    }

    /// Points with finite distance and value (and sigma > 0 when sigmas are given), sorted by distance.
    public func cleaned() -> Profile {
        var idx = distance.indices.filter { i in
            distance[i].isFinite && value[i].isFinite && (sigma.map { s in s[i].isFinite && s[i] > 0 } ?? true)
        }
        idx.sort { distance[$0] < distance[$1] }
        return Profile(distance: idx.map { distance[$0] }, value: idx.map { value[$0] }, sigma: sigma.map { s in idx.map { s[$0] } }, label: label)
    }

    /// Linear interpolation at `x`; nil outside the profile.
    public func interpolate(_ x: Double) -> Double? { interpolate(x, in: value) }

    /// The one-sigma error at `x`, interpolated linearly; nil without errors or outside.
    public func interpolateSigma(_ x: Double) -> Double? { sigma.flatMap { interpolate(x, in: $0) } }

    func interpolate(_ x: Double, in value: [Double]) -> Double? {
        guard let first = distance.first, let last = distance.last, x >= first, x <= last else { return nil }
        var lo = 0, hi = distance.count - 1
        while hi - lo > 1 { let m = (lo + hi) / 2; if distance[m] <= x { lo = m } else { hi = m } }
        if distance[hi] == distance[lo] { return value[lo] }
        let t = (x - distance[lo]) / (distance[hi] - distance[lo])
        return value[lo] + t * (value[hi] - value[lo])
    }

    /// The profile moved so that `origin` becomes 0, optionally mirrored (distance -> -distance).
    public func shifted(origin: Double, flip: Bool = false) -> Profile {
        var p = self
        p.distance = distance.map { flip ? origin - $0 : $0 - origin }
        return p.cleaned()
    }
}

/// Reads profiles from CSV files with a header row.
public enum ProfileCSV {
    /// Reads columns by name; `sigmaColumn` may be nil. Rows with empty or non-numeric cells in
    /// the chosen columns are skipped (proxigram bins with no atoms).
    public static func read(_ path: String, distance: String, value: String, sigma: String?, label: String? = nil) throws -> Profile {
        try parse(try TextFile.read(path), path: path, distance: distance, value: value, sigma: sigma, label: label)
    }

    /// Parses CSV text (`path` names it in errors).
    public static func parse(_ text: String, path: String, distance: String, value: String, sigma: String?, label: String? = nil) throws -> Profile {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first else { throw AtomProbeError.format("empty file", file: path) }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ n: String) throws -> Int {
            guard let i = names.firstIndex(of: n) else {
                throw AtomProbeError.format("no column \"\(n)\" (columns: \(names.joined(separator: ", ")))", file: path, at: .line(1))
            }
            return i
        }
        let dc = try column(distance), vc = try column(value), sc = try sigma.map(column)
        var d: [Double] = [], v: [Double] = [], s: [Double] = []
        for (k, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == names.count else {
                throw AtomProbeError.format("\(cells.count) cells where the header has \(names.count)", file: path, at: .line(k + 2))
            }
            guard let x = Double(cells[dc]), let y = Double(cells[vc]) else { continue }
            if let sc { guard let e = Double(cells[sc]) else { continue }; s.append(e) }
            d.append(x); v.append(y)
        }
        guard !d.isEmpty else { throw AtomProbeError.format("no rows with numbers in \(distance), \(value)", file: path) }
        return Profile(distance: d, value: v, sigma: sigma == nil ? nil : s, label: label ?? value).cleaned()
    }
}

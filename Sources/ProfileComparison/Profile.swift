import Foundation
import AtomProbe
import KitFoundation

/// A 1D profile: values (e.g. Li at.%) with optional one-sigma errors against distance (nm).
public struct Profile: Sendable, Equatable {
    public var distance: [Double]
    public var value: [Double]
    public var sigma: [Double]?
    /// Atoms per nm^3 at each point (a simulated profile's phases): the instrument model blurs
    /// atoms, not at.% (`blurred(sigma:)`).
    public var density: [Double]?
    public var label: String
    /// Points left out so far, by reason (never silently: reports print them).
    public var dropped: [String: Int] = [:]

    public init(distance: [Double], value: [Double], sigma: [Double]? = nil, density: [Double]? = nil, label: String = "") {
        precondition(distance.count == value.count && (sigma == nil || sigma!.count == value.count) && (density == nil || density!.count == value.count))
        self.distance = distance; self.value = value; self.sigma = sigma; self.density = density; self.label = label
    }

    public var droppedCount: Int { dropped.values.reduce(0, +) }

    static let noSigma = "one-sigma error 0 or not finite (no atom count to estimate it from)"
    static let notFinite = "distance, value or density not finite"

    /// Points with finite distance and value (and sigma > 0 when sigmas are given, density > 0
    /// when densities are), sorted by distance; the others counted in `dropped`.
    public func cleaned() -> Profile {
        var idx: [Int] = [], noSigma = 0, notFinite = 0
        for i in distance.indices {
            guard distance[i].isFinite, value[i].isFinite, density.map({ $0[i].isFinite && $0[i] > 0 }) ?? true else { notFinite += 1; continue }
            guard sigma.map({ $0[i].isFinite && $0[i] > 0 }) ?? true else { noSigma += 1; continue }
            idx.append(i)
        }
        idx.sort { distance[$0] < distance[$1] }
        var p = Profile(distance: idx.map { distance[$0] }, value: idx.map { value[$0] }, sigma: sigma.map { s in idx.map { s[$0] } },
                        density: density.map { d in idx.map { d[$0] } }, label: label)
        p.dropped = dropped
        if noSigma > 0 { p.dropped[Self.noSigma, default: 0] += noSigma }
        if notFinite > 0 { p.dropped[Self.notFinite, default: 0] += notFinite }
        return p
    }

    /// The one-sigma error of a fraction measured as at.% `value` from `atoms` atoms where the
    /// binomial error is 0 (0 of n or n of n): half the 68 % Wilson interval, in at.%
    /// (1 / (2 (n + 1)) of 100 at the ends).
    public static func wilsonSigma(atPercent value: Double, atoms n: Double) -> Double {
        let p = min(max(value / 100, 0), 1), z = 1.0
        return 100 * z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
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
        // Optional columns: the atoms of each bin (a zero sigma then becomes the Wilson one) and
        // a simulated profile's atomic density.
        let ac = names.firstIndex(of: "atoms"), rc = names.firstIndex(of: "atoms_per_nm3")
        var d: [Double] = [], v: [Double] = [], s: [Double] = [], rho: [Double] = [], skipped = 0
        for (k, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == names.count else {
                throw AtomProbeError.format("\(cells.count) cells where the header has \(names.count)", file: path, at: .line(k + 2))
            }
            guard let x = Double(cells[dc]), let y = Double(cells[vc]) else { skipped += 1; continue }
            if let sc {
                guard var e = Double(cells[sc]) else { skipped += 1; continue }
                if e == 0, let ac, let n = Double(cells[ac]), n >= 1, n.isFinite { e = Profile.wilsonSigma(atPercent: y, atoms: n) }
                s.append(e)
            }
            if let rc { rho.append(Double(cells[rc]) ?? .nan) }
            d.append(x); v.append(y)
        }
        guard !d.isEmpty else { throw AtomProbeError.format("no rows with numbers in \(distance), \(value)", file: path) }
        var p = Profile(distance: d, value: v, sigma: sigma == nil ? nil : s, density: rc == nil ? nil : rho, label: label ?? value)
        if skipped > 0 { p.dropped["empty or non-numeric cells (bins without atoms)"] = skipped }
        return p.cleaned()
    }
}

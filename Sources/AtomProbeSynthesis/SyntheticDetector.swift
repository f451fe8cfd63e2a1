import Foundation
import AtomProbe
import KitFoundation

/// A delay-line detector for synthetic data (`synth --detector`, issue 28): pulses with
/// correlated multiple events and a dead zone that loses hits, with the truth of every lost ion.
///
/// Events, walking the ions in evaporation order:
/// - a Li+ leaves with a second Li+ with probability `liLi`, or with an O+ / O2+ with
///   probability `liO` (the partner is the next unused such ion within 32 ions); the partner
///   lands near the first hit (a 2D Gaussian offset of `spread` mm per axis), as correlated
///   evaporation from neighbouring sites does;
/// - a ZrO++ breaks up into Zr+ + O+ in flight with probability `dissociation`, at a fraction of
///   the acceleration uniform in (0, 1): the daughters' m/n follow `DissociationTrack`'s
///   kinematic formula, their hits land close together (`spread`); each adds one detected ion;
/// - any other ion shares its pulse with the next ion with probability `randomMulti`
///   (uncorrelated: each at its own projected position).
/// Dead zone: within a pulse, hits in order of arrival; a hit that arrives less than `deadTime`
/// ns after an earlier hit of the pulse and within `deadZone` mm of it is lost. Ions of one type
/// arrive together (equal flight times), so it is same-type pairs that lose ions.
public struct SyntheticDetector: Sendable {
    public var liLi = 0.15
    public var liO = 0.05
    public var dissociation = 0.05
    public var randomMulti = 0.03
    public var spread = 1.5
    public var deadZone = 1.0
    public var deadTime = 3.0

    public init() {}

    public func validated() throws -> SyntheticDetector {
        func p(_ v: Double) -> Bool { v >= 0 && v <= 1 }
        try Validation.require([
            (p(liLi) && p(liO) && liLi + liO <= 1, "li_li", "and {li_o} must be probabilities with a sum at most 1, got \(liLi), \(liO)"),
            (p(dissociation), "dissociation", "must be in [0, 1], got \(dissociation)"),
            (p(randomMulti), "random_multi", "must be in [0, 1], got \(randomMulti)"),
            (spread > 0 && spread <= 100, "spread_mm", "must be in (0, 100] mm, got \(spread)"),
            (deadZone >= 0 && deadZone <= 100, "dead_zone_mm", "must be in [0, 100] mm, got \(deadZone)"),
            (deadTime >= 0 && deadTime <= 1000, "dead_time_ns", "must be in [0, 1000] ns, got \(deadTime)"),
        ])
        return self
    }

    /// One hit before the dead zone is applied.
    struct Hit {
        var x: Float, y: Float, z: Float, mass: Float, channel: Int16, label: String
        var detX = 0.0, detY = 0.0, tof = 0.0
    }

    /// The detected ions (in pulse order), their detector columns and the truth of the losses.
    func apply(x: [Float], y: [Float], z: [Float], m: [Float], channel: [Int16], catalog: IonCatalog, table: RangeTable,
               seed: UInt64, projection: (Int) -> Double) -> (recon: Reconstruction, truth: JSONValue) {
        let n = x.count
        var rng = SeededRandom(seed: seed ^ 0xDE7E_C70B)
        let labels = catalog.channels.map(\.emitted.label)
        let li = labels.firstIndex(of: "Li+").map(Int16.init), zro = labels.firstIndex(of: "ZrO++").map(Int16.init)
        let oxygen = Set(["O+", "O2+"].compactMap { labels.firstIndex(of: $0) }.map(Int16.init))
        let flight = 0.1, da = 1.66053906660e-27, e = 1.602176634e-19, vdc = 5000.0
        func tof(_ mass: Double) -> Double { 1e9 * flight * (max(mass, 0.01) * da / (2 * e * vdc)).squareRoot() }
        func hit(_ i: Int) -> Hit {
            let s = projection(i)
            var h = Hit(x: x[i], y: y[i], z: z[i], mass: m[i], channel: channel[i], label: channel[i] < 0 ? "background" : labels[Int(channel[i])])
            h.detX = Double(x[i]) * s; h.detY = Double(y[i]) * s; h.tof = tof(Double(m[i]))
            return h
        }
        func near(_ h: inout Hit, _ to: Hit) { h.detX = to.detX + spread * rng.normal(); h.detY = to.detY + spread * rng.normal() }
        var used = [Bool](repeating: false, count: n)
        var out = (x: [Float](), y: [Float](), z: [Float](), m: [Float](), detail: PulseDetail(count: 0))
        var lost: [JSONValue] = []
        var lostPerIon: [String: Int] = [:], lostPerType = [Int](repeating: 0, count: table.ions.count + 1)
        var kinds: [String: Int] = [:]
        for i in 0..<n where !used[i] {
            used[i] = true
            var hits = [hit(i)]
            let u = rng.uniform()
            func partner(_ accept: (Int16) -> Bool) -> Int? { ((i + 1)..<min(n, i + 33)).first { !used[$0] && accept(channel[$0]) } }
            if channel[i] == li, u < liLi + liO, let j = partner(u < liLi ? { $0 == li } : { oxygen.contains($0) }) {
                used[j] = true
                var h = hit(j); near(&h, hits[0]); hits.append(h)
                kinds[u < liLi ? "Li-Li" : "Li-O", default: 0] += 1
            } else if channel[i] == zro, u < dissociation {
                let parent = 2 * Double(m[i]), f = rng.uniform(), o = 15.9949
                let base = hits[0]
                hits = [base, base]
                for (k, (mass, label)) in [(parent - o, "Zr+"), (o, "O+")].enumerated() {
                    hits[k].mass = Float(mass / (f * 2 * mass / parent + (1 - f)))
                    hits[k].label = label; hits[k].tof = tof(Double(hits[k].mass))
                }
                near(&hits[1], hits[0])
                kinds["ZrO++ -> Zr+ + O+", default: 0] += 1
            } else if u > 1 - randomMulti, i + 1 < n, !used[i + 1] {
                used[i + 1] = true
                hits.append(hit(i + 1))
                kinds["uncorrelated", default: 0] += 1
            }
            hits.sort { $0.tof < $1.tof }
            var detected: [Hit] = []
            for (k, h) in hits.enumerated() {
                let blocker = hits[0..<k].first { abs(h.tof - $0.tof) < deadTime && ((h.detX - $0.detX) * (h.detX - $0.detX) + (h.detY - $0.detY) * (h.detY - $0.detY)).squareRoot() < deadZone }
                if let b = blocker {
                    let d = ((h.detX - b.detX) * (h.detX - b.detX) + (h.detY - b.detY) * (h.detY - b.detY)).squareRoot()
                    lost.append(.object([("ion", .string(h.label)), ("mz_da", .number(Double(h.mass))), ("detector_mm", .numbers([h.detX, h.detY])),
                                         ("blocked_by", .string(b.label)), ("distance_mm", .number(d)), ("dt_ns", .number(h.tof - b.tof)),
                                         ("next_record", .int(out.x.count + detected.count))]))
                    lostPerIon[h.label, default: 0] += 1
                    lostPerType[table.rangeIndex(of: Double(h.mass)).map { table.ranges[$0].ionIndex } ?? table.ions.count] += 1
                } else { detected.append(h) }
            }
            let gap = Int32(1 + Int(-log(max(rng.uniform(), 1e-300)) * 200))
            for (k, h) in detected.enumerated() {
                out.x.append(h.x); out.y.append(h.y); out.z.append(h.z); out.m.append(h.mass)
                out.detail.tof.append(Float(h.tof)); out.detail.voltageDC.append(Float(vdc)); out.detail.voltagePulse.append(0)
                out.detail.detectorX.append(Float(h.detX)); out.detail.detectorY.append(Float(h.detY))
                out.detail.deltaPulse.append(k == 0 ? gap : 0); out.detail.ionsPerPulse.append(k == 0 ? Int32(detected.count) : 0)
            }
        }
        var lostAtoms: [String: Int] = [:]
        for (k, ion) in table.ions.enumerated() { for a in ion.atoms { lostAtoms[a.symbol, default: 0] += a.count * lostPerType[k] } }
        let truth: JSONValue = .object([
            ("model", .string("pulses with correlated Li-Li and Li-O pairs, ZrO++ -> Zr+ + O+ dissociations and uncorrelated pairs; a hit within the dead time and the dead-zone radius of an earlier hit of its pulse is lost")),
            ("li_li", .number(liLi)), ("li_o", .number(liO)), ("dissociation", .number(dissociation)), ("random_multi", .number(randomMulti)),
            ("spread_mm", .number(spread)), ("dead_zone_mm", .number(deadZone)), ("dead_time_ns", .number(deadTime)),
            ("multiple_events", .object(kinds.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("lost_ions_total", .int(lost.count)),
            ("lost_per_ion", .object(lostPerIon.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("lost_per_ion_type", .object(table.ions.indices.map { (table.ions[$0].name, .int(lostPerType[$0])) } + [("unranged", .int(lostPerType[table.ions.count]))])),
            ("lost_atoms_per_element", .object(lostAtoms.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("lost_ions", .array(lost)),
        ])
        let detail = PulseDetail(tof: out.detail.tof, voltageDC: out.detail.voltageDC, voltagePulse: out.detail.voltagePulse, detectorX: out.detail.detectorX,
                                 detectorY: out.detail.detectorY, deltaPulse: out.detail.deltaPulse, ionsPerPulse: out.detail.ionsPerPulse)
        return (Reconstruction(x: out.x, y: out.y, z: out.z, mass: out.m, detail: detail), truth)
    }
}

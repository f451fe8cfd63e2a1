import Foundation
import KitFoundation

/// A scenario run over a grid of parameters (the Cartesian product of each axis's values), and
/// the metrics that summarize each member: what `atomprobe simulate sweep` tabulates.
public struct ParameterSweep: Sendable {
    /// The parameters a sweep can vary, with the units of their values.
    public enum Axis: String, Sendable, CaseIterable {
        /// Partial molar volume of Li, Omega (cm^3/mol).
        case omega = "partial_molar_volume_cm3_per_mol"
        /// Regular-solution interaction parameter chi.
        case chi = "interaction_parameter"
        /// Spacing of the misfit dislocations on the interface (nm; 0 = none).
        case misfitSpacing = "misfit_spacing_nm"
        /// Lattice misfit taken up by the Li layer (-; default b / spacing).
        case misfitStrain = "misfit_strain"
        /// Reference Li site fraction of LLZO (the initial and far-field c).
        case cRef = "llzo_reference_site_fraction"
        /// Dislocation core width a (nm).
        case coreWidth = "core_width_nm"
        /// Temperature (K).
        case temperature = "temperature_k"

        /// The short names users give axes in `vary` (omega in cm^3/mol, the others as named).
        public static let shortNames: [String: Axis] = [
            "omega": .omega, "chi": .chi, "misfit-spacing-nm": .misfitSpacing, "misfit-strain": .misfitStrain,
            "c-ref": .cRef, "core-width-nm": .coreWidth, "temperature-k": .temperature]

        /// An axis written as NAME=v1,v2,... or NAME=first:last:count (short names); nil when
        /// it is not one.
        public static func parse(_ text: String) -> (axis: Axis, values: [Double])? {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let axis = shortNames[parts[0]] else { return nil }
            let v = parts[1]
            if v.contains(":") {
                let r = v.split(separator: ":").map { Double($0) }
                guard r.count == 3, let a = r[0], let b = r[1], let n = r[2], a.isFinite, b.isFinite, n >= 1, n <= Double(maxMembers),
                      n == n.rounded() else { return nil }
                let count = Int(n)
                return (axis, count == 1 ? [a] : (0..<count).map { a + (b - a) * Double($0) / Double(count - 1) })
            }
            let list = v.split(separator: ",").map { Double($0) }
            guard !list.isEmpty, list.allSatisfy({ $0?.isFinite == true }) else { return nil }
            return (axis, list.map { $0! })
        }

        /// The value of this axis in a member's parameters and settings.
        func apply(_ v: Double, to p: inout Parameters, _ s: inout ScenarioSettings) {
            switch self {
            case .omega: p.partialMolarVolume = v * Units.cubicCentimetre
            case .chi: p.interaction = v
            case .misfitSpacing: s.misfitSpacing = v
            case .misfitStrain: s.misfitStrain = v
            case .cRef: p.llzo.referenceSiteFraction = v
            case .coreWidth: p.coreWidth = v * Units.nanometre
            case .temperature: p.temperature = v
            }
        }
    }

    public let scenario: Scenario
    public let base: Parameters
    public let settings: ScenarioSettings
    /// The varied axes and their values, in the order given.
    public let axes: [(axis: Axis, values: [Double])]

    /// The most members a sweep may have.
    public static let maxMembers = 10_000

    public init(scenario: Scenario, base: Parameters, settings: ScenarioSettings, axes: [(axis: Axis, values: [Double])]) throws {
        guard !axes.isEmpty else { throw AtomProbeError.invalid("a sweep needs at least one varied parameter") }
        var seen = Set<Axis>()
        var count = 1.0
        for (a, v) in axes {
            guard seen.insert(a).inserted else { throw AtomProbeError.invalid("\(a.rawValue) is varied twice") }
            guard !v.isEmpty, v.allSatisfy(\.isFinite) else { throw AtomProbeError.invalid("\(a.rawValue): the values must be finite numbers") }
            count *= Double(v.count)
        }
        guard count <= Double(Self.maxMembers) else { throw AtomProbeError.invalid("the sweep has \(Int(min(count, 1e18))) members; at most \(Self.maxMembers)") }
        if scenario == .dislocation, let a = axes.first(where: { [.misfitSpacing, .misfitStrain].contains($0.axis) }) {
            throw AtomProbeError.invalid("\(a.axis.rawValue) applies to the interface scenario only")
        }
        self.scenario = scenario; self.base = base; self.settings = settings; self.axes = axes
        // Every member must be valid before anything runs.
        for k in 0..<memberCount {
            let p = try member(k).parameters.validated()
            try p.checkMobility(scenario == .dislocation ? [p.llzo] : [p.llzo, p.lithium])
        }
    }

    public var memberCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Member k: its axis values (first axis varying slowest), parameters, settings and a folder name.
    public func member(_ k: Int) -> (values: [Double], parameters: Parameters, settings: ScenarioSettings, name: String) {
        var p = base, s = settings
        var rest = k
        var values = [Double](repeating: 0, count: axes.count)
        for i in axes.indices.reversed() {
            let n = axes[i].values.count
            values[i] = axes[i].values[rest % n]
            rest /= n
        }
        for (i, a) in axes.enumerated() { a.axis.apply(values[i], to: &p, &s) }
        let name = String(format: "member%04d", k) + zip(axes, values).map { "_\($0.axis.shortName)\(Self.label($1))" }.joined()
        return (values, p, s, name)
    }

    public static func label(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%g", v)
    }

    /// What a sweep reports of each member.
    public struct Metrics: Sendable {
        public var steady: Bool
        public var solver: String
        /// 10-90 % width of the laterally averaged c across the interface (nm), interface only.
        public var interdiffusionWidth: Double?
        /// Highest Li at.% in LLZO, and its excess over the LLZO reference (at.%).
        public var liAtPctMaxLLZO: Double
        public var peakEnrichmentAtPct: Double
        /// Lowest Li at.% in LLZO.
        public var liAtPctMinLLZO: Double
        public var sigmaHMin: Double
        public var sigmaHMax: Double
        /// Spread of mu(c, sigma) over the nodes (R T).
        public var muSpreadRT: Double
        public var wallSeconds: Double

        /// Extremes are taken over the central half of the domain in x for the interface (the
        /// bimaterial corners where the interface meets the free lateral edges are stress
        /// singularities), and over every node for the dislocation.
        public init(_ sim: Simulation) {
            let model = sim.model, r = sim.results
            let nodes = sim.interiorNodes
            let llzo = nodes.filter { model.materials[model.materialOfNode($0)].liContent == .hostLattice }
            let reference = sim.results.mapping.atPercent(sim.parameters.llzo.referenceSiteFraction, in: .hostLattice)
            let li = llzo.map { r.liAtPercent[$0] }
            steady = sim.report.steady
            solver = sim.report.solver.rawValue
            interdiffusionWidth = sim.scenario == .interface ? sim.interdiffusionWidth : nil
            liAtPctMaxLLZO = li.max() ?? .nan
            liAtPctMinLLZO = li.min() ?? .nan
            peakEnrichmentAtPct = liAtPctMaxLLZO - reference
            let sh = nodes.map { r.sigmaH[$0] }
            sigmaHMin = sh.min() ?? .nan
            sigmaHMax = sh.max() ?? .nan
            muSpreadRT = sim.muSpread
            wallSeconds = sim.report.wallSeconds
        }
    }
}

extension ParameterSweep.Axis {
    /// Short tag for member folder names.
    public var shortName: String {
        switch self {
        case .omega: return "omega"
        case .chi: return "chi"
        case .misfitSpacing: return "spacing"
        case .misfitStrain: return "misfit"
        case .cRef: return "cref"
        case .coreWidth: return "core"
        case .temperature: return "T"
        }
    }
}

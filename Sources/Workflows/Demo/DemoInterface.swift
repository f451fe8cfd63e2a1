import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import AtomProbeSynthesis
import SegregationFEM
import ProfileComparison

/// The study's Fig. 4 and 6 chain, like for like: the 1D profile across the Li/LLZO interface of
/// the interface sample, and the interface scenarios measured the same way, by two routes:
/// (1) a virtual atom probe of each simulation, profiled along the same kind of axis, and
/// (2) each simulated line profile blurred analytically by the sample's reconstruction blur
/// along the normal. Both rank the scenarios by chi^2 and Akaike weights; the report states
/// which scenario the data favour, by how much, and whether the routes agree.
public struct InterfaceStory {
    public let measured: ConcentrationProfile
    public let interface: InterfaceAnalysis
    public let virtualProfiles: [(name: String, profile: ConcentrationProfile)]
    public let virtualRanking: Ranking
    public let analyticRanking: Ranking
    public let profileFigure: String
    public let virtualFigure: String
    public let analyticFigure: String

    public var routesAgree: Bool { virtualRanking.best.name == analyticRanking.best.name }

    /// `sims`: the interface scenarios (name, simulation, its line profile across the interface).
    static func run(sample: String, ranges: String, truth: String, sims: [(String, Simulation, FieldResults.Profile)],
                    dir: String, memory: MemoryBudget, progress: (String) -> Void) throws -> InterfaceStory {
        try Folders.make(dir)
        // The measured profile: along the sample's normal, 8 nm into the LLZO and 7 nm into the Li.
        let t = try JSONValue.parse(TextFile.read(truth))
        guard let pt = t["interface"]?["point_nm"]?.array?.compactMap(\.double), let nn = t["interface"]?["normal"]?.array?.compactMap(\.double),
              pt.count == 3, nn.count == 3, let blur = t["expected_li_profile"]?["blur_along_normal_nm"]?.double else {
            throw AtomProbeError.format("no interface point, normal and blur in the truth", file: truth)
        }
        let point = SIMD3(pt[0], pt[1], pt[2]), normal = SIMD3(nn[0], nn[1], nn[2])
        let recon = try ReconstructionIO.load(sample)
        let table = try RangeFileIO.read(ranges)
        let region = ProfileRegion(from: point - 8 * normal, to: point + 7 * normal, crossSection: .cylinder(radius: 5))
        let measured = try ConcentrationProfile(recon, ranged: RangedIons(recon, table: table), region: region, binning: .width(0.2), memory: memory)
        let fit = try InterfaceAnalysis(measured, species: "Li")
        try ProfileFiles.write(measured, interface: fit, title: "Li/LLZO interface sample: profile along the normal", to: dir)
        let measuredLi = Profile(profile: measured, element: "Li", origin: 8)
        var o = Comparison.Options(); o.fitOffset = true; o.offsetRange = -2...2
        // Route 1: virtual atom probes through the same blur as the sample's reconstruction.
        var virtual: [(String, ConcentrationProfile)] = []
        for (name, sim, _) in sims {
            progress("virtual atom probe of \(name)")
            var vp = VirtualAtomProbe.Parameters(); vp.memory = memory; vp.seed = 7
            let field = FieldSample2D(xs: sim.model.mesh.xs, ys: sim.model.mesh.ys, c: sim.results.c,
                                      lithiumMetal: sim.model.materialOfElement.map { sim.model.materials[Int($0)].liContent == .metal })
            let ds = try VirtualAtomProbe(vp).generate(field)
            let vregion = ProfileRegion(from: SIMD3(0, 0, -8), to: SIMD3(0, 0, 7), crossSection: .cylinder(radius: 5))
            let vprof = try ConcentrationProfile(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), region: vregion, binning: .width(0.2))
            try Folders.make(dir + "/virtual_" + name)
            try ProfileFiles.write(vprof, interface: try? InterfaceAnalysis(vprof, species: "Li"), title: "Virtual atom probe of \(name)", to: dir + "/virtual_" + name)
            virtual.append((name, vprof))
        }
        let virtualRanking = try Ranking(measured: measuredLi, scenarios: virtual.map { ($0.0, Profile(profile: $0.1, element: "Li", origin: 8)) }, instrumentBlur: 0, options: o)
        // Route 2: the line profiles (LLZO below y = 0, Li above), blurred analytically.
        let analytic = try Ranking(measured: measuredLi, scenarios: sims.map { name, sim, line in
            (name, Profile(distance: line.distance, value: line.liAtPercent, density: line.atomsPerNm3, label: "li_at_pct").shifted(origin: sim.settings.domain / 2))
        }, instrumentBlur: blur, options: o)
        try RankingFiles.write(virtualRanking, unit: "Li (at.%)", to: try folder(dir + "/ranking_virtual"), about: [("route", .string("virtual atom probe"))])
        try RankingFiles.write(analytic, unit: "Li (at.%)", to: try folder(dir + "/ranking_analytic"), about: [("route", .string("analytic blur")), ("blur_nm", .number(blur))])
        return InterfaceStory(measured: measured, interface: fit, virtualProfiles: virtual, virtualRanking: virtualRanking, analyticRanking: analytic,
                              profileFigure: ProfileFiles.svg(measured, interface: fit, title: "Li/LLZO interface sample: profile along the normal (Fig. 4c)"),
                              virtualFigure: RankingFigure.svg(virtualRanking, unit: "Li (at.%)"), analyticFigure: RankingFigure.svg(analytic, unit: "Li (at.%)"))
    }

    static func folder(_ p: String) throws -> String { try Folders.make(p); return p }

    /// One sentence: which scenario the data favour and by how much, or that none fits (the
    /// goodness-of-fit gate: the best scenario's p-value below 0.001).
    public var verdict: String {
        let v = virtualRanking, a = analyticRanking
        guard v.bestFits else {
            return "Through the virtual atom probe " + v.verdict + String(format: "; the analytic route: %@.", a.verdict)
        }
        let runnerUp = v.entries.count > 1 ? String(format: "; %@ trails by delta chi^2 = %.1f", v.entries[1].name, v.entries[1].deltaChiSquare) : ""
        return String(format: "The interface profile favours %@ (Akaike weight %.3f, chi^2/dof %.2f, p = %.2g through the virtual atom probe%@); the analytic route %@ (%@, weight %.3f).",
                      v.best.name, v.best.weight, v.best.comparison.chiSquarePerDOF, v.best.pValue, runnerUp,
                      routesAgree ? "agrees" : "disagrees", a.best.name, a.best.weight)
    }
}

/// The nanodendrite's proxigram against the edge dislocation scenario, like for like: a virtual
/// atom probe of the dislocation's field, profiled along the line through the core (the tensile,
/// Li-rich side on the positive side, as the proxigram's object side), compared with the
/// proxigram of object 1 with a fitted offset.
public struct DislocationCheck {
    public let ranking: Ranking
    public let figure: String
    public let coreMaximum: Double  // highest Li at.% of the virtual profile over 1.25 nm

    static func run(proxigram: Proxigram, simulation sim: Simulation, dir: String, memory: MemoryBudget) throws -> DislocationCheck {
        try Folders.make(dir)
        var vp = VirtualAtomProbe.Parameters(); vp.memory = memory; vp.seed = 11
        let field = FieldSample2D(xs: sim.model.mesh.xs, ys: sim.model.mesh.ys, c: sim.results.c,
                                  lithiumMetal: sim.model.materialOfElement.map { sim.model.materials[Int($0)].liContent == .metal })
        let ds = try VirtualAtomProbe(vp).generate(field)
        let x0 = sim.model.dislocations.first?.x ?? 0, y0 = sim.model.dislocations.first?.y ?? 0
        // Field y is the virtual z: from 12 nm on the compressive side (above the core) through the core.
        let region = ProfileRegion(from: SIMD3(x0, 0, y0 + 12), to: SIMD3(x0, 0, y0 - 12), crossSection: .cylinder(radius: 2))
        let prof = try ConcentrationProfile(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), region: region, binning: .width(0.25))
        try ProfileFiles.write(prof, interface: nil, title: "Virtual atom probe of the edge dislocation: profile through the core", to: dir)
        let li = prof.elements.firstIndex(of: "Li")!
        let virtual = Profile(profile: prof, element: "Li", origin: 12)
        var o = Comparison.Options(); o.fitOffset = true; o.offsetRange = -3...3
        let r = try Ranking(measured: Profile(proxigram: proxigram, element: "Li"), scenarios: [("dislocation (virtual atom probe)", virtual)], instrumentBlur: 0, options: o)
        try RankingFiles.write(r, unit: "Li (at.%)", to: dir, about: [("route", .string("virtual atom probe")), ("measured", .string("proxigram of object 1"))])
        // The peak over 5 bins (1.25 nm) at a time, so that counting noise does not raise it.
        var peak = Double.nan
        for b in 0..<max(0, prof.bins.count - 4) {
            let window = prof.bins[b..<(b + 5)]
            let atoms = window.reduce(0) { $0 + $1.atoms }
            if atoms > 0 { peak = max(peak.isNaN ? -1 : peak, 100 * Double(window.reduce(0) { $0 + $1.counts[li] }) / Double(atoms)) }
        }
        return DislocationCheck(ranking: r, figure: RankingFigure.svg(r, unit: "Li (at.%)"), coreMaximum: peak)
    }

    public var verdict: String {
        let c = ranking.best.comparison
        return String(format: "Through the virtual atom probe the edge dislocation reaches at most %.1f at.%% Li (over 1.25 nm) next to its core, against %.1f at.%% in the nanodendrite: chi^2/dof %.1f, %@.",
                      coreMaximum, c.measuredShape.peak, c.chiSquarePerDOF, c.agrees ? "they agree within the errors" : "the dislocation alone does not explain the nanodendrite")
    }
}

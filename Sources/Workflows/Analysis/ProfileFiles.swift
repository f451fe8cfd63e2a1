import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import Plotting

/// The files of a 1D profile: `profile.csv`, `profile.json`, `profile.svg` (like the study's
/// Fig. 4c) and `profile_cumulative.csv` (the ladder).
public enum ProfileFiles {
    public static let names = "profile.csv, profile.json, profile.svg, profile_cumulative.csv"

    /// `profile.csv`: distance_nm, lower_nm, upper_nm, atoms, unranged_ions, then per element
    /// <El>_count, <El>_at_pct, <El>_sigma_at_pct.
    public static func csv(_ p: ConcentrationProfile) -> String {
        var lines = ["distance_nm,lower_nm,upper_nm,atoms,unranged_ions," + p.elements.flatMap { ["\($0)_count", "\($0)_at_pct", "\($0)_sigma_at_pct"] }.joined(separator: ",")]
        for (b, bin) in p.bins.enumerated() {
            var f = ["\(bin.distance)", "\(bin.lower)", "\(bin.upper)", String(bin.atoms), String(bin.unranged)]
            for e in p.elements.indices {
                let (c, s) = p.atPercent(e, bin: b)
                f += [String(bin.counts[e]), c.isNaN ? "" : "\(c)", s.isNaN ? "" : "\(s)"]
            }
            lines.append(f.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `profile_cumulative.csv`: distance_nm (the bin's upper edge), atoms_cumulative, <El>_cumulative.
    public static func cumulativeCSV(_ p: ConcentrationProfile) -> String {
        let (total, per) = p.cumulative
        var lines = ["distance_nm,atoms_cumulative," + p.elements.map { "\($0)_cumulative" }.joined(separator: ",")]
        for b in p.bins.indices { lines.append((["\(p.bins[b].upper)", String(total[b])] + per.map { String($0[b]) }).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ p: ConcentrationProfile, interface a: InterfaceAnalysis?, layer l: SegregationLayer? = nil) -> JSONValue {
        let r = p.region
        var region: [(String, JSONValue)] = [("from_nm", .numbers([r.from.x, r.from.y, r.from.z])), ("to_nm", .numbers([r.to.x, r.to.y, r.to.z])),
                                              ("length_nm", .number(r.length)), ("area_nm2", .number(r.area))]
        switch r.crossSection {
        case .cylinder(let radius): region += [("shape", .string("cylinder")), ("radius_nm", .number(radius))]
        case .box(let width): region += [("shape", .string("box")), ("width_nm", .number(width))]
        }
        let binning: JSONValue
        switch p.binning {
        case .width(let w): binning = .object([("kind", .string("fixed width")), ("bin_width_nm", .number(w))])
        case .atoms(let n): binning = .object([("kind", .string("fixed atoms")), ("atoms_per_bin", .int(n))])
        }
        var fields: [(String, JSONValue)] = [
            ("mode", .string("atomic")), ("region", .object(region)), ("binning", binning),
            ("distance", .string("from the region's first point along its axis (nm)")),
            ("errors", .string(p.corrections.isEmpty ? p.errors.rawValue : "multinomial")),
            ("corrections", .array(p.corrections.descriptions.map { .string($0) })),
        ] + (p.corrections.deadTime.map { [("dead_time_correction", $0.json)] } ?? []) + [
            ("bins", .array(p.bins.indices.map { b in
                .object([("distance_nm", .number(p.bins[b].distance)), ("lower_nm", .number(p.bins[b].lower)), ("upper_nm", .number(p.bins[b].upper)),
                         ("atoms", .int(p.bins[b].atoms)), ("unranged_ions", .int(p.bins[b].unranged)),
                         ("elements", .object(p.elements.indices.map { e in
                             let (c, s) = p.atPercent(e, bin: b)
                             return (p.elements[e], .object([("count", .int(p.bins[b].counts[e])), ("at_pct", c.isNaN ? .null : .number(c)),
                                                             ("sigma_at_pct", s.isNaN ? .null : .number(s))]))
                         }))])
            })),
        ]
        if let a { fields.append(("interface", interfaceJSON(a, elements: p.elements))) }
        if let l { fields.append(("segregation", layerJSON(l, elements: p.elements))) }
        return .object(fields)
    }

    static func plateauJSON(_ q: InterfaceAnalysis.Plateau, elements: [String]) -> JSONValue {
        .object([("from_nm", .number(q.from)), ("to_nm", .number(q.to)), ("atoms", .int(q.atoms)),
                 ("elements", .object(elements.indices.map { k in
                     (elements[k], .object([("at_pct", .number(100 * q.fraction[k])), ("sigma_at_pct", .number(100 * q.sigma[k]))]))
                 }))])
    }

    static func excessJSON(_ excess: [InterfaceAnalysis.Excess]) -> JSONValue {
        .object(excess.map { x in
            (x.element, .object([("atoms_per_nm2", .number(x.atomsPerNm2)), ("sigma_atoms_per_nm2", .number(x.sigma)),
                                 ("measured_atoms", .int(x.measured)), ("expected_atoms", .number(x.expected))]))
        })
    }

    /// The area the excess is per, the plane's normal and the axis's tilt from it.
    static func areaJSON(_ tilt: PlaneTilt?) -> [(String, JSONValue)] {
        [("excess_per_area", .string(tilt == nil ? "of the plane, the profile's axis assumed normal to it (no plane normal given)"
                                                 : "of the plane: per area of the cross-section x cos(tilt of the axis from the plane's normal)")),
         ("plane_normal", tilt.map { .numbers([$0.normal.x, $0.normal.y, $0.normal.z]) } ?? .null),
         ("tilt_deg", tilt.map { .number($0.degrees) } ?? .null)]
    }

    static func layerJSON(_ l: SegregationLayer, elements: [String]) -> JSONValue {
        let f = l.fit
        func number(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? .number($0) : .null } ?? .null }
        return .object([
            ("species", .string(l.species)), ("mode", .string("layer")),
            ("method", .string("weighted least-squares fit of base + amplitude exp(-(x - x0)^2 / (2 s^2)) to the species' at.% (counting errors as weights) locates the layer; one-sigma errors from the covariance, scaled by chi^2/dof when above 1")),
            ("position_nm", .number(l.position)), ("position_sigma_nm", number(f?.centerSigma)),
            ("fwhm_nm", number(f?.fwhm)), ("fwhm_sigma_nm", number(f?.fwhmSigma)),
            ("baseline_at_pct", number(f?.base)), ("peak_at_pct", number(f.map { $0.base + $0.amplitude })),
            ("chi_square_per_dof", number(f?.chiSquarePerDOF)), ("points", f.map { .int($0.points) } ?? .null),
            ("plateaus", .string(l.plateausGiven ? "given" : "beyond the gap on both sides of the peak")),
            ("plateau_low", plateauJSON(l.low, elements: elements)), ("plateau_high", plateauJSON(l.high, elements: elements)),
            ("detection_efficiency", .number(l.efficiency)),
        ] + areaJSON(l.tilt) + [
            ("interfacial_excess", excessJSON(l.excess)),
            ("interfacial_excess_method", .string("cumulative (ladder) method: least-squares lines through the cumulative atoms of each element against all atoms in both plateaus; the excess is their vertical offset at the layer's position / (area x efficiency), x cos(tilt) with a plane normal; sigma from Poisson counts of every bin propagated through both lines")),
        ])
    }

    static func interfaceJSON(_ a: InterfaceAnalysis, elements: [String]) -> JSONValue {
        func plateau(_ q: InterfaceAnalysis.Plateau) -> JSONValue { plateauJSON(q, elements: elements) }
        let f = a.fit
        return .object([
            ("species", .string(a.species)),
            ("method", .string("weighted least-squares fit of low + (high - low) Phi((x - x0) / s) to the species' at.% (counting errors as weights); one-sigma errors from the covariance, scaled by chi^2/dof when above 1")),
            ("crossing_nm", .number(f.crossing)), ("crossing_sigma_nm", .number(f.crossingSigma)),
            ("width_10_90_nm", .number(f.width1090)), ("width_10_90_sigma_nm", .number(f.width1090Sigma)),
            ("low_at_pct", .number(f.low)), ("low_sigma_at_pct", .number(f.lowSigma)),
            ("high_at_pct", .number(f.high)), ("high_sigma_at_pct", .number(f.highSigma)),
            ("chi_square_per_dof", .number(f.chiSquarePerDOF)), ("points", .int(f.points)),
            ("plateau_low", plateau(a.low)), ("plateau_high", plateau(a.high)),
            ("detection_efficiency", .number(a.efficiency)),
        ] + areaJSON(a.tilt) + [
            ("interfacial_excess", excessJSON(a.excess)),
            ("interfacial_excess_method", .string("Gibbs dividing surface at the crossing: (N_i - c_i^low N_low - c_i^high N_high) / (area x efficiency), x cos(tilt) with a plane normal; sigma from Poisson counts and the plateaus' errors")),
        ])
    }

    /// A plot like Fig. 4c: at.% of every element with one-sigma bars, the fitted step dashed.
    public static func svg(_ p: ConcentrationProfile, interface a: InterfaceAnalysis?, layer l: SegregationLayer? = nil, title: String) -> String {
        var plot = LinePlot(title: title, xLabel: "distance along the profile (nm)", yLabel: "concentration (at.%)")
        let x = p.bins.map(\.distance)
        for (k, el) in p.elements.enumerated() {
            let v = p.bins.indices.map { p.atPercent(k, bin: $0) }
            plot.series.append(LinePlot.Series(name: el, x: x, y: v.map(\.value), yError: v.map(\.sigma),
                                               color: ElementColors.color(el, index: k), style: .linePoints))
        }
        if let a {
            let xs = (0...200).map { x.first! + (x.last! - x.first!) * Double($0) / 200 }
            plot.series.append(LinePlot.Series(name: "\(a.species) fit", x: xs, y: xs.map { a.fit.value(at: $0) }, color: "#333333", dash: "6,4"))
            plot.markers = [(a.fit.crossing, String(format: "%.2f nm, 10-90 %% %.2f nm", a.fit.crossing, a.fit.width1090))]
        }
        if let l {
            if let f = l.fit {
                let xs = (0...200).map { x.first! + (x.last! - x.first!) * Double($0) / 200 }
                plot.series.append(LinePlot.Series(name: "\(l.species) peak fit", x: xs, y: xs.map { f.value(at: $0) }, color: "#333333", dash: "6,4"))
            }
            plot.markers = [(l.position, String(format: "layer %.2f nm, excess %.3g atoms/nm^2", l.position, l.excess.first { $0.element == l.species }?.atomsPerNm2 ?? .nan))]
        }
        plot.yRange = 0...100
        return plot.render()
    }

    /// Writes the four files into `dir`.
    public static func write(_ p: ConcentrationProfile, interface a: InterfaceAnalysis?, layer l: SegregationLayer? = nil, title: String, to dir: String) throws {
        try AtomicFile.write(csv(p), to: dir + "/profile.csv")
        try AtomicFile.write(cumulativeCSV(p), to: dir + "/profile_cumulative.csv")
        try AtomicFile.write(json(p, interface: a, layer: l).serialized(), to: dir + "/profile.json")
        try AtomicFile.write(svg(p, interface: a, layer: l, title: title), to: dir + "/profile.svg")
    }

    /// A short text summary for the terminal.
    public static func text(_ p: ConcentrationProfile, interface a: InterfaceAnalysis?, layer l: SegregationLayer? = nil) -> String {
        var out = String(format: "%d bins over %.2f nm, %d atoms; region area %.2f nm^2\n", p.bins.count, p.region.length,
                         p.bins.reduce(0) { $0 + $1.atoms }, p.region.area)
        for line in p.corrections.descriptions { out += "correction: \(line)\n" }
        let low: InterfaceAnalysis.Plateau, high: InterfaceAnalysis.Plateau, excess: [InterfaceAnalysis.Excess]
        let efficiency: Double, tilt: PlaneTilt?
        if let a {
            let f = a.fit
            out += String(format: "%@ interface: crossing %.3f ± %.3f nm, 10-90 %% width %.3f ± %.3f nm (erf fit, chi^2/dof %.2f)\n",
                          a.species, f.crossing, f.crossingSigma, f.width1090, f.width1090Sigma, f.chiSquarePerDOF)
            (low, high, excess, efficiency, tilt) = (a.low, a.high, a.excess, a.efficiency, a.tilt)
        } else if let l {
            if let f = l.fit {
                out += String(format: "%@ layer: at %.3f ± %.3f nm, FWHM %.3f ± %.3f nm, peak %.2f at.%% over %.2f (Gaussian peak fit, chi^2/dof %.2f)\n",
                              l.species, f.center, f.centerSigma, f.fwhm, f.fwhmSigma, f.base + f.amplitude, f.base, f.chiSquarePerDOF)
            } else {
                out += String(format: "%@ layer: read at %.3f nm, halfway between the plateaus (no peak fitted)\n", l.species, l.position)
            }
            out += String(format: "excess by the ladder method: lines through the plateaus from %.2f to %.2f and from %.2f to %.2f nm%@\n",
                          l.low.from, l.low.to, l.high.from, l.high.to, l.plateausGiven ? " (given)" : "")
            (low, high, excess, efficiency, tilt) = (l.low, l.high, l.excess, l.efficiency, l.tilt)
        } else { return out }
        let header = ["element", "low side (at.%)", "high side (at.%)", "excess (atoms/nm^2)"]
        let rows = p.elements.indices.map { k in
            [p.elements[k], Reports.plusMinus(100 * low.fraction[k], 100 * low.sigma[k]), Reports.plusMinus(100 * high.fraction[k], 100 * high.sigma[k]),
             Reports.plusMinus(excess[k].atomsPerNm2, excess[k].sigma, decimals: 3)]
        }
        out += Reports.alignedTable(header, rows)
        let area = tilt.map { String(format: "per nm^2 of the plane (axis tilted %.1f degrees from its normal: per cross-section x %.3f)", $0.degrees, $0.cosine) }
            ?? "per nm^2 of the plane, the axis assumed normal to it (no plane normal given)"
        let eta = efficiency == 1 ? "1 (detected atoms)" : String(format: "%g", efficiency)
        return out + (out.hasSuffix("\n") ? "" : "\n") + "excess \(area); detection efficiency \(eta)\n"
    }
}

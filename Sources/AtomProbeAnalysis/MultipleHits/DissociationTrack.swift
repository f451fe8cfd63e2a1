import Foundation
import AtomProbe
import KitFoundation

/// A molecular ion that breaks up in flight, `parent -> daughter1 + daughter2` (both charged),
/// and the track its daughters leave in the correlation histogram (Saxey 2011, Ultramicroscopy
/// 111, 473).
///
/// The kinematic formula. The parent (mass M, charge N) leaves the tip at rest and dissociates
/// after falling through a fraction `f` of the acceleration potential V, so its kinetic energy
/// is N e f V and its speed v = sqrt(2 N e f V / M). A daughter (mass m, charge n) keeps that
/// speed, so it starts with (m / M) N e f V and gains n e (1 - f) V over the rest of the fall:
///
///     E = e V (f N m / M + (1 - f) n).
///
/// The spectrometer converts a flight time into m/n as if the ion had been accelerated at once
/// through V (the point-source, short-acceleration approximation: the acceleration region is
/// small beside the flight path), m/n_apparent = 2 e V / v^2 with v^2 = 2 E / m, hence
///
///     m/n_apparent(f) = m / (f N m / M + (1 - f) n).
///
/// At f = 0 it is m / n (dissociation at the tip), at f = 1 it is M / N (after the
/// acceleration both daughters fly at the parent's speed): the track runs from the daughters'
/// spot to the parent's spot on the diagonal.
public struct DissociationTrack: Sendable, Equatable {
    public struct Ion: Sendable, Equatable {
        public var formula: String
        public var charge: Int
        /// The mass of the most abundant isotopologue (Da).
        public var mass: Double
    }

    public let parent: Ion
    public let daughters: (Ion, Ion)
    /// The reaction as written.
    public let text: String

    public static func == (a: DissociationTrack, b: DissociationTrack) -> Bool {
        a.parent == b.parent && a.daughters.0 == b.daughters.0 && a.daughters.1 == b.daughters.1
    }

    /// Reads `"Cr2O++ -> Cr+ + CrO+"`: formulas with one `+` per charge, daughters separated by
    /// " + "; atoms and charge must be conserved. `parameter` names the option in errors.
    public init(_ text: String, parameter: String = "track") throws {
        self.text = text
        func fail(_ why: String) -> AtomProbeError {
            .invalid(parameter, "\"\(text.escapedForOneLine)\" \(why) (write e.g. \"Cr2O++ -> Cr+ + CrO+\")")
        }
        let sides = text.components(separatedBy: "->")
        guard sides.count == 2 else { throw fail("needs one \"->\"") }
        let right = sides[1].components(separatedBy: " + ").map { $0.trimmingCharacters(in: .whitespaces) }
        guard right.count == 2 else { throw fail("needs two daughters separated by \" + \"") }
        func ion(_ s: String) throws -> (Ion, [AtomCount]) {
            let t = s.trimmingCharacters(in: .whitespaces)
            let charge = t.reversed().prefix { $0 == "+" }.count
            let name = String(t.dropLast(charge))
            guard charge >= 1, charge <= 10 else { throw fail("needs a charge of 1 to 10 (\"+\" signs) on \(name.isEmpty ? "each ion" : name)") }
            guard let atoms = IonType.parseFormula(name) else { throw fail("has \"\(name)\", not a formula of chemical elements") }
            let pattern = try IsotopePattern(IonType(atoms: atoms), charge: 1)
            let top = pattern.peaks.max { $0.abundance < $1.abundance }!
            return (Ion(formula: name, charge: charge, mass: top.massToCharge), atoms)
        }
        let (p, pa) = try ion(sides[0]), (d1, a1) = try ion(right[0]), (d2, a2) = try ion(right[1])
        var balance: [String: Int] = [:]
        for a in pa { balance[a.symbol, default: 0] += a.count }
        for a in a1 + a2 { balance[a.symbol, default: 0] -= a.count }
        guard balance.values.allSatisfy({ $0 == 0 }) else { throw fail("does not conserve atoms") }
        guard d1.charge + d2.charge == p.charge else { throw fail("does not conserve charge") }
        parent = p
        daughters = (d1, d2)
    }

    /// The apparent m/n of a daughter of mass m and charge n after dissociation at fraction f of
    /// the potential (the formula above).
    public static func apparent(mass m: Double, charge n: Int, parentMass M: Double, parentCharge N: Int, fraction f: Double) -> Double {
        m / (f * Double(N) * m / M + (1 - f) * Double(n))
    }

    /// The track: (daughter 1, daughter 2) apparent m/n for `points` fractions evenly in [from, to].
    public func curve(points: Int = 201, from: Double = 0, to: Double = 1) -> [(Double, Double)] {
        (0..<points).map { k in
            let f = from + (to - from) * Double(k) / Double(max(1, points - 1))
            return (Self.apparent(mass: daughters.0.mass, charge: daughters.0.charge, parentMass: parent.mass, parentCharge: parent.charge, fraction: f),
                    Self.apparent(mass: daughters.1.mass, charge: daughters.1.charge, parentMass: parent.mass, parentCharge: parent.charge, fraction: f))
        }
    }

    /// How the pairs of a correlation histogram follow the track: pairs within `halfWidth` Da of
    /// the curve between fractions 0.05 and 0.95 (away from the spots at its ends), against the
    /// mean of the same count along the curve shifted by +-`offset` Da across it.
    public func check(_ h: CorrelationHistogram, halfWidth: Double = 0.3, offset: Double = 1.5) -> (onTrack: Int, offTrack: Double) {
        let c = curve(points: 400, from: 0.05, to: 0.95)
        func shifted(_ s: Double) -> [(Double, Double)] {
            c.indices.map { k in
                let a = c[max(0, k - 1)], b = c[min(c.count - 1, k + 1)]
                let tx = b.0 - a.0, ty = b.1 - a.1, l = max(1e-12, (tx * tx + ty * ty).squareRoot())
                return (c[k].0 - s * ty / l, c[k].1 + s * tx / l)
            }
        }
        let on = h.pairs(near: c, halfWidth: halfWidth)
        let off = (Double(h.pairs(near: shifted(offset), halfWidth: halfWidth)) + Double(h.pairs(near: shifted(-offset), halfWidth: halfWidth))) / 2
        return (on, off)
    }
}

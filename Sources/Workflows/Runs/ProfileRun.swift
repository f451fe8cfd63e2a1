import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis

/// A 1D concentration profile along an axis (`atomprobe profile`), and with a species the
/// interface's position, width, plateaus and interfacial excess (an erf step between two phases,
/// or a segregation layer between equal plateaus by the ladder method); written as `ProfileFiles`.
/// POS, EPOS and APT are streamed (only the region's ions are kept); NXapm is read whole.
public struct ProfileRun: Sendable {
    /// What the species' profile crosses: a step between two phases (`InterfaceAnalysis`), or a
    /// layer between equal plateaus (`SegregationLayer`).
    public enum ExcessMode: String, Sendable, CaseIterable { case step, layer }

    public var input: ReconstructionInput
    public var ranges: RangeInput
    /// Ends of the axis x,y,z (nm); distance is measured from `from`.
    public var from: [Double]
    public var to: [Double]
    /// A cylinder of this radius, or a box of square cross-section of this side (nm): one of them.
    public var radius: Double?
    public var boxWidth: Double?
    public var binWidth = 0.2
    /// Bins of this many atoms instead of a fixed width.
    public var atomsPerBin: Int?
    /// The element whose step locates the interface.
    public var species: String?
    public var plateauGap: Double?
    /// Plateaus given as from,to,from,to (nm along the axis) instead of found from the gap.
    public var plateauRanges: [Double]?
    public var excess = ExcessMode.step
    /// The normal x,y,z of the interface's (or layer's) plane: the excess per nm^2 of the plane.
    public var planeNormal: [Double]?
    /// Detection efficiency for the interfacial excess.
    public var efficiency = 1.0
    public var errors = Composition.CountingErrors.binomial
    public var corrections = CorrectionRequest()
    public var memory = MemoryBudget.standard
    public var output: String

    public init(input: ReconstructionInput, ranges: RangeInput, from: [Double], to: [Double], output: String) {
        self.input = input
        self.ranges = ranges
        self.from = from
        self.to = to
        self.output = output
    }

    /// Checks every parameter (naming it) before any file is read.
    public func validated() throws -> ProfileRun {
        try Validation.require([
            (from.count == 3, "from", "needs 3 numbers x,y,z (nm)"),
            (to.count == 3, "to", "needs 3 numbers x,y,z (nm)"),
            (from != to, "to", "must differ from the start of the axis"),
            ((radius == nil) != (boxWidth == nil), "radius", "or {box_width}: give one of them"),
            (radius.map { $0 > 0 && $0.isFinite } ?? true, "radius", "must be a positive number of nm"),
            (boxWidth.map { $0 > 0 && $0.isFinite } ?? true, "box_width", "must be a positive number of nm"),
            (binWidth > 0 && binWidth.isFinite, "bin_width", "must be a positive number of nm, got \(binWidth)"),
            (atomsPerBin.map { $0 > 0 } ?? true, "atoms_per_bin", "must be > 0"),
            (plateauGap.map { $0 >= 0 && $0.isFinite } ?? true, "plateau_gap", "must be a finite number >= 0"),
            (efficiency > 0 && efficiency <= 1, "efficiency", "must be in (0, 1], got \(efficiency)"),
            (plateauRanges.map { PlateauRanges($0) != nil } ?? true, "plateau_ranges", "needs 4 numbers from,to,from,to (nm along the axis) in increasing order"),
            (plateauRanges == nil || plateauGap == nil, "plateau_ranges", "or {plateau_gap}: give one of them"),
            (planeNormal.map { $0.count == 3 } ?? true, "plane_normal", "needs 3 numbers x,y,z"),
            (species != nil || (plateauRanges == nil && planeNormal == nil && excess == .step), "species", "is needed for an interfacial excess ({excess}, {plateau_ranges}, {plane_normal})"),
        ])
        _ = try normal.map { try PlaneTilt(axis: region.axis, normal: $0) }
        return self
    }

    public var region: ProfileRegion {
        ProfileRegion(from: SIMD3(from[0], from[1], from[2]), to: SIMD3(to[0], to[1], to[2]),
                      crossSection: radius.map { .cylinder(radius: $0) } ?? .box(width: boxWidth ?? 0))
    }

    var normal: SIMD3<Double>? { planeNormal.map { SIMD3($0[0], $0[1], $0[2]) } }

    /// The profile and its interface or layer, written; the lines a user reads.
    public func run(_ opener: IonSourceOpener) throws -> (profile: ConcentrationProfile, interface: InterfaceAnalysis?, layer: SegregationLayer?, lines: [String]) {
        _ = try validated()
        let run = try RunFolder(output, kind: "profile", inputs: [input.path] + ranges.files)
        let table = try opener.ranges(ranges, of: input, recordInto: run.staging)
        let shape = region
        let inside = { @Sendable (x: Float, y: Float, z: Float) in shape.position(of: SIMD3(Double(x), Double(y), Double(z))) != nil }
        let (source, fixes) = try opener.open(input, table: table, corrections: corrections, memory: memory, region: inside)
        let p = try opener.reporter.timed("profile of \(source.count) ions (streamed)") {
            try ConcentrationProfile(source: source, table: table, region: region, binning: atomsPerBin.map { .atoms($0) } ?? .width(binWidth),
                                     errors: errors, corrections: fixes, memory: memory)
        }
        let given = plateauRanges.flatMap { PlateauRanges($0) }
        let a = try species.flatMap { excess == .step ? try InterfaceAnalysis(p, species: $0, efficiency: efficiency, plateauGap: plateauGap, plateaus: given, planeNormal: normal) : nil }
        let l = try species.flatMap { excess == .layer ? try SegregationLayer(p, species: $0, efficiency: efficiency, plateauGap: plateauGap, plateaus: given, planeNormal: normal) : nil }
        if let w = (a?.tilt ?? l?.tilt)?.warning { opener.reporter.note("warning: " + w) }
        if let w = a?.fitWarning { opener.reporter.note("warning: " + w) }
        try ProfileFiles.write(p, interface: a, layer: l, title: "Profile of \(URL(fileURLWithPath: input.path).lastPathComponent)", to: run.staging)
        try run.commit()
        return (p, a, l, [ProfileFiles.text(p, interface: a, layer: l) + "wrote \(output)/\(ProfileFiles.names)"])
    }
}

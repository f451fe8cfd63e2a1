import ArgumentParser
import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import Workflows

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "1D concentration profile along an axis (like the study's Fig. 4c): per-bin at.% with errors, the ladder, and with --species the interface's position, 10-90 % width, plateaus and interfacial excess.",
        discussion: """
        The region is a cylinder (--radius) or a box of square cross-section (--box-width) around the axis from \
        --from to --to; distance is measured from --from. Bins have a fixed width (--bin-width) or a fixed number \
        of atoms (--atoms-per-bin). Writes profile.csv, profile.json, profile.svg and profile_cumulative.csv.
        """)

    @OptionGroup var input: ReconstructionOptions
    @OptionGroup var rangeOptions: RangeOptions
    @Option(parsing: .unconditional, help: "Start of the axis x,y,z (nm).") var from: Numbers
    @Option(parsing: .unconditional, help: "End of the axis x,y,z (nm).") var to: Numbers
    @Option(help: "Cylinder radius (nm).") var radius: Double?
    @Option(name: .customLong("box-width"), help: "Side of a square cross-section instead of a cylinder (nm).") var boxWidth: Double?
    @Option(name: .customLong("bin-width"), help: "Bin width (nm).") var binWidth = 0.2
    @Option(name: .customLong("atoms-per-bin"), help: "Bins of this many atoms instead of a fixed width.") var atomsPerBin: Int?
    @Option(help: "Element whose step locates the interface (crossing, 10-90 % width, plateaus, interfacial excess).") var species: String?
    @Option(name: .customLong("plateau-gap"), help: "Plateaus start this far from the crossing (nm; default twice the 10-90 % width, at least 1).") var plateauGap: Double?
    @Option(help: "Detection efficiency (0-1) for the interfacial excess (default 1: detected atoms per nm^2).") var efficiency = 1.0
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var errors: ErrorOptions
    @OptionGroup var corrections: CorrectionOptions
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func validate() throws {
        _ = try from.require(3, option: "--from")
        _ = try to.require(3, option: "--to")
        guard (radius == nil) != (boxWidth == nil) else { throw ValidationError("give one of --radius or --box-width") }
        if let problem = Validation.firstProblem([
            (radius.map { $0 > 0 && $0.isFinite } ?? true, "--radius must be a positive number of nm"),
            (boxWidth.map { $0 > 0 && $0.isFinite } ?? true, "--box-width must be a positive number of nm"),
            (binWidth > 0 && binWidth.isFinite, "--bin-width must be a positive number of nm, got \(binWidth)"),
            (atomsPerBin.map { $0 > 0 } ?? true, "--atoms-per-bin must be > 0"),
            (plateauGap.map { $0 >= 0 && $0.isFinite } ?? true, "--plateau-gap must be a finite number >= 0"),
            (efficiency > 0 && efficiency <= 1, "--efficiency must be in (0, 1], got \(efficiency)"),
            (from.values != to.values, "--from and --to must differ"),
        ]) { throw ValidationError(problem) }
    }

    func run() throws {
        let run = try RunFolder(output, kind: "profile", inputs: [input.reconstruction, rangeOptions.ranges])
        let table = try rangeOptions.load()
        let region = ProfileRegion(from: SIMD3(from[0], from[1], from[2]), to: SIMD3(to[0], to[1], to[2]),
                                   crossSection: radius.map { .cylinder(radius: $0) } ?? .box(width: boxWidth!))
        // POS, EPOS and APT are streamed (only the region's ions are kept); NXapm is read whole.
        let (source, fixes) = try Progress.opener.open(input.request, table: table, corrections: try corrections.request(), memory: memory.budget)
        let p = try Progress.timed("profile of \(source.count) ions (streamed)") {
            try ConcentrationProfile(source: source, table: table, region: region, binning: atomsPerBin.map { .atoms($0) } ?? .width(binWidth),
                                     errors: errors.errors, corrections: fixes, memory: memory.budget)
        }
        let a = try species.map { try InterfaceAnalysis(p, species: $0, efficiency: efficiency, plateauGap: plateauGap) }
        try ProfileFiles.write(p, interface: a, title: "Profile of \(URL(fileURLWithPath: input.reconstruction).lastPathComponent)", to: run.staging)
        try run.commit()
        print(ProfileFiles.text(p, interface: a), terminator: "")
        print("wrote \(output)/\(ProfileFiles.names)")
    }
}

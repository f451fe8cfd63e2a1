import ParallelLoops
import ArgumentParser
import Workflows
import AtomProbeIO
import AtomProbe
import AtomProbeAnalysis
import KitFoundation

extension MassSpectrumBackground.Shape: ExpressibleByArgument {}
extension Composition.CountingErrors: ExpressibleByArgument {}

/// The error model of compositions, profiles and proxigrams.
struct ErrorOptions: ParsableArguments {
    @Option(help: "One-sigma errors: binomial over atoms, sqrt(c(1-c)/N) (the convention), or multinomial over ions (the atoms of one molecular ion move together). Corrections always use the multinomial.")
    var errors: Composition.CountingErrors = .binomial
}

/// Whether to subtract a mass-spectrum background.
enum BackgroundMode: String, ExpressibleByArgument, CaseIterable {
    case none, fit
}

/// The quantification corrections (docs/quantification.md): background and isotopic overlaps.
struct CorrectionOptions: ParsableArguments {
    @Option(help: "Mass-spectrum background: none (counts as ranged) or fit (fitted in peak-free windows and subtracted from every range).")
    var background: BackgroundMode = .none

    @Option(name: .customLong("background-model"), help: "Background shape: constant (flat in m/n), tof (flat in time of flight, ~ m^-1/2) or constant+tof.")
    var backgroundModel: MassSpectrumBackground.Shape = .constant

    @Option(name: .customLong("background-windows"), help: "Peak-free windows for the fit, e.g. 10:12.5,40:44 (Da); default: everything between the ranges, 5 Da either side.")
    var backgroundWindows: String?

    @Flag(help: "Deconvolve isotopic overlaps (a peak of one ion inside another's range, e.g. 96Zr3+ under O2+): estimate each from its clean peaks and move its counts.")
    var deconvolve = false

    func windows() throws -> [ClosedRange<Double>]? {
        guard let text = backgroundWindows else { return nil }
        var out: [ClosedRange<Double>] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard ends.count == 2, let lo = ends[0], let hi = ends[1], lo.isFinite, hi.isFinite, lo >= 0, hi > lo, hi <= 10_000 else {
                throw ValidationError("--background-windows needs LOW:HIGH pairs in Da with 0 <= LOW < HIGH <= 10000, got \"\(part)\"")
            }
            out.append(lo...hi)
        }
        guard !out.isEmpty else { throw ValidationError("--background-windows is empty") }
        return out
    }

    func validate() throws {
        _ = try windows()
        if background == .none, backgroundWindows != nil { throw ValidationError("--background-windows needs --background fit") }
    }

    /// The corrections asked for (the library checks the windows).
    func request() throws -> CorrectionRequest {
        try CorrectionRequest(background: background == .fit ? backgroundModel : nil, windows: windows(), deconvolve: deconvolve)
    }
}

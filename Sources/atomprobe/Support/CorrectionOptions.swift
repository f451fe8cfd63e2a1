import ArgumentParser
import Workflows
import AtomProbe
import AtomProbeAnalysis

extension MassSpectrumBackground.Shape: ExpressibleByArgument {}
extension Composition.CountingErrors: ExpressibleByArgument {}

/// The error model of compositions, profiles and proxigrams.
struct ErrorOptions: ParsableArguments {
    @Option(help: "One-sigma errors: binomial over atoms, sqrt(c(1-c)/N) (the convention), or multinomial over ions (the atoms of one molecular ion move together). Corrections always use the multinomial.") var errors: Composition.CountingErrors = .binomial
}

/// Whether to subtract a mass-spectrum background.
enum BackgroundMode: String, ExpressibleByArgument, CaseIterable {
    case none, fit
}

/// The quantification corrections (docs/quantification.md): background and isotopic overlaps.
struct CorrectionOptions: ParsableArguments {
    @Option(help: "Mass-spectrum background: none (counts as ranged) or fit (fitted in peak-free windows and subtracted from every range).") var background: BackgroundMode = .none
    @Option(name: .customLong("background-model"), help: "Background shape: constant (flat in m/n), tof (flat in time of flight, ~ m^-1/2) or constant+tof.") var backgroundModel: MassSpectrumBackground.Shape = .constant
    @Option(name: .customLong("background-windows"), help: "Peak-free windows for the fit, e.g. 10:12.5,40:44 (Da); default: everything between the ranges, 5 Da either side.") var backgroundWindows: String?
    @Flag(help: "Deconvolve isotopic overlaps (a peak of one ion inside another's range, e.g. 96Zr3+ under O2+): estimate each from its clean peaks and move its counts.") var deconvolve = false
    @Flag(help: "Add back ions lost to the detector's dead zone (EPOS/APT; README: Multiple hits).") var deadTimeCorrection = false

    /// The corrections asked for (the library checks the windows).
    func request() throws -> CorrectionRequest {
        var r = try CorrectionRequest(background: background == .fit ? backgroundModel : nil, windows: backgroundWindows.map(CorrectionRequest.windows), deconvolve: deconvolve)
        r.deadTime = deadTimeCorrection; return r
    }

    func validate() throws { try validating { _ = try request() } }
}

import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis

extension DemoRun {
    /// Ranges the sample from its spectrum alone (issue 24) and says how its composition
    /// (background fitted, overlaps deconvolved) agrees with that from the shipped range file.
    static func autorange(_ recon: Reconstruction, shipped: RangeTable, elements: [String], title: String, dir: String, say: (String) -> Void) throws {
        let spectrum = try MassSpectrum(recon.mass, binWidth: 0.002, end: AutorangeRun.maxMass)
        let auto = try AutomaticRanges(spectrum, ionsInSpectrum: recon.count, settings: AutomaticRanges.Settings(elements: elements))
        try Folders.make(dir)
        try AutorangeFiles.write(auto, spectrum: spectrum, title: URL(fileURLWithPath: title).lastPathComponent, dir: dir)
        func composition(_ t: RangeTable) throws -> Composition {
            let fixes = try QuantificationCorrections.prepare(mass: recon.mass, table: t, background: .constant, deconvolve: true)
            return try CompositionAnalysis.composition(recon, table: t, corrections: fixes)
        }
        let a = try composition(try auto.table()), b = try composition(shipped)
        let diffs = elements.map { (el: $0, auto: a[$0]?.atPercent ?? 0, shipped: b[$0]?.atPercent ?? 0) }
        let worst = diffs.map { abs($0.auto - $0.shipped) }.max() ?? 0
        say(String(format: "automatic ranges: %d ranges of %d ions from the spectrum alone; composition against the shipped range file: largest difference %.2f at.%% (",
                   auto.ranges.count, Set(auto.ranges.map(\.ion)).count, worst)
            + diffs.map { String(format: "%@ %.2f/%.2f", $0.el, $0.auto, $0.shipped) }.joined(separator: ", ") + ")")
    }
}

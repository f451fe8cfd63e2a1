import XCTest
import KitFoundation

/// Each remedy's advice as the command line words it (parameters as --options), the exact text
/// the command line printed when it kept these sentences itself (known answer).
final class ErrorAdviceTests: XCTestCase {
    func testAdviceNamesTheFrontEndsOptions() {
        let option: (String) -> String = { "--" + $0.replacingOccurrences(of: "_", with: "-") }
        let expected: [AtomProbeError.Remedy: String] = [
            .dropNonFinite: "; use --non-finite drop to drop them (or keep to keep them)",
            .ionicComposition: "; use --mode ionic, or --exclude with that symbol",
            .raiseMemoryLimit: "; choose coarser settings or raise --memory-limit-gb",
            .simplerBackground: "; try --background-model constant or other --background-windows",
            .moreDistanceSlabs: ": build them in more slabs (--distance-slabs)",
            .allowSpinodal: ", or --allow-spinodal to try anyway",
            .giveOrigins: "; give --measured-origin-nm and --sim-origin-nm",
        ]
        for (remedy, text) in expected {
            XCTAssertEqual(AtomProbeError(.invalidInput, "x", remedy: remedy).advice(naming: option), text)
        }
        XCTAssertEqual(AtomProbeError(.invalidInput, "x").advice(naming: option), "")
        XCTAssertEqual(AtomProbeError(.invalidInput, "x", remedy: .raiseMemoryLimit).advice(), "; choose coarser settings or raise memory_limit_gb")
    }
}

import XCTest
import APKTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plotting

final class PlottingTests: XCTestCase {
    /// Closed form: linear mapping ends and midpoint; log mapping of a decade.
    func testAxisMapping() {
        let a = Axis(min: 0, max: 10, from: 100, to: 200)
        XCTAssertEqual(a.pixel(0), 100); XCTAssertEqual(a.pixel(10), 200); XCTAssertEqual(a.pixel(5), 150)
        let l = Axis(scale: .log, min: 1, max: 100, from: 0, to: 200)
        assertClose(l.pixel(10), 100, within: .roundoff(1e-9, "linear axis maps its end to its end pixel"))
        XCTAssertEqual(l.ticks(), [1, 10, 100])
        XCTAssertEqual(Axis(min: 0, max: 1, from: 0, to: 1).ticks(), [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 })
    }

    func testLinePlotRendersWellFormedSVG() throws {
        var p = LinePlot(title: "Li <profile> & more", xLabel: "distance (nm)", yLabel: "at.%")
        p.series = [LinePlot.Series(name: "Li", x: [-1, 0, 1], y: [30, 45, 65], yError: [1, 1, 2], style: .linePoints),
                    LinePlot.Series(name: "O", x: [-1, 0, 1], y: [50, .nan, 25])]
        p.bands = [LinePlot.Band(from: -0.5, to: 0.5, label: "Li+")]
        p.markers = [(0, "interface")]
        let svg = p.render()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("Li &lt;profile&gt; &amp; more"))
        XCTAssertTrue(svg.contains("<polyline"))
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3)
        // Parses as XML.
        let doc = try XMLDocument(data: Data(svg.utf8))
        XCTAssertEqual(doc.rootElement()?.name, "svg")
    }
}

import XCTest
import AtomProbe
import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation
import APKTestSupport

/// Surfaces at the edge of the data (caps) and the core plateau check.
final class EdgeAndPlateauTests: XCTestCase {
    /// Synthetic ground truth: a planar Li/LLZO interface crosses the whole tip, so its
    /// iso-surface is closed by caps along the data edge. The caps are not an interface: the
    /// proxigram reads the threshold at 0 nm (crossing within 0.35 nm of 0), the same as with open
    /// edges, and the closed object still has a volume while the open one has none.
    func testPlanarInterfaceProxigramWithCaps() throws {
        var p = SyntheticInterface.Parameters()
        p.tip.ions = 400_000; p.tip.seed = 4; p.depth = 10
        let ds = try SyntheticInterface(p).generate()
        let ranged = RangedIons(ds.reconstruction, table: ds.ranges)
        let threshold = 61.5
        var closedOptions = IsoSurfaceAnalysis.Options()
        closedOptions.closeAtEdges = true
        let closed = try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: ranged, species: "Li", threshold: threshold, options: closedOptions)
        XCTAssertTrue(closed.surface.cap.contains(true), "the interface reaches the data edge")
        XCTAssertTrue(closed.objects[0].touchesEdge)
        XCTAssertTrue(closed.objects[0].volume.isFinite)
        XCTAssertGreaterThan(closed.objects[0].capArea, 0)
        let li = try XCTUnwrap(closed.elements.firstIndex(of: "Li"))
        let proxigram = try ProxigramSet(closed).all
        // Linear interpolation of the first upward crossing of the threshold.
        var crossing: Double?
        let x = proxigram.binCenters
        for b in 1..<x.count {
            let (a, c) = (proxigram.atPercent(li, bin: b - 1).value, proxigram.atPercent(li, bin: b).value)
            if a.isFinite, c.isFinite, a < threshold, c >= threshold {
                crossing = x[b - 1] + (threshold - a) / (c - a) * (x[b] - x[b - 1]); break
            }
        }
        let at = try XCTUnwrap(crossing)
        assertClose(at, 0, within: .groundTruth(0.35, "the proxigram reads its own threshold at the surface (issue 11)"))
        var openOptions = closedOptions
        openOptions.closeAtEdges = false
        let open = try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: ranged, species: "Li", threshold: threshold, options: openOptions)
        XCTAssertTrue(open.objects[0].volume.isNaN, "an open surface has no volume")
        XCTAssertFalse(open.surface.cap.contains(true))
        // The caps change nothing in the distances: the proxigrams agree bin by bin.
        let openProxigram = try ProxigramSet(open).all
        XCTAssertEqual(openProxigram.counts, proxigram.counts)
        assertClose(closed.objects[0].area, open.objects[0].area, within: .discretization(0.02 * open.objects[0].area, "same interface triangles"))
    }

    /// Closed form: a core of 10,000 atoms at 50 at.% and a deeper core of 2,500 atoms. The change
    /// has sigma = sqrt(0.25 / 10000) * sqrt(10000 / 2500 - 1) = 0.866 at.%: 3 at.% is 3.46 sigma
    /// (no plateau, a warning), 1 at.% is 1.15 sigma (plateau reached); too few deeper atoms
    /// cannot be tested.
    func testCorePlateauCheck() {
        func comp(_ n: Int, _ li: Int) -> Composition {
            Composition(mode: .atomic, counts: [("Li", li), ("O", n - li)], rangedIons: n, unrangedIons: 0)
        }
        let core = comp(10_000, 5_000)
        let steep = CorePlateau(core: core, deeper: comp(2_500, 1_325), coreDistance: 1.5)
        XCTAssertEqual(steep.reached, false)
        assertClose(steep.changeSigmas, 3.0 / (0.5 / 100 * 3.0.squareRoot() * 100), within: .closedForm(1e-9, "0.03 / 0.00866"))
        XCTAssertNotNil(steep.warning(object: 1))
        let flat = CorePlateau(core: core, deeper: comp(2_500, 1_275), coreDistance: 1.5)
        XCTAssertEqual(flat.reached, true)
        XCTAssertNil(flat.warning(object: 1))
        let thin = CorePlateau(core: core, deeper: comp(50, 40), coreDistance: 1.5)
        XCTAssertNil(thin.reached)
        XCTAssertTrue(thin.warning(object: 2)?.contains("cannot be tested") == true)
    }
}

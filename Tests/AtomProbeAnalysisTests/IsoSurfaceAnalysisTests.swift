import XCTest
import AtomProbe
@testable import AtomProbeAnalysis
import AtomProbeSynthesis
import KitFoundation

/// The iso-surface chain against the ground truth of a synthetic LLZO tip with two nanodendrites.
final class IsoSurfaceAnalysisTests: XCTestCase {
    static let dataset: SyntheticLLZO.Dataset = {
        var p = SyntheticLLZO.Parameters()
        p.ions = 700_000
        p.seed = 21
        p.objectLength = 16
        return try! SyntheticLLZO(p).generate()
    }()
    static let analysis: IsoSurfaceAnalysis = {
        let ds = dataset
        return try! IsoSurfaceAnalysis(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), species: "Li", threshold: 42)
    }()

    func truthRegion(_ name: String) -> JSONValue? { Self.dataset.truth["regions"]?.array?.first { $0["name"]?.string == name } }

    /// Ground truth: two nanodendrites, found where they were placed.
    func testFindsTheObjects() throws {
        let a = Self.analysis
        XCTAssertEqual(a.objects.count, 2)
        XCTAssertEqual(a.mesh.boundaryEdgeCount(), 0)
        for o in Self.dataset.objects {
            let nearest = a.objects.map { Vec3.length($0.centroid - o.center) }.min()!
            XCTAssertLessThan(nearest, 3, "object at \(o.center)")
        }
        for o in a.objects {
            XCTAssertGreaterThan(o.volume, 0); XCTAssertGreaterThan(o.area, 0); XCTAssertFalse(o.touchesEdge)
            // Geometry: a 16 x 10 x 4 nm sheet (640 nm^3), blurred by delocalization.
            XCTAssertEqual(o.volume, 640, accuracy: 320)
        }
    }

    /// Ground truth: the bulk row is within 0.5 at.% of the matrix for every element.
    func testBulkCompositionMatchesMatrix() throws {
        let rows = try Self.analysis.compositionTable()
        let bulk = try XCTUnwrap(rows.first { $0.region == .bulk })
        let matrix = try XCTUnwrap(truthRegion("matrix"))
        for el in ["Li", "La", "Zr", "Ta", "O"] {
            XCTAssertEqual(bulk.composition[el]!.atPercent, matrix["elements"]![el]!["at_pct"]!.double!, accuracy: 0.5, el)
        }
    }

    /// Ground truth: each object's core Li is within 3 at.% of the object's generated Li.
    func testCoreLiMatchesTruth() throws {
        let rows = try Self.analysis.compositionTable()
        for o in Self.analysis.objects {
            // The truth object nearest to this one.
            let k = Self.dataset.objects.indices.min { Vec3.length(Self.dataset.objects[$0].center - o.centroid) < Vec3.length(Self.dataset.objects[$1].center - o.centroid) }!
            let truth = try XCTUnwrap(truthRegion("object \(k + 1)"))
            let core = try XCTUnwrap(rows.first { $0.region == .core && $0.objectID == o.id })
            XCTAssertGreaterThan(core.composition.total, 1000)
            XCTAssertEqual(core.composition["Li"]!.atPercent, truth["elements"]!["Li"]!["at_pct"]!.double!, accuracy: 3, "object \(o.id)")
        }
    }

    /// The proxigram's Li curve crosses the 42 at.% threshold within half a nanometre of 0, rising
    /// from the bulk (left) into the object (right).
    func testProxigramCrossesThresholdAtZero() throws {
        let (all, per) = Self.analysis.proxigrams()
        XCTAssertEqual(per.count, 2)
        let li = try XCTUnwrap(all.elements.firstIndex(of: "Li"))
        let x = all.binCenters
        let y = x.indices.map { all.atPercent(li, bin: $0).value }
        // Last crossing from below 42 to above, scanning from the bulk side.
        var crossing: Double?
        for b in 1..<x.count where y[b - 1] < 42 && y[b] >= 42 && x[b] > -2 && x[b] < 2 {
            crossing = x[b - 1] + (42 - y[b - 1]) / (y[b] - y[b - 1]) * (x[b] - x[b - 1])
        }
        XCTAssertEqual(try XCTUnwrap(crossing), 0, accuracy: 0.5)
        XCTAssertLessThan(y[x.firstIndex { $0 > -4 }!], 35)      // bulk side
        XCTAssertGreaterThan(y[x.firstIndex { $0 > 1.5 }!], 50)   // object side
        // Errors follow sqrt(c(1-c)/N).
        let b = x.firstIndex { $0 > -1 }!
        let n = Double(all.total(b)), c = y[b] / 100
        XCTAssertEqual(all.atPercent(li, bin: b).sigma, 100 * (c * (1 - c) / n).squareRoot(), accuracy: 1e-12)
    }

    /// Every ion counted once: bulk + in-between + inside regions add up to the ranged ions.
    func testRegionsPartitionTheIons() throws {
        let a = Self.analysis
        var bulk = 0, shell = 0, inside = 0
        for i in 0..<a.distance.count where a.ranged.ionType[i] >= 0 {
            let d = a.distance[i]
            if d < -3 { bulk += 1 } else if d > 0 { inside += 1 } else { shell += 1 }
        }
        XCTAssertEqual(bulk + shell + inside, a.ranged.ranged)
        XCTAssertEqual(inside, a.objects.reduce(0) { $0 + $1.ions })
    }

    /// Clear errors: a species not in the range file, a threshold nobody reaches.
    func testErrors() {
        let ds = Self.dataset
        let ranged = RangedIons(ds.reconstruction, table: ds.ranges)
        XCTAssertThrowsError(try IsoSurfaceAnalysis(ds.reconstruction, ranged: ranged, species: "Fe", threshold: 42)) {
            XCTAssertTrue("\($0)".contains("Fe is not in the range file"), "\($0)")
        }
        XCTAssertThrowsError(try IsoSurfaceAnalysis(ds.reconstruction, ranged: ranged, species: "Li", threshold: 99)) {
            XCTAssertTrue("\($0)".contains("the highest Li concentration is"), "\($0)")
        }
        var o = IsoSurfaceAnalysis.Options(); o.binWidth = 0
        XCTAssertThrowsError(try IsoSurfaceAnalysis(ds.reconstruction, ranged: ranged, species: "Li", threshold: 42, options: o))
    }
}

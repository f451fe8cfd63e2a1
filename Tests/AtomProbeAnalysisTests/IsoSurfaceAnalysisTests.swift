import XCTest
import APKTestSupport
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
        return try! IsoSurfaceAnalysis.run(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), species: "Li", threshold: 42)
    }()
    static let table = try! CompositionTable(analysis)
    static let proxigrams = try! ProxigramSet(analysis)

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
            assertClose(o.volume, 640, within: .groundTruth(320, "a 16 x 10 x 4 nm sheet blurred by the delocalization"))
        }
    }

    /// Ground truth: the bulk row is within 0.5 at.% of the matrix for every element.
    func testBulkCompositionMatchesMatrix() throws {
        let rows = Self.table.rows
        let bulk = try XCTUnwrap(rows.first { $0.region == .bulk })
        let matrix = try XCTUnwrap(truthRegion("matrix"))
        for el in ["Li", "La", "Zr", "Ta", "O"] {
            assertClose(bulk.composition[el]!.atPercent, matrix["elements"]![el]!["at_pct"]!.double!, within: .groundTruth(0.5, "matrix composition of the generator; 0.5 at.% covers the 3 nm bulk margin and counting"), el)
        }
    }

    /// Ground truth: each object's core Li is within 3 at.% of the object's generated Li.
    func testCoreLiMatchesTruth() throws {
        let rows = Self.table.rows
        for o in Self.analysis.objects {
            // The truth object nearest to this one.
            let k = Self.dataset.objects.indices.min { Vec3.length(Self.dataset.objects[$0].center - o.centroid) < Vec3.length(Self.dataset.objects[$1].center - o.centroid) }!
            let truth = try XCTUnwrap(truthRegion("object \(k + 1)"))
            let core = try XCTUnwrap(rows.first { $0.region == .core && $0.objectID == o.id })
            XCTAssertGreaterThan(core.composition.total, 1000)
            assertClose(core.composition["Li"]!.atPercent, truth["elements"]!["Li"]!["at_pct"]!.double!, within: .groundTruth(3, "object Li of the generator; the core is blurred by 0.3 nm reconstruction noise"), "object \(o.id)")
        }
    }

    /// The proxigram's Li curve crosses the 42 at.% threshold within half a nanometre of 0, rising
    /// from the bulk (left) into the object (right).
    func testProxigramCrossesThresholdAtZero() throws {
        let (all, per) = (Self.proxigrams.all, Self.proxigrams.perObject)
        XCTAssertEqual(per.count, 2)
        let li = try XCTUnwrap(all.elements.firstIndex(of: "Li"))
        let x = all.binCenters
        let y = x.indices.map { all.atPercent(li, bin: $0).value }
        // Last crossing from below 42 to above, scanning from the bulk side.
        var crossing: Double?
        for b in 1..<x.count where y[b - 1] < 42 && y[b] >= 42 && x[b] > -2 && x[b] < 2 {
            crossing = x[b - 1] + (42 - y[b - 1]) / (y[b] - y[b - 1]) * (x[b] - x[b - 1])
        }
        assertClose(try XCTUnwrap(crossing), 0, within: .groundTruth(0.5, "the 42 at.% crossing lies on the surface at 0 nm within half a voxel"))
        XCTAssertLessThan(y[x.firstIndex { $0 > -4 }!], 35)      // bulk side
        XCTAssertGreaterThan(y[x.firstIndex { $0 > 1.5 }!], 50)   // object side
        // Errors follow sqrt(c(1-c)/N).
        let b = x.firstIndex { $0 > -1 }!
        let n = Double(all.total(b)), c = y[b] / 100
        assertClose(all.atPercent(li, bin: b).sigma, 100 * (c * (1 - c) / n).squareRoot(), within: .closedForm(1e-12, "sqrt(c(1-c)/N) of the bin"))
    }

    /// Two paths to one number: the table's regions and the objects' counts (folded while the
    /// distances are computed) recounted from every ion's distance computed apart: the bulk row
    /// holds exactly the ranged ions more than 3 nm outside, each object's inside row exactly the
    /// ions inside it, and an ion is inside only with an object assigned.
    func testRegionsMatchTheDistances() throws {
        let a = Self.analysis, d = try a.distances(Self.dataset.reconstruction)
        let ranged = RangedIons(Self.dataset.reconstruction, table: Self.dataset.ranges)
        var bulk = 0, insideOf = [Int](repeating: 0, count: a.objects.count + 1)
        for i in 0..<d.count where ranged.ionType[i] >= 0 {
            XCTAssertFalse(d.distance[i].isNaN, "ion \(i) has no distance")
            if d.distance[i] < -3 { bulk += 1 }
            if d.distance[i] > 0 {
                XCTAssertGreaterThan(d.objectOfIon[i], 0, "ion \(i) is inside but in no object")
                insideOf[Int(d.objectOfIon[i])] += 1
            }
        }
        let rows = Self.table.rows
        XCTAssertEqual(rows.first { $0.region == .bulk }?.composition.rangedIons, bulk)
        for o in a.objects {
            XCTAssertEqual(rows.first { $0.region == .inside && $0.objectID == o.id }?.composition.rangedIons, insideOf[Int(o.id)])
            XCTAssertEqual(o.ions, insideOf[Int(o.id)])
        }
        XCTAssertGreaterThan(bulk, ranged.ranged / 2, "most of the tip is bulk")
    }

    /// Clear errors: a species not in the range file, a threshold nobody reaches.
    func testErrors() {
        let ds = Self.dataset
        let ranged = RangedIons(ds.reconstruction, table: ds.ranges)
        XCTAssertThrowsError(try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: ranged, species: "Fe", threshold: 42)) {
            XCTAssertTrue("\($0)".contains("Fe is not in the range file"), "\($0)")
        }
        XCTAssertThrowsError(try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: ranged, species: "Li", threshold: 99)) {
            XCTAssertTrue("\($0)".contains("the highest Li concentration is"), "\($0)")
        }
        var o = IsoSurfaceAnalysis.Options(); o.binWidth = 0
        XCTAssertThrowsError(try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: ranged, species: "Li", threshold: 42, options: o))
    }
}

/// Issue 11: atoms of objects dropped by the size filter are neither bulk nor object.
final class DroppedObjectTests: XCTestCase {
    func testDroppedObjectAtomsAreExcluded() throws {
        let ds = IsoSurfaceAnalysisTests.dataset
        let all = IsoSurfaceAnalysisTests.analysis
        XCTAssertEqual(all.objects.count, 2)
        // Keep only the larger object: the smaller one's atoms must leave the bulk.
        var o = IsoSurfaceAnalysis.Options()
        o.minObjectAtoms = (all.objects[0].atoms + all.objects[1].atoms) / 2
        let a = try IsoSurfaceAnalysis.run(ds.reconstruction, ranged: RangedIons(ds.reconstruction, table: ds.ranges), species: "Li", threshold: 42, options: o)
        XCTAssertEqual(a.objects.count, 1)
        XCTAssertEqual(a.surface.droppedObjects, 1)
        // Every ion the full analysis put inside the dropped object (object 2) is now excluded,
        // with those of its 3 nm shell.
        let allD = try all.distances(ds.reconstruction), aD = try a.distances(ds.reconstruction)
        let ranged = RangedIons(ds.reconstruction, table: ds.ranges)
        let inside2 = (0..<allD.count).filter { allD.distance[$0] > 0 && allD.objectOfIon[$0] == 2 && ranged.ionType[$0] >= 0 }
        XCTAssertGreaterThan(a.surface.droppedIons, inside2.count)
        XCTAssertTrue(inside2.allSatisfy { aD.distance[$0].isNaN })
        // The folded count of excluded ions equals the recount from the per-ion distances.
        XCTAssertEqual(a.surface.droppedIons, (0..<aD.count).filter { aD.distance[$0].isNaN && ranged.ionType[$0] >= 0 }.count)
        let table = try CompositionTable(a)
        XCTAssertEqual(table.excludedAtoms, a.surface.droppedAtoms)
        XCTAssertGreaterThan(table.excludedAtoms, 1000)
        // Ground truth: the bulk is still the matrix (the dropped nanodendrite's 60 % Li would lift it).
        let matrix = try XCTUnwrap(ds.truth["regions"]?.array?.first { $0["name"]?.string == "matrix" })
        let bulk = try XCTUnwrap(table.rows.first { $0.region == .bulk })
        assertClose(bulk.composition["Li"]!.atPercent, matrix["elements"]!["Li"]!["at_pct"]!.double!, within: .groundTruth(0.5, "matrix Li of the generator"))
        XCTAssertTrue(Reports.tableText(table).contains("atoms in or near objects below the size filters are in no row"))
        // The bulk is the same as when the object was kept: its shell is not bulk either way.
        let bulkAll = try XCTUnwrap(IsoSurfaceAnalysisTests.table.rows.first { $0.region == .bulk })
        assertClose(bulk.composition["Li"]!.atPercent, bulkAll.composition["Li"]!.atPercent, within: .statistics(3 * bulk.composition["Li"]!.sigmaAtPercent, "the same bulk atoms, give or take the boundary"))
    }
}

/// Issue 22, item 8: the threshold's bias (an object's row minus its core row) and its sigma,
/// against a Monte Carlo of the same counting (statistics: 4000 draws of a core of 2000 atoms at
/// 70 % and a shell of 5000 at 50 %; the spread of the difference must match the formula within
/// 5 %, and its mean the true f (c_shell - c_core) = -5/7 * 0.2).
final class ThresholdBiasTests: XCTestCase {
    func testSigmaMatchesMonteCarlo() {
        var rng = SeededRandom(seed: 4)
        func binomial(_ n: Int, _ p: Double) -> Int { (0..<n).reduce(0) { k, _ in k + (rng.uniform() < p ? 1 : 0) } }
        let nc = 2000, ns = 5000
        var diffs: [Double] = [], sigmas: [Double] = []
        for _ in 0..<4000 {
            let kc = binomial(nc, 0.7), ks = binomial(ns, 0.5)
            let fc = Double(kc) / Double(nc), fi = Double(kc + ks) / Double(nc + ns)
            let b = CompositionTable.insideMinusCore(inside: (fi, nc + ns), core: (fc, nc), coreSigma: (fc * (1 - fc) / Double(nc)).squareRoot())
            diffs.append(b.difference); sigmas.append(b.sigma)
        }
        let mean = diffs.reduce(0, +) / Double(diffs.count)
        let sd = (diffs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(diffs.count - 1)).squareRoot()
        let formula = sigmas.reduce(0, +) / Double(sigmas.count)
        assertClose(mean, -5.0 / 7 * 0.2, within: .statistics(4 * sd / 4000.0.squareRoot(), "4 standard errors of the mean"))
        assertClose(formula / sd, 1, within: .statistics(0.05, "spread of 4000 draws: about 1 % sampling error of the sd"))
    }
}

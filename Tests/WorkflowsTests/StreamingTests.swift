import ParallelLoops
import XCTest
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import AtomProbeSynthesis
import Workflows
import KitFoundation
import APKTestSupport

/// Streamed passes (issue 12) against the in-memory path: the same ions, the same counts, the
/// same compositions, whatever the chunk size.
final class StreamingTests: XCTestCase {
    /// Collects every ion of a stream in file order.
    func collect(_ s: IonStream, _ policy: NonFinitePolicy, chunk: Int) throws -> (Reconstruction, Int) {
        let (parts, dropped) = try s.reduce(.positionsAndMass, nonFinite: policy, chunkIons: chunk, initial: { [(Int, [Float], [Float], [Float], [Float])]() }, { acc, c in
            acc.append((c.first, Array(c.x), Array(c.y), Array(c.z), Array(c.mass)))
        }, combine: { $0 += $1 })
        let sorted = parts.sorted { $0.0 < $1.0 }
        return (Reconstruction(x: sorted.flatMap(\.1), y: sorted.flatMap(\.2), z: sorted.flatMap(\.3), mass: sorted.flatMap(\.4)), dropped)
    }

    /// Synthetic POS and EPOS with NaN rows, chunks of 1000 records (ragged last chunk): the same
    /// ions as `ReconstructionIO.read` under drop and keep, the same error under reject.
    func testStreamEqualsReadWithNonFiniteRows() throws {
        let dir = try temporaryFolder(self)
        var p = SyntheticLLZO.Parameters(); p.ions = 12_345; p.objectCount = 0; p.seed = 2
        var r = try SyntheticLLZO(p).generate().reconstruction
        var x = r.x, m = r.mass
        x[17] = .nan; m[9_999] = .infinity
        r = Reconstruction(x: x, y: r.y, z: r.z, mass: m, detail: r.detail)
        for ext in ["pos", "epos"] {
            let path = dir + "/r." + ext
            try ReconstructionIO.write(r, to: path)
            let s = try IonStream(path: path)
            XCTAssertEqual(s.count, r.count)
            for policy in [NonFinitePolicy.drop, .keep] {
                let (expected, expectedDropped) = try ReconstructionIO.read(path, nonFinite: policy)
                let (got, dropped) = try collect(s, policy, chunk: 1000)
                XCTAssertEqual(dropped, expectedDropped, "\(ext) \(policy)")
                XCTAssertEqual(got.count, expected.count)
                XCTAssertTrue(zip(got.mass, expected.mass).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(ext) \(policy) mass")
                XCTAssertTrue(zip(got.x, expected.x).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(ext) \(policy) x")
                XCTAssertEqual(got.z, expected.z)
            }
            // `info`'s streamed summary (chunks of 1000): what the loaded file says.
            var small = s
            small.chunkIons = 1000
            let summary = try StreamedCounts.summary(small)
            let loaded = try ReconstructionIO.read(path, nonFinite: .keep).recon
            XCTAssertEqual(summary.ions, loaded.count)
            XCTAssertEqual(summary.nonFinite, 2)
            XCTAssertEqual(summary.nonFinite, loaded.nonFiniteCount)
            XCTAssertEqual(summary.bounds?.min, loaded.bounds?.min); XCTAssertEqual(summary.bounds?.max, loaded.bounds?.max)
            XCTAssertEqual(summary.massRange?.min, loaded.massRange?.min); XCTAssertEqual(summary.massRange?.max, loaded.massRange?.max)
            // Mass only (positions still checked): the same masses kept, the same rows dropped.
            for policy in [NonFinitePolicy.drop, .keep] {
                let expected = try ReconstructionIO.read(path, nonFinite: policy)
                let (masses, dropped) = try s.reduce(.mass, nonFinite: policy, chunkIons: 999, initial: { [(Int, [Float])]() }, { acc, c in
                    XCTAssertTrue(c.x.isEmpty)
                    acc.append((c.first, Array(c.mass)))
                }, combine: { $0 += $1 })
                XCTAssertEqual(dropped, expected.dropped)
                let m = masses.sorted { $0.0 < $1.0 }.flatMap(\.1)
                XCTAssertTrue(zip(m, expected.recon.mass).allSatisfy { $0.bitPattern == $1.bitPattern } && m.count == expected.recon.count, "\(ext) \(policy)")
            }
            var readError = "", streamError = "", massError = ""
            do { _ = try ReconstructionIO.read(path) } catch { readError = "\(error)" }
            do { _ = try collect(s, .reject, chunk: 1000) } catch { streamError = "\(error)" }
            do { _ = try s.reduce(.mass, chunkIons: 4096, initial: { 0 }, { $0 += $1.count }, combine: { $0 += $1 }) } catch { massError = "\(error)" }
            XCTAssertFalse(readError.isEmpty)
            XCTAssertEqual(streamError, readError)
            XCTAssertEqual(massError, readError)
        }
    }

    /// Known answer (SOURCES.md): the derived APT and EPOS of the real Si run stream to the same
    /// ions as they read.
    func testStreamReadsRealAPTAndEPOS() throws {
        for name in ["Si.first100000.DERIVED.apt", "Si.first100000.DERIVED.epos"] {
            let path = try Shared.path(Shared.apav + name)
            let expected = try ReconstructionIO.load(path)
            let (got, _) = try collect(try IonStream(path: path), .reject, chunk: 7_777)
            XCTAssertEqual(got.mass, expected.mass, name)
            XCTAssertEqual(got.x, expected.x, name)
            XCTAssertEqual(got.y, expected.y, name)
            XCTAssertEqual(got.z, expected.z, name)
        }
    }

    /// The streamed composition equals the in-memory one on the sample: whole file, a region,
    /// ionic mode, and with background and deconvolution (their spectrum binned in the same pass).
    func testStreamedCompositionEqualsInMemory() throws {
        let pos = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.pos").path
        let table = try RangeFileIO.read(Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.rrng").path)
        let recon = try ReconstructionIO.load(pos)
        let stream = try IonStream(path: pos)
        let sphere = try Region.sphere(center: SIMD3(0, 0, -15), radius: 8).validated()
        let fixes = try QuantificationCorrections.prepare(mass: recon.mass, table: table, background: .constant, deconvolve: true)
        let cases: [(Composition, Composition)] = [
            (try CompositionAnalysis.composition(recon, table: table),
             try StreamedCounts.composition(stream, table: table, chunkIons: 65_536).composition),
            (try CompositionAnalysis.composition(recon, table: table, region: sphere, mode: .ionic),
             try StreamedCounts.composition(stream, table: table, region: sphere, mode: .ionic, chunkIons: 100_000).composition),
            (try CompositionAnalysis.composition(recon, table: table, region: sphere, corrections: fixes),
             try StreamedCounts.composition(stream, table: table, region: sphere, background: .constant, deconvolve: true).composition),
        ]
        for (memory, streamed) in cases {
            XCTAssertEqual(streamed.total, memory.total)
            XCTAssertEqual(streamed.rangedIons, memory.rangedIons)
            XCTAssertEqual(streamed.unrangedIons, memory.unrangedIons)
            XCTAssertEqual(streamed.corrections, memory.corrections)
            for (a, b) in zip(streamed.entries, memory.entries) {
                XCTAssertEqual(a.name, b.name); XCTAssertEqual(a.count, b.count)
                assertClose(a.fraction, b.fraction, within: .roundoff(1e-15, "same counts"), a.name)
                assertClose(a.sigma, b.sigma, within: .roundoff(1e-15, "same counts"), a.name)
            }
        }
    }

    /// A profile streamed from the file in 20 chunks equals the profile of the loaded file (one
    /// chunk), for bins of a width and of a number of atoms (ions sorted along the axis, file
    /// order among equal distances); and its atoms equal a plain count of the cylinder's ions.
    func testStreamedProfileEqualsInMemory() throws {
        let pos = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.pos").path
        let table = try RangeFileIO.read(Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.rrng").path)
        let recon = try ReconstructionIO.load(pos)
        var stream = try IonStream(path: pos)
        stream.chunkIons = 50_000
        let region = ProfileRegion(from: SIMD3(0, 0, -38), to: SIMD3(0, 0, -2), crossSection: .cylinder(radius: 6))
        for binning in [ConcentrationProfile.Binning.width(0.5), .atoms(2000)] {
            let a = try ConcentrationProfile(recon, ranged: RangedIons(recon, table: table), region: region, binning: binning)
            let b = try ConcentrationProfile(source: stream, table: table, region: region, binning: binning)
            XCTAssertEqual(a.bins.count, b.bins.count)
            XCTAssertEqual(a.bins.map(\.counts), b.bins.map(\.counts))
            XCTAssertEqual(a.bins.map(\.unranged), b.bins.map(\.unranged))
            XCTAssertEqual(a.bins.map(\.distance.bitPattern), b.bins.map(\.distance.bitPattern))
        }
        // Independent: the cylinder's ranged atoms per element by a plain loop.
        let ranged = RangedIons(recon, table: table)
        var atoms = [Int](repeating: 0, count: table.symbols.count)
        for i in 0..<recon.count where ranged.ionType[i] >= 0 {
            let (x, y, z) = (Double(recon.x[i]), Double(recon.y[i]), Double(recon.z[i]))
            guard x * x + y * y <= 36, z >= -38, z <= -2 else { continue }
            for (e, sym) in table.symbols.enumerated() { atoms[e] += table.ions[Int(ranged.ionType[i])].count(of: sym) }
        }
        let streamed = try ConcentrationProfile(source: stream, table: table, region: region, binning: .width(0.5))
        XCTAssertEqual(streamed.bins.reduce([Int](repeating: 0, count: atoms.count)) { zip($0, $1.counts).map { $0 + $1 } }, atoms)
    }

    /// The whole iso-surface chain streamed from the file equals the chain on the loaded
    /// reconstruction: objects, table rows and proxigram bins, with an object dropped by the
    /// size filter (the second pass) and with corrections (counts per range).
    func testStreamedAnalysisEqualsInMemory() throws {
        let pos = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.pos").path
        let table = try RangeFileIO.read(Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.rrng").path)
        let recon = try ReconstructionIO.load(pos)
        var dropOne = IsoSurfaceAnalysis.Options(); dropOne.minObjectAtoms = 35_000
        var corrected = IsoSurfaceAnalysis.Options()
        corrected.corrections = try QuantificationCorrections.prepare(mass: recon.mass, table: table, background: .constant, deconvolve: true)
        for options in [IsoSurfaceAnalysis.Options(), dropOne, corrected] {
            let memory = try IsoSurfaceAnalysis.run(recon, ranged: RangedIons(recon, table: table), species: "Li", threshold: 42, options: options)
            let streamed = try IsoSurfaceAnalysis.run(source: try IonStream(path: pos), table: table, species: "Li", threshold: 42, options: options)
            XCTAssertEqual(streamed.objects.map(\.atoms), memory.objects.map(\.atoms))
            XCTAssertEqual(streamed.objects.map(\.volume), memory.objects.map(\.volume))
            XCTAssertEqual(streamed.surface.droppedIons, memory.surface.droppedIons)
            let (ts, tm) = (try CompositionTable(streamed), try CompositionTable(memory))
            for (a, b) in zip(ts.rows, tm.rows) {
                XCTAssertEqual(a.composition.entries.map(\.count), b.composition.entries.map(\.count), a.name)
                XCTAssertEqual(a.composition.entries.map(\.sigma), b.composition.entries.map(\.sigma), a.name)
            }
            let (ps, pm) = (try ProxigramSet(streamed).all, try ProxigramSet(memory).all)
            XCTAssertEqual(ps.counts, pm.counts)
            XCTAssertEqual(ps.unranged, pm.unranged)
        }
    }

    /// Distance query lists built in z-slabs (one pass over the ions per slab, what the largest
    /// surfaces use to stay within memory) give exactly what one set of lists gives: objects,
    /// dropped ions, table counts, proxigram bins and every ion's distance, with an object dropped
    /// (the second pass runs per slab too).
    func testDistanceSlabsEqualOnePass() throws {
        let pos = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.pos").path
        let table = try RangeFileIO.read(Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.rrng").path)
        let source = try IonStream(path: pos)
        var one = IsoSurfaceAnalysis.Options(); one.minObjectAtoms = 35_000
        var three = one; three.distanceSlabs = 3
        let a = try IsoSurfaceAnalysis.run(source: source, table: table, species: "Li", threshold: 42, options: one)
        let b = try IsoSurfaceAnalysis.run(source: source, table: table, species: "Li", threshold: 42, options: three)
        XCTAssertEqual(a.resolver.slabs.count, 1)
        XCTAssertEqual(b.resolver.slabs.count, 3)
        XCTAssertEqual(a.objects.map(\.atoms), b.objects.map(\.atoms))
        XCTAssertEqual(a.surface.droppedIons, b.surface.droppedIons)
        XCTAssertGreaterThan(a.surface.droppedIons, 0)
        for (x, y) in zip(try CompositionTable(a).rows, try CompositionTable(b).rows) {
            XCTAssertEqual(x.composition.entries.map(\.count), y.composition.entries.map(\.count), x.name)
        }
        XCTAssertEqual(try ProxigramSet(a).all.counts, try ProxigramSet(b).all.counts)
        let (da, db) = (try a.distances(source), try b.distances(source))
        XCTAssertEqual(da.objectOfIon, db.objectOfIon)
        XCTAssertEqual(da.distance.map(\.bitPattern), db.distance.map(\.bitPattern))
    }

    /// Slab passes skip the chunks that reach no ion of their slab (known from the first pass)
    /// and still equal one pass exactly: 20 chunks of 50,000 ions, 4 slabs.
    func testSlabPassesSkipChunksOutsideTheirSlab() throws {
        let pos = Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.pos").path
        let table = try RangeFileIO.read(Shared.repoRoot.appendingPathComponent("SampleData/llzo-sample.rrng").path)
        var stream = try IonStream(path: pos)
        stream.chunkIons = 50_000
        let counted = CountingSource(base: stream)
        var one = IsoSurfaceAnalysis.Options(); one.minObjectAtoms = 35_000
        var four = one; four.distanceSlabs = 4
        let a = try IsoSurfaceAnalysis.run(source: stream, table: table, species: "Li", threshold: 42, options: one)
        let b = try IsoSurfaceAnalysis.run(source: counted, table: table, species: "Li", threshold: 42, options: four)
        XCTAssertEqual(b.resolver.slabs.count, 4)
        XCTAssertEqual(a.objects.map(\.atoms), b.objects.map(\.atoms))
        XCTAssertEqual(try ProxigramSet(a).all.counts, try ProxigramSet(b).all.counts)
        XCTAssertEqual(try CompositionTable(a).rows.map { $0.composition.entries.map(\.count) },
                       try CompositionTable(b).rows.map { $0.composition.entries.map(\.count) })
        // Passes: bounds and deposition read all 20 chunks; each of the two distance passes reads
        // them all for slab 0 and only those reaching slabs 1-3 (the sample's ions come in z order).
        let skippedPasses = counted.visits.value - 4 * 20
        XCTAssertLessThan(skippedPasses, 2 * 3 * 20 / 2, "slabs 1-3 should read well under half the chunks")
        XCTAssertGreaterThan(skippedPasses, 0)
        counted.visits.value = 0
        let (da, db) = (try a.distances(stream), try b.distances(counted))
        XCTAssertEqual(da.objectOfIon, db.objectOfIon)
        XCTAssertEqual(da.distance.map(\.bitPattern), db.distance.map(\.bitPattern))
        XCTAssertLessThan(counted.visits.value, 20 + 3 * 20 / 2)
    }
}

/// An ion source counting the chunks its passes read.
private final class CountingSource: IonSource, @unchecked Sendable {
    let base: IonStream
    let visits = Locked(0)
    init(base: IonStream) { self.base = base }
    var count: Int { base.count }
    func reduceChunks<T>(_ columns: IonColumns, including: ((Range<Int>) -> Bool)?, initial: () -> T,
                         _ body: (inout T, IonChunk) throws -> Void, combine: (inout T, T) -> Void) throws -> T {
        try base.reduceChunks(columns, including: including, initial: initial, { acc, c in
            visits.withLock { $0 += 1 }
            try body(&acc, c)
        }, combine: combine)
    }
}

/// A value behind a lock.
private final class Locked<V>: @unchecked Sendable {
    private var stored: V
    private let lock = NSLock()
    init(_ v: V) { stored = v }
    var value: V { get { lock.withLock { stored } } set { lock.withLock { stored = newValue } } }
    func withLock<R>(_ body: (inout V) -> R) -> R { lock.withLock { body(&stored) } }
}

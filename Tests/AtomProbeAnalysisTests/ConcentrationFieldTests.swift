import XCTest
import APKTestSupport
import AtomProbe
import AtomProbeIO
@testable import AtomProbeAnalysis
import KitFoundation

final class ConcentrationFieldTests: XCTestCase {
    /// Closed form: blurring a single voxel with sigma s along x gives a kernel of variance s^2
    /// (to the 3-sigma cut) that sums to 1; other axes untouched.
    func testGaussianBlurMoments() {
        let grid = VoxelGrid(origin: .zero, spacing: 0.5, size: SIMD3(41, 5, 5))
        var v = [Float](repeating: 0, count: grid.count)
        v[grid.index(20, 2, 2)] = 1
        let b = ConcentrationField.gaussianBlur(v, grid: grid, sigma: SIMD3(2, 0, 0))
        let line = (0..<41).map { Double(b[grid.index($0, 2, 2)]) }
        assertClose(line.reduce(0, +), 1, within: .roundoff(1e-6, "the cut kernel is renormalized (float32)"))
        let variance = line.enumerated().reduce(0) { $0 + $1.element * pow(Double($1.offset - 20) * 0.5, 2) }
        assertClose(variance, 4 * 0.973, within: .closedForm(0.05, "a Gaussian cut at 3 sigma keeps 97.3 % of its variance"))  // a Gaussian cut at 3 sigma keeps 97.3 % of its variance
        XCTAssertEqual(Double(b[grid.index(20, 1, 2)]), 0)
    }

    /// Atoms are conserved: decomposed atoms in, delocalized atoms out; uniform composition gives
    /// the same concentration in every unmasked voxel.
    func testAtomsConservedAndUniformConcentration() throws {
        let table = try RangeFileIO.parse("[Ions]\nNumber=2\nIon1=Zr\nIon2=O\n[Ranges]\nNumber=2\nRange1=15.5 16.5 O:1\nRange2=52.5 53.5 Zr:1 O:2\n", format: .rrng)
        var rng = SeededRandom(seed: 1)
        let n = 60_000
        var x = [Float](), y = [Float](), z = [Float](), m = [Float]()
        for i in 0..<n {
            x.append(Float(rng.uniform() * 20)); y.append(Float(rng.uniform() * 20)); z.append(Float(rng.uniform() * 20))
            m.append(i % 3 == 0 ? 53 : 16)  // 1 ZrO2 per 2 O: Zr 1, O 4 -> Zr 20 at.%
        }
        let r = Reconstruction(x: x, y: y, z: z, mass: m)
        var o = ConcentrationField.Options(); o.delocalization = SIMD3(2, 2, 2)
        let f = try ConcentrationField(r, ranged: RangedIons(r, table: table), species: ["Zr", "O"], options: o)
        assertClose(Double(f.total.reduce(0, +)), Double(n / 3 * 3 + (n - n / 3)), within: .roundoff(1, "atoms are conserved (float32 sums)"))
        let zr = try f.concentration(of: "Zr")
        // Deep inside, where the counting noise is averaged by the kernel: close to 20 at.%.
        let centre = zr[f.grid.index(f.grid.size.x / 2, f.grid.size.y / 2, f.grid.size.z / 2)]
        assertClose(Double(centre), 20, within: .closedForm(1.5, "a 20 at.% region far from its edges"))
        // Outside the cube the voxels are masked (NaN), not 0 at.%.
        XCTAssertTrue(zr[0].isNaN)
        XCTAssertThrowsError(try f.concentration(of: "Li"))
    }

    func testMeshFilesRoundTrip() throws {
        let grid = VoxelGrid(origin: .zero, spacing: 1, size: SIMD3(12, 12, 12))
        let v = (0..<grid.count).map { k -> Float in Float(50 + 4 - Vec3.length(grid.center(k % 12, (k / 12) % 12, k / 144) - SIMD3(6, 6, 6))) }
        let mesh = IsoSurface.extract(values: v, mask: Array(repeating: true, count: grid.count), grid: grid, threshold: 50).mesh
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("apk-mesh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try MeshIO.writePLY(mesh, to: dir + "/m.ply")
        let back = try MeshIO.readPLY(dir + "/m.ply")
        XCTAssertEqual(back.triangles, mesh.triangles); XCTAssertEqual(back.objectID, mesh.objectID)
        XCTAssertEqual(back.vertices.count, mesh.vertices.count)
        assertClose(back.volume(), mesh.volume(), within: .roundoff(1e-3, "PLY round trip in float32 vertices"))
        try MeshIO.writeVTK(mesh, to: dir + "/m.vtk")
        let vtk = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.vtk"))
        XCTAssertTrue(String(decoding: vtk.prefix(200), as: UTF8.self).contains("DATASET POLYDATA"))
        XCTAssertNotNil(vtk.range(of: Data("SCALARS object_id int 1".utf8)))
    }

    /// Closed form: the delocalized field of atoms spread uniformly over a 1 nm cube has, along x,
    /// the variance 1/12 (the atoms) + h^2/6 (the trilinear tent, averaged over sub-voxel
    /// positions) + sigma_g^2 (the Gaussian, 97.3 % of it after the 3-sigma cut). With a given total
    /// sigma the tent is taken out of the Gaussian: variance 1/12 + sigma^2 (less the cut).
    func testDelocalizationSigmaIncludesTheTrilinearPass() throws {
        let table = try RangeFileIO.parse("[Ions]\nNumber=1\nIon1=Li\n[Ranges]\nNumber=1\nRange1=6.5 7.5 Li:1\n", format: .rrng)
        var rng = SeededRandom(seed: 5)
        let n = 40_000
        let x = (0..<n).map { _ in Float(rng.uniform()) }, y = (0..<n).map { _ in Float(rng.uniform()) }, z = (0..<n).map { _ in Float(rng.uniform()) }
        let r = Reconstruction(x: x, y: y, z: z, mass: [Float](repeating: 7, count: n))
        let h = 0.5
        func varianceX(_ o: ConcentrationField.Options) throws -> (Double, ConcentrationField) {
            let f = try ConcentrationField(r, ranged: RangedIons(r, table: table), species: ["Li"], options: o)
            var s0 = 0.0, s1 = 0.0, s2 = 0.0
            for k in 0..<f.grid.size.z { for j in 0..<f.grid.size.y { for i in 0..<f.grid.size.x {
                let w = Double(f.atoms[0][f.grid.index(i, j, k)]), c = f.grid.center(i, j, k).x
                s0 += w; s1 += w * c; s2 += w * c * c
            } } }
            return (s2 / s0 - (s1 / s0) * (s1 / s0), f)
        }
        var widths = ConcentrationField.Options(); widths.voxelSize = h; widths.delocalization = SIMD3(3, 3, 3)
        let (v1, f1) = try varianceX(widths)
        assertClose(v1, 1.0 / 12 + h * h / 6 + 0.973 * 1.5 * 1.5, within: .discretization(0.04, "positions + tent + cut Gaussian; the sampled kernel adds ~0.025"))
        assertClose(f1.effectiveSigma.x, (1.5 * 1.5 + h * h / 6).squareRoot(), within: .closedForm(1e-12, "sqrt(sigma^2 + h^2/6)"))
        var sigmas = ConcentrationField.Options(); sigmas.voxelSize = h; sigmas.sigma = SIMD3(1.5, 1.5, 1.5)
        let (v2, f2) = try varianceX(sigmas)
        let g = 1.5 * 1.5 - h * h / 6
        assertClose(v2, 1.0 / 12 + h * h / 6 + 0.973 * g, within: .discretization(0.04, "positions + tent + cut Gaussian of sigma^2 - h^2/6"))
        // The sampling bias cancels in the difference: exactly the tent's variance is taken out.
        assertClose(v1 - v2, 0.973 * h * h / 6, within: .discretization(0.004, "h^2/6 (cut Gaussian) removed"))
        assertClose(f2.effectiveSigma.x, 1.5, within: .closedForm(1e-12, "the given total sigma"))
        // Too small a sigma for the voxel is refused.
        var tiny = sigmas; tiny.sigma = SIMD3(0.1, 0.1, 0.1)
        XCTAssertThrowsError(try ConcentrationField(r, ranged: RangedIons(r, table: table), species: ["Li"], options: tiny))
    }

    /// A thousand random ions in a tip-sized box: a kernel holds far fewer than 100 atoms, and the
    /// field says so.
    func testSparseDataWarning() throws {
        let table = try RangeFileIO.parse("[Ions]\nNumber=2\nIon1=Li\nIon2=O\n[Ranges]\nNumber=2\nRange1=6.5 7.5 Li:1\nRange2=15.5 16.5 O:1\n", format: .rrng)
        var rng = SeededRandom(seed: 9)
        let n = 1000
        let r = Reconstruction(x: (0..<n).map { _ in Float(rng.uniform() * 30) }, y: (0..<n).map { _ in Float(rng.uniform() * 30) },
                               z: (0..<n).map { _ in Float(rng.uniform() * 60) }, mass: (0..<n).map { _ in rng.uniform() < 0.5 ? 7 : 16 })
        let f = try ConcentrationField(r, ranged: RangedIons(r, table: table), species: ["Li", "O"])
        XCTAssertLessThan(f.atomsPerKernel, ConcentrationField.minimumAtomsPerKernel)
        XCTAssertTrue(f.warnings.first?.contains("sparse data") == true, "\(f.warnings)")
    }

    /// The two deposition routes give the same field to the bit (fixed-point integer sums are
    /// exact and order-free): per-core private grids (the default for small grids) and one shared
    /// grid with atomic adds (when the private copies would exceed a tenth of the memory budget;
    /// forced here with a small budget). The total channel of all elements equals the sum of the
    /// per-element channels to float rounding.
    func testSharedAndPrivateDepositionAgree() throws {
        let table = try RangeFileIO.parse("[Ions]\nNumber=2\nIon1=Li\nIon2=O\n[Ranges]\nNumber=2\nRange1=6.5 7.5 Li:1\nRange2=15.5 16.5 O:1\n", format: .rrng)
        var rng = SeededRandom(seed: 4)
        let n = 200_000
        let r = Reconstruction(x: (0..<n).map { _ in Float(rng.uniform() * 20) }, y: (0..<n).map { _ in Float(rng.uniform() * 20) },
                               z: (0..<n).map { _ in Float(rng.uniform() * 30) }, mass: (0..<n).map { _ in rng.uniform() < 0.3 ? 7 : 16 })
        let fast = try ConcentrationField(source: r, table: table, species: ["Li"], totalOver: ["Li", "O"])
        var small = ConcentrationField.Options()
        small.memory = MemoryBudget(bytes: 5e6)   // 51k voxels: private copies (2 channels x 8 B each, per core) exceed 0.5 MB even on one core
        let shared = try ConcentrationField(source: r, table: table, species: ["Li"], totalOver: ["Li", "O"], options: small)
        XCTAssertEqual(fast.atoms, shared.atoms)
        XCTAssertEqual(fast.total, shared.total)
        XCTAssertEqual(fast.occupied, shared.occupied)
        let perElement = try ConcentrationField(source: r, table: table, species: ["Li", "O"])
        for k in perElement.total.indices { XCTAssertEqual(perElement.total[k], fast.total[k], accuracy: 1e-4 * max(1, perElement.total[k])) }
    }

    /// `roundedToInt` (the deposition's and the nearest voxel's rounding, no C library call) is
    /// `Int(x.rounded())` (ground truth: Swift's own rounding) at halves, just below halves,
    /// negative values, beyond 2^52 and at random.
    func testRoundedToIntEqualsSwiftRounding() {
        var values: [Double] = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.49999999999999994,
                                4503599627370495.5, 4503599627370497, -4503599627370495.5, 9e15, -9e15, 1e18]
        var rng = SeededRandom(seed: 4)
        for _ in 0..<100_000 { values.append((rng.uniform() - 0.5) * 1000) }
        for k in -50...50 { values += [Double(k) + 0.5, (Double(k) + 0.5).nextDown, (Double(k) + 0.5).nextUp] }
        for x in values { XCTAssertEqual(roundedToInt(x), Int(x.rounded()), "\(x)") }
    }
}

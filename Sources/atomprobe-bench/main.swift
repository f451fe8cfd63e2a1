// Benchmark driver (release build): times library operations on big files.
// Usage:
//   atomprobe-bench make-pos N FILE      write a POS of N synthetic ions (random, fast)
//   atomprobe-bench decode FILE [RUNS]   decode a POS/EPOS/APT RUNS times; prints each time and the median
//   atomprobe-bench range FILE RANGES    range + atomic composition; prints the time
//   atomprobe-bench make-fecu N BASE [CU]  write BASE.pos/.rrng: a random Fe-Cu solution of N ions (CU fraction, default 0.01)
//   atomprobe-bench fem-elastic N        elastic-only edge dislocation on N x N elements (one linear solve)
//   atomprobe-bench fem-steady N         the dislocation scenario on N x N elements: steady state solved directly
//   atomprobe-bench fem-transient N      ... time-stepped to steady state
import Foundation
import AtomProbe
import AtomProbeIO
import AtomProbeAnalysis
import SegregationFEM
import AtomProbeSynthesis
import KitFoundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }

let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write(Data("usage: atomprobe-bench make-pos N FILE | decode FILE [RUNS] | range FILE RANGES\n".utf8))
    exit(2)
}
do {
    switch args[1] {
    case "make-pos":
        guard args.count == 4, let n = Int(args[2]) else { throw AtomProbeError.invalid("make-pos N FILE") }
        var rng = SeededRandom(seed: 42)
        var x = [Float](repeating: 0, count: n), y = x, z = x, m = x
        for i in 0..<n {
            x[i] = Float(rng.uniform() * 60 - 30); y[i] = Float(rng.uniform() * 60 - 30)
            z[i] = Float(-Double(i) / Double(n) * 500); m[i] = Float(rng.uniform() * 150)
        }
        try ReconstructionIO.write(Reconstruction(x: x, y: y, z: z, mass: m), to: args[3])
        print("wrote \(n) ions to \(args[3])")
    case "make-fecu":
        guard args.count >= 4, let n = Int(args[2]) else { throw AtomProbeError.invalid("make-fecu N BASE [CU]") }
        var p = SyntheticSolidSolution.Parameters()
        p.ions = n; p.soluteFraction = args.count > 4 ? Double(args[4]) ?? 0.01 : 0.01
        let ds = try SyntheticSolidSolution(p).generate()
        try ReconstructionIO.write(ds.reconstruction, to: args[3] + ".pos")
        try RangeFileIO.write(ds.ranges, to: args[3] + ".rrng")
        print("wrote \(n) Fe-Cu ions to \(args[3]).pos and .rrng")
    case "decode":
        let runs = args.count > 3 ? Int(args[3]) ?? 5 : 5
        var times: [Double] = []
        var count = 0
        for _ in 0..<runs {
            times.append(try seconds { count = try ReconstructionIO.load(args[2], nonFinite: .keep).count })
        }
        print("decode \(args[2]): \(count) ions; runs " + times.map { String(format: "%.3f", $0) }.joined(separator: " ")
              + String(format: " s; median %.3f s", median(times)))
    case "range":
        guard args.count == 4 else { throw AtomProbeError.invalid("range FILE RANGES") }
        let r = try ReconstructionIO.load(args[2])
        let t = try RangeFileIO.read(args[3])
        var c: Composition?
        let dt = try seconds { c = try CompositionAnalysis.composition(r, table: t) }
        print(String(format: "range + composition of %d ions: %.3f s (%d atoms)", r.count, dt, c?.total ?? 0))
    case "fem-elastic", "fem-steady", "fem-transient":
        guard let n = Int(args[2]) else { throw AtomProbeError.invalid("\(args[1]) N") }
        var settings = ScenarioSettings()
        settings.elements = n
        settings.elasticOnly = args[1] == "fem-elastic"
        var model: SegregationModel?
        let setup = try seconds { model = try SegregationModel.scenario(.dislocation, parameters: Parameters(), settings: settings) }
        let solver = try TransientSolver(model: model!)
        let x0 = solver.initialState { model!.referenceConcentration(node: $0) }
        var report = SolveReport()
        let total = try seconds {
            report = args[1] == "fem-steady" ? try EquilibriumSolver(model: model!).solve(x0).1 : try solver.run(x0).1
        }
        print(String(format: "%@ %dx%d elements, %d unknowns: setup (mesh, pattern, eigenstrains) %.2f s, run %.2f s; %d steps, %d Newton iterations, %d factorizations; assembly %.2f s, symbolic %.2f s, numeric factorization %.2f s (%.2f s each), solves %.2f s (%.3f s each); steady %@",
                     args[1], n, n, model!.dofCount, setup, total, report.steps, report.newtonIterations, report.factorizations,
                     report.assemblySeconds, report.symbolicSeconds, report.factorSeconds, report.factorSeconds / Double(max(report.factorizations, 1)),
                     report.solveSeconds, report.solveSeconds / Double(max(report.newtonIterations, 1)), report.steady ? "yes" : "no"))
    default:
        throw AtomProbeError.invalid("unknown benchmark \(args[1])")
    }
} catch {
    FileHandle.standardError.write(Data("atomprobe-bench: \(error)\n".utf8))
    exit(1)
}

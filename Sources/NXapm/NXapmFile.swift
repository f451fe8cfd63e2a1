import Foundation
import AtomProbe
import KitFoundation
import HDF5Kit

/// NeXus NXapm (FAIRmat's application definition, what paraprobe-toolbox, pynxtools-apm and NOMAD
/// read): one entry with the reconstructed positions, the mass-to-charge values, the ranging (ion
/// types with nuclide hashes, charge states, mass-to-charge ranges and names) and the ion type of
/// every ion, written and read back (issue 13). Layout (`docs/nxapm.md`):
///
///     /entry1                                  NXentry: definition, start_time, operation_mode
///       profiling/program1                     NXcs_profiling / NXprogram: program (+ @version)
///       specimen                               NXsample: atom_types, is_simulation
///       reconstruction_reference_frame         NXcoordinate_system: type, x, y, z
///       atom_probe                             NXroi_process
///         mass_to_charge_conversion/mass_to_charge        (n) float32, Da
///         reconstruction/reconstructed_positions          (n, 3) float32, nm
///         reconstruction/naive_discretization/data        NXdata: ions per 1 nm voxel
///         ranging/peak_identification                     number_of_ion_types, ion0..ionK, iontypes (n) uint8
public enum NXapmFile {
    public static let maxAtomsPerIon = 32

    /// The NXapm nuclide hash of an element (all its isotopes): Z + 255 * 256.
    public static func hash(element z: Int) -> UInt16 { UInt16(z + 255 * 256) }

    /// Writes `recon` ranged with `table` to `path` (atomically: a temporary file moved into place).
    public static func write(_ recon: Reconstruction, table: RangeTable, to path: String, isSimulation: Bool) throws {
        guard table.ions.count <= 255 else { throw AtomProbeError.invalid("NXapm holds at most 255 ion types; the range file has \(table.ions.count)") }
        try table.requireElements(for: "NXapm stores ions by their elements' nuclide hashes")
        for ion in table.ions where ion.atomCount > maxAtomsPerIon {
            throw AtomProbeError.invalid("ion \(ion.name) has \(ion.atomCount) atoms; NXapm stores at most \(maxAtomsPerIon)")
        }
        let ranged = RangedIons(recon, table: table)
        let tmp = try AtomicFile.temporaryPath(beside: path)
        do {
            let f = try HDF5File.create(tmp)
            try f.setAttribute("default", "entry1")
            let e = try group(f, "entry1", "NXentry")
            try e.writeString("definition", "NXapm")
            try e.writeString("start_time", ISO8601DateFormatter().string(from: Date()))
            try e.writeString("operation_mode", "apt")
            try program(try group(try group(e, "profiling", "NXcs_profiling"), "program1", "NXprogram"))
            let specimen = try group(e, "specimen", "NXsample")
            try specimen.writeString("atom_types", table.symbols.joined(separator: ", "))
            try specimen.writeBool("is_simulation", isSimulation)
            let frame = try group(e, "reconstruction_reference_frame", "NXcoordinate_system")
            try frame.writeString("type", "cartesian")
            for (axis, v) in [("x", [1.0, 0, 0]), ("y", [0, 1.0, 0]), ("z", [0, 0, 1.0])] {
                try frame.write(axis, v); try frame.dataset(axis).setAttribute("units", "nm")
            }
            let ap = try group(e, "atom_probe", "NXroi_process")
            let mc = try group(ap, "mass_to_charge_conversion", "NXprocess")
            try program(try group(mc, "program1", "NXprogram"))
            try mc.write("mass_to_charge", recon.mass); try mc.dataset("mass_to_charge").setAttribute("units", "Da")
            let rc = try group(ap, "reconstruction", "NXapm_reconstruction")
            try program(try group(rc, "program1", "NXprogram"))
            var xyz = [Float](repeating: 0, count: 3 * recon.count)
            for i in 0..<recon.count { xyz[3 * i] = recon.x[i]; xyz[3 * i + 1] = recon.y[i]; xyz[3 * i + 2] = recon.z[i] }
            try rc.write("reconstructed_positions", xyz, shape: [recon.count, 3])
            try rc.dataset("reconstructed_positions").setAttribute("units", "nm")
            try discretization(recon, try group(rc, "naive_discretization", "NXprocess"))
            let rg = try group(ap, "ranging", "NXapm_ranging")
            try program(try group(rg, "program1", "NXprogram"))
            let pi = try group(rg, "peak_identification", "NXprocess")
            try program(try group(pi, "program1", "NXprogram"))
            try pi.write("number_of_ion_types", [UInt32(table.ions.count + 1)])
            try pi.write("maximum_number_of_atoms_per_molecular_ion", [UInt32(maxAtomsPerIon)])
            try ionGroup(pi, 0, name: "unknown", atoms: [], ranges: [[0, 0.001]])
            for (k, ion) in table.ions.enumerated() {
                let ranges = table.ranges.filter { $0.ionIndex == k }.map { [$0.low, $0.high] }
                try ionGroup(pi, k + 1, name: ion.name, atoms: ion.atoms, ranges: ranges.isEmpty ? [[0, 0.001]] : ranges)
            }
            try pi.write("iontypes", ranged.ionType.map { UInt8($0 + 1) })
            try f.flush()
        } catch {
            unlink(tmp)
            throw AtomProbeError(.io, "cannot write NXapm: \(error)", file: path)
        }
        try AtomicFile.moveIntoPlace(tmp, path)
    }

    static func group(_ parent: HDF5Location, _ name: String, _ cls: String) throws -> HDF5Group {
        let g = try parent.createGroup(name)
        try g.setAttribute("NX_class", cls)
        return g
    }

    static func program(_ g: HDF5Group) throws {
        try g.writeString("program", "AtomProbeKit")
        try g.dataset("program").setAttribute("version", Toolkit.version)
    }

    static func ionGroup(_ pi: HDF5Group, _ k: Int, name: String, atoms: [AtomCount], ranges: [[Double]]) throws {
        let g = try group(pi, "ion\(k)", "NXatom")
        var hashes: [(UInt16, UInt16)] = []  // (hash, Z)
        for a in atoms {
            let z = PeriodicTable.element(a.symbol)!.atomicNumber
            for _ in 0..<a.count { hashes.append((hash(element: z), UInt16(z))) }
        }
        hashes.sort { $0.0 > $1.0 }
        var h = [UInt16](repeating: 0, count: maxAtomsPerIon), list = [UInt16](repeating: 0, count: 2 * maxAtomsPerIon)
        for (i, (v, z)) in hashes.enumerated() { h[i] = v; list[2 * i + 1] = z }
        try g.write("nuclide_hash", h)
        try g.write("nuclide_list", list, shape: [maxAtomsPerIon, 2])
        try g.write("charge_state", [Int8(0)])
        try g.write("mass_to_charge_range", ranges.flatMap { $0.map(Float.init) }, shape: [ranges.count, 2])
        try g.dataset("mass_to_charge_range").setAttribute("units", "Da")
        try g.writeString("name", name)
    }

    /// Ions per 1 nm voxel of the reconstruction (the definition's required default plot).
    static func discretization(_ r: Reconstruction, _ nd: HDF5Group) throws {
        try program(try group(nd, "program1", "NXprogram"))
        let d = try group(nd, "data", "NXdata")
        try d.setAttribute("signal", "intensity")
        try d.setAttribute("axes", strings: ["axis_z", "axis_y", "axis_x"])
        try d.setAttribute("axis_z_indices", scalar: UInt32(0)); try d.setAttribute("axis_y_indices", scalar: UInt32(1)); try d.setAttribute("axis_x_indices", scalar: UInt32(2))
        try d.writeString("title", "Ions per 1 nm voxel")
        let b = r.bounds ?? (SIMD3<Float>(repeating: 0), SIMD3<Float>(repeating: 0))
        let lo = SIMD3<Double>(b.min).rounded(.down), hi = SIMD3<Double>(b.max).rounded(.up) + 1
        let n = SIMD3<Int>((0..<3).map { Int(max(1, min(4096, hi[$0] - lo[$0]))) })  // clamped before converting
        guard Double(n.x) * Double(n.y) * Double(n.z) <= 2e8 else { throw AtomProbeError.invalid("the data span too large a box for a 1 nm histogram") }
        var counts = [UInt32](repeating: 0, count: n.x * n.y * n.z)
        for i in 0..<r.count {
            let p = SIMD3(Double(r.x[i]), Double(r.y[i]), Double(r.z[i]))
            guard p.x.isFinite, p.y.isFinite, p.z.isFinite else { continue }
            let c = SIMD3<Int>((0..<3).map { Int(min(Double(n[$0] - 1), max(0, p[$0] - lo[$0]))) })
            counts[c.x + n.x * (c.y + n.y * c.z)] += 1
        }
        try d.write("intensity", counts, shape: [n.z, n.y, n.x])
        for (k, axis) in ["axis_x", "axis_y", "axis_z"].enumerated() {
            try d.write(axis, (0..<n[k]).map { Float(lo[k] + Double($0) + 0.5) })
            try d.dataset(axis).setAttribute("units", "nm")
            try d.dataset(axis).setAttribute("long_name", "\(["x", "y", "z"][k]) (nm)")
        }
    }

    /// The atoms of an ion type from its `nuclide_hash`, checked against the definition (issue
    /// 23, 8: a row of 64 counted every atom twice, an all-zero row made an ion of no atoms): 32
    /// values (`maximum_number_of_atoms_per_molecular_ion`), each H = Z + N * 256 (N 255 for an
    /// element), nonzero ones first, at least one.
    static func nuclides(_ read: (values: [UInt32], shape: [Int]), ion g: String, path: String) throws -> [AtomCount] {
        let (hashes, shape) = read
        guard shape == [maxAtomsPerIon] else {
            throw AtomProbeError.format("\(g): nuclide_hash has shape \(shape); the NXapm definition gives \(maxAtomsPerIon) values (0-padded)", file: path)
        }
        let used = hashes.prefix { $0 != 0 }
        guard !used.isEmpty else { throw AtomProbeError.format("\(g): nuclide_hash names no nuclide (all 0)", file: path) }
        guard used.count == hashes.count || hashes[used.count...].allSatisfy({ $0 == 0 }) else {
            throw AtomProbeError.format("\(g): nuclide_hash has a nuclide after its 0 padding", file: path)
        }
        return try used.map { h in
            guard h <= 0xFFFF, let el = PeriodicTable.element(atomicNumber: Int(h & 255)) else {
                throw AtomProbeError.format("\(g): nuclide hash \(h) names no element", file: path)
            }
            return AtomCount(el.symbol, 1)
        }
    }

    /// Reads an NXapm file back: the reconstruction and the ranging.
    public static func read(_ path: String, memory: MemoryBudget = .standard) throws -> (Reconstruction, RangeTable) {
        do {
            let f = try HDF5File.open(path)
            let entry = try f.memberNames().sorted().first { $0.hasPrefix("entry") } ?? "entry1"
            let ap = try f.openGroup(entry).openGroup("atom_probe")
            let (mass, massShape) = try ap.openGroup("mass_to_charge_conversion").read("mass_to_charge", as: Float.self)
            guard massShape.count == 1 else { throw AtomProbeError.format("mass_to_charge has shape \(massShape); expected one value per ion", file: path) }
            try memory.require(Double(mass.count) * 32, for: "\(mass.count) ions of \(path)")
            let (xyz, shape) = try ap.openGroup("reconstruction").read("reconstructed_positions", as: Float.self)
            guard shape.count == 2, shape[1] == 3, shape[0] == mass.count else {
                throw AtomProbeError.format("reconstructed_positions has shape \(shape); expected (\(mass.count), 3)", file: path)
            }
            let recon = Reconstruction(x: (0..<mass.count).map { xyz[3 * $0] }, y: (0..<mass.count).map { xyz[3 * $0 + 1] },
                                       z: (0..<mass.count).map { xyz[3 * $0 + 2] }, mass: mass)
            let pi = try ap.openGroup("ranging").openGroup("peak_identification")
            let ionNames = try pi.memberNames().filter { $0.hasPrefix("ion") && Int($0.dropFirst(3)) != nil }.sorted { Int($0.dropFirst(3))! < Int($1.dropFirst(3))! }
            var ions: [IonType] = [], ranges: [MassRange] = []
            for g in ionNames where g != "ion0" {
                let ion = try pi.openGroup(g)
                let atoms = try nuclides(try ion.read("nuclide_hash", as: UInt32.self), ion: g, path: path)
                let name = (try? ion.readString("name")) ?? IonType(atoms: atoms).name
                ions.append(IonType(name: name, atoms: atoms))
                let (r, rs) = try ion.read("mass_to_charge_range", as: Double.self)
                guard rs.count == 2, rs[1] == 2 else { throw AtomProbeError.format("\(g): mass_to_charge_range has shape \(rs)", file: path) }
                for k in 0..<rs[0] { ranges.append(MassRange(low: r[2 * k], high: r[2 * k + 1], ionIndex: ions.count - 1)) }
            }
            return (recon, try RangeTable(ions: ions, ranges: ranges, file: path))
        } catch let e as AtomProbeError {
            throw e
        } catch {
            throw AtomProbeError(.format, "not a readable NXapm file: \(error)", file: path)
        }
    }
}

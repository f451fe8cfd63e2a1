import Foundation
import KitFoundation
import AtomProbe
import AtomProbeAnalysis
import HDF5Kit
import NXapm
import Workflows

/// Structure-aware targets for the HDF5 inputs (issue 23): the input bytes choose the shapes,
/// element types and values of the datasets a reader needs (a row of 64 hashes, a NaN material,
/// a mesh of 1 node, positions of shape (n, 2)), written as a valid HDF5 file by HDF5Kit and
/// then read. Byte-level mutation of HDF5 files exercises libhdf5 (see the `hdf5` target); these
/// exercise our checks of what a well-formed file holds. A read that succeeds must give what the
/// reader promises (checked here: a violation stops the process, a finding).
enum HDF5ShapeTargets {
    /// Decisions drawn from the input, 0 once it is used up.
    struct Chooser {
        let bytes: UnsafeRawBufferPointer
        var at = 0
        mutating func byte() -> Int { defer { at += 1 }; return at < bytes.count ? Int(bytes[at]) : 0 }
        mutating func upTo(_ n: Int) -> Int { n <= 0 ? 0 : byte() % (n + 1) }
        /// A value: ordinary ones mostly, the absurd ones too.
        mutating func double() -> Double {
            let special: [Double] = [.nan, .infinity, -.infinity, 0, 1, -1, 1e300, -1e300, 1e-300, 0.5, 2, 255, 65283]
            let b = byte()
            return b < special.count * 4 ? special[b % special.count] : Double(b - 128) / 16
        }
        /// Writes `values` as one of the element types, with the given shape.
        mutating func write(_ g: HDF5Group, _ name: String, _ values: [Double], shape: [Int]) throws {
            switch upTo(4) {
            case 0: try g.write(name, values.map { Float($0) }, shape: shape)
            case 1: try g.write(name, values.map { $0.isFinite && abs($0) < 2e9 ? Int32($0) : 0 }, shape: shape)
            case 2: try g.write(name, values.map { $0.isFinite && $0 >= 0 && $0 < 65536 ? UInt16($0) : 0 }, shape: shape)
            case 3: try g.write(name, values.map { $0.isFinite && abs($0) < 100 ? Int8($0) : 0 }, shape: shape)
            default: try g.write(name, values, shape: shape)
            }
        }
        /// A shape for about `n` values: as asked, one short, one long, or another rank.
        mutating func shape(_ n: [Int]) -> [Int] {
            switch upTo(5) {
            case 1: return n.enumerated().map { $0.offset == 0 ? max(0, $0.element - 1) : $0.element }
            case 2: return n.enumerated().map { $0.offset == 0 ? $0.element + 1 : $0.element }
            case 3: return [n.reduce(1, *)]
            case 4: return n + [1]
            default: return n
            }
        }
        mutating func values(_ shape: [Int]) -> [Double] { (0..<shape.reduce(1, *)).map { _ in double() } }
    }

    /// A simulation's fields.h5 (`virtualize`): mesh axes, material per element, c per node.
    static func fields(_ bytes: UnsafeRawBufferPointer, scratch: String) {
        var ch = Chooser(bytes: bytes)
        let path = scratch + "/fields.h5"
        let nx = ch.upTo(5), ny = ch.upTo(5)
        do {
            let f = try HDF5File.create(path)
            let g = try f.createGroup("simulation")
            let m = try g.createGroup("mesh")
            // Axes mostly increasing (from a start and steps), sometimes anything.
            func axis(_ n: Int) -> [Double] {
                if ch.upTo(3) == 0 { return (0..<n).map { _ in ch.double() } }
                var v = ch.double(), out: [Double] = []
                for _ in 0..<n { out.append(v); v += Double(ch.upTo(20)) / 4 }
                return out
            }
            let xs = axis(nx), ys = axis(ny)
            try ch.write(m, "x_nm", xs, shape: ch.shape([xs.count]))
            try ch.write(m, "y_nm", ys, shape: ch.shape([ys.count]))
            let elements = max(0, nx - 1) * max(0, ny - 1)
            let ms = ch.shape([elements])
            try ch.write(m, "material", (0..<ms.reduce(1, *)).map { _ in ch.upTo(3) == 0 ? ch.double() : Double(ch.upTo(1)) }, shape: ms)
            let cs = ch.shape([nx * ny])
            try ch.write(try g.createGroup("fields"), "c", (0..<cs.reduce(1, *)).map { _ in ch.upTo(3) == 0 ? ch.double() : Double(ch.upTo(8)) / 8 }, shape: cs)
            try f.flush()
        } catch { return }
        guard let field = try? SimulatedFieldFile.read(path) else { return }
        guard field.xs.count >= 2, field.ys.count >= 2, field.c.count == field.xs.count * field.ys.count,
              field.c.allSatisfy({ $0 >= 0 && $0 <= 1 }), field.xs.allSatisfy(\.isFinite), field.ys.allSatisfy(\.isFinite),
              field.lithiumMetal.count == (field.xs.count - 1) * (field.ys.count - 1) else {
            fatalError("fields.h5 read with \(field.xs.count) x \(field.ys.count) nodes, \(field.c.count) values, \(field.lithiumMetal.count) elements")
        }
    }

    /// A minimal NXapm file (what `NXapmFile.read` needs) with chosen shapes and values.
    static func nxapm(_ bytes: UnsafeRawBufferPointer, scratch: String) {
        var ch = Chooser(bytes: bytes)
        let path = scratch + "/fuzz.nxs"
        let n = ch.upTo(6)
        do {
            let f = try HDF5File.create(path)
            let ap = try f.createGroup("entry1").createGroup("atom_probe")
            let ms = ch.shape([n])
            try ch.write(try ap.createGroup("mass_to_charge_conversion"), "mass_to_charge", ch.values(ms), shape: ms)
            let ps = ch.shape([n, 3])
            try ch.write(try ap.createGroup("reconstruction"), "reconstructed_positions", ch.values(ps), shape: ps)
            let pi = try ap.createGroup("ranging").createGroup("peak_identification")
            for k in 0..<ch.upTo(3) {
                let ion = try pi.createGroup("ion\(k + 1)")
                let hs = ch.upTo(2) == 0 ? [ch.upTo(64)] : ch.shape([NXapmFile.maxAtomsPerIon])
                let count = hs.reduce(1, *), used = ch.upTo(4)
                let hashes = (0..<count).map { i -> Double in
                    i < used ? (ch.upTo(3) == 0 ? ch.double() : Double(ch.upTo(120) + 255 * 256)) : (ch.upTo(15) == 0 ? ch.double() : 0)
                }
                try ch.write(ion, "nuclide_hash", hashes, shape: hs)
                let rs = ch.shape([ch.upTo(2), 2])
                try ch.write(ion, "mass_to_charge_range", (0..<rs.reduce(1, *)).map { i in ch.upTo(3) == 0 ? ch.double() : Double(i + 1) }, shape: rs)
                if ch.upTo(1) == 1 { try ion.writeString("name", "X\(k)") }
            }
            try f.flush()
        } catch { return }
        guard let (recon, table) = try? NXapmFile.read(path) else { return }
        guard recon.x.count == recon.mass.count, recon.y.count == recon.mass.count, recon.z.count == recon.mass.count,
              table.ions.allSatisfy({ !$0.atoms.isEmpty && $0.atomCount <= NXapmFile.maxAtomsPerIon }) else {
            fatalError("NXapm read with \(recon.count) ions and ion types \(table.ions.map { "\($0.name): \($0.atoms.count)" })")
        }
        _ = try? CompositionAnalysis.composition(recon, table: table)
    }
}

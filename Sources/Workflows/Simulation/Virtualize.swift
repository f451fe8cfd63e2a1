import Foundation
import KitFoundation
import AtomProbeSynthesis
import AtomProbeIO
import HDF5Kit

/// Reads a simulation's field for the virtual atom probe from `fields.h5` (written by
/// `atomprobe simulate`): the mesh axes, the Li site fraction per node and the material per
/// element (0 LLZO, 1 Li metal, as the scenarios number them).
public enum SimulatedFieldFile {
    public static func read(_ path: String) throws -> FieldSample2D {
        do {
            let f = try HDF5File.open(path)
            let g = try f.openGroup("simulation")
            let xs = try g.read("mesh/x_nm", as: Double.self, maxElements: 100_000).values
            let ys = try g.read("mesh/y_nm", as: Double.self, maxElements: 100_000).values
            let c = try g.read("fields/c", as: Double.self, maxElements: 50_000_000).values
            // Read as stored (a float NaN converted to an integer would pass unseen).
            let material = try g.read("mesh/material", as: Double.self, maxElements: 50_000_000).values
            guard xs.count >= 2, ys.count >= 2, c.count == xs.count * ys.count, material.count == (xs.count - 1) * (ys.count - 1) else {
                throw AtomProbeError(.format, "the mesh and field sizes do not match (\(xs.count) x \(ys.count) nodes, \(c.count) values, \(material.count) elements)", file: path)
            }
            // Every value checked by name (issue 23, 8): NaN or out-of-range values are refused.
            for (name, axis) in [("mesh/x_nm", xs), ("mesh/y_nm", ys)] {
                guard axis.allSatisfy(\.isFinite), zip(axis, axis.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw AtomProbeError(.format, "\(name) must hold finite, increasing node positions", file: path)
                }
            }
            if let k = c.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw AtomProbeError(.format, "fields/c holds \(c[k]) at node \(k); a site fraction is in [0, 1]", file: path)
            }
            if let k = material.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw AtomProbeError(.format, "mesh/material holds \(material[k]) at element \(k); expected 0 (LLZO) or 1 (Li metal)", file: path)
            }
            return FieldSample2D(xs: xs, ys: ys, c: c, lithiumMetal: material.map { $0 == 1 })
        } catch let e as HDF5Error { throw AtomProbeError(.io, e.message, file: path) }
    }
}

/// The files of a synthetic dataset: BASE.pos (and .epos), .rrng, .truth.json.
public enum SyntheticFiles {
    /// Writes the files; a dataset with a non-finite position or m/n is refused, never written.
    public static func write(_ ds: SyntheticLLZO.Dataset, to base: String, epos: Bool) throws {
        let bad = ds.reconstruction.nonFiniteCount
        guard bad == 0 else {
            throw AtomProbeError(.computation, "the generated dataset has \(bad) ion(s) with a non-finite position or m/n; nothing was written (check the size, blur and efficiency parameters)")
        }
        try ReconstructionIO.write(ds.reconstruction, to: base + ".pos")
        if epos { try ReconstructionIO.write(ds.reconstruction, to: base + ".epos") }
        try RangeFileIO.write(ds.ranges, to: base + ".rrng")
        try AtomicFile.write(ds.truth.serialized(), to: base + ".truth.json")
    }
}

import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import Workflows

/// What `apk_read_open` found, held until `apk_read_fill`: the reconstruction read, or a POS
/// file to decode straight into the caller's arrays (one pass: the fast path of `read`).
final class ReadReconstruction {
    let recon: Reconstruction?
    let pos: (path: String, count: Int, policy: NonFinitePolicy)?
    init(_ r: Reconstruction) { recon = r; pos = nil }
    init(pos path: String, count: Int, policy: NonFinitePolicy) { recon = nil; pos = (path, count, policy) }
}

/// Opens a reconstruction (POS, EPOS, APT or NXapm; `non_finite` reject, drop or keep) as the
/// command line does. On success `*handle` holds it, `*count` its ions and `*columns` a bit set
/// of the detector columns present (bit i: `PulseDetail.Column.allCases[i]`; bit 30: a POS file,
/// whose records `apk_read_fill` writes as count x 4 floats x, y, z, m/n into `xyz`). The caller then
/// calls `apk_read_fill` (or `apk_read_release`) exactly once. `hdf5_checker` is the atomprobe
/// executable that reads HDF5 files in a child process first (NULL: none). A POS file is only
/// measured here (the caller's arrays must fit the memory budget) and decoded by the fill.
@_cdecl("apk_read_open")
public func apk_read_open(_ path: UnsafePointer<CChar>?, _ nonFinite: UnsafePointer<CChar>?, _ hdf5Checker: UnsafePointer<CChar>?,
                          _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ count: UnsafeMutablePointer<Int64>?,
                          _ columns: UnsafeMutablePointer<Int32>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    CallResult.run(error) {
        guard let handle, let count, let columns else { throw CArgumentError(name: "an output pointer") }
        let policy = try string(nonFinite, "non_finite")
        guard let p = NonFinitePolicy(rawValue: policy) else { throw AtomProbeError.invalid("non_finite", "must be reject, drop or keep, got \(policy)") }
        let input = ReconstructionInput(try string(path, "path"), nonFinite: p)
        if !input.isNeXus, p != .drop, ReconstructionFormat(path: input.path) == .pos {
            let layout = try IonStream(path: input.path)
            try MemoryBudget.standard.require(Double(layout.count) * 16, for: "\(layout.count) ions of \(input.path) in NumPy arrays")
            handle.pointee = Unmanaged.passRetained(ReadReconstruction(pos: input.path, count: layout.count, policy: p)).toOpaque()
            count.pointee = Int64(layout.count)
            columns.pointee = 1 << 30
            return
        }
        let opener = IonSourceOpener(isolation: isolation(hdf5Checker))
        // The caller's arrays take as much again as the columns read.
        let r = try opener.load(input, memory: .standard, bytesPerIon: 44, for: "a copy into NumPy arrays")
        var bits: Int32 = 0
        for (i, c) in PulseDetail.Column.allCases.enumerated() where r.detail?.available.contains(c) == true { bits |= 1 << i }
        handle.pointee = Unmanaged.passRetained(ReadReconstruction(r)).toOpaque()
        count.pointee = Int64(r.count)
        columns.pointee = bits
    }
}

/// Fills the caller's buffers with the reconstruction of `handle` and releases it: `xyz` (count
/// x 3 float32, row-major), `mass` (count float32), and when not NULL `detail` (5 x count float32:
/// tof, voltage_dc, voltage_pulse, detector_x, detector_y) and `pulses` (2 x count int32:
/// delta_pulse, ions_per_pulse).
@_cdecl("apk_read_fill")
public func apk_read_fill(_ handle: UnsafeMutableRawPointer?, _ xyz: UnsafeMutablePointer<Float>?, _ mass: UnsafeMutablePointer<Float>?,
                          _ detail: UnsafeMutablePointer<Float>?, _ pulses: UnsafeMutablePointer<Int32>?,
                          _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    CallResult.run(error) {
        guard let handle else { throw CArgumentError(name: "handle") }
        let read = Unmanaged<ReadReconstruction>.fromOpaque(handle).takeRetainedValue()
        guard let xyz else { throw CArgumentError(name: "xyz") }
        if let pos = read.pos {
            // The POS layout: `xyz` holds count x 4 floats (x, y, z, m/n), `mass` is unused.
            let bad = try ReconstructionIO.readPOS(pos.path, count: pos.count, into: xyz)
            if bad > 0, pos.policy == .reject {
                let first = (0..<pos.count).first { i in !(0..<4).allSatisfy { xyz[4 * i + $0].isFinite } } ?? 0
                throw AtomProbeError(.format, "\(bad) record(s) hold NaN or infinite values, the first is record \(first)",
                                     file: pos.path, at: .byteOffset(first * 16), remedy: .dropNonFinite)
            }
            return
        }
        guard let r = read.recon, let mass else { throw CArgumentError(name: "mass") }
        copy(r, xyz: xyz, mass: mass, detail: detail, pulses: pulses)
    }
}

/// Copies a reconstruction into the caller's buffers (as `apk_read_fill` lays them out).
func copy(_ r: Reconstruction, xyz: UnsafeMutablePointer<Float>, mass: UnsafeMutablePointer<Float>,
          detail: UnsafeMutablePointer<Float>?, pulses: UnsafeMutablePointer<Int32>?) {
    let n = r.count
    guard n > 0 else { return }
    r.x.withUnsafeBufferPointer { x in r.y.withUnsafeBufferPointer { y in r.z.withUnsafeBufferPointer { z in
        for i in 0..<n { xyz[3 &* i] = x[i]; xyz[3 &* i &+ 1] = y[i]; xyz[3 &* i &+ 2] = z[i] }
    } } }
    r.mass.withUnsafeBufferPointer { mass.update(from: $0.baseAddress!, count: n) }
    guard let d = r.detail else { return }
    if let detail {
        for (k, column) in [d.tof, d.voltageDC, d.voltagePulse, d.detectorX, d.detectorY].enumerated() {
            column.withUnsafeBufferPointer { (detail + k * n).update(from: $0.baseAddress!, count: n) }
        }
    }
    if let pulses {
        for (k, column) in [d.deltaPulse, d.ionsPerPulse].enumerated() {
            column.withUnsafeBufferPointer { (pulses + k * n).update(from: $0.baseAddress!, count: n) }
        }
    }
}

/// Releases a handle of `apk_read_open` without copying.
@_cdecl("apk_read_release")
public func apk_read_release(_ handle: UnsafeMutableRawPointer?) {
    if let handle { Unmanaged<ReadReconstruction>.fromOpaque(handle).release() }
}

/// Ions given by the caller as a reconstruction: `xyz` (count x 3 float32, row-major), `mass`,
/// and optionally the detector columns as `apk_read_fill` lays them out.
func reconstruction(_ count: Int64, _ xyz: UnsafePointer<Float>?, _ mass: UnsafePointer<Float>?,
                    _ detail: UnsafePointer<Float>?, _ pulses: UnsafePointer<Int32>?) throws -> Reconstruction {
    guard count >= 0, count <= Int64(Int32.max) * 64 else { throw AtomProbeError.invalid("count", "must be 0 or more, got \(count)") }
    let n = Int(count)
    guard n == 0 || (xyz != nil && mass != nil) else { throw CArgumentError(name: "xyz or mass") }
    guard n > 0, let xyz, let mass else { return Reconstruction() }
    var r = Reconstruction(x: (0..<n).map { xyz[3 * $0] }, y: (0..<n).map { xyz[3 * $0 + 1] }, z: (0..<n).map { xyz[3 * $0 + 2] },
                           mass: Array(UnsafeBufferPointer(start: mass, count: n)))
    if let detail, let pulses {
        let f = { (k: Int) in Array(UnsafeBufferPointer(start: detail + k * n, count: n)) }
        let i = { (k: Int) in Array(UnsafeBufferPointer(start: pulses + k * n, count: n)) }
        r.detail = PulseDetail(tof: f(0), voltageDC: f(1), voltagePulse: f(2), detectorX: f(3), detectorY: f(4), deltaPulse: i(0), ionsPerPulse: i(1))
    }
    return r
}

/// Writes ions as POS or EPOS (from the file name), atomically; an existing file is refused
/// unless `overwrite` is nonzero.
@_cdecl("apk_write")
public func apk_write(_ path: UnsafePointer<CChar>?, _ count: Int64, _ xyz: UnsafePointer<Float>?, _ mass: UnsafePointer<Float>?,
                      _ detail: UnsafePointer<Float>?, _ pulses: UnsafePointer<Int32>?, _ overwrite: Int32,
                      _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    CallResult.run(error) {
        let file = try string(path, "path")
        if overwrite == 0, FileManager.default.fileExists(atPath: file) {
            throw AtomProbeError(.invalidInput, "exists; pass overwrite=True to replace it", file: file)
        }
        try ReconstructionIO.write(try reconstruction(count, xyz, mass, detail, pulses), to: file)
    }
}

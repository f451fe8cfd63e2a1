import Foundation
import KitFoundation
import AtomProbe
import AtomProbeIO
import Workflows

/// A reconstruction read by `apk_read_open`, held until `apk_read_fill` copies it out.
final class ReadReconstruction {
    let recon: Reconstruction
    init(_ r: Reconstruction) { recon = r }
}

/// Reads a reconstruction (POS, EPOS, APT or NXapm; `non_finite` reject, drop or keep) as the
/// command line does. On success `*handle` holds it, `*count` its ions and `*columns` a bit set
/// of the detector columns present (bit i: `PulseDetail.Column.allCases[i]`). The caller then
/// calls `apk_read_fill` (or `apk_read_release`) exactly once. `hdf5_checker` is the atomprobe
/// executable that reads HDF5 files in a child process first (NULL: none).
@_cdecl("apk_read_open")
public func apk_read_open(_ path: UnsafePointer<CChar>?, _ nonFinite: UnsafePointer<CChar>?, _ hdf5Checker: UnsafePointer<CChar>?,
                          _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ count: UnsafeMutablePointer<Int64>?,
                          _ columns: UnsafeMutablePointer<Int32>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    CallResult.run(error) {
        guard let handle, let count, let columns else { throw CArgumentError(name: "an output pointer") }
        let policy = try string(nonFinite, "non_finite")
        guard let p = NonFinitePolicy(rawValue: policy) else { throw AtomProbeError.invalid("non_finite", "must be reject, drop or keep, got \(policy)") }
        let opener = IonSourceOpener(isolation: hdf5Checker.map { HDF5Isolation(executable: URL(fileURLWithPath: String(cString: $0))) } ?? .none)
        // The caller's arrays take as much again as the columns read.
        let r = try opener.load(ReconstructionInput(try string(path, "path"), nonFinite: p), memory: .standard, bytesPerIon: 44, for: "a copy into NumPy arrays")
        var bits: Int32 = 0
        for (i, c) in PulseDetail.Column.allCases.enumerated() where r.detail?.available.contains(c) == true { bits |= 1 << i }
        handle.pointee = Unmanaged.passRetained(ReadReconstruction(r)).toOpaque()
        count.pointee = Int64(r.count)
        columns.pointee = bits
    }
}

/// Copies the reconstruction of `handle` into the caller's buffers and releases it: `xyz` (count
/// x 3 float32, row-major), `mass` (count float32), and when not NULL `detail` (5 x count float32:
/// tof, voltage_dc, voltage_pulse, detector_x, detector_y) and `pulses` (2 x count int32:
/// delta_pulse, ions_per_pulse).
@_cdecl("apk_read_fill")
public func apk_read_fill(_ handle: UnsafeMutableRawPointer?, _ xyz: UnsafeMutablePointer<Float>?, _ mass: UnsafeMutablePointer<Float>?,
                          _ detail: UnsafeMutablePointer<Float>?, _ pulses: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle else { return 1 }
    let r = Unmanaged<ReadReconstruction>.fromOpaque(handle).takeRetainedValue().recon
    guard let xyz, let mass else { return 1 }
    let n = r.count
    r.x.withUnsafeBufferPointer { x in r.y.withUnsafeBufferPointer { y in r.z.withUnsafeBufferPointer { z in
        for i in 0..<n { xyz[3 &* i] = x[i]; xyz[3 &* i &+ 1] = y[i]; xyz[3 &* i &+ 2] = z[i] }
    } } }
    r.mass.withUnsafeBufferPointer { mass.update(from: $0.baseAddress!, count: n) }
    if let d = r.detail {
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
    return 0
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

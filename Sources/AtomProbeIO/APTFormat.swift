import AtomProbe
import KitFoundation
import ParallelLoops

/// The commercial suite's current binary export (`.apt`, read only).
///
/// Layout (little-endian): a file header (signature "APT\0", int32 header size (540), int32
/// version, UTF-16 file name [256], int64 creation time, int64 ion count at byte 532), then
/// sections. Each section starts with "SEC\0", int32 header size (148, longer for sections that
/// carry extra data, e.g. `Position` with its bounds), int32 version, UTF-16 type name [32],
/// int32 section version, uint32 relationship, uint32 record type, uint32 data type
/// (1 int, 2 uint, 3 float), int32 data-type size in bits, int32 record size in bytes,
/// UTF-16 unit [16], int64 record count, int64 byte count; the data follow the header.
public enum APTFormat {
    public struct Section: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var dataType: UInt32
        public var typeBits: Int32
        public var recordSize: Int
        public var recordCount: Int
        /// Offset of the first data byte in the file.
        public var dataOffset: Int
    }

    public static let fileHeaderSize = 540
    /// Sections that `decode` maps into the reconstruction; the others are skipped.
    public static let knownSections: Set<String> = ["Mass", "Position", "tofc", "tof", "Vref", "pulse", "XDet_mm", "YDet_mm", "pulseDelta", "Multiplicity"]
    static let sectionHeaderSize = 148

    /// Lists the sections of an APT file without decoding them.
    public static func sections(_ bytes: UnsafeRawBufferPointer, path: String) throws -> (ionCount: Int, sections: [Section]) {
        try sections(size: bytes.count, path: path) { o, n in Array(bytes[o..<(o + n)]) }
    }

    /// The same from the file, reading its headers only (for the layout of a file of any size).
    public static func sections(path: String) throws -> (ionCount: Int, sections: [Section]) {
        let file = try FileReader(path: path)
        return try sections(size: file.size, path: path) { try file.bytes($1, at: $0) }
    }

    /// The sections of a file of `size` bytes whose headers `read(offset, count)` gives.
    static func sections(size: Int, path: String, read: (Int, Int) throws -> [UInt8]) throws -> (ionCount: Int, sections: [Section]) {
        func fail(_ m: String, _ at: Int) -> AtomProbeError { .format(m, file: path, at: .byteOffset(at)) }
        func load<T: FixedWidthInteger>(_ b: [UInt8], _ o: Int, _: T.Type) -> T { b.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: o, as: T.self)) } }
        guard size > 0 else { throw AtomProbeError.format("empty file", file: path) }
        guard size >= fileHeaderSize else { throw fail("file is \(size) bytes, shorter than the 540-byte APT header", 0) }
        let header = try read(0, fileHeaderSize)
        guard header[0] == 0x41, header[1] == 0x50, header[2] == 0x54, header[3] == 0 else {
            throw fail("not an APT file (no \"APT\" signature)", 0)
        }
        let headerSize = Int(load(header, 4, Int32.self))
        guard headerSize >= fileHeaderSize, headerSize <= size else { throw fail("bad file header size \(headerSize)", 4) }
        let ionCount = Int(load(header, 532, Int64.self))
        guard ionCount >= 0 else { throw fail("negative ion count \(ionCount)", 532) }
        var off = headerSize
        var out: [Section] = []
        while off < size {
            guard off + sectionHeaderSize <= size else { throw fail("truncated section header", off) }
            let h = try read(off, sectionHeaderSize)
            guard h[0] == 0x53, h[1] == 0x45, h[2] == 0x43, h[3] == 0 else {
                throw fail("expected a section (\"SEC\" signature)", off)
            }
            let hs = Int(load(h, 4, Int32.self))
            guard hs >= sectionHeaderSize, off + hs <= size else { throw fail("bad section header size \(hs)", off + 4) }
            let (name, unit) = h.withUnsafeBytes { (utf16($0, 12, chars: 32), utf16($0, 100, chars: 16)) }
            let recordCount = Int(load(h, 132, Int64.self)), byteCount = Int(load(h, 140, Int64.self))
            let recordSize = Int(load(h, 96, Int32.self))
            // off + hs <= size holds here, so the subtraction cannot overflow (a byte count near
            // Int64.max must not overflow the check meant to catch it).
            guard recordCount >= 0, byteCount >= 0, byteCount <= size - (off + hs) else {
                throw fail("section \"\(name)\" claims \(byteCount) bytes of data but the file ends before", off + 140)
            }
            guard recordSize > 0, recordCount.multipliedReportingOverflow(by: recordSize) == (byteCount, false) else {
                throw fail("section \"\(name)\": \(recordCount) records of \(recordSize) bytes do not make its \(byteCount) bytes", off + 132)
            }
            out.append(Section(name: name, unit: unit, dataType: load(h, 88, UInt32.self), typeBits: load(h, 92, Int32.self), recordSize: recordSize,
                               recordCount: recordCount, dataOffset: off + hs))
            off += hs + byteCount
        }
        return (ionCount, out)
    }

    static func utf16(_ b: UnsafeRawBufferPointer, _ offset: Int, chars: Int) -> String {
        var units: [UInt16] = []
        for k in 0..<chars {
            let u = UInt16(littleEndian: b.loadUnaligned(fromByteOffset: offset + 2 * k, as: UInt16.self))
            if u == 0 { break }
            units.append(u)
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Decodes the ions. Needs `Mass` and `Position`; maps `tofc` (or `tof`), `Vref`, `pulse`,
    /// `XDet_mm`, `YDet_mm`, `pulseDelta` and `Multiplicity` into `PulseDetail` when present.
    /// Other sections are skipped (listed by `sections`).
    /// The ion count and the `Mass` and `Position` sections, checked (what every pass needs).
    static func massAndPosition(_ bytes: UnsafeRawBufferPointer, path: String) throws -> (Int, Section, Section) {
        try massAndPosition(try sections(bytes, path: path), path: path)
    }

    static func massAndPosition(_ layout: (ionCount: Int, sections: [Section]), path: String) throws -> (Int, Section, Section) {
        let (ionCount, secs) = layout
        func find(_ name: String) -> Section? { secs.first { $0.name == name } }
        guard let massSec = find("Mass") else { throw AtomProbeError.format("no \"Mass\" section", file: path) }
        guard let posSec = find("Position") else { throw AtomProbeError.format("no \"Position\" section", file: path) }
        try check(massSec, size: 4, type: 3, ions: ionCount, path: path)
        try check(posSec, size: 12, type: 3, ions: ionCount, path: path)
        return (ionCount, massSec, posSec)
    }

    static func check(_ s: Section, size: Int, type: UInt32, ions ionCount: Int, path: String) throws {
        guard s.recordCount == ionCount else {
            throw AtomProbeError.format("section \"\(s.name)\" has \(s.recordCount) records but the header says \(ionCount) ions",
                                        file: path, at: .byteOffset(s.dataOffset))
        }
        guard s.recordSize == size, s.dataType == type, s.typeBits == 32 else {
            throw AtomProbeError.format("section \"\(s.name)\" has records of \(s.recordSize) bytes (type \(s.dataType), \(s.typeBits) bits); expected \(size)-byte 32-bit \(type == 3 ? "floats" : "integers")",
                                        file: path, at: .byteOffset(s.dataOffset))
        }
    }

    /// The detector sections that map into `PulseDetail` (the first of `tofc`, `tof`; `Vref`,
    /// `pulse`, `XDet_mm`, `YDet_mm` as floats; `pulseDelta`, `Multiplicity` as integers), checked.
    static func detectorSections(_ secs: [Section], ions: Int, path: String) throws -> [(PulseDetail.Column, Section)] {
        let wanted: [([String], PulseDetail.Column, Bool)] = [
            (["tofc", "tof"], .tof, false), (["Vref"], .voltageDC, false), (["pulse"], .voltagePulse, false),
            (["XDet_mm"], .detectorX, false), (["YDet_mm"], .detectorY, false),
            (["pulseDelta"], .deltaPulse, true), (["Multiplicity"], .ionsPerPulse, true),
        ]
        var out: [(PulseDetail.Column, Section)] = []
        for (names, column, integer) in wanted {
            guard let s = names.lazy.compactMap({ n in secs.first { $0.name == n } }).first else { continue }
            if integer {
                guard s.dataType == 1 || s.dataType == 2 else { try check(s, size: 4, type: 1, ions: ions, path: path); continue }
                try check(s, size: 4, type: s.dataType, ions: ions, path: path)
            } else {
                try check(s, size: 4, type: 3, ions: ions, path: path)
            }
            out.append((column, s))
        }
        return out
    }

    /// The detector columns an APT file holds (`detectorSections`), without reading its ions.
    public static func detectorColumns(path: String) throws -> Set<PulseDetail.Column> {
        let (n, secs) = try sections(path: path)
        return Set(try detectorSections(secs, ions: n, path: path).map(\.0))
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Reconstruction {
        let (ionCount, secs) = try sections(bytes, path: path)
        let (_, massSec, posSec) = try massAndPosition(bytes, path: path)
        let n = ionCount
        let base = bytes.baseAddress!
        func floats(_ s: Section, component: Int = 0, stride: Int = 4) -> [Float] {
            makeColumns(1, count: n) { out in
                let p = out[0]
                Parallel.chunks(n) { r in
                    for i in r {
                        p[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: s.dataOffset + i * stride + 4 * component, as: UInt32.self)))
                    }
                }
            }[0]
        }
        func ints(_ s: Section) -> [Int32] {
            (0..<n).map { Int32(littleEndian: base.loadUnaligned(fromByteOffset: s.dataOffset + 4 * $0, as: Int32.self)) }
        }
        let mass = floats(massSec)
        let x = floats(posSec, component: 0, stride: 12)
        let y = floats(posSec, component: 1, stride: 12)
        let z = floats(posSec, component: 2, stride: 12)

        var detail = PulseDetail(count: n, available: [])
        for (column, section) in try detectorSections(secs, ions: ionCount, path: path) {
            switch column {
            case .tof: detail.tof = floats(section)
            case .voltageDC: detail.voltageDC = floats(section)
            case .voltagePulse: detail.voltagePulse = floats(section)
            case .detectorX: detail.detectorX = floats(section)
            case .detectorY: detail.detectorY = floats(section)
            case .deltaPulse: detail.deltaPulse = ints(section)
            case .ionsPerPulse: detail.ionsPerPulse = ints(section)
            }
            detail.available.insert(column)
        }
        return Reconstruction(x: x, y: y, z: z, mass: mass, detail: detail.available.isEmpty ? nil : detail)
    }
}

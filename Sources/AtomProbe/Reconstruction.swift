/// The per-pulse detector columns of EPOS (and of APT files, which carry some of them).
/// Columns a source does not have are zero-filled; `available` says which ones are real.
public struct PulseDetail: Sendable, Equatable {
    public enum Column: String, Sendable, CaseIterable {
        case tof, voltageDC, voltagePulse, detectorX, detectorY, deltaPulse, ionsPerPulse
    }
    /// Time of flight (ns).
    public var tof: [Float]
    /// Standing (DC) voltage (kV in EPOS files, as the format stores it).
    public var voltageDC: [Float]
    /// Pulse voltage (kV in EPOS files).
    public var voltagePulse: [Float]
    /// Hit position on the detector (mm).
    public var detectorX: [Float]
    public var detectorY: [Float]
    /// Pulses since the previous event.
    public var deltaPulse: [Int32]
    /// Ions in this pulse: k on the first ion of a k-ion multi-hit, 0 on the others.
    public var ionsPerPulse: [Int32]
    /// Which columns hold real data.
    public var available: Set<Column>

    public init(count n: Int, available: Set<Column> = Set(Column.allCases)) {
        tof = Array(repeating: 0, count: n); voltageDC = tof; voltagePulse = tof
        detectorX = tof; detectorY = tof
        deltaPulse = Array(repeating: 0, count: n); ionsPerPulse = deltaPulse
        self.available = available
    }

    public init(tof: [Float], voltageDC: [Float], voltagePulse: [Float], detectorX: [Float], detectorY: [Float],
                deltaPulse: [Int32], ionsPerPulse: [Int32], available: Set<Column> = Set(Column.allCases)) {
        self.tof = tof; self.voltageDC = voltageDC; self.voltagePulse = voltagePulse
        self.detectorX = detectorX; self.detectorY = detectorY
        self.deltaPulse = deltaPulse; self.ionsPerPulse = ionsPerPulse
        self.available = available
    }

    public var count: Int { tof.count }

    /// Keeps the rows whose flag is true.
    public func filtered(_ keep: [Bool]) -> PulseDetail {
        func f<T>(_ a: [T]) -> [T] { zip(a, keep).compactMap { $1 ? $0 : nil } }
        return PulseDetail(tof: f(tof), voltageDC: f(voltageDC), voltagePulse: f(voltagePulse),
                           detectorX: f(detectorX), detectorY: f(detectorY), deltaPulse: f(deltaPulse),
                           ionsPerPulse: f(ionsPerPulse), available: available)
    }
}

/// A reconstruction: one row per detected ion, stored column by column (struct of arrays),
/// positions in nm and mass-to-charge in Da.
public struct Reconstruction: Sendable, Equatable {
    public var x: [Float]
    public var y: [Float]
    public var z: [Float]
    public var mass: [Float]
    /// EPOS-style detector columns, when the source has them.
    public var detail: PulseDetail?

    public init(x: [Float], y: [Float], z: [Float], mass: [Float], detail: PulseDetail? = nil) {
        precondition(x.count == y.count && y.count == z.count && z.count == mass.count, "columns differ in length")
        if let detail { precondition(detail.count == x.count, "detail columns differ in length") }
        self.x = x; self.y = y; self.z = z; self.mass = mass; self.detail = detail
    }

    public init() { self.init(x: [], y: [], z: [], mass: []) }

    public var count: Int { x.count }
    public var isEmpty: Bool { x.isEmpty }

    /// Number of rows with a NaN or infinite value in x, y, z or mass.
    public var nonFiniteCount: Int {
        var n = 0
        for i in 0..<count where !(x[i].isFinite && y[i].isFinite && z[i].isFinite && mass[i].isFinite) { n += 1 }
        return n
    }

    /// The rows whose flag is true.
    public func filtered(_ keep: [Bool]) -> Reconstruction {
        precondition(keep.count == count)
        func f(_ a: [Float]) -> [Float] { zip(a, keep).compactMap { $1 ? $0 : nil } }
        return Reconstruction(x: f(x), y: f(y), z: f(z), mass: f(mass), detail: detail?.filtered(keep))
    }

    /// Drops rows with any non-finite position or mass.
    public func droppingNonFinite() -> Reconstruction {
        filtered((0..<count).map { x[$0].isFinite && y[$0].isFinite && z[$0].isFinite && mass[$0].isFinite })
    }

    /// Axis-aligned bounds of the finite positions, or nil when there are none.
    public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>)? {
        var b = FiniteBounds()
        for i in 0..<count { b.add(x[i], y[i], z[i]) }
        return b.box
    }

    /// Minimum and maximum finite mass-to-charge, or nil.
    public var massRange: (min: Float, max: Float)? {
        var b = FiniteBounds()
        for m in mass { b.add(mass: m) }
        return b.massRange
    }
}

/// What to do with NaN or infinite values in a reconstruction.
public enum NonFinitePolicy: String, Sendable, CaseIterable {
    /// Refuse the file, saying how many rows are affected and where the first is.
    case reject
    /// Drop the affected rows and say how many.
    case drop
    /// Keep them (for inspection, e.g. `info`).
    case keep
}

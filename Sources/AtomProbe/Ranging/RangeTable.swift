import KitFoundation
/// One mass-to-charge window [low, high) in Da assigned to an ion type.
public struct MassRange: Sendable, Hashable {
    public var low: Double
    public var high: Double
    /// Index into `RangeTable.ions`.
    public var ionIndex: Int
    /// Atomic volume in nm^3 as given by the range file (RRNG `Vol:`), if any.
    public var volume: Double?
    /// Display colour as RRGGBB hex, if the file gave one.
    public var color: String?
    /// Where the range came from (line number in its file), for error messages.
    public var sourceLine: Int?
    /// The share of the range's counts its own ion holds, as a ranger estimated it (automatic
    /// ranging: the tail of a big neighbour lowers it); nil when unknown (range files).
    public var purity: Double?

    public init(low: Double, high: Double, ionIndex: Int, volume: Double? = nil, color: String? = nil, sourceLine: Int? = nil) {
        self.low = low
        self.high = high
        self.ionIndex = ionIndex
        self.volume = volume
        self.color = color
        self.sourceLine = sourceLine
    }

    public func contains(_ m: Double) -> Bool { m >= low && m < high }
}

/// The ion types and mass ranges of a range file, validated: every range has low < high and
/// finite bounds; ranges must not overlap (overlapping ranges of one ion may be merged on
/// request), unless overlaps are allowed, in which case the range starting higher takes the
/// overlap. So the stored ranges never overlap and a binary search finds an ion's range.
public struct RangeTable: Sendable, Hashable {
    public var ions: [IonType]
    /// Ranges sorted by their lower bound.
    public private(set) var ranges: [MassRange]
    /// Notes made while reading (dropped duplicates and similar); not errors.
    public var warnings: [String]
    /// Ions a ranger found putting counts in other ions' ranges, at a known charge (automatic
    /// ranging: N2+ under 28Si+), which may own no range of their own. The deconvolution
    /// (`IsotopicOverlaps`) estimates them; range files have no place for them.
    public var sharedPeaks: [SharedPeak] = []

    public struct SharedPeak: Sendable, Hashable {
        public var ionIndex: Int
        public var charge: Int
        public init(ionIndex: Int, charge: Int) { self.ionIndex = ionIndex; self.charge = charge }
    }

    /// Builds and checks a table. `file` names the source in error messages.
    /// - Throws: `AtomProbeError` for low >= high, non-finite bounds, a bad ion index, or
    ///   overlapping ranges (both named) unless `allowOverlaps`.
    /// - Parameter mergeSameIonOverlaps: merge overlapping ranges of one ion instead of refusing
    ///   them (RRNG exports accumulate repeated definitions of one peak; see `RRNGParser`).
    public init(ions: [IonType], ranges: [MassRange], warnings: [String] = [], file: String? = nil,
                allowOverlaps: Bool = false, mergeSameIonOverlaps: Bool = false) throws {
        // Every reader builds its table here, so one bound holds for all formats (and a table read
        // from one format can be written in any other: RRNG allows 0-999 atoms of an element).
        for ion in ions {
            for a in ion.atoms where a.count < 0 || a.count > IonType.maxAtomsPerElement {
                throw AtomProbeError.format("ion \(ion.name) has \(a.count) atoms of \(a.symbol); at most \(IonType.maxAtomsPerElement) per element", file: file)
            }
        }
        for r in ranges {
            let at: FileLocation = r.sourceLine.map { .line($0) } ?? .whole
            guard r.low.isFinite, r.high.isFinite else {
                throw AtomProbeError.format("range bounds must be finite numbers", file: file, at: at)
            }
            guard r.low < r.high else {
                throw AtomProbeError.format("range lower bound \(r.low) Da is not below its upper bound \(r.high) Da", file: file, at: at)
            }
            guard ions.indices.contains(r.ionIndex) else {
                throw AtomProbeError.format("range refers to ion #\(r.ionIndex + 1), which does not exist", file: file, at: at)
            }
        }
        var sorted = ranges.sorted { ($0.low, $0.high) < ($1.low, $1.high) }
        var notes = warnings
        func where_(_ r: MassRange) -> String { r.sourceLine.map { " (line \($0))" } ?? "" }
        // Overlapping ranges of the same ion assign ions unambiguously: merge them when asked.
        if mergeSameIonOverlaps {
        var merged: [MassRange] = []
        var mergedCount = 0
        for r in sorted {
            if var last = merged.last, last.ionIndex == r.ionIndex, r.low < last.high {
                last.high = Swift.max(last.high, r.high)
                merged[merged.count - 1] = last
                mergedCount += 1
            } else {
                merged.append(r)
            }
        }
        if mergedCount > 0 {
            notes.append("merged \(mergedCount) range(s) that overlap another range of the same ion")
        }
        sorted = merged
        }
        for k in sorted.indices.dropFirst() where sorted[k].low < sorted[k - 1].high {
            let a = sorted[k - 1], b = sorted[k]
            let text = "overlapping ranges: \(ions[a.ionIndex].name) [\(a.low), \(a.high))\(where_(a)) and \(ions[b.ionIndex].name) [\(b.low), \(b.high))\(where_(b))"
            guard allowOverlaps else {
                throw AtomProbeError.format(text, file: file, at: b.sourceLine.map { .line($0) } ?? .whole)
            }
            // Allowed: the range starting higher takes the overlap.
            notes.append(text + "; the overlap goes to \(ions[b.ionIndex].name)")
            if b.high < a.high {
                throw AtomProbeError.format(text + ": one range lies inside the other, which cannot be resolved", file: file,
                                            at: b.sourceLine.map { .line($0) } ?? .whole)
            }
            sorted[k - 1].high = b.low
        }
        self.ions = ions
        self.ranges = sorted
        self.warnings = notes
    }

    /// Index into `ranges` of the range holding `m`, or nil (binary search; ranges must not overlap).
    @inlinable
    public func rangeIndex(of m: Double) -> Int? {
        var lo = 0, hi = ranges.count
        while lo < hi {  // first range with low > m
            let mid = (lo + hi) >> 1
            if ranges[mid].low <= m { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, m < ranges[lo - 1].high else { return nil }
        return lo - 1
    }

    /// The element (or species) symbols of all ions, in order of first appearance.
    public var symbols: [String] {
        var seen = Set<String>(), out: [String] = []
        for ion in ions { for a in ion.atoms where seen.insert(a.symbol).inserted { out.append(a.symbol) } }
        return out
    }

    /// Index of the ion with this name, if any.
    public func ionIndex(named name: String) -> Int? { ions.firstIndex { $0.name == name } }

    /// Throws for the first ion holding a symbol that is not a chemical element (and not in
    /// `excluding`), naming the ion; `need` says what needs element symbols.
    public func requireElements(excluding: Set<String> = [], for need: String, remedy: AtomProbeError.Remedy? = nil) throws {
        for ion in ions { for a in ion.atoms where !excluding.contains(a.symbol) && !PeriodicTable.isElement(a.symbol) {
            throw AtomProbeError(.unknownElement, "ion \"\(ion.name)\" contains \"\(a.symbol)\", which is not a chemical element; \(need)", remedy: remedy)
        } }
    }
}

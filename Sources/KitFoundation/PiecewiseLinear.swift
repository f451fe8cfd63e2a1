/// Level crossings of a curve given by points (x_k, y_k) joined by straight lines.
public enum PiecewiseLinear {
    /// The first x where the curve crosses `level`, scanning the segments (k - 1, k) for k in
    /// `ends` (in that order); segments with equal end values are skipped.
    public static func firstCrossing<S: Sequence<Int>>(_ x: [Double], _ y: [Double], level: Double, segmentEnds ends: S) -> Double? {
        for k in ends where k >= 1 && k < y.count && (y[k - 1] - level) * (y[k] - level) <= 0 && y[k] != y[k - 1] {
            return x[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (x[k] - x[k - 1])
        }
        return nil
    }

    /// Where the curve first crosses 10 % and 90 % of the way from `from` to `to` (the 10-90 %
    /// width of a step or a peak is their distance), or nil when either is not crossed.
    public static func crossings10_90<S: Sequence<Int>>(_ x: [Double], _ y: [Double], from: Double, to: Double,
                                                         segmentEnds ends: S) -> (at10: Double, at90: Double)? {
        guard let a = firstCrossing(x, y, level: from + 0.1 * (to - from), segmentEnds: ends),
              let b = firstCrossing(x, y, level: from + 0.9 * (to - from), segmentEnds: ends) else { return nil }
        return (a, b)
    }
}

/// Checks of values written as a list of (condition, problem) pairs.
///
/// Written this way rather than with a local throwing helper (`func need(_:_:) throws`): Swift
/// 6.3.1 miscompiled such a helper in an optimized build (release mode), so that a command
/// crashed with no error thrown.
public enum Validation {
    /// The problem of the first failed check, or nil when all pass.
    public static func firstProblem(_ checks: [(ok: Bool, problem: String)]) -> String? {
        checks.first { !$0.ok }?.problem
    }

    /// Throws for the first failed check of a run parameter, naming the parameter (see
    /// `AtomProbeError.parameter`); `problem` reads after its name.
    public static func require(_ checks: [(ok: Bool, parameter: String, problem: String)]) throws {
        if let c = checks.first(where: { !$0.ok }) { throw AtomProbeError.invalid(c.parameter, c.problem) }
    }

    /// Three values of `parameter` (e.g. a blur per axis, `names` x,y,z), or nil for nil.
    public static func vector3(_ values: [Double]?, _ parameter: String, names: String = "x,y,z", unit: String = "nm") throws -> SIMD3<Double>? {
        guard let v = values else { return nil }
        try require([(v.count == 3, parameter, "needs 3 comma-separated numbers \(names) (\(unit)), got \(v.count)")])
        return SIMD3(v[0], v[1], v[2])
    }

    /// A range min,max of `parameter` with min < max.
    public static func range(_ values: [Double], _ parameter: String) throws -> ClosedRange<Double> {
        try require([(values.count == 2, parameter, "needs 2 comma-separated numbers min,max, got \(values.count)"),
                     (values.count != 2 || values[0] < values[1], parameter, "needs min < max")])
        return values[0]...values[1]
    }
}

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
}

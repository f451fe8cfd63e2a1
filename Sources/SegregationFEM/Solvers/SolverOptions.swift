import Foundation
import KitFoundation

/// The transient and equilibrium solvers' settings, and what a solve reports.
public struct SolverOptions: Sendable {
    /// Newton stops when the residual norm falls below `relativeTolerance` times the largest
    /// initial residual seen ...
    public var relativeTolerance = 1e-8
    /// ... and the step's change of total Li from the residual of the mass balance,
    /// dt * sum_I R_c^I, is below this fraction of the total (so zero-flux runs conserve Li to
    /// far better than 1e-10 over all steps).
    public var massTolerance = 1e-12
    /// Once steady, one more step is solved to this tighter relative tolerance (the reported
    /// steady state: mu uniform to about 1e-8 R T).
    public var finalTolerance = 1e-11
    /// ... or when the largest update is below `updateTolerance`.
    public var updateTolerance = 1e-13
    public var maxNewtonIterations = 30
    /// First time step (scaled units: (1 nm)^2 / D0).
    public var initialTimeStep = 0.1
    /// Growth factor after a step that needed at most 3 Newton iterations (half of it up to 6
    /// iterations, none above); the step halves on failure.
    public var growth = 8.0
    public var maxTimeStep = 1e14
    public var maxSteps = 400
    /// Wall-clock limit of a run (s): beyond it the run stops with a diagnosis instead of halving
    /// time steps for minutes.
    public var maxWallSeconds = 600.0
    /// Steady state: a step of at least `steadyMinTimeStep` (default: the diffusion time across
    /// the domain, L^2) changes no nodal site fraction by more than `steadyTolerance`.
    public var steadyTolerance = 1e-9
    public var steadyMinTimeStep: Double?
    /// Stop at this time (scaled) instead of at steady state.
    public var endTime: Double?
    /// Keep the time step fixed (no growth) when true.
    public var fixedTimeStep = false
    /// Local error tolerance of a time step (absolute, in c). With it the step follows an error
    /// estimate: backward Euler against the linear extrapolation of the last two states,
    /// e = |c_BE - c_pred| dt / (2 dt + dt_prev); a step with e > 2 tol is redone shorter, and the
    /// next step is scaled by 0.9 sqrt(tol / e) (within 0.2 and `growth`). nil: no control (runs to
    /// steady state, where only the end matters).
    public var timeTolerance: Double?
    /// Scaled times at which the state is kept (`SolveReport.snapshots`); steps land on them.
    public var outputTimes: [Double] = []
    /// Reuse the LU factorization of an earlier tangent, within a step and across steps, while
    /// each iteration at least halves the residual; refactor otherwise. The solve still uses the
    /// current tangent through UMFPACK's iterative refinement, so a reused factorization acts as a
    /// preconditioner of the exact Newton step (inexact Newton). One factorization costs about
    /// seven solves here. false = a fresh factorization every iteration (full Newton, quadratic
    /// convergence).
    public var reuseFactorization = true
    /// Iterative refinement steps of a solve with a reused factorization.
    public var refinementSteps = 3
    /// Direct equilibrium (EquilibriumSolver): mechanics residual relative to the initial load, and
    /// the largest |mu(c, sigma) - mu0| (R T).
    public var equilibriumMechanicsTolerance = 1e-10
    public var equilibriumChemicalTolerance = 1e-10
    /// Transient: a closed system is steady only when the nodal mu are uniform to this (R T).
    public var muSpreadTolerance = 1e-6
    public init() {}
}

/// How far a state is from the steady state, each part in its own units.
public struct SteadyResiduals: Sendable, Equatable {
    /// Mechanics: |R_u| relative to the eigenstrain load of the initial state.
    public var mechanics: Double
    /// The largest |R_mu,I| / A_I: how far a nodal mu is from mu(c_I, sigma) (R T).
    public var chemicalPotential: Double
    /// Li content: |sum A_I c_I - total| / total.
    public var mass: Double
    public init(mechanics: Double, chemicalPotential: Double, mass: Double) {
        self.mechanics = mechanics; self.chemicalPotential = chemicalPotential; self.mass = mass
    }
}

/// The state at one time of a transient.
public struct Snapshot: Sendable {
    public var time: Double     // scaled
    public var state: [Double]
}

public struct SolveReport: Sendable {
    public var steps = 0
    public var newtonIterations = 0
    public var factorizations = 0
    public var steady = false
    public var time = 0.0                 // scaled
    public var lastTimeStep = 0.0
    /// Residual norms of every Newton iteration of every step.
    public var residualHistory: [[Double]] = []
    public var massChangeRelative = 0.0
    public var symbolicSeconds = 0.0
    public var factorSeconds = 0.0
    public var solveSeconds = 0.0
    public var assemblySeconds = 0.0
    public var wallSeconds = 0.0
    /// Which solver produced the state: transient or direct.
    public var solver = Simulation.SteadySolver.transient
    /// The direct solver's residuals at the end.
    public var finalResiduals: SteadyResiduals?
    /// States kept at `SolverOptions.outputTimes` (scaled time, full state vector).
    public var snapshots: [Snapshot] = []
    /// Steps redone shorter because their error estimate exceeded twice the tolerance.
    public var rejectedSteps = 0
    public init() {}
}

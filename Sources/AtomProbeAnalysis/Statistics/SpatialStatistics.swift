import Foundation
import KitFoundation

/// Is a solute random or clustered? The three classic tests on the same ions (`atomprobe
/// stats`): the frequency distribution against the binomial, the k-th nearest-neighbour
/// distributions and the pair correlation against randomly relabelled copies of the data.
public struct SpatialStatistics: Sendable {
    public struct Options: Sendable {
        public var solutes: [String]
        public var blockAtoms = 100
        /// k = 1...maxOrder.
        public var maxOrder = 10
        public var randomizations = 19
        public var seed: UInt64 = 1
        public var rdfMax = 3.0
        public var rdfBin = 0.1
        public var memory = MemoryBudget.standard
        /// At most this many solute ions (a random subset, and copies of the same size) for the
        /// distances: thinning at random keeps g(r) and the k-NN comparison unbiased (nil: all).
        public var maxSolutes: Int?

        public init(solutes: [String]) { self.solutes = solutes }

        /// Checks every parameter, naming it, before any file is read.
        public func checked() throws -> Options {
            try Validation.require([
                (!solutes.isEmpty && solutes.allSatisfy { !$0.isEmpty }, "solutes", "needs at least one element"),
                (Set(solutes).count == solutes.count, "solutes", "names an element twice"),
                (blockAtoms >= 2 && blockAtoms <= 1_000_000, "block_atoms", "must be 2-1000000, got \(blockAtoms)"),
                (maxOrder >= 1 && maxOrder <= 100, "k", "must be 1-100, got \(maxOrder)"),
                (randomizations >= 1 && randomizations <= 999, "randomizations", "must be 1-999, got \(randomizations)"),
                (rdfMax > 0 && rdfMax <= 20, "rdf_max_nm", "must be in (0, 20] nm, got \(rdfMax)"),
                (rdfBin > 0 && rdfBin <= rdfMax, "rdf_bin_nm", "must be in (0, {rdf_max_nm}] nm, got \(rdfBin)"),
                (rdfMax / rdfBin <= 100_000, "rdf_bin_nm", "gives more than 100000 bins up to {rdf_max_nm}"),
            ])
            return self
        }
    }

    public let options: Options
    public let frequency: FrequencyDistribution
    public let nearestNeighbours: NearestNeighbourDistributions?
    public let pairCorrelation: PairCorrelation
    /// Solute ions (holding any of the solutes) and all ions taking part.
    public let soluteIons: Int
    public let ions: Int

    /// - Parameter nearestNeighbours: false leaves the k-NN distributions out (the report).
    public init(_ ions: LabelledIons, options given: Options, nearestNeighbours wanted: Bool = true,
                progress: ((String) -> Void)? = nil) throws {
        let o = try given.checked()
        try ions.checkSolutes(o.solutes)
        let solutes = ions.indices(holding: o.solutes)
        try Validation.require([(!wanted || o.maxOrder < solutes.count, "k", "must be below the \(solutes.count) solute ions (a k-th neighbour needs k others), got \(o.maxOrder)")])
        // Positions of the solutes and of the copies: 24 bytes a solute per copy, and the grids.
        try o.memory.require(Double(solutes.count) * Double(o.randomizations + 1) * 48, for: "\(o.randomizations) randomized copies of \(solutes.count) solute ions")
        options = o
        soluteIons = solutes.count
        self.ions = ions.count
        frequency = try FrequencyDistribution(ions, solutes: o.solutes, blockAtoms: o.blockAtoms, memory: o.memory)
        progress?(String(format: "frequency distribution: chi2 %.4g, %d dof, p %.3g, mu %.3g", frequency.combined.chi2, frequency.combined.dof,
                         frequency.combined.pValue, frequency.combined.pearsonMu))
        var used = solutes
        if let cap = o.maxSolutes, cap >= 2, solutes.count > cap {
            used = LabelRandomization.draw(cap, of: solutes.count, seed: o.seed, randomization: 1_000_000).map { solutes[$0] }
            progress?("distances from a random \(cap) of the \(solutes.count) solute ions")
        }
        let observed = used.map(ions.position)
        let copies = LabelRandomization.positions(ions, count: used.count, randomizations: o.randomizations, seed: o.seed)
        progress?("\(o.randomizations) randomized copies of the \(used.count) solute ions")
        nearestNeighbours = wanted ? try NearestNeighbourDistributions(observed: observed, randomized: copies, maxOrder: o.maxOrder) : nil
        if wanted { progress?("k-th nearest-neighbour distributions, k = 1-\(o.maxOrder)") }
        pairCorrelation = try PairCorrelation(observed: observed, randomized: copies, maxDistance: o.rdfMax, binWidth: o.rdfBin)
        progress?("pair correlation up to \(o.rdfMax) nm")
    }
}

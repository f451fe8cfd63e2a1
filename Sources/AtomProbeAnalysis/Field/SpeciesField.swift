import AtomProbe
import KitFoundation

/// One species' concentration field and how it was made: what the iso-surface steps keep of a
/// `ConcentrationField` (whose per-channel atom grids are freed once this is taken, at 10^9 ions
/// about a gigabyte).
public struct SpeciesField: Sendable {
    public let grid: VoxelGrid
    public let species: String
    /// Concentration (at.%) per voxel; NaN where masked (outside the specimen).
    public let concentration: [Float]
    /// Per voxel: whether an ion lies in it (where the distance passes will ask).
    public let occupied: [Bool]
    public let delocalization: SIMD3<Double>
    public let gaussianSigma: SIMD3<Double>
    public let effectiveSigma: SIMD3<Double>
    public let atomsPerKernel: Double
    public let warnings: [String]
    public let minDensity: Double

    public init(grid: VoxelGrid, species: String, concentration: [Float], occupied: [Bool], delocalization: SIMD3<Double>,
                gaussianSigma: SIMD3<Double>, effectiveSigma: SIMD3<Double>, atomsPerKernel: Double, warnings: [String], minDensity: Double) {
        self.grid = grid
        self.species = species
        self.concentration = concentration
        self.occupied = occupied
        self.delocalization = delocalization
        self.gaussianSigma = gaussianSigma
        self.effectiveSigma = effectiveSigma
        self.atomsPerKernel = atomsPerKernel
        self.warnings = warnings
        self.minDensity = minDensity
    }

    /// The concentration of `symbol`, which must be this field's species.
    public func concentration(of symbol: String) throws -> [Float] {
        guard symbol == species else { throw AtomProbeError.invalid("the stored field holds \(species), not \(symbol)") }
        return concentration
    }
}

extension ConcentrationField {
    /// The field of one species, with its provenance.
    public func speciesField(_ symbol: String) throws -> SpeciesField {
        SpeciesField(grid: grid, species: symbol, concentration: try concentration(of: symbol), occupied: occupied,
                     delocalization: delocalization, gaussianSigma: gaussianSigma, effectiveSigma: effectiveSigma,
                     atomsPerKernel: atomsPerKernel, warnings: warnings, minDensity: minDensity)
    }
}

import Foundation

/// Size and content statistics of a cluster search over its interior clusters only (issue 22,
/// item 6): a cluster that touches the dataset's edge is cut, so its size and content are not
/// those of a whole cluster; it is counted apart and left out of the means.
public struct ClusterStatistics: Sendable {
    public struct Mean: Sendable {
        public let mean: Double
        /// Standard error of the mean (sample standard deviation / sqrt(n)); 0 for one value.
        public let standardError: Double
        public let count: Int

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let n = Double(values.count), m = values.reduce(0, +) / n
            mean = m
            standardError = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) / n).squareRoot() : 0
            count = values.count
        }
    }

    public let interiorClusters: Int
    public let edgeClusters: Int
    public let soluteAtoms: Mean?
    public let guinierRadius: Mean?
    public let guinierSoluteAtPercent: Mean?

    public init(_ m: MaximumSeparation) {
        let interior = m.clusters.filter { !$0.touchesEdge }
        interiorClusters = interior.count
        edgeClusters = m.clusters.count - interior.count
        soluteAtoms = Mean(interior.map { Double($0.soluteAtoms) })
        guinierRadius = Mean(interior.compactMap { $0.guinier?.radius })
        guinierSoluteAtPercent = Mean(interior.compactMap { $0.guinier?.soluteAtPercent })
    }
}

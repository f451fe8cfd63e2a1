// swift-tools-version:6.0
import PackageDescription

// AtomProbeKit: atom probe tomography analysis with a bundled FEM module.
// One folder per layer; C interop lives only in the C* shim targets.
// The numeric targets are optimized in debug builds too: unoptimized Swift runs these kernels
// 20-100 times slower, which would make the test suite (debug) take many minutes.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "AtomProbeKit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "atomprobe", targets: ["atomprobe"]),
        .library(name: "AtomProbe", targets: ["AtomProbe"]),
        .library(name: "AtomProbeIO", targets: ["AtomProbeIO"]),
        .library(name: "AtomProbeAnalysis", targets: ["AtomProbeAnalysis"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "HDF5Kit", targets: ["HDF5Kit"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "SparseSolver", targets: ["SparseSolver"]),
        .library(name: "SegregationFEM", targets: ["SegregationFEM"]),
        .library(name: "ProfileComparison", targets: ["ProfileComparison"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: module map + header only.
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CLinAlg", path: "Sources/CLinAlg", pkgConfig: "lapacke",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        // UMFPACK has no pkg-config file; its header is under /usr/include/suitesparse.
        .systemLibrary(name: "CUMFPACK", path: "Sources/CUMFPACK", providers: [.apt(["libsuitesparse-dev"])]),

        // Thin Swift wrappers over the shims.
        .target(name: "HDF5Kit", dependencies: ["CHDF5"], exclude: ["README.md"]),
        .target(name: "LinearAlgebra", dependencies: ["CLinAlg"], exclude: ["README.md"]),
        .target(name: "SparseSolver", dependencies: ["CUMFPACK"], exclude: ["README.md"], swiftSettings: optimized),

        // Domain layers.
        .target(name: "ParallelLoops", swiftSettings: optimized),
        .target(name: "AtomProbe", dependencies: ["ParallelLoops"], swiftSettings: optimized),
        .target(name: "AtomProbeIO", dependencies: ["AtomProbe"], swiftSettings: optimized),
        .target(name: "AtomProbeAnalysis", dependencies: ["AtomProbe"], swiftSettings: optimized),
        .target(name: "Plotting", exclude: ["README.md"]),
        .target(name: "ProfileComparison", dependencies: ["AtomProbe"]),
        .target(name: "SegregationFEM", dependencies: ["SparseSolver", "HDF5Kit", "ParallelLoops"], exclude: ["README.md"], swiftSettings: optimized),

        // Command line: a thin layer over the libraries.
        .executableTarget(name: "atomprobe", dependencies: [
            "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "Plotting", "SegregationFEM", "HDF5Kit", "ProfileComparison",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Release-built benchmark driver (no extra dependencies); see Scripts/benchmark.sh.
        .executableTarget(name: "atomprobe-bench", dependencies: ["AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "SegregationFEM"]),

        // Helpers shared by the test targets (paths of ../shared, temporary folders).
        .target(name: "APKTestSupport", path: "Tests/Support"),
        .testTarget(name: "AtomProbeTests", dependencies: ["AtomProbe"]),
        .testTarget(name: "AtomProbeIOTests", dependencies: ["AtomProbe", "AtomProbeIO", "APKTestSupport"]),
        .testTarget(name: "AtomProbeAnalysisTests", dependencies: ["AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "APKTestSupport"]),
        .testTarget(name: "HDF5KitTests", dependencies: ["HDF5Kit"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "SparseSolverTests", dependencies: ["SparseSolver"]),
        .testTarget(name: "SegregationFEMTests", dependencies: ["SegregationFEM", "SparseSolver", "HDF5Kit", "APKTestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "ProfileComparisonTests", dependencies: ["ProfileComparison", "AtomProbe", "APKTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["AtomProbe", "AtomProbeIO", "APKTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

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
        .library(name: "KitFoundation", targets: ["KitFoundation"]),
        .library(name: "AtomProbe", targets: ["AtomProbe"]),
        .library(name: "AtomProbeIO", targets: ["AtomProbeIO"]),
        .library(name: "AtomProbeAnalysis", targets: ["AtomProbeAnalysis"]),
        .library(name: "AtomProbeSynthesis", targets: ["AtomProbeSynthesis"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "HDF5Kit", targets: ["HDF5Kit"]),
        .library(name: "NXapm", targets: ["NXapm"]),
        .library(name: "SparseSolver", targets: ["SparseSolver"]),
        .library(name: "SegregationFEM", targets: ["SegregationFEM"]),
        .library(name: "ProfileComparison", targets: ["ProfileComparison"]),
        .library(name: "ResultsBundle", targets: ["ResultsBundle"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
        // The C ABI the Python package (Python/) loads with ctypes.
        .library(name: "AtomProbeKitC", type: .dynamic, targets: ["AtomProbeKitC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: module map + header only.
        // HDF5 and UMFPACK are loaded on first use (dlopen in their shims), not linked.
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", providers: [.apt(["libhdf5-dev"])]),
        // UMFPACK has no pkg-config file; its header is under /usr/include/suitesparse.
        .systemLibrary(name: "CUMFPACK", path: "Sources/CUMFPACK", providers: [.apt(["libsuitesparse-dev"])]),
        // Relaxed atomic add/store on plain memory (a compiler builtin: nothing to install or link).
        .systemLibrary(name: "CAtomics", path: "Sources/CAtomics"),

        // Thin Swift wrappers over the shims.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "MPIKit", dependencies: ["CMPI", "ParallelLoops"]),
        .target(name: "HDF5Kit", dependencies: ["CHDF5", "KitFoundation"], exclude: ["README.md"]),
        .target(name: "SparseSolver", dependencies: ["CUMFPACK", "KitFoundation"], exclude: ["README.md"], swiftSettings: optimized),

        // Domain layers.
        // Foundation of every layer: the user-facing error, JSON, atomic files, the seeded random
        // generator and the clock. No domain types; each target imports the C library it uses itself.
        .target(name: "KitFoundation", swiftSettings: optimized),
        .target(name: "ParallelLoops", dependencies: ["CAtomics"], swiftSettings: optimized),
        .target(name: "AtomProbe", dependencies: ["KitFoundation", "ParallelLoops"], swiftSettings: optimized),
        .target(name: "AtomProbeIO", dependencies: ["AtomProbe", "KitFoundation", "ParallelLoops"], swiftSettings: optimized),
        .target(name: "AtomProbeAnalysis", dependencies: ["AtomProbe", "KitFoundation", "ParallelLoops"], swiftSettings: optimized),
        .target(name: "AtomProbeSynthesis", dependencies: ["AtomProbe", "KitFoundation", "ParallelLoops"], swiftSettings: optimized),
        .target(name: "Plotting", exclude: ["README.md"]),
        // NeXus NXapm (a format over HDF5Kit): reconstruction, ranging and ion types in one file.
        .target(name: "NXapm", dependencies: ["AtomProbe", "KitFoundation", "HDF5Kit"]),
        .target(name: "ProfileComparison", dependencies: ["AtomProbe", "KitFoundation"]),
        .target(name: "SegregationFEM", dependencies: ["SparseSolver", "ParallelLoops", "KitFoundation"], exclude: ["README.md"], swiftSettings: optimized),

        // Runs that span the layers: the HDF5 results bundle, and the files, figures and report of
        // analysis, simulation, comparison and the demo.
        .target(name: "ResultsBundle", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeAnalysis", "SegregationFEM", "ProfileComparison", "HDF5Kit"]),
        .target(name: "Workflows", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "SegregationFEM",
                                                  "ProfileComparison", "ResultsBundle", "Plotting", "HDF5Kit", "NXapm", "ParallelLoops"]),

        // What the fuzzer (Fuzz/, Scripts/fuzz.sh) and the corpus replay test feed each reader.
        .target(name: "FuzzTargets", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "SegregationFEM",
                                                    "ProfileComparison", "ResultsBundle", "HDF5Kit", "NXapm", "Workflows"]),

        // Command line: a thin layer over the libraries. The commands (options -> a library request)
        // are a library of their own so that the C ABI for Python parses the same options, with the
        // same one-line errors; the executable is their `main`.
        .target(name: "AtomProbeCommands", dependencies: [
            "KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "Plotting", "SegregationFEM", "ProfileComparison",
            "ResultsBundle", "Workflows", "MPIKit", "NXapm", "ParallelLoops",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/atomprobe"),
        .executableTarget(name: "atomprobe", dependencies: ["AtomProbeCommands"], path: "Sources/atomprobe-main"),
        // The C ABI over the library for the Python package: @_cdecl functions on plain buffers.
        .target(name: "AtomProbeKitC", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "Workflows", "AtomProbeCommands"]),
        // Release-built benchmark driver (no extra dependencies); see Scripts/benchmark.sh.
        .executableTarget(name: "atomprobe-bench", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "SegregationFEM"]),

        // Helpers shared by the test targets (paths of ../shared, temporary folders).
        .target(name: "APKTestSupport", path: "Tests/Support"),
        .testTarget(name: "AtomProbeTests", dependencies: ["AtomProbe", "KitFoundation", "APKTestSupport"]),
        .testTarget(name: "AtomProbeIOTests", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "APKTestSupport"]),
        .testTarget(name: "AtomProbeAnalysisTests", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "APKTestSupport"]),
        .testTarget(name: "AtomProbeSynthesisTests", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "APKTestSupport"]),
        .testTarget(name: "HDF5KitTests", dependencies: ["HDF5Kit"]),
        .testTarget(name: "SparseSolverTests", dependencies: ["SparseSolver", "APKTestSupport"]),
        .testTarget(name: "SegregationFEMTests", dependencies: ["KitFoundation", "SegregationFEM", "SparseSolver", "HDF5Kit", "ResultsBundle", "APKTestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "APKTestSupport"]),
        .testTarget(name: "ProfileComparisonTests", dependencies: ["KitFoundation", "ProfileComparison", "APKTestSupport"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets", "APKTestSupport"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "AtomProbeAnalysis", "AtomProbeSynthesis", "Workflows", "APKTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["KitFoundation", "AtomProbe", "AtomProbeIO", "HDF5Kit", "APKTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

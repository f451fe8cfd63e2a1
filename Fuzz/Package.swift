// swift-tools-version:6.0
import PackageDescription
import Foundation

// SwiftPM names a path dependency after its folder, which is wherever the repository was cloned.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Fuzz targets for every reader, built with libFuzzer (`Scripts/fuzz.sh`):
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// A package of its own, so that the main package's build and tests never see a target whose
// `main` comes from libFuzzer.
let package = Package(
    name: "AtomProbeFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "apk-fuzz", dependencies: [.product(name: "FuzzTargets", package: root)]),
    ],
    swiftLanguageModes: [.v6]
)

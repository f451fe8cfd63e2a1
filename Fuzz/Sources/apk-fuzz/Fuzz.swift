import Foundation
import FuzzTargets

// One libFuzzer binary for every reader (the inputs each gets: FuzzTargets); the target comes
// from $APK_FUZZ_TARGET.

nonisolated(unsafe) var target = ""
nonisolated(unsafe) var scratch = ""

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    target = ProcessInfo.processInfo.environment["APK_FUZZ_TARGET"] ?? ""
    guard FuzzTarget(rawValue: target) != nil else {
        FileHandle.standardError.write(Data("set APK_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
        exit(2)
    }
    scratch = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()) + "/apk-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size > 0 ? size : 0)
    FuzzTarget(rawValue: target)!.run(bytes, scratch: scratch)
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`; libFuzzer's driver is
// started from there (LLVMFuzzerRunDriver is libFuzzer's public entry point).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("apk_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}

// The C library of the platform (math, files, mmap), for every target that imports KitFoundation.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif

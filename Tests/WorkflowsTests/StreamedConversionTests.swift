import XCTest
import AtomProbe
import AtomProbeIO
import AtomProbeSynthesis
import KitFoundation
import APKTestSupport

/// `convert` in bounded memory (issue 12): the streamed output is byte for byte what the whole-file
/// writer makes of the same file read with the same policy (the ground truth), over chunks of 1000
/// records with NaN rows in several chunks and a ragged last chunk.
final class StreamedConversionTests: XCTestCase {
    func testStreamedConversionEqualsWholeFileWriter() throws {
        let dir = try temporaryFolder(self)
        var p = SyntheticLLZO.Parameters(); p.ions = 12_345; p.objectCount = 0; p.seed = 3
        var r = try SyntheticLLZO(p).generate().reconstruction
        var x = r.x, z = r.z, m = r.mass
        x[17] = .nan; m[4_000] = .infinity; z[12_344] = -.infinity
        r = Reconstruction(x: x, y: r.y, z: z, mass: m, detail: r.detail)
        for ext in ["pos", "epos"] {
            let input = dir + "/in." + ext
            try ReconstructionIO.write(r, to: input)
            let targets: [ReconstructionFormat] = ext == "pos" ? [.pos, .epos] : [.pos]
            for target in targets {
                for policy in [NonFinitePolicy.drop, .keep] {
                    var stream = try IonStream(path: input, nonFinite: policy)
                    stream.chunkIons = 1000
                    let streamed = dir + "/streamed-\(ext)-\(policy).\(target.rawValue)", whole = dir + "/whole-\(ext)-\(policy).\(target.rawValue)"
                    let (written, dropped) = try StreamedConversion.convert(stream, to: streamed, format: target)
                    let (read, expectedDropped) = try ReconstructionIO.read(input, nonFinite: policy)
                    try ReconstructionIO.write(Reconstruction(x: read.x, y: read.y, z: read.z, mass: read.mass), to: whole, format: target)
                    XCTAssertEqual(written, read.count, "\(ext) -> \(target) \(policy)")
                    XCTAssertEqual(dropped, expectedDropped)
                    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: streamed)), try Data(contentsOf: URL(fileURLWithPath: whole)),
                                   "\(ext) -> \(target) \(policy)")
                }
            }
            // Reject: the same error as reading the file, and no output or temporary file left.
            var stream = try IonStream(path: input)
            stream.chunkIons = 1000
            var streamError = "", readError = ""
            do { _ = try StreamedConversion.convert(stream, to: dir + "/rejected.pos", format: .pos) } catch { streamError = "\(error)" }
            do { _ = try ReconstructionIO.read(input) } catch { readError = "\(error)" }
            XCTAssertFalse(readError.isEmpty)
            XCTAssertEqual(streamError, readError)
            let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("rejected") }
            XCTAssertEqual(left, [])
            // EPOS to EPOS needs the detector columns: refused with an error, not a trap.
            if ext == "epos" {
                XCTAssertThrowsError(try StreamedConversion.convert(try IonStream(path: input, nonFinite: .keep), to: dir + "/e.epos", format: .epos))
            }
        }
    }
}

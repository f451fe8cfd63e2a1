import ArgumentParser
import Workflows

struct Info: OpenerCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a reconstruction: kind, ion count, bounds, m/n range, non-finite values.")

    @Argument(help: "Reconstruction file (.pos, .epos, .apt or NeXus .nxs).") var file: String
    @Flag(help: "Print JSON (keys: kind, ions, bounds_nm, mass_to_charge_da, non_finite, detector_columns).") var json = false

    func execute(_ opener: IonSourceOpener) throws -> String {
        let info = try InfoRun(file: file).run(opener)
        return json ? info.json.serialized() : info.text
    }
}

/// The scaled units the solver works in, so every equation's numbers are of order one:
/// lengths and displacements in nm, stresses and moduli in GPa, chemical potential in units of
/// R T, time in units of (1 nm)^2 / D0 (D0 of the first material), concentration as the site
/// fraction c = C / c_max (0 < c < 1). Inputs and outputs are converted at the boundary (SI in
/// `Parameters`, nm and Pa in output files).
public enum Units {
    public static let gasConstant = 8.314462618      // J / (mol K)
    public static let nanometre = 1e-9               // m
    public static let gigapascal = 1e9               // Pa
    public static let cubicCentimetre = 1e-6         // m^3
}

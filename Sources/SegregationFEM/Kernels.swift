import KitFoundation

/// The residual terms of eq. (20)-(22), each in one place, with their exact derivatives (the
/// consistent tangent). Scaled units (see `Units`); derivatives with respect to the nodal
/// (u_x, u_y, c, mu) (the model turns the c-columns into logit columns); one 2x2 Gauss point or
/// one node at a time.
///
///   R_u^I  = sum_gp w B_I^T sigma                                    (eq. 16/20, body force 0)
///   R_c^I  = A_I (c_I - c_I^old) / dt  +  sum_gp w M(c) grad N_I . grad mu        (eq. 17/21)
///   R_mu^I = A_I [mu_I - chi (1 - 2 c_I) - ln(c_I / (1 - c_I))] + s sum_gp w N_I (alpha/3) sigma : omega
///                                                                                    (eq. 18/22)
/// with sigma = C (eps - eps^D - eps^C), eps^C = (beta/3)(c - c_ref) omega (eq. 8 with
/// beta = c_max Omega), alpha = (1 GPa) Omega / (R T), M = d / (1/(c(1-c)) - 2 chi + kappa)
/// (eq. 15 scaled by D0 c_max / (R T)), kappa = c_max Omega^2 (omega : C : omega) (1 GPa) / (9 R T).
/// Time-derivative and local chemical terms use nodal quadrature (lumped, A_I = element area / 4),
/// which keeps c between 0 and 1 more robustly.
///
/// The sign s: s = +1 gives mu = RT[chi(1-2c) + ln(c/(1-c))] - (1/3) sigma:Omega, i.e.
/// mu = (1/c_max) df/dc for f of eq. (1)-(3): tension (sigma_h > 0) lowers mu and attracts Li, as
/// the study's results (Fig. 6, 8), its residual (22) and its mobility (15) require. Eq. (14) as
/// printed has "+"; s = -1 reproduces it (`Parameters.printedSign`).
struct PointMaterial {
    let C: ElasticTensor
    let omega: [Double]       // Voigt, engineering shears
    let cRef: Double
    let beta: Double          // c_max * Omega
    let alpha: Double         // 1 GPa * Omega / RT
    let kappa: Double
    let chi: Double
    let mobilityScale: Double // D0 / D0_ref
    let sign: Double
    /// C omega and omega : C : omega, precomputed.
    let cOmega: [Double]
    let omegaCOmega: Double

    init(C: ElasticTensor, omega: [Double], cRef: Double, beta: Double, alpha: Double, chi: Double, mobilityScale: Double, sign: Double, cMaxOmega2Over9RT: Double) {
        self.C = C; self.omega = omega; self.cRef = cRef; self.beta = beta; self.alpha = alpha
        self.chi = chi; self.mobilityScale = mobilityScale; self.sign = sign
        cOmega = C.apply(omega)
        omegaCOmega = C.contract(omega, omega)
        kappa = cMaxOmega2Over9RT * omegaCOmega
    }

    /// Mobility M(c) (eq. 15, scaled) and dM/dc. At c = 0 or 1 (to double precision) M = 0.
    @inline(__always) func mobility(_ c: Double) -> (Double, Double) {
        let cc = c * (1 - c)
        guard cc > 1e-150 else { return (0, 0) }
        let g = 1 / cc - 2 * chi + kappa
        let dg = -(1 - 2 * c) / (cc * cc)
        return (mobilityScale / g, -mobilityScale * dg / (g * g))
    }
}

/// Eq. (16)/(20): stress divergence. Adds w B_I^T sigma and its derivatives.
enum StressDivergenceKernel {
    @inline(__always)
    static func add(w: Double, dN: [(Double, Double)], N: [Double], sigma: [Double], m: PointMaterial,
                    R: inout [Double], K: inout [Double], tangent: Bool) {
        for I in 0..<4 {
            let (bx, by) = dN[I]
            R[I * 4] += w * (bx * sigma[0] + by * sigma[5])
            R[I * 4 + 1] += w * (by * sigma[1] + bx * sigma[5])
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                // B_I^T C B_J with B = [[dx,0],[0,dy],[0,0],[0,0],[0,0],[dy,dx]].
                let C = m.C
                let kxx = bx * (C[0, 0] * cx + C[0, 5] * cy) + by * (C[5, 0] * cx + C[5, 5] * cy)
                let kxy = bx * (C[0, 1] * cy + C[0, 5] * cx) + by * (C[5, 1] * cy + C[5, 5] * cx)
                let kyx = by * (C[1, 0] * cx + C[1, 5] * cy) + bx * (C[5, 0] * cx + C[5, 5] * cy)
                let kyy = by * (C[1, 1] * cy + C[1, 5] * cx) + bx * (C[5, 1] * cy + C[5, 5] * cx)
                K[(I * 4) * 16 + J * 4] += w * kxx
                K[(I * 4) * 16 + J * 4 + 1] += w * kxy
                K[(I * 4 + 1) * 16 + J * 4] += w * kyx
                K[(I * 4 + 1) * 16 + J * 4 + 1] += w * kyy
                // d sigma / d c_J = -C (beta/3) omega N_J
                let f = -w * m.beta / 3 * N[J]
                K[(I * 4) * 16 + J * 4 + 2] += f * (bx * m.cOmega[0] + by * m.cOmega[5])
                K[(I * 4 + 1) * 16 + J * 4 + 2] += f * (by * m.cOmega[1] + bx * m.cOmega[5])
            }
        }
    }
}

/// Eq. (17)/(21): mass balance. The flux part at Gauss points; the time derivative at nodes.
enum MassBalanceKernel {
    @inline(__always)
    static func addFlux(w: Double, dN: [(Double, Double)], N: [Double], c: Double, gradMu: (Double, Double), m: PointMaterial,
                        R: inout [Double], K: inout [Double], tangent: Bool) {
        let (M, dM) = m.mobility(c)
        for I in 0..<4 {
            let (bx, by) = dN[I]
            let flux = bx * gradMu.0 + by * gradMu.1
            R[I * 4 + 2] += w * M * flux
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                K[(I * 4 + 2) * 16 + J * 4 + 3] += w * M * (bx * cx + by * cy)
                K[(I * 4 + 2) * 16 + J * 4 + 2] += w * dM * N[J] * flux
            }
        }
    }

    @inline(__always)
    static func addTimeDerivative(area: Double, node I: Int, c: Double, cOld: Double, dt: Double, R: inout [Double], K: inout [Double], tangent: Bool) {
        R[I * 4 + 2] += area * (c - cOld) / dt
        if tangent { K[(I * 4 + 2) * 16 + I * 4 + 2] += area / dt }
    }
}

/// Eq. (18)/(22): the chemical potential, mixed formulation. Local chemistry at nodes, stress
/// coupling at Gauss points.
enum ChemicalPotentialKernel {
    /// `w` = ln(c / (1 - c)) and `cc` = c (1 - c), given separately because both are exact from
    /// the logit unknown even where c rounds to 0 or 1.
    @inline(__always)
    static func addLocal(area: Double, node I: Int, c: Double, w: Double, cc: Double, mu: Double, chi: Double,
                         R: inout [Double], K: inout [Double], tangent: Bool) {
        R[I * 4 + 3] += area * (mu - chi * (1 - 2 * c) - w)
        if !tangent { return }
        K[(I * 4 + 3) * 16 + I * 4 + 3] += area
        K[(I * 4 + 3) * 16 + I * 4 + 2] += area * (2 * chi - 1 / cc)
    }

    @inline(__always)
    static func addStressCoupling(w: Double, dN: [(Double, Double)], N: [Double], sigma: [Double], m: PointMaterial,
                                  R: inout [Double], K: inout [Double], tangent: Bool) {
        var sOmega = 0.0
        for k in 0..<6 { sOmega += sigma[k] * m.omega[k] }
        let f = m.sign * m.alpha / 3
        for I in 0..<4 {
            R[I * 4 + 3] += w * N[I] * f * sOmega
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                // d(sigma : omega)/d u_J = (C omega) . B_J ; d/dc_J = -(beta/3) omega C omega N_J
                K[(I * 4 + 3) * 16 + J * 4] += w * N[I] * f * (m.cOmega[0] * cx + m.cOmega[5] * cy)
                K[(I * 4 + 3) * 16 + J * 4 + 1] += w * N[I] * f * (m.cOmega[1] * cy + m.cOmega[5] * cx)
                K[(I * 4 + 3) * 16 + J * 4 + 2] += w * N[I] * f * (-m.beta / 3 * m.omegaCOmega * N[J])
            }
        }
    }
}


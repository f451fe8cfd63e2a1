import KitFoundation

/// The residual terms of eq. (20)-(22), each in one place, with their exact derivatives (the
/// consistent tangent). Scaled units (see `Units`); derivatives with respect to the nodal
/// (u_x, u_y, c, mu) (the model turns the c-columns into logit columns); one 2x2 Gauss point or
/// one node at a time. Kernels name the unknowns by `Field`; `ElementVector` and `ElementMatrix`
/// do the indexing, and the assembler (Assembly.swift) scatters them.
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
/// Eq. (16)/(20): stress divergence. Adds w B_I^T sigma and its derivatives.
enum StressDivergenceKernel {
    @inline(__always)
    static func add(_ q: Q1Element.Point, sigma: [Double], m: MaterialConstants,
                    R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        let w = q.weight, dN = q.dN, N = q.N
        for I in 0..<4 {
            let (bx, by) = dN[I]
            R[I, .ux] += w * (bx * sigma[0] + by * sigma[5])
            R[I, .uy] += w * (by * sigma[1] + bx * sigma[5])
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                // B_I^T C B_J with B = [[dx,0],[0,dy],[0,0],[0,0],[0,0],[dy,dx]].
                let C = m.C
                let kxx = bx * (C[0, 0] * cx + C[0, 5] * cy) + by * (C[5, 0] * cx + C[5, 5] * cy)
                let kxy = bx * (C[0, 1] * cy + C[0, 5] * cx) + by * (C[5, 1] * cy + C[5, 5] * cx)
                let kyx = by * (C[1, 0] * cx + C[1, 5] * cy) + bx * (C[5, 0] * cx + C[5, 5] * cy)
                let kyy = by * (C[1, 1] * cy + C[1, 5] * cx) + bx * (C[5, 1] * cy + C[5, 5] * cx)
                K[I, .ux, J, .ux] += w * kxx
                K[I, .ux, J, .uy] += w * kxy
                K[I, .uy, J, .ux] += w * kyx
                K[I, .uy, J, .uy] += w * kyy
                // d sigma / d c_J = -C (beta/3) omega N_J
                let f = -w * m.beta / 3 * N[J]
                K[I, .ux, J, .c] += f * (bx * m.cOmega[0] + by * m.cOmega[5])
                K[I, .uy, J, .c] += f * (by * m.cOmega[1] + bx * m.cOmega[5])
            }
        }
    }
}

/// Eq. (17)/(21): mass balance. The flux part at Gauss points; the time derivative at nodes.
enum MassBalanceKernel {
    @inline(__always)
    static func addFlux(_ q: Q1Element.Point, c: Double, gradMu: (Double, Double), m: MaterialConstants,
                        R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        let w = q.weight, dN = q.dN, N = q.N
        let (M, dM) = m.mobility(c)
        for I in 0..<4 {
            let (bx, by) = dN[I]
            let flux = bx * gradMu.0 + by * gradMu.1
            R[I, .c] += w * M * flux
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                K[I, .c, J, .mu] += w * M * (bx * cx + by * cy)
                K[I, .c, J, .c] += w * dM * N[J] * flux
            }
        }
    }

    @inline(__always)
    static func addTimeDerivative(area: Double, node I: Int, c: Double, cOld: Double, dt: Double,
                                  R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        R[I, .c] += area * (c - cOld) / dt
        if tangent { K[I, .c, I, .c] += area / dt }
    }
}

/// Eq. (18)/(22): the chemical potential, mixed formulation. Local chemistry at nodes, stress
/// coupling at Gauss points.
enum ChemicalPotentialKernel {
    /// `w` = ln(c / (1 - c)) and `cc` = c (1 - c), given separately because both are exact from
    /// the logit unknown even where c rounds to 0 or 1.
    @inline(__always)
    static func addLocal(area: Double, node I: Int, c: Double, w: Double, cc: Double, mu: Double, chi: Double,
                         R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        R[I, .mu] += area * (mu - chi * (1 - 2 * c) - w)
        if !tangent { return }
        K[I, .mu, I, .mu] += area
        K[I, .mu, I, .c] += area * (2 * chi - 1 / cc)
    }

    @inline(__always)
    static func addStressCoupling(_ q: Q1Element.Point, sigma: [Double], m: MaterialConstants,
                                  R: inout ElementVector, K: inout ElementMatrix, tangent: Bool) {
        let w = q.weight, dN = q.dN, N = q.N
        var sOmega = 0.0
        for k in 0..<6 { sOmega += sigma[k] * m.omega[k] }
        let f = m.sign * m.alpha / 3
        for I in 0..<4 {
            R[I, .mu] += w * N[I] * f * sOmega
            if !tangent { continue }
            for J in 0..<4 {
                let (cx, cy) = dN[J]
                // d(sigma : omega)/d u_J = (C omega) . B_J ; d/dc_J = -(beta/3) omega C omega N_J
                K[I, .mu, J, .ux] += w * N[I] * f * (m.cOmega[0] * cx + m.cOmega[5] * cy)
                K[I, .mu, J, .uy] += w * N[I] * f * (m.cOmega[1] * cy + m.cOmega[5] * cx)
                K[I, .mu, J, .c] += w * N[I] * f * (-m.beta / 3 * m.omegaCOmega * N[J])
            }
        }
    }
}

#!/usr/bin/python3
"""Peer for Scripts/benchmark-fem.sh: plane-strain linear elasticity on N x N bilinear quads with
FEniCSx (Debian python3-dolfinx; runs under the system Python /usr/bin/python3). Left edge
clamped, unit traction on the right edge; assembly and a direct LU solve (PETSc) are timed."""
import sys
import time

import numpy as np
import ufl
from dolfinx import fem, mesh
from dolfinx.fem.petsc import assemble_matrix, assemble_vector, apply_lifting, set_bc
from mpi4py import MPI
from petsc4py import PETSc
import dolfinx

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
t0 = time.perf_counter()
domain = mesh.create_rectangle(MPI.COMM_WORLD, [np.array([-20.0, -20.0]), np.array([20.0, 20.0])], [n, n],
                               mesh.CellType.quadrilateral)
V = fem.VectorFunctionSpace(domain, ("Lagrange", 1))
E, nu = 150.0, 0.257
mu, lmbda = E / (2 * (1 + nu)), E * nu / ((1 + nu) * (1 - 2 * nu))
eps = lambda w: ufl.sym(ufl.grad(w))
sigma = lambda w: 2 * mu * eps(w) + lmbda * ufl.tr(eps(w)) * ufl.Identity(2)
u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
right = mesh.locate_entities_boundary(domain, 1, lambda x: np.isclose(x[0], 20.0))
tags = mesh.meshtags(domain, 1, right, np.full(len(right), 1, dtype=np.int32))
ds = ufl.Measure("ds", domain=domain, subdomain_data=tags)
a = fem.form(ufl.inner(sigma(u), eps(v)) * ufl.dx)
L = fem.form(ufl.dot(fem.Constant(domain, PETSc.ScalarType((1.0, 0.0))), v) * ds(1))
left = fem.locate_dofs_geometrical(V, lambda x: np.isclose(x[0], -20.0))
bc = fem.dirichletbc(np.zeros(2, dtype=PETSc.ScalarType), left, V)
t1 = time.perf_counter()
A = assemble_matrix(a, bcs=[bc]); A.assemble()
b = assemble_vector(L); apply_lifting(b, [a], bcs=[[bc]])
b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE); set_bc(b, [bc])
t2 = time.perf_counter()
ksp = PETSc.KSP().create(domain.comm); ksp.setOperators(A); ksp.setType("preonly"); ksp.getPC().setType("lu")
x = A.createVecRight(); ksp.solve(b, x)
t3 = time.perf_counter()
print(f"FEniCSx (dolfinx {dolfinx.__version__}) plane-strain elasticity {n}x{n} Q1 ({A.getSize()[0]} unknowns): "
      f"forms and mesh {t1 - t0:.2f} s, assembly {t2 - t1:.2f} s, LU solve (PETSc) {t3 - t2:.2f} s")

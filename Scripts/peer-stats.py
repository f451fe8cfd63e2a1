#!/usr/bin/env python3
"""Independent check of `atomprobe stats` (issue 26): the frequency distribution and the k-th
nearest-neighbour distributions recomputed with numpy + scipy (cKDTree, scipy.stats) from the
reconstruction and range file, compared with our stats.json / fda.csv / nn.csv.

    python3 -m venv /tmp/stats-venv && /tmp/stats-venv/bin/pip install numpy scipy
    atomprobe stats Si.pos --ranges Si.RRNG --solutes Cr --output /tmp/si
    /tmp/stats-venv/bin/python Scripts/peer-stats.py Si.pos Si.RRNG Cr /tmp/si

The block partition is the documented one (voxels of equal atom count: atoms sorted by z into
slabs, by y into rows, by x into blocks; ties by atom order), written again here from its
description. Randomized labels use numpy's own generator, so those means agree statistically.
Exit status 1 when a figure disagrees beyond its tolerance.
"""
import json, re, sys, time
import numpy as np
from scipy.spatial import cKDTree
from scipy import stats


def read_pos(path):
    a = np.fromfile(path, dtype=">f4").reshape(-1, 4).astype(np.float32)
    return a[:, :3], a[:, 3]


def read_rrng(path):
    ranges = []
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*Range\d+\s*=\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s+(.*)", line)
        if not m:
            continue
        atoms = [(k, int(v)) for k, v in re.findall(r"([A-Z][a-z]?):(\d+)", m.group(3))]
        ranges.append((float(m.group(1)), float(m.group(2)), tuple(a for a in atoms if a[1] > 0)))
    return ranges


def main(pos, rrng, solutes, out):
    solutes = solutes.split(",")
    t0 = time.time()
    xyz, mass = read_pos(pos)
    ranges = read_rrng(rrng)
    types = sorted(set(r[2] for r in ranges))
    type_of_range = np.array([types.index(r[2]) for r in ranges])
    lows = np.array([r[0] for r in ranges]); highs = np.array([r[1] for r in ranges])
    # Range lookup: low <= m < high (m as float32 widened to double, as ours).
    m = mass.astype(np.float64)
    t = np.full(len(m), -1)
    for k in range(len(ranges)):
        t[(m >= lows[k]) & (m < highs[k])] = type_of_range[k]
    keep = (t >= 0) & np.isfinite(xyz).all(axis=1)
    xyz, t = xyz[keep], t[keep]
    ours = json.load(open(out + "/stats.json"))
    failures = []
    print(f"ranged ions: peer {len(t)}, ours {ours['ions']}")
    if len(t) != ours["ions"]:
        failures.append("ion count")

    # Frequency distribution.
    n = ours["frequency_distribution"]["block_atoms"]
    natoms = np.array([sum(c for _, c in ty) for ty in types])
    codes = np.zeros((len(types), natoms.max()), dtype=np.int8)
    for i, ty in enumerate(types):
        seq = [1 if el in solutes else 0 for el, c in ty for _ in range(c)]
        codes[i, :len(seq)] = seq
    per = natoms[t]
    ion_of_atom = np.repeat(np.arange(len(t)), per)
    starts = np.repeat(np.cumsum(per) - per, per)
    code = codes[t[ion_of_atom], np.arange(len(ion_of_atom)) - starts]
    total = len(ion_of_atom); b = total // n
    lo = xyz.min(axis=0); hi = xyz.max(axis=0)
    e = np.maximum((hi - lo).astype(np.float32), np.float32(1e-3)).astype(np.float64)
    atom_index = np.arange(total)

    def by(axis, atoms):
        v = xyz[ion_of_atom[atoms], axis]
        return atoms[np.lexsort((atom_index[atoms], v))]

    slabs = min(b, max(1, int(np.floor(np.cbrt(b) * e[2] / np.cbrt(e[0] * e[1] * e[2]) + 0.5))))
    by_z = by(2, atom_index)
    counts = []
    for j in range(slabs):
        b0, b1 = b * j // slabs, b * (j + 1) // slabs
        bs = b1 - b0
        rows = min(bs, max(1, int(np.floor(np.sqrt(bs * e[1] / e[0]) + 0.5))))
        by_y = by(1, by_z[b0 * n:b1 * n])
        for r in range(rows):
            r0, r1 = bs * r // rows, bs * (r + 1) // rows
            by_x = by(0, by_y[r0 * n:r1 * n])
            counts.append(code[by_x].reshape(-1, n).sum(axis=1))
    counts = np.concatenate(counts)
    nb = len(counts)
    observed = np.bincount(counts, minlength=n + 1)
    p = counts.sum() / (nb * n)
    expected = nb * stats.binom.pmf(np.arange(n + 1), n, p)
    classes, open_ = [], None
    for k in range(n + 1):
        c = open_ or [k, 0, 0.0]
        c[1] += observed[k]; c[2] += expected[k]
        if c[2] >= 5:
            classes.append(c); open_ = None
        else:
            open_ = c
    if open_:
        if classes:
            classes[-1][1] += open_[1]; classes[-1][2] += open_[2]
        else:
            classes.append(open_)
    chi2 = sum((o - x) ** 2 / x for _, o, x in classes)
    dof = len(classes) - 2
    pval = stats.chi2.sf(chi2, dof)
    mu = np.sqrt(chi2 / (nb * n + chi2))
    f = ours["frequency_distribution"]
    fda = np.genfromtxt(out + "/fda.csv", delimiter=",", names=True)
    same_hist = np.array_equal(fda["observed_blocks"].astype(int), observed[:len(fda)]) and observed[len(fda):].sum() == 0
    print(f"FDA: blocks peer {nb} ours {f['blocks']}; chi2 peer {chi2:.6g} ours {f['chi2']:.6g}; dof peer {dof} ours {f['dof']}; "
          f"p peer {pval:.4g} ours {f['p_value']:.4g}; mu peer {mu:.6f} ours {f['pearson_mu']:.6f}; histogram identical: {same_hist}")
    if nb != f["blocks"] or dof != f["dof"] or not same_hist or abs(chi2 - f["chi2"]) > 1e-6 * max(1, chi2) or abs(mu - f["pearson_mu"]) > 1e-9:
        failures.append("FDA")
    t1 = time.time()

    # k-th nearest-neighbour distances.
    held = np.array([any(el in solutes for el, _ in ty) for ty in types])
    sol = xyz[held[t]].astype(np.float64)
    nn = ours["nearest_neighbour"]
    orders = nn["orders"]; K = len(orders); reach = nn["reach_nm"]; bins = len(nn["r_nm"])
    d, _ = cKDTree(sol).query(sol, k=K + 1)
    d = d[:, 1:]
    table = np.genfromtxt(out + "/nn.csv", delimiter=",", names=True)
    worst_hist, worst_mean = 0.0, 0.0
    for o in orders:
        k = o["k"]; dk = d[:, k - 1]
        within = dk[dk <= reach]
        mean = within.mean()
        h = np.bincount(np.minimum(bins - 1, (within / (reach / bins)).astype(int)), minlength=bins) / len(sol)
        dh = np.abs(h - table[f"k{k}_observed"]).max()
        worst_hist = max(worst_hist, dh); worst_mean = max(worst_mean, abs(mean - o["observed_mean_nm"]))
        if k in (1, K):
            print(f"k = {k}: mean peer {mean:.6f} nm ours {o['observed_mean_nm']:.6f} nm; largest bin difference {dh:.2g}")
    print(f"k-NN, all k: largest mean difference {worst_mean:.2g} nm, largest bin difference {worst_hist:.2g} (fraction of solutes)")
    if worst_mean > 1e-6 or worst_hist > 2.0 / len(sol):
        failures.append("k-NN observed")
    # Randomized labels (numpy's generator): the means agree within 4 standard errors.
    rng = np.random.default_rng(0)
    R = nn["randomizations"]
    means = np.zeros((R, K))
    for j in range(R):
        pick = xyz[rng.choice(len(xyz), size=len(sol), replace=False)].astype(np.float64)
        dr, _ = cKDTree(pick).query(pick, k=K + 1)
        dr = dr[:, 1:]
        means[j] = [dr[:, k][dr[:, k] <= reach].mean() for k in range(K)]
    for o in orders:
        k = o["k"]; m_, se = means[:, k - 1].mean(), means[:, k - 1].std(ddof=1) / np.sqrt(R)
        ok = abs(m_ - o["randomized_mean_nm"]) <= 4 * se * np.sqrt(2) + 1e-9
        if k in (1, K):
            print(f"k = {k} randomized: mean peer {m_:.5f} ± {se:.1g} nm, ours {o['randomized_mean_nm']:.5f} nm")
        if not ok:
            failures.append(f"randomized k={k}")
    print(f"peer time: FDA {t1 - t0:.1f} s, k-NN with {R} randomizations {time.time() - t1:.1f} s")
    print("AGREE" if not failures else "DISAGREE: " + ", ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))

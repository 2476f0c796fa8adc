"""Goldens for test/linalg-decomp.test.ts: numpy's qr, eigh, svd and the jnp.linalg functions built on
them, on fixed random matrices (float64). Run: python3 test/goldens/make_linalg_decomp_goldens.py"""
import json, os
import numpy as np

rng = np.random.default_rng(7)
L = lambda a: np.asarray(a, dtype=float).tolist()

def well(m, n, lo=1.0, hi=4.0, batch=()):
    """Matrices with distinct, well separated singular values in [lo, hi]."""
    k = min(m, n)
    out = np.empty(batch + (m, n))
    for idx in np.ndindex(*batch):
        u, _ = np.linalg.qr(rng.standard_normal((m, m)))
        v, _ = np.linalg.qr(rng.standard_normal((n, n)))
        s = np.linspace(hi, lo, k) * (1 + 0.05 * rng.random(k))
        out[idx] = (u[:, :k] * s) @ v[:, :k].T
    return out

mats = {
    "sq4": well(4, 4), "tall5x3": well(5, 3), "wide3x5": well(3, 5), "batch2x3x3": well(3, 3, batch=(2,)),
    "rankdef4x3": rng.standard_normal((4, 2)) @ rng.standard_normal((2, 3)), "one1x1": np.array([[-2.5]]),
}
g = {"mats": {}, "sym": {}, "misc": {}}
for name, a in mats.items():
    q, r = np.linalg.qr(a)
    qc, rc = np.linalg.qr(a, mode="complete")
    u, s, vh = np.linalg.svd(a)
    ur, _, vhr = np.linalg.svd(a, full_matrices=False)
    e = {"a": L(a), "q": L(q), "r": L(r), "qc": L(qc), "rc": L(rc), "u": L(u), "s": L(s), "vh": L(vh), "ur": L(ur), "vhr": L(vhr),
         "pinv": L(np.linalg.pinv(a)), "rank": np.linalg.matrix_rank(a).tolist(),
         "norm2": L(np.linalg.norm(a, 2, axis=(-2, -1))), "normm2": L(np.linalg.norm(a, -2, axis=(-2, -1))),
         "nuc": L(np.linalg.norm(a, "nuc", axis=(-2, -1))), "cond": L(np.linalg.cond(a))}
    if a.shape[-1] == a.shape[-2] and name != "rankdef4x3":
        e["cond1"] = L(np.linalg.cond(a, 1)); e["condinf"] = L(np.linalg.cond(a, np.inf)); e["condfro"] = L(np.linalg.cond(a, "fro"))
    if a.ndim == 2:
        b = rng.standard_normal(a.shape[0]); b2 = rng.standard_normal((a.shape[0], 2))
        x, res, rk, sv = np.linalg.lstsq(a, b, rcond=None)
        x2, res2, _, _ = np.linalg.lstsq(a, b2, rcond=None)
        e.update(b=L(b), b2=L(b2), lstsq_x=L(x), lstsq_resid=L(res), lstsq_rank=int(rk), lstsq_x2=L(x2), lstsq_resid2=L(res2))
    g["mats"][name] = e

for name, n, batch in [("sym4", 4, ()), ("sym3b", 3, (2,))]:
    a = rng.standard_normal(batch + (n, n))
    w, v = np.linalg.eigh(a)             # reads the lower triangle
    wu, vu = np.linalg.eigh(a, UPLO="U")
    sym = (a + np.swapaxes(a, -1, -2)) / 2
    ws, vs = np.linalg.eigh(sym)
    g["sym"][name] = {"a": L(a), "w": L(w), "v": L(v), "wu": L(wu), "vu": L(vu), "ws": L(ws), "vs": L(vs)}

x = np.linspace(-1, 2, 9); y = 1 - 2 * x + 0.5 * x ** 2 + 0.1 * np.sin(5 * x); y2 = np.stack([y, np.cos(x)], 1)
w = 1 + 0.1 * np.arange(9)
c, res, rk, sv, rc = np.polyfit(x, y, 2, full=True)
cc, cov = np.polyfit(x, y, 2, cov=True)
c2, cov2 = np.polyfit(x, y2, 3, cov=True)
arrs = [rng.standard_normal(3), rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)]
c1 = rng.standard_normal((2, 3)); c2_ = rng.standard_normal((3,))
t4 = rng.standard_normal((6, 2, 3))
g["misc"] = {
    "x": L(x), "y": L(y), "y2": L(y2), "w": L(w), "poly": L(c), "poly_resid": L(res), "poly_rank": int(rk), "poly_sv": L(sv), "poly_rcond": float(rc),
    "poly_cov": L(cov), "poly2": L(c2), "poly2_cov": L(cov2), "poly_w": L(np.polyfit(x, y, 2, w=w)),
    "arrs": [L(a) for a in arrs], "multi_dot": L(np.linalg.multi_dot(arrs)),
    "t4": L(t4), "tensorinv": L(np.linalg.tensorinv(t4, ind=1)),
    "c1": L(c1), "c2": L(c2_), "cross": L(np.cross(c1, c2_)), "vecdot": L(np.vecdot(c1, c2_)),
}
ts_a = rng.standard_normal((2, 3, 6)); ts_b = rng.standard_normal((2, 3))
g["misc"].update(ts_a=L(ts_a), ts_b=L(ts_b), tensorsolve=L(np.linalg.tensorsolve(ts_a, ts_b)))

with open(os.path.join(os.path.dirname(__file__), "linalg_decomp.json"), "w") as f:
    json.dump(g, f, separators=(",", ":"))

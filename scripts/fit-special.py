# Fits the polynomials in src/api/lax-special.ts (run: python3 scripts/fit-special.py).
# lgamma(x) = (x-1)(x-2) G(x-2) and digamma(x) = (x-x0) H(x-2) on [1, 3], so both keep their relative
# accuracy at their zeros; erfc(x) = t exp(-x^2 + F(t)), t = 1/(1 + x/2), for x >= 0.5.
import mpmath as mp
import numpy as np
from numpy.polynomial import chebyshev as C

mp.mp.dps = 40
X0 = mp.findroot(mp.digamma, 1.46)

def fit(f, lo, hi, deg, n=400):
    k = np.arange(n)
    u = np.cos(np.pi * (k + 0.5) / n)  # Chebyshev nodes on [-1, 1]
    x = [mp.mpf(lo) + (mp.mpf(hi) - lo) * (mp.mpf(float(v)) + 1) / 2 for v in u]
    y = np.array([float(f(v)) for v in x])
    c = C.chebfit(u, y, deg)
    rel = np.max(np.abs(C.chebval(u, c) - y) / np.abs(y))
    return C.cheb2poly(c), rel

def show(name, p, rel, scale):
    # power series in the variable v with v = scale * u
    q = [float(a) / scale ** i for i, a in enumerate(p)]
    print(f"// {name}: max relative fit error {rel:.2e}")
    print(f"const {name} = [{', '.join('%.12g' % v for v in reversed(q))}];")

for deg in (15,):
    p, r = fit(lambda x: mp.loggamma(x) / ((x - 1) * (x - 2)) if x not in (1, 2) else mp.diff(mp.loggamma, x) / (2 * x - 3), 1, 3, deg)
    show("LGAMMA_G", p, r, 1)
    p, r = fit(lambda x: mp.digamma(x) / (x - X0), 1, 3, deg)
    show("DIGAMMA_H", p, r, 1)
# erfc: t in (0, 2/2.25] for x in [0.5, inf); fit in t over [0, 0.8] (u = (t - 0.4) / 0.4)
def F(t):
    x = 2 * (1 / t - 1)
    return mp.log(mp.erfc(x)) + x * x - mp.log(t)
for deg in (16,):
    k = np.arange(600)
    u = np.cos(np.pi * (k + 0.5) / 600)
    ts = [mp.mpf(0.4) * (mp.mpf(float(v)) + 1) for v in u]
    ys = np.array([float(F(t)) if t > 1e-6 else float(mp.log(1 / mp.sqrt(mp.pi)) + mp.log(2)) for t in ts])
    c = C.chebfit(u, ys, deg)
    err = np.max(np.abs(C.chebval(u, c) - ys))
    p = C.cheb2poly(c)
    # F as a polynomial in t: u = t/0.4 - 1
    tp = np.polynomial.Polynomial(p)(np.polynomial.Polynomial([-1, 1 / 0.4]))
    print(f"// ERFC_F: max absolute fit error {err:.2e}")
    print(f"const ERFC_F = [{', '.join('%.12g' % float(v) for v in reversed(tp.coef))}];")
print("// X0", mp.nstr(X0, 25))

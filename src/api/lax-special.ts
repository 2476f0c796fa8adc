// lax.lgamma, lax.digamma and lax.erfc as compositions of elementwise primitives, so they run on
// every backend, fuse under jit and differentiate to any order. Each maps its argument into [1, 3)
// by recurrences (and x < 0 by reflection), where a fitted polynomial carries the function's zeros
// as exact factors; large arguments take the asymptotic series. scripts/fit-special.py makes the
// coefficients. Accuracy: a few float32 ulp (float64 inputs: about 1e-9 relative).
import { ArrayLike, JaxArray } from "../core/value.js";
import { add, abs, bitwiseAnd, bitwiseNot, bitwiseOr, div, ne, eq, floor, le, lt, max, min, mul, neg, round, select, square, sub } from "../primitives/arith.js";
import { full } from "../primitives/helpers.js";
import { erf, exp, log, requireFloat, sin, tan } from "../primitives/math.js";
import { asArray } from "./numpy/creation.js";

const LGAMMA_G = [-2.45975015789e-06, 4.86894959975e-06, -4.50687535825e-07, 2.26742684892e-06, -2.11273647152e-05,
  4.36811968971e-05, -8.11538775536e-05, 0.000179823233136, -0.000406312944569, 0.000916097993146, -0.00210803172818,
  0.00499854856564, -0.0123841994266, 0.0329650051221, -0.100317301521, 0.422784335063];
const DIGAMMA_H = [-3.41221220781e-05, 6.36891524913e-05, 9.0643873969e-06, -9.12945662701e-07, -0.000220201901511,
  0.000415506718468, -0.000645815579275, 0.00131878035237, -0.0027488076736, 0.00556269112812, -0.0113369171242, 0.0234459656826,
  -0.0495511437493, 0.108999982476, -0.260738952331, 0.785307538084];
const ERFC_F = [-0.135023850528, 0.48848419928, -0.0274315634898, -2.74538040569, 6.35384439391, -6.9615892759, 4.26768804354,
  -1.73386559839, 0.697732878252, -0.0925733566152, -0.0732172739233, -0.145684531142, -0.0858060996011, 0.0833279597876,
  0.375000115018, 0.999999999029, -1.26551212348];
/** The positive zero of digamma, split so x - X0_HI is exact near it. */
const X0_HI = Math.fround(1.4616321449683623), X0_LO = 1.4616321449683623 - X0_HI;

const horner = (cs: readonly number[], t: JaxArray) => cs.slice(1).reduce((p, c) => add(mul(p, t), c), full(t.shape, cs[0], t.dtype));

function float(op: string, x: ArrayLike): JaxArray {
  const a = asArray(x);
  requireFloat(op, a);
  return a;
}

/**
 * For y > 0: the argument z in [1, 3) of the fits (y + 1 below 1, else y - k with k = max(floor(y) - 2, 0)),
 * and `each(f)`, the k terms f(z + j), j < k (else `unit`), that the recurrence adds back (k <= 5 for y < 8).
 */
function reduce13(y0: JaxArray) {
  // Clipped below 8 (where the asymptotic branch takes over) so the unused branch stays finite for grad.
  const y = select(lt(y0, 8), y0, full(y0.shape, 7.5, y0.dtype)), small = lt(y, 1), one = full(y.shape, 1, y.dtype);
  const k = max(sub(floor(y), 2), 0);
  const z = select(small, add(y, 1), sub(y, k));
  const each = (f: (t: JaxArray) => JaxArray, unit: number) =>
    [0, 1, 2, 3, 4].map((j) => select(lt(j, k), f(add(z, j)), full(y.shape, unit, y.dtype)));
  return { z, small, ys: select(small, y, one), each };
}

/** Shared shape of both functions: y = x, or 1 - x by reflection for x < 0. */
function reflected(x: JaxArray) {
  const reflect = lt(x, 0), y = select(reflect, sub(1, x), x);
  return { reflect, y, big: le(8, y) };
}

const isInf = (x: JaxArray) => eq(abs(x), Infinity);

/** lax.lgamma: log |Gamma(x)|; +inf at the poles (non-positive integers) and at +-inf. */
export function lgamma(x: ArrayLike): JaxArray {
  const a = float("lgamma", x);
  const { reflect, y, big } = reflected(a);
  const { z, small, ys, each } = reduce13(y);
  const fit = mul(mul(sub(z, 1), sub(z, 2)), horner(LGAMMA_G, sub(z, 2)));
  const mid = add(fit, select(small, neg(log(ys)), log(each((t) => t, 1).reduce((p, t) => mul(p, t)))));
  // Stirling's series, with terms to 1/y^7 (below 3e-10 relative for y >= 8).
  const s = select(big, y, full(y.shape, 8, y.dtype)), r = div(1, s), r2 = square(r);
  const series = mul(r, horner([-1 / 1680, 1 / 1260, -1 / 360, 1 / 12], r2));
  const stirling = add(add(sub(mul(sub(s, 0.5), log(s)), s), 0.5 * Math.log(2 * Math.PI)), series);
  const pos = select(big, stirling, mid);
  // Reflection: lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x), with |sin(pi x)| = sin(pi f), f the distance to the nearest integer.
  const fr = sub(abs(a), floor(abs(a)));
  const f = select(reflect, min(fr, sub(1, fr)), full(a.shape, 0.25, a.dtype));
  const out = select(reflect, sub(sub(Math.log(Math.PI), log(sin(mul(f, Math.PI)))), pos), pos);
  return select(isInf(a), full(a.shape, Infinity, a.dtype), select(ne(a, a), a, out));
}

/** lax.digamma: d/dx lgamma(x); NaN at the poles (non-positive integers) and at -inf, as XLA. */
export function digamma(x: ArrayLike): JaxArray {
  const a = float("digamma", x);
  const { reflect, y, big } = reflected(a);
  const { z, small, ys, each } = reduce13(y);
  const fit = mul(sub(sub(z, X0_HI), X0_LO), horner(DIGAMMA_H, sub(z, 2)));
  const mid = add(fit, select(small, neg(div(1, ys)), each((t) => div(1, t), 0).reduce((p, t) => add(p, t))));
  const s = select(big, y, full(y.shape, 8, y.dtype)), r = div(1, s), r2 = square(r);
  // log y - 1/(2y) - sum B_2k / (2k y^2k), to 1/y^10.
  const series = mul(r2, horner([-1 / 132, 1 / 240, -1 / 252, 1 / 120, -1 / 12], r2));
  const asym = add(sub(log(s), mul(r, 0.5)), series);
  const pos = select(big, asym, mid);
  // Reflection: digamma(x) = digamma(1 - x) - pi / tan(pi x), tan taken at x minus the nearest integer.
  const d = sub(a, round(a));
  const pole = bitwiseAnd(le(a, 0), eq(d, 0));
  const safe = select(bitwiseAnd(reflect, bitwiseNot(pole)), d, full(a.shape, 0.25, a.dtype));
  const out = select(reflect, sub(pos, div(Math.PI, tan(mul(safe, Math.PI)))), pos);
  const nan = full(a.shape, NaN, a.dtype);
  return select(bitwiseOr(pole, ne(a, a)), nan, select(isInf(a), select(lt(a, 0), nan, a), out));
}

/** lax.erfc: 1 - erf(x), accurate where it is tiny (x > 0.5: t exp(-x^2 + F(t)), t = 1/(1 + x/2)). */
export function erfc(x: ArrayLike): JaxArray {
  const a = float("erfc", x);
  const ax = abs(a), xb = select(lt(ax, 0.5), full(a.shape, 0.5, a.dtype), select(lt(30, ax), full(a.shape, 30, a.dtype), ax));
  const t = div(1, add(1, mul(xb, 0.5)));
  // exp(-x^2) as exp(-h^2) exp(-l (x + h)) with h = x to 8 fractional bits, so h^2 is exact.
  const h = div(floor(mul(xb, 256)), 256), l = sub(xb, h);
  const tail = mul(mul(t, exp(sub(horner(ERFC_F, t), mul(l, add(xb, h))))), exp(neg(square(h))));
  return select(lt(ax, 0.5), sub(1, erf(a)), select(lt(a, 0), sub(2, tail), tail));
}

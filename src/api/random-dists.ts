// jax.random's other samplers, each a port of its counterpart in JAX's jax/_src/random/core.py with
// the same key splits and the same operations in the same order, so integer samples equal JAX's and
// float samples agree to rounding (tinyjax's log/pow/tan are not XLA's approximations to the ulp).
// Every sampler takes JAX's positional arguments after its parameters, or one options object.
// gamma (and so beta, dirichlet, t, chisquare, f, generalizedNormal) differentiate in their shape
// parameters by JAX's implicit rule (lax.randomGammaGrad, random-special.ts).
import { customJvp } from "../autodiff/custom.js";
import { vmap } from "../batching/vmap.js";
import { whileLoop } from "../control/loops.js";
import { isPlainObject, positionalOptions } from "../core/transform-args.js";
import { DType, isInt } from "../core/dtype.js";
import { DTypeError, NotImplementedError, ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, fmtShape } from "../core/shape.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import * as M from "../primitives/math.js";
import * as S from "../primitives/structural.js";
import * as jnp from "./numpy/index.js";
import { cholesky } from "./numpy/linalg-extra.js";
import { eigh, svd } from "./numpy/linalg-factor.js";
import { bernoulli, exponential, normal, split, uniform } from "./random.js";
import { lgamma, randomGammaGrad } from "./random-special.js";
import { bc, c, checkKey, checkShape, concreteInt, floatDtype, Shape, shapeOf, toDtype } from "./random-util.js";

type Opt = Shape | DType | string | number | ArrayLike | Record<string, unknown> | null | undefined;
interface SD { shape?: Shape | null; dtype?: DType; method?: string }
const SDM = ["shape", "dtype", "method"];

/** JAX's trailing (shape, dtype, ...) given positionally or as one options object. */
const opts = <T extends object = SD>(op: string, rest: readonly Opt[], names: string[] = ["shape", "dtype"]): T =>
  positionalOptions<T>(`random.${op}`, rest, names as never);

const asArr = (x: ArrayLike): JaxArray => jnp.asArray(x);
const shp = (x: ArrayLike): number[] => [...asArr(x).shape];

/** `shape` (checked against the parameters) or, when absent, the parameters' broadcast shape. */
function outShape(op: string, shape: Shape | null | undefined, ...params: ArrayLike[]): number[] {
  const ps = params.map(shp);
  if (shape === undefined || shape === null) return ps.length ? broadcastShapes(op, ...ps) : [];
  const s = shapeOf(op, shape);
  checkShape(op, s, ...ps);
  return s;
}

/** The common prologue: options, checked key, float dtype, and the output shape (`shape`, checked
 * against the parameters' shapes, or their broadcast). */
function prep(op: string, key: ArrayLike, rest: readonly Opt[], params: ArrayLike[], names?: string[]) {
  const o = opts<SD & Record<string, any>>(op, rest, names);
  return { o, k: checkKey(op, key), dtype: floatDtype(op, o.dtype), s: outShape(op, o.shape, ...params) };
}

/** Rows of split(key, n) as separate keys. */
function splitN(k: JaxArray, n: number): JaxArray[] {
  const s = split(k, n);
  return Array.from({ length: n }, (_, i) => S.reshape(S.slice(s, [i, 0], [i + 1, 2]), [2]));
}

function intDtype(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? "int32";
  if (!isInt(d)) throw new DTypeError(`dtype argument to \`${op}\` must be an int dtype, got ${d}.`);
  return d;
}

/** true for method "approximate", false for "exact" (the default). */
function checkMethod(op: string, method: string | undefined, approx = true): boolean {
  if (method === undefined || method === "exact") return false;
  if (method === "approximate" && !approx) throw new NotImplementedError(`random.${op}: method="approximate" is not implemented in tinyjax; use the default "exact".`);
  if (method === "approximate") return true;
  throw new ValueError(`method argument to \`${op}\` must be one of {'exact', 'approximate'}, got ${JSON.stringify(method)}.`);
}

// ---------------------------------------------------------------------------------------------
// gamma: Marsaglia-Tsang, one rejection loop per element (JAX's _gamma_one)

function gammaOne(key: JaxArray, alpha: JaxArray, logSpace: boolean): JaxArray {
  const dt = alpha.dtype;
  const k = (v: number) => c(v, dt);
  const boost = A.ge(alpha, k(1));
  const a = A.select(boost, alpha, A.add(alpha, k(1)));
  const d = A.sub(a, k(1 / 3));
  const cc = A.div(k(1 / 3), M.sqrt(d));
  const cond = ([, X, V, U]: JaxArray[]) => A.bitwiseAnd(
    A.ge(U, A.sub(k(1), A.mul(k(0.0331), A.mul(X, X)))),
    A.ge(M.log(U), A.add(A.mul(X, k(0.5)), A.mul(d, A.add(A.sub(k(1), V), M.log(V))))));
  const body = ([kk]: JaxArray[]) => {
    const [next, xKey, uKey] = splitN(kk, 3);
    const [, x, v] = whileLoop(([, , v]: JaxArray[]) => A.le(v, k(0)), ([k1]: JaxArray[]) => {
      const [k2, sub] = splitN(k1, 2);
      const x = normal(sub, [], dt);
      return [k2, x, A.add(k(1), A.mul(x, cc))];
    }, [xKey, k(0), k(-1)]) as JaxArray[];
    return [next, A.mul(x, x), A.mul(A.mul(v, v), v), uniform(uKey, [], { dtype: dt })];
  };
  const [k0, sub] = splitN(key, 2);
  const V = (whileLoop(cond, body, [k0, k(0), k(1), k(2)]) as JaxArray[])[2];
  if (logSpace) {
    const logSamples = A.neg(exponential(sub, [], dt));
    const logBoost = A.select(A.bitwiseOr(boost, A.eq(logSamples, k(0))), k(0), A.mul(logSamples, A.div(k(1), alpha)));
    return A.add(A.add(M.log(d), M.log(V)), logBoost);
  }
  const samples = A.sub(k(1), uniform(sub, [], { dtype: dt }));
  return A.mul(A.mul(d, V), A.select(boost, k(1), M.pow(samples, A.div(k(1), alpha))));
}

/** random_gamma_p: one key per element of `a` (split(key, a.size)), samples mapped over them. */
function gammaImpl(key: JaxArray, a: JaxArray, logSpace: boolean): JaxArray {
  const n = a.size;
  if (n === 0) return jnp.zeros(a.shape, { dtype: a.dtype });
  const keys = split(key, n);
  const out = vmap((kk: JaxArray, aa: JaxArray) => gammaOne(kk, aa, logSpace))(keys, S.reshape(a, [n]));
  return S.reshape(out, a.shape);
}

function gammaCommon(op: string, key: ArrayLike, a: ArrayLike, rest: Opt[], logSpace: boolean): JaxArray {
  const o = opts(op, rest, SDM);
  const k = checkKey(op, key);
  const approx = checkMethod(op, o.method);
  const dtype = floatDtype(op, o.dtype);
  const aa = toDtype(a, dtype);
  const s = o.shape === undefined || o.shape === null ? [...aa.shape] : shapeOf(op, o.shape);
  checkShape(op, s, aa.shape);
  if (approx) return gammaApprox(k, bc(aa, s), logSpace);
  // The derivative in `a` is JAX's implicit one (random_gamma_grad), not the rejection loop's.
  const f = customJvp((kk: JaxArray, x: JaxArray) => gammaImpl(kk, x, logSpace)).defjvp(([kk, x]: JaxArray[], [, tx]: JaxArray[]) => {
    const ans = gammaImpl(kk, x, logSpace);
    if (!logSpace) return [ans, A.mul(tx, randomGammaGrad(x, ans))];
    // d log(sample) = d sample / sample, with exp(log sample) kept off zero.
    let smp = M.exp(ans);
    smp = A.select(A.eq(smp, bc(c(0, x.dtype), x.shape)), bc(c(x.dtype === "float32" ? 2 ** -126 : 2 ** -1022, x.dtype), x.shape), smp);
    return [ans, A.mul(tx, A.div(randomGammaGrad(x, smp), smp))];
  });
  return f(k, bc(aa, s)) as JaxArray;
}

const CHI2_COEF = [[1.0, -0.2237368, -0.01513904], [0.4713941, 0.02607083, -0.008986007], [0.0001348028, 0.01128186, 0.02277679],
  [-0.008553069, -0.01153761, -0.01323293], [0.00312558, 0.005169654, -0.006950356], [-0.0008426812, 0.00253001, 0.001060438],
  [0.00009780499, -0.001450117, 0.001565326]];

/**
 * method="approximate" (JAX's _gamma_approx): loop-free. log Gamma(a + 4) from a degree-6
 * chi-square quantile series in one normal draw, then four boosts by log(U_k) / (a + k); it
 * differentiates pathwise.
 */
function gammaApprox(key: JaxArray, a: JaxArray, logSpace: boolean): JaxArray {
  const dt = a.dtype, s = a.shape, f = (v: number) => bc(c(v, dt), s);
  const [kBase, kBoost] = splitN(key, 2);
  const ab = A.add(a, f(4));
  const nu = A.mul(f(2), ab);
  const x = normal(kBase, s, dt);
  const u = A.div(f(1), nu);
  const t = A.mul(x, M.rsqrt(nu));
  const row = (r: number[]) => A.add(f(r[0]), A.mul(u, A.add(f(r[1]), A.mul(u, f(r[2])))));
  let poly = row(CHI2_COEF[6]);
  for (let i = 5; i >= 0; i--) poly = A.add(A.mul(poly, t), row(CHI2_COEF[i]));
  poly = A.max(poly, f(dt === "float32" ? 2 ** -126 : 2 ** -1022));
  const logBase = A.add(M.log(ab), A.mul(f(3), M.log(poly)));
  const full = [4, ...s];
  const kk = bc(S.reshape(S.iota(dt, [4], 0), [4, ...s.map(() => 1)]), full);
  const logU = A.neg(exponential(kBoost, full, dt));
  const out = A.add(logBase, jnp.sum(A.div(logU, A.add(bc(S.reshape(a, [1, ...s]), full), kk)), { axis: 0 }));
  return logSpace ? out : M.exp(out);
}

/** Gamma(a, 1) samples (JAX's gamma(key, a, shape=None, dtype=None, *, method="exact")). */
export function gamma(key: ArrayLike, a: ArrayLike, ...rest: Opt[]): JaxArray {
  return gammaCommon("gamma", key, a, rest, false);
}

/** log of Gamma(a, 1) samples, accurate for small a (JAX's loggamma). */
export function loggamma(key: ArrayLike, a: ArrayLike, ...rest: Opt[]): JaxArray {
  return gammaCommon("loggamma", key, a, rest, true);
}

/** Beta(a, b) samples from two log-gamma draws. */
export function beta(key: ArrayLike, a: ArrayLike, b: ArrayLike, ...rest: Opt[]): JaxArray {
  const { o, k, dtype, s } = prep("beta", key, rest, [a, b], SDM);
  checkMethod("beta", o.method);
  const [ka, kb] = splitN(k, 2);
  const la = loggamma(ka, bc(toDtype(a, dtype), s), s, dtype, o.method);
  const lb = loggamma(kb, bc(toDtype(b, dtype), s), s, dtype, o.method);
  const lmax = A.max(la, lb);
  const ga = M.exp(A.sub(la, lmax)), gb = M.exp(A.sub(lb, lmax));
  return A.div(ga, A.add(ga, gb));
}

/** Dirichlet(alpha) samples: softmax of log-gamma draws over the last axis. */
export function dirichlet(key: ArrayLike, alpha: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("dirichlet", rest);
  const k = checkKey("dirichlet", key);
  const dtype = floatDtype("dirichlet", o.dtype);
  const al = toDtype(alpha, dtype);
  if (al.ndim < 1) throw new ValueError(`dirichlet requires alpha.ndim >= 1, got alpha.ndim == 0.`);
  const batch = al.shape.slice(0, -1);
  const s = o.shape === undefined || o.shape === null ? batch : shapeOf("dirichlet", o.shape);
  checkShape("dirichlet", s, batch);
  const lg = loggamma(k, al, [...s, al.shape[al.ndim - 1]], dtype);
  const e = M.exp(A.sub(lg, bc(jnp.max(lg, { axis: -1, keepdims: true }), lg.shape)));
  return A.div(e, bc(jnp.sum(e, { axis: -1, keepdims: true }), e.shape));
}

/** Student's t(df) samples: normal * sqrt(df / 2 / gamma(df / 2)). */
export function t(key: ArrayLike, df: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("t", key, rest, [df]);
  const [kn, kg] = splitN(k, 2);
  const n = normal(kn, s, dtype);
  const halfDf = A.div(toDtype(df, dtype), c(2, dtype));
  const g = gamma(kg, halfDf, s, dtype);
  return A.mul(n, M.sqrt(A.div(bc(halfDf, s), g)));
}

/** Chi-square(df) samples: 2 * exp(loggamma(df / 2)). */
export function chisquare(key: ArrayLike, df: ArrayLike, ...rest: Opt[]): JaxArray {
  const { o, k, dtype, s } = prep("chisquare", key, rest, [df], SDM);
  checkMethod("chisquare", o.method);
  const halfDf = A.div(toDtype(df, dtype), c(2, dtype));
  return A.mul(M.exp(loggamma(k, halfDf, s, dtype, o.method)), c(2, dtype));
}

/** F(dfnum, dfden) samples: a ratio of scaled chi-squares. */
export function f(key: ArrayLike, dfnum: ArrayLike, dfden: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("f", key, rest, [dfnum, dfden]);
  const dn = toDtype(dfnum, dtype), dd = toDtype(dfden, dtype);
  const [kd, kn] = splitN(k, 2);
  const num = A.div(chisquare(kn, dn, s, dtype), bc(dn, s));
  const den = A.div(chisquare(kd, dd, s, dtype), bc(dd, s));
  return A.div(num, den);
}

/** Generalized normal samples with shape parameter p: sign * gamma(1/p)^(1/p). */
export function generalizedNormal(key: ArrayLike, p: number, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("generalizedNormal", key, rest, []);
  const [k0, k1] = splitN(k, 2);
  const g = gamma(k0, 1 / p, s, dtype);
  const r = rademacher(k1, s, dtype);
  return A.mul(r, M.pow(g, bc(c(1 / p, dtype), s)));
}

/** Uniform samples from the unit p-norm ball in d dimensions: shape [...shape, d]. */
export function ball(key: ArrayLike, d: number, ...rest: Opt[]): JaxArray {
  const o = opts<SD & { p?: number }>("ball", rest, ["p", "shape", "dtype"]);
  const k = checkKey("ball", key);
  const dd = concreteInt("ball", d);
  const p = o.p ?? 2;
  const dtype = floatDtype("ball", o.dtype);
  const s = shapeOf("ball", o.shape);
  const [k1, k2] = splitN(k, 2);
  const g = generalizedNormal(k1, p, [...s, dd], dtype);
  const e = exponential(k2, s, dtype);
  const norm = M.pow(A.add(jnp.sum(M.pow(A.abs(g), bc(c(p, dtype), g.shape)), { axis: -1 }), e), bc(c(1 / p, dtype), s));
  return A.div(g, bc(S.reshape(norm, [...s, 1]), g.shape));
}

// ---------------------------------------------------------------------------------------------
// closed-form transforms of uniform and normal draws

/** Standard Laplace samples: sign(u) * log1p(-|u|) for u uniform in (-1, 1). */
export function laplace(key: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("laplace", key, rest, []);
  const epsneg = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  const u = uniform(k, s, { minval: -1 + epsneg, maxval: 1, dtype });
  return A.mul(A.sign(u), M.log1p(A.neg(A.abs(u))));
}

/** Standard logistic samples: log(u) - log1p(-u). */
export function logistic(key: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("logistic", key, rest, []);
  const x = uniform(k, s, { minval: dtype === "float32" ? 2 ** -126 : 2 ** -1022, maxval: 1, dtype });
  return A.sub(M.log(x), M.log1p(A.neg(x)));
}

/** Standard Cauchy samples: tan(pi * (u - 1/2)). */
export function cauchy(key: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("cauchy", key, rest, []);
  const u = uniform(k, s, { minval: dtype === "float32" ? 2 ** -23 : 2 ** -52, maxval: 1, dtype });
  return M.tan(A.mul(c(Math.PI, dtype), A.sub(u, c(0.5, dtype))));
}

/** exp(sigma * normal) (JAX's lognormal(key, sigma=1, shape=None, dtype=None)). */
export function lognormal(key: ArrayLike, sigma: ArrayLike = 1, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("lognormal", key, rest, [sigma]);
  return M.exp(A.mul(normal(k, s, dtype), bc(toDtype(sigma, dtype), s)));
}

/** Pareto(b) samples: exp(exponential / b). */
export function pareto(key: ArrayLike, b: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("pareto", key, rest, [b]);
  return M.exp(A.div(exponential(k, s, dtype), bc(toDtype(b, dtype), s)));
}

/** Rayleigh(scale) samples: scale * sqrt(-2 log u). */
export function rayleigh(key: ArrayLike, scale: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("rayleigh", key, rest, [scale]);
  const u = uniform(k, s, { dtype });
  return A.mul(bc(toDtype(scale, dtype), s), M.sqrt(A.mul(M.log(u), c(-2, dtype))));
}

/** Wald (inverse Gaussian) samples with the given mean. */
export function wald(key: ArrayLike, mean: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("wald", key, rest, [mean]);
  const [k1, k2] = splitN(k, 2);
  const m = bc(toDtype(mean, dtype), s);
  const v = normal(k1, s, dtype);
  const z = uniform(k2, s, { dtype });
  const y = A.mul(v, v), ysq = A.mul(y, y), msq = A.mul(m, m);
  const cst = (x: number) => c(x, dtype);
  const root = M.sqrt(A.add(A.mul(A.mul(cst(4), m), y), A.mul(msq, ysq)));
  const x = A.sub(A.add(m, A.div(A.mul(msq, y), cst(2))), A.mul(A.div(m, cst(2)), root));
  return A.select(A.le(z, A.div(m, A.add(m, x))), x, A.div(msq, x));
}

/** Weibull samples (JAX's weibull_min(key, scale, concentration, shape=(), dtype=None)). */
export function weibullMin(key: ArrayLike, scale: ArrayLike, concentration: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("weibullMin", key, rest, []);
  const u = uniform(k, s, { minval: 0, maxval: 1, dtype });
  // 1.0 / concentration: a JS number divides in double precision first, as a Python float does.
  const inv = typeof concentration === "number" ? 1 / concentration : jnp.divide(1, concentration);
  return jnp.multiply(jnp.power(A.neg(M.log1p(A.neg(u))), inv), scale);
}

/** Triangular(left, mode, right) samples by inverting the CDF. */
export function triangular(key: ArrayLike, left: ArrayLike, mode: ArrayLike, right: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("triangular", key, rest, [left, mode, right]);
  const l = bc(toDtype(left, dtype), s), r = bc(toDtype(right, dtype), s), m = bc(toDtype(mode, dtype), s);
  const fc = A.div(A.sub(m, l), A.sub(r, l));
  const u = uniform(k, s, { dtype });
  const out1 = A.add(l, M.sqrt(A.mul(A.mul(u, A.sub(r, l)), A.sub(m, l))));
  const out2 = A.sub(r, M.sqrt(A.mul(A.mul(A.sub(c(1, dtype), u), A.sub(r, l)), A.sub(r, m))));
  return A.select(A.lt(u, fc), out1, out2);
}

/** Maxwell samples: the norm of 3 standard normals. */
export function maxwell(key: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("maxwell", key, rest, []);
  const x = normal(k, [...s, 3], dtype);
  return M.sqrt(jnp.sum(A.mul(x, x), { axis: -1 }));
}

/** Double-sided Maxwell samples: a random sign times maxwell, scaled and shifted. As in JAX the
 * result shape is shape + broadcast(loc, scale) (with shape = that broadcast when shape is ()). */
export function doubleSidedMaxwell(key: ArrayLike, loc: ArrayLike, scale: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("doublesidedMaxwell", rest);
  const k = checkKey("doublesidedMaxwell", key);
  const dtype = floatDtype("doublesidedMaxwell", o.dtype);
  const ps = broadcastShapes("doublesidedMaxwell", shp(loc), shp(scale));
  let s = shapeOf("doublesidedMaxwell", o.shape);
  if (!s.length) s = ps;
  s = [...s, ...ps];
  const [km, kr] = splitN(k, 2);
  const m = maxwell(km, s, dtype);
  const sign = rademacher(kr, s, dtype);
  return jnp.add(jnp.multiply(A.mul(sign, m), scale), loc);
}

export const doublesidedMaxwell = doubleSidedMaxwell;

/** Multivariate normal samples: mean + factor @ normal, factor from `method`: "cholesky" (the
 * default), or JAX's V·sqrt(w) from eigh / U·sqrt(s) from svd, which also take semi-definite cov.
 * Shape [...shape, n]. */
export function multivariateNormal(key: ArrayLike, mean: ArrayLike, cov: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("multivariateNormal", rest, SDM);
  const k = checkKey("multivariateNormal", key);
  const method = o.method ?? "cholesky";
  if (!["svd", "eigh", "cholesky"].includes(method)) throw new ValueError(`multivariateNormal: method must be one of {'svd', 'eigh', 'cholesky'}, got ${JSON.stringify(method)}.`);
  let [mu, cv] = jnp.promote("multivariateNormal", [mean, cov], "float");
  const dtype = floatDtype("multivariateNormal", o.dtype ?? mu.dtype);
  if (mu.ndim < 1) throw new ValueError(`multivariate_normal requires mean.ndim >= 1, got mean.ndim == 0.`);
  if (cv.ndim < 2) throw new ValueError(`multivariate_normal requires cov.ndim >= 2, got cov.ndim == ${cv.ndim}.`);
  const n = mu.shape[mu.ndim - 1];
  if (cv.shape[cv.ndim - 1] !== n || cv.shape[cv.ndim - 2] !== n) {
    throw new ShapeError(`multivariate_normal requires cov.shape == (..., n, n) for n=${n}, but got cov.shape == ${fmtShape(cv.shape)}.`);
  }
  const mb = mu.shape.slice(0, -1), cb = cv.shape.slice(0, -2);
  let s: number[];
  if (o.shape === undefined || o.shape === null) s = broadcastShapes("multivariateNormal", mb, cb);
  else {
    s = shapeOf("multivariateNormal", o.shape);
    checkShape("normal", s, mb, cb);
  }
  let factor: JaxArray;
  if (method === "cholesky") factor = cholesky(cv);
  else {
    const [vecs, vals] = method === "eigh" ? (([w, v]) => [v, w])(eigh(cv)) : svd(cv);
    factor = jnp.multiply(vecs, jnp.expandDims(jnp.sqrt(vals), -2));
  }
  const z = normal(k, [...s, n], dtype);
  const fz = jnp.matmul(factor, jnp.expandDims(z, -1));
  return jnp.add(mu, jnp.squeeze(fz, -1));
}

// ---------------------------------------------------------------------------------------------
// discrete samplers

/** Random signs, -1 or +1 (int32 by default). */
export function rademacher(key: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("rademacher", rest);
  const k = checkKey("rademacher", key);
  const dtype = o.dtype ?? "int32";
  const b = A.convertElementType(bernoulli(k, 0.5, shapeOf("rademacher", o.shape)), dtype);
  return A.convertElementType(A.sub(A.mul(c(2, dtype), b), c(1, dtype)), dtype);
}

/** Geometric(p) samples on {1, 2, ...} (int32 by default). */
export function geometric(key: ArrayLike, p: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("geometric", rest);
  const k = checkKey("geometric", key);
  const dtype = intDtype("geometric", o.dtype);
  const s = outShape("geometric", o.shape, p);
  const pa = jnp.promote("geometric", [p], "float")[0];
  let u = uniform(k, s, { dtype: pa.dtype });
  u = A.select(A.eq(u, c(0, pa.dtype)), bc(c(1, pa.dtype), s), u);
  const g = A.add(A.floor(A.div(M.log(u), bc(M.log1p(A.neg(pa)), s))), c(1, pa.dtype));
  return A.convertElementType(g, dtype);
}

const I32_MAX = 2147483647;

/** Knuth's method for lam < 10: count uniforms until their product drops below exp(-lam). */
function poissonKnuth(key: JaxArray, lam: JaxArray, s: number[], dtype: DType): JaxArray {
  const negLam = A.neg(lam);
  const [, kk] = whileLoop(([i, , , lp]: JaxArray[]) => A.bitwiseAnd(jnp.any(A.gt(lp, negLam)), A.lt(i, c(I32_MAX, "int32"))),
    ([i, kc, rng, lp]: JaxArray[]) => {
      const [next, sub] = splitN(rng, 2);
      const kn = A.select(A.gt(lp, negLam), A.add(kc, bc(c(1, dtype), s)), kc);
      const u = uniform(sub, s, { dtype: "float32" });
      return [A.add(i, c(1, "int32")), kn, next, A.add(lp, M.log(u))];
    }, [c(0, "int32"), jnp.zeros(s, { dtype }), key, jnp.zeros(s, { dtype: "float32" })]) as JaxArray[];
  return A.convertElementType(A.sub(kk, bc(c(1, dtype), s)), dtype);
}

/** Hormann's transformed rejection for lam >= 10. */
function poissonRejection(key: JaxArray, lam: JaxArray, s: number[], dtype: DType): JaxArray {
  const k = (v: number) => bc(c(v, "float32"), s);
  const logLam = M.log(lam);
  const b = A.add(k(0.931), A.mul(k(2.53), M.sqrt(lam)));
  const a = A.add(k(-0.059), A.mul(k(0.02483), b));
  const invAlpha = A.add(k(1.1239), A.div(k(1.1328), A.sub(b, k(3.4))));
  const vR = A.sub(k(0.9277), A.div(k(3.6224), A.sub(b, k(2))));
  const [, kOut] = whileLoop(([i, , acc]: JaxArray[]) => A.bitwiseAnd(jnp.any(A.bitwiseNot(acc)), A.lt(i, c(I32_MAX, "int32"))),
    ([i, kOut, accepted, rng]: JaxArray[]) => {
      const [next, k0, k1] = splitN(rng, 3);
      const u = A.sub(uniform(k0, s, { dtype: "float32" }), k(0.5));
      const v = uniform(k1, s, { dtype: "float32" });
      const us = A.sub(k(0.5), A.abs(u));
      const kk = A.floor(A.add(A.add(A.mul(A.add(A.div(A.mul(k(2), a), us), b), u), lam), k(0.43)));
      const sv = M.log(A.div(A.mul(v, invAlpha), A.add(A.div(a, A.mul(us, us)), b)));
      const tv = A.sub(A.add(A.neg(lam), A.mul(kk, logLam)), lgamma(A.add(kk, k(1))));
      const accept1 = A.bitwiseAnd(A.ge(us, k(0.07)), A.le(v, vR));
      const reject = A.bitwiseOr(A.lt(kk, k(0)), A.bitwiseAnd(A.lt(us, k(0.013)), A.gt(v, us)));
      const accept = A.bitwiseOr(accept1, A.bitwiseAnd(A.bitwiseNot(reject), A.le(sv, tv)));
      return [A.add(i, c(1, "int32")), A.select(accept, kk, kOut), A.bitwiseOr(accepted, accept), next];
    }, [c(0, "int32"), k(-1), jnp.zeros(s, { dtype: "bool" }), key]) as JaxArray[];
  return A.convertElementType(kOut, dtype);
}

/** Poisson(lam) samples (int32 by default): Knuth below lam = 10, rejection above, as JAX. */
export function poisson(key: ArrayLike, lam: ArrayLike, ...rest: Opt[]): JaxArray {
  const o = opts("poisson", rest, SDM);
  const kk = checkKey("poisson", key);
  checkMethod("poisson", o.method, false);
  const dtype = intDtype("poisson", o.dtype);
  const s = o.shape === undefined || o.shape === null ? shp(lam) : shapeOf("poisson", o.shape);
  const l = A.convertElementType(jnp.broadcastTo(lam, s), "float32");
  const useKnuth = A.bitwiseOr(A.ne(l, l), A.lt(l, bc(c(10, "float32"), s)));
  const lamKnuth = A.select(useKnuth, l, bc(c(0, "float32"), s));
  const lamRej = A.select(useKnuth, bc(c(1e5, "float32"), s), l);
  const result = A.select(useKnuth, poissonKnuth(kk, lamKnuth, s, dtype), poissonRejection(kk, lamRej, s, dtype));
  return A.select(A.eq(l, bc(c(0, "float32"), s)), jnp.zeros(s, { dtype }), result);
}

const STIRLING_TAIL = [0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287];

/** JAX's _stirling_approx_tail: a table for k <= 9, else the series (at k clamped to 9, as JAX has it). */
function stirlingTail(k: JaxArray): JaxArray {
  const dt = k.dtype, f = (v: number) => bc(c(v, dt), k.shape);
  const useTail = A.le(k, f(9));
  const kc = A.min(A.max(k, f(0)), f(9));
  const kp1 = A.add(kc, f(1)), kp1sq = A.mul(kp1, kp1);
  const approx = A.div(A.sub(f(1 / 12), A.div(A.sub(f(1 / 360), A.div(f(1 / 1260), kp1sq)), kp1sq)), kp1);
  const tail = jnp.take(jnp.array(STIRLING_TAIL, { dtype: dt }), A.convertElementType(A.floor(kc), "int32"));
  return A.select(useTail, tail, approx);
}

/** Counts geometric waiting times until they pass `count` (JAX's _binomial_inversion). */
function binomialInversion(key: JaxArray, count: JaxArray, prob: JaxArray, s: number[]): JaxArray {
  const dt = prob.dtype, f = (v: number) => bc(c(v, dt), s);
  const log1m = M.log1p(A.neg(prob));
  const [, num] = whileLoop(([, , sum]: JaxArray[]) => jnp.any(A.le(sum, count)), ([n, g, sum, rng]: JaxArray[]) => {
    const [sub, next] = splitN(rng, 2);
    const out = A.select(A.le(sum, count), A.add(g, f(1)), g);
    const u = uniform(sub, s, { dtype: dt });
    return [A.add(n, c(1, "int32")), out, A.add(sum, A.ceil(A.div(M.log(u), log1m))), next];
  }, [c(0, "int32"), f(0), f(0), key]) as JaxArray[];
  return A.sub(num, f(1));
}

/** Hormann's transformed rejection with squeeze (JAX's _btrs). */
function btrs(key: JaxArray, count: JaxArray, prob: JaxArray, s: number[]): JaxArray {
  const dt = prob.dtype, f = (v: number) => bc(c(v, dt), s);
  const stddev = M.sqrt(A.mul(A.mul(count, prob), A.sub(f(1), prob)));
  const b = A.add(f(1.15), A.mul(f(2.53), stddev));
  const a = A.add(A.add(f(-0.0873), A.mul(f(0.0248), b)), A.mul(f(0.01), prob));
  const cc = A.add(A.mul(count, prob), f(0.5));
  const vR = A.sub(f(0.92), A.div(f(4.2), b));
  const r = A.div(prob, A.sub(f(1), prob));
  const alpha = A.mul(A.add(f(2.83), A.div(f(5.1), b)), stddev);
  const m = A.floor(A.mul(A.add(count, f(1)), prob));
  const [, kOut] = whileLoop(([, , acc]: JaxArray[]) => jnp.any(A.bitwiseNot(acc)), ([n, kOut, accepted, rng]: JaxArray[]) => {
    const [next, k0, k1] = splitN(rng, 3);
    const u = A.sub(uniform(k0, s, { dtype: dt }), f(0.5));
    let v = uniform(k1, s, { dtype: dt });
    const us = A.sub(f(0.5), A.abs(u));
    const accept1 = A.bitwiseAnd(A.ge(us, f(0.07)), A.le(v, vR));
    const k = A.floor(A.add(A.mul(A.add(A.div(A.mul(f(2), a), us), b), u), cc));
    const reject = A.bitwiseOr(A.lt(k, f(0)), A.gt(k, count));
    v = M.log(A.div(A.mul(v, alpha), A.add(A.div(a, A.mul(us, us)), b)));
    const cm1 = A.add(A.sub(count, m), f(1)), ck1 = A.add(A.sub(count, k), f(1));
    let ub = A.mul(A.add(m, f(0.5)), M.log(A.div(A.add(m, f(1)), A.mul(r, cm1))));
    ub = A.add(ub, A.mul(A.add(count, f(1)), M.log(A.div(cm1, ck1))));
    ub = A.add(ub, A.mul(A.add(k, f(0.5)), M.log(A.div(A.mul(r, ck1), A.add(k, f(1))))));
    ub = A.add(A.add(ub, stirlingTail(m)), stirlingTail(A.sub(count, m)));
    ub = A.sub(A.sub(ub, stirlingTail(k)), stirlingTail(A.sub(count, k)));
    const accept = A.bitwiseOr(accept1, A.bitwiseAnd(A.bitwiseNot(reject), A.le(v, ub)));
    return [A.add(n, c(1, "int32")), A.select(accept, k, kOut), A.bitwiseOr(accepted, accept), next];
  }, [c(0, "int32"), f(-1), jnp.zeros(s, { dtype: "bool" }), key]) as JaxArray[];
  return kOut;
}

/** Binomial(n, p) samples as floats (JAX's default dtype): inversion where n * min(p, 1 - p) <= 10,
 * BTRS above; NaN for p < 0, NaN p, NaN or negative n; inf for infinite n. */
export function binomial(key: ArrayLike, n: ArrayLike, p: ArrayLike, ...rest: Opt[]): JaxArray {
  const { k, dtype, s } = prep("binomial", key, rest, [n, p]);
  const prob = bc(jnp.promote("binomial", [p], "float")[0], s);
  const dt = prob.dtype, f = (v: number) => bc(c(v, dt), s);
  let count = bc(toDtype(n, dt), s);
  const pLtHalf = A.lt(prob, f(0.5));
  let q = A.select(pLtHalf, prob, A.sub(f(1), prob));
  const countBad = A.bitwiseOr(A.ne(count, count), A.lt(count, f(0)));
  const countInf = A.eq(A.abs(count), f(Infinity));
  const qNan = A.ne(q, q), qNeg = A.lt(q, f(0));
  q = A.select(A.bitwiseOr(qNan, qNeg), f(0.01), q);
  const useInv = A.bitwiseOr(countBad, A.le(A.mul(count, q), f(10)));
  count = A.floor(count);
  const inv = binomialInversion(k, A.select(useInv, count, f(0)), q, s);
  const rej = btrs(k, A.select(useInv, f(1e4), count), A.select(useInv, f(0.5), q), s);
  let out = A.convertElementType(A.select(useInv, inv, rej), dtype);
  const g = (v: number) => bc(c(v, dtype), s);
  const invalid = A.bitwiseOr(A.bitwiseOr(qNeg, qNan), countBad);
  out = A.select(invalid, g(NaN), out);
  out = A.select(A.bitwiseAnd(countInf, A.bitwiseNot(invalid)), g(Infinity), out);
  const keep = A.bitwiseOr(A.bitwiseOr(pLtHalf, countBad), A.bitwiseOr(qNan, countInf));
  return A.select(keep, out, A.sub(A.convertElementType(count, dtype), out));
}

// ---------------------------------------------------------------------------------------------
// key data: tinyjax's keys are raw uint32[..., 2] arrays, so these check and pass the data through

function checkKeyData(op: string, keys: ArrayLike): JaxArray {
  const k = asArr(keys);
  if (k.dtype !== "uint32" || k.ndim < 1 || k.shape[k.ndim - 1] !== 2) {
    throw new DTypeError(`${op}: expected threefry key data, a uint32 array of shape (..., 2), got ${k.aval.str()}.`);
  }
  return k;
}

/** The uint32 data of a key array (shape [..., 2]); tinyjax keys already are that data. */
export function keyData(keys: ArrayLike): JaxArray { return checkKeyData("keyData", keys); }

/** Key data as keys (JAX's wrap_key_data); only the default "threefry2x32" implementation exists. */
export function wrapKeyData(keyBitsArray: ArrayLike, options?: { impl?: string } | string): JaxArray {
  const impl = typeof options === "string" ? options : isPlainObject(options) ? options.impl : undefined;
  if (impl !== undefined && impl !== "threefry2x32") throw new ValueError(`wrapKeyData: unknown or unsupported PRNG impl ${JSON.stringify(impl)}; tinyjax has "threefry2x32".`);
  return checkKeyData("wrapKeyData", keyBitsArray);
}


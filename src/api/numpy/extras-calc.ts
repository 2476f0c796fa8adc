// Finite differences, integration, interpolation, vector products and polynomials, composed from
// slices, elementwise ops, gather and conv as jax.numpy builds them, so grad/vmap/jit apply.
import { isFloat } from "../../core/dtype.js";
import { NotImplementedError, ShapeError, ValueError } from "../../core/errors.js";
import { normAxis } from "../../core/shape.js";
import { isPlainObject } from "../../core/transform-args.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { sortKeyVal } from "../../primitives/sort.js";
import * as S from "../../primitives/structural.js";
import { convGeneralDilated } from "../conv.js";
import { asArray, scalar } from "./creation.js";
import { matmul } from "./linalg.js";
import { positionalOptions } from "./options.js";
import * as R from "./reductions.js";
import { concatenate, moveaxis, stack, take } from "./shape.js";
import { i0 } from "./extras-math.js";
import { searchSorted } from "./search.js";
import { abs, add, broadcastAll, broadcastTo_, divide, equal, greater, less, logicalAnd, mod, multiply, promote, subtract, where } from "./ufuncs.js";

type Rest = unknown[];
const k = (x: JaxArray, v: number) => broadcastTo_(scalar(v, x.dtype), x.shape);
const opts = <T extends object>(op: string, rest: Rest, names: string[]) =>
  positionalOptions<T>(op, rest.map((v) => (v === null ? undefined : v)), names as (keyof T & string)[]);

/** x[start:stop] along `axis` (negative bounds count from the end). */
function sl(x: JaxArray, axis: number, start: number, stop?: number): JaxArray {
  const n = x.shape[axis], b = (v: number) => Math.max(0, Math.min(n, v < 0 ? n + v : v));
  return S.slice(x, x.shape.map((_, i) => (i === axis ? b(start) : 0)), x.shape.map((d, i) => (i === axis ? b(stop ?? n) : d)));
}
const count = (op: string, what: string, v: number) => {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(`${op}: ${what} must be a non-negative integer, got ${v}.`);
};
/** x[..., i] (the last axis dropped). */
const at = (x: JaxArray, i: number) => S.reshape(sl(x, x.ndim - 1, i, i + 1), x.shape.slice(0, -1));

export interface DiffOptions { n?: number; axis?: number; prepend?: ArrayLike; append?: ArrayLike }
/** diff(a, n = 1, axis = -1, prepend?, append?): the n-th forward difference (not_equal for bool). */
export function diff(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<DiffOptions>("diff", rest, ["n", "axis", "prepend", "append"]);
  let a = asArray(x);
  const n = o.n ?? 1;
  count("diff", "the order n", n);
  if (n === 0) return a;
  if (a.ndim === 0) throw new ValueError("diff: needs an array with at least one axis, got a scalar.");
  const axis = normAxis("diff", o.axis ?? -1, a.ndim);
  const edge = (v: ArrayLike) => { const e = asArray(v); return e.ndim ? e : broadcastTo_(e, a.shape.map((d, i) => (i === axis ? 1 : d))); };
  if (o.prepend != null || o.append != null) {
    a = concatenate([...(o.prepend != null ? [edge(o.prepend)] : []), a, ...(o.append != null ? [edge(o.append)] : [])], axis);
  }
  for (let i = 0; i < n; i++) {
    const hi = sl(a, axis, 1), lo = sl(a, axis, 0, -1);
    a = a.dtype === "bool" ? A.ne(hi, lo) : A.sub(hi, lo);
  }
  return a;
}

/** ediff1d(ary, toEnd?, toBegin?): differences of the flattened array, with values put before/after. */
export function ediff1d(x: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<{ toEnd?: ArrayLike; toBegin?: ArrayLike }>("ediff1d", rest, ["toEnd", "toBegin"]);
  const a0 = asArray(x), a = S.reshape(a0, [a0.size]);
  const flat = (v: ArrayLike) => { const t = A.convertElementType(asArray(v), a.dtype); return S.reshape(t, [t.size]); };
  const parts = [...(o.toBegin != null ? [flat(o.toBegin)] : []), A.sub(sl(a, 0, 1), sl(a, 0, 0, -1)), ...(o.toEnd != null ? [flat(o.toEnd)] : [])];
  return S.concatenate(parts, 0);
}

export interface GradientOptions { axis?: number | readonly number[] | null; edgeOrder?: 1 | 2 }
/**
 * gradient(f, ...spacing, { axis, edgeOrder }): central differences inside, one-sided at the edges
 * (first order, or second with edgeOrder 2). Spacing: none (1), one scalar for every axis, or one
 * scalar or coordinate array per axis. One axis gives an array, several a list.
 */
export function gradient(f: ArrayLike, ...args: unknown[]): JaxArray | JaxArray[] {
  const o: GradientOptions = args.length && isPlainObject(args[args.length - 1]) ? (args.pop() as GradientOptions) : {};
  const order = o.edgeOrder ?? 1;
  if (order !== 1 && order !== 2) throw new ValueError(`gradient: edgeOrder must be 1 or 2, got ${order}.`);
  const all = promote("gradient", [f, ...(args as ArrayLike[])], "float");
  const a = all[0], sp = all.slice(1);
  const axes = o.axis == null ? a.shape.map((_, i) => i) : (typeof o.axis === "number" ? [o.axis] : [...o.axis]).map((ax) => normAxis("gradient", ax, a.ndim));
  if (!axes.length) return [];
  if (axes.some((ax) => a.shape[ax] < order + 1)) {
    throw new ValueError(`gradient: shape [${a.shape}] needs at least ${order + 1} points along axes [${axes}].`);
  }
  if (sp.length > 1 && sp.length !== axes.length) throw new ValueError(`gradient: got ${sp.length} spacings for ${axes.length} axes; pass 0, 1 or one per axis.`);
  const out = axes.map((ax, j) => {
    const h = sp.length === 0 ? scalar(1, a.dtype) : sp.length === 1 ? sp[0] : sp[j];
    const F = (s: number, e?: number) => sl(a, ax, s, e);
    if (h.ndim > 1 || (h.ndim === 1 && h.shape[0] !== a.shape[ax])) {
      throw new ShapeError(`gradient: spacing must be a scalar or coordinates of shape [${a.shape[ax]}] (axis ${ax}), got [${h.shape}].`);
    }
    // Spacing between points s..e and s2..e2: a scalar h, or differences of coordinates along ax.
    const X = (s: number, e?: number) => { const v = sl(h, 0, s, e); return S.broadcastInDim(v, F(s, e).shape, [ax]); };
    const dd = (s: number, e: number | undefined, s2: number, e2: number | undefined) => (h.ndim ? A.sub(X(s, e), X(s2, e2)) : h);
    // Three-point weights for f at x0 < x1 < x2 (spacings d1, d2), evaluated at x0, x1 or x2.
    const w3 = (d1: JaxArray, d2: JaxArray, where: 0 | 1 | 2) => {
      const s = A.add(d1, d2);
      if (where === 1) return [A.neg(A.div(d2, A.mul(d1, s))), A.div(A.sub(d2, d1), A.mul(d1, d2)), A.div(d1, A.mul(d2, s))];
      if (where === 0) return [A.neg(A.div(A.add(A.add(d1, d1), d2), A.mul(d1, s))), A.div(s, A.mul(d1, d2)), A.neg(A.div(d1, A.mul(d2, s)))];
      return [A.div(d2, A.mul(d1, s)), A.neg(A.div(s, A.mul(d1, d2))), A.div(A.add(A.add(d2, d2), d1), A.mul(d2, s))];
    };
    const comb = (w: JaxArray[], fs: JaxArray[]) => A.add(A.add(A.mul(w[0], fs[0]), A.mul(w[1], fs[1])), A.mul(w[2], fs[2]));
    const inner = comb(w3(dd(1, -1, 0, -2), dd(2, undefined, 1, -1), 1), [F(0, -2), F(1, -1), F(2)]);
    let lo: JaxArray, hi: JaxArray;
    if (order === 1) {
      lo = A.div(A.sub(F(1, 2), F(0, 1)), dd(1, 2, 0, 1));
      hi = A.div(A.sub(F(-1), F(-2, -1)), dd(-1, undefined, -2, -1));
    } else {
      lo = comb(w3(dd(1, 2, 0, 1), dd(2, 3, 1, 2), 0), [F(0, 1), F(1, 2), F(2, 3)]);
      hi = comb(w3(dd(-2, -1, -3, -2), dd(-1, undefined, -2, -1), 2), [F(-3, -2), F(-2, -1), F(-1)]);
    }
    return S.concatenate([lo, inner, hi], ax);
  });
  return out.length === 1 ? out[0] : out;
}

export interface CrossOptions { axisa?: number; axisb?: number; axisc?: number; axis?: number | null }
/** cross(a, b, axisa = -1, axisb = -1, axisc = -1, axis?): the cross product of 3- (or 2-) vectors. */
export function cross(x: ArrayLike, y: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<CrossOptions>("cross", rest, ["axisa", "axisb", "axisc", "axis"]);
  const [pa, pb] = promote("cross", [x, y]);
  const a = moveaxis(pa, o.axis ?? o.axisa ?? -1, -1), b = moveaxis(pb, o.axis ?? o.axisb ?? -1, -1);
  const na = a.shape[a.ndim - 1], nb = b.shape[b.ndim - 1];
  if (![2, 3].includes(na) || ![2, 3].includes(nb)) throw new ShapeError(`cross: vectors must have 2 or 3 components, got shapes [${a.shape}] and [${b.shape}] (axis moved last).`);
  const c = (v: JaxArray, i: number, n: number) => (i < n ? at(v, i) : k(at(v, 0), 0));
  const m = (p: JaxArray, q: JaxArray) => multiply(p, q);
  if (na === 2 && nb === 2) return subtract(m(at(a, 0), at(b, 1)), m(at(a, 1), at(b, 0)));
  const [a0, a1, a2] = [0, 1, 2].map((i) => c(a, i, na)), [b0, b1, b2] = [0, 1, 2].map((i) => c(b, i, nb));
  const r = stack(broadcastAll("cross", [subtract(m(a1, b2), m(a2, b1)), subtract(m(a2, b0), m(a0, b2)), subtract(m(a0, b1), m(a1, b0))]), 0);
  return moveaxis(r, 0, o.axis ?? o.axisc ?? -1);
}

/** vecdot(x1, x2, axis = -1): sum(x1 * x2) over `axis`, broadcasting the rest. */
export function vecdot(x1: ArrayLike, x2: ArrayLike, axisOrOpts: number | { axis?: number } = -1): JaxArray {
  const axis = typeof axisOrOpts === "number" ? axisOrOpts : axisOrOpts.axis ?? -1;
  let [a, b] = promote("vecdot", [x1, x2]);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`vecdot: needs arrays of rank >= 1, got shapes [${a.shape}] and [${b.shape}].`);
  a = moveaxis(a, axis, -1); b = moveaxis(b, axis, -1);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) throw new ShapeError(`vecdot: axis ${axis} has sizes ${a.shape[a.ndim - 1]} and ${b.shape[b.ndim - 1]}; they must match.`);
  return R.sum(multiply(a, b), { axis: -1 });
}

/** matvec(x1 [..., m, n], x2 [..., n]) -> [..., m]. */
export function matvec(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const a = asArray(x1), v = asArray(x2);
  if (a.ndim < 2 || v.ndim < 1) throw new ShapeError(`matvec: needs a matrix and a vector, got shapes [${a.shape}] and [${v.shape}].`);
  const r = matmul(a, S.reshape(v, [...v.shape, 1]));
  return S.reshape(r, r.shape.slice(0, -1));
}
/** vecmat(x1 [..., n], x2 [..., n, m]) -> [..., m]. */
export function vecmat(x1: ArrayLike, x2: ArrayLike): JaxArray {
  const v = asArray(x1), a = asArray(x2);
  if (a.ndim < 2 || v.ndim < 1) throw new ShapeError(`vecmat: needs a vector and a matrix, got shapes [${v.shape}] and [${a.shape}].`);
  const r = matmul(S.reshape(v, [...v.shape.slice(0, -1), 1, v.shape[v.ndim - 1]]), a);
  return S.reshape(r, [...r.shape.slice(0, -2), r.shape[r.ndim - 1]]);
}

/** trapezoid(y, x?, dx = 1, axis = -1): the trapezoidal rule along `axis`. */
export function trapezoid(yIn: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<{ x?: ArrayLike; dx?: ArrayLike; axis?: number }>("trapezoid", rest, ["x", "dx", "axis"]);
  const axis = o.axis ?? -1;
  let y: JaxArray, d: JaxArray;
  if (o.x == null) {
    [y] = promote("trapezoid", [yIn], "float");
    d = A.convertElementType(asArray(o.dx ?? 1), y.dtype);
    if (d.ndim > 0) d = moveaxis(S.reshape(d, [...Array(y.ndim - d.ndim).fill(1), ...d.shape]), axis, -1);
  } else {
    let x: JaxArray;
    [y, x] = promote("trapezoid", [yIn, o.x], "float");
    d = x.ndim === 1 ? diff(x) : moveaxis(diff(x, { axis }), axis, -1);
  }
  y = moveaxis(y, axis, -1);
  const n = y.shape[y.ndim - 1];
  if (d.ndim === 0 || d.shape[d.ndim - 1] === 1) {
    const dx = d.ndim === 0 ? d : at(d, 0);
    if (n === 0) return multiply(dx, R.sum(y, { axis: -1 }));
    return multiply(dx, subtract(R.sum(y, { axis: -1 }), A.mul(A.add(at(y, 0), at(y, n - 1)), 0.5)));
  }
  return R.sum(A.mul(multiply(d, add(sl(y, y.ndim - 1, 1), sl(y, y.ndim - 1, 0, -1))), 0.5), { axis: -1 });
}

export interface InterpOptions { left?: ArrayLike | "extrapolate" | null; right?: ArrayLike | "extrapolate" | null; period?: ArrayLike | null }
/** interp(x, xp, fp, left?, right?, period?): piecewise-linear interpolation on increasing xp. */
export function interp(xIn: ArrayLike, xpIn: ArrayLike, fpIn: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<InterpOptions>("interp", rest, ["left", "right", "period"]);
  let [x, xp] = promote("interp", [xIn, xpIn], "float");
  let [fp] = promote("interp", [fpIn], "float");
  if (xp.ndim !== 1 || fp.shape.join() !== xp.shape.join()) throw new ShapeError(`interp: xp and fp must be 1-d arrays of equal size, got shapes [${xp.shape}] and [${fp.shape}].`);
  if (xp.shape[0] === 0) throw new ValueError("interp: xp and fp must not be empty.");
  for (const [name, v] of [["left", o.left], ["right", o.right]] as const) {
    if (typeof v === "string" && v !== "extrapolate") throw new ValueError(`interp: the only string value of ${name} is "extrapolate", got "${v}".`);
  }
  if (o.period != null) {
    const p = abs(o.period);
    if (p.ndim !== 0) throw new ShapeError(`interp: period must be a scalar, got shape [${p.shape}].`);
    x = mod(x, p); xp = mod(xp, p);
    [xp, fp] = sortKeyVal(xp, fp, 0);
    const m = xp.shape[0];
    xp = concatenate([subtract(sl(xp, 0, m - 1), p), xp, add(sl(xp, 0, 0, 1), p)]);
    fp = S.concatenate([sl(fp, 0, m - 1), fp, sl(fp, 0, 0, 1)], 0);
  }
  const m = xp.shape[0];
  // searchsorted(xp, x, side="right"), clipped to [1, m - 1].
  const cnt = searchSorted(xp, x, true);
  const i = A.max(A.min(cnt, k(cnt, m - 1)), k(cnt, Math.min(1, m - 1)));
  const im = A.max(A.sub(i, 1), k(i, 0));
  const g = (v: JaxArray, idx: JaxArray) => take(v, idx, 0, { mode: "clip" });
  const df = A.sub(g(fp, i), g(fp, im)), dx = A.sub(g(xp, i), g(xp, im)), delta = A.sub(x, g(xp, im));
  const eps = x.dtype === "float64" ? 2 ** -104 : 2 ** -46;
  const dx0 = A.le(A.abs(dx), k(dx, eps)); // no NaN gradients where xp repeats
  let f = where(dx0, g(fp, im), add(g(fp, im), multiply(A.div(delta, A.select(dx0, k(dx, 1), dx)), df)));
  if (o.period == null) {
    if (o.left !== "extrapolate") f = where(less(x, at(xp, 0)), o.left ?? at(fp, 0), f);
    if (o.right !== "extrapolate") f = where(greater(x, at(xp, m - 1)), o.right ?? at(fp, m - 1), f);
  }
  return f;
}

export interface UnwrapOptions { discont?: ArrayLike | null; axis?: number; period?: ArrayLike }
/** unwrap(p, discont?, axis = -1, period = 2 pi): removes jumps larger than discont by adding multiples of period. */
export function unwrap(pIn: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<UnwrapOptions>("unwrap", rest, ["discont", "axis", "period"]);
  const axis = o.axis ?? -1;
  let [p, period] = promote("unwrap", [pIn, o.period ?? 2 * Math.PI]);
  const ax = normAxis("unwrap", axis, p.ndim);
  if (p.shape[ax] === 0) return p;
  const intLike = !isFloat(p.dtype);
  const interval = intLike ? A.div(period, 2) : A.mul(period, 0.5);
  const discont = o.discont == null ? divide(period, 2) : asArray(o.discont);
  const dd = diff(p, { axis: ax });
  let ddmod = subtract(mod(add(dd, interval), period), interval);
  ddmod = where(logicalAnd(equal(ddmod, A.neg(interval)), greater(dd, 0)), interval, ddmod);
  const corr = where(less(abs(dd), discont), 0, subtract(ddmod, dd));
  return concatenate([sl(p, ax, 0, 1), add(sl(p, ax, 1), R.cumsum(corr, { axis: ax }))], ax);
}

/** vander(x, N = len(x), increasing = false): columns are powers of x. */
export function vander(xIn: ArrayLike, ...rest: Rest): JaxArray {
  const o = opts<{ N?: number; increasing?: boolean }>("vander", rest, ["N", "increasing"]);
  const x = asArray(xIn);
  if (x.ndim !== 1) throw new ShapeError(`vander: x must be 1-d, got shape [${x.shape}].`);
  const N = o.N ?? x.shape[0];
  count("vander", "N", N);
  const cols: JaxArray[] = [];
  // Repeated products (exact for integers, as numpy's cumulative multiply).
  let pw = broadcastTo_(scalar(1, x.dtype), x.shape);
  for (let j = 0; j < N; j++) { cols.push(pw); pw = A.mul(pw, x); }
  if (!o.increasing) cols.reverse();
  return N === 0 ? broadcastTo_(scalar(0, x.dtype), [x.shape[0], 0]) : S.concatenate(cols.map((c) => S.reshape(c, [x.shape[0], 1])), 1);
}

// ---- 1-d convolution and polynomials (coefficients highest power first)
type ConvMode = "full" | "same" | "valid";
function conv1d(op: "convolve" | "correlate", a: ArrayLike, v: ArrayLike, mode: ConvMode): JaxArray {
  let [x, y] = promote(op, [a, v], "float");
  if (x.ndim !== 1 || y.ndim !== 1) throw new ShapeError(`${op}: only 1-d inputs are supported, got shapes [${x.shape}] and [${y.shape}].`);
  if (!x.size || !y.size) throw new ValueError(`${op}: inputs cannot be empty, got shapes [${x.shape}] and [${y.shape}].`);
  let flip = false;
  if (x.shape[0] < y.shape[0]) { [x, y] = [y, x]; flip = op === "correlate"; }
  if (op === "convolve") y = S.rev(y, [0]);
  const m = y.shape[0];
  const pad = mode === "valid" ? [0, 0] : mode === "same" ? [m >> 1, m - (m >> 1) - 1] : mode === "full" ? [m - 1, m - 1] : null;
  if (!pad) throw new ValueError(`${op}: mode must be "full", "same" or "valid", got "${mode}".`);
  const r = convGeneralDilated(S.reshape(x, [1, 1, x.shape[0]]), S.reshape(y, [1, 1, m]), [1], [pad as [number, number]]);
  const out = S.reshape(r, [r.shape[2]]);
  return flip ? S.rev(out, [0]) : out;
}
const modeOf = (m: unknown, d: ConvMode) => (typeof m === "object" && m !== null ? (m as { mode?: ConvMode }).mode ?? d : (m as ConvMode) ?? d);
/** convolve(a, v, mode = "full") of 1-d arrays. */
export const convolve = (a: ArrayLike, v: ArrayLike, mode?: ConvMode | { mode?: ConvMode }) => conv1d("convolve", a, v, modeOf(mode, "full"));
/** correlate(a, v, mode = "valid") of 1-d arrays. */
export const correlate = (a: ArrayLike, v: ArrayLike, mode?: ConvMode | { mode?: ConvMode }) => conv1d("correlate", a, v, modeOf(mode, "valid"));

/** polyval(p, x): Horner's rule; p's trailing axes broadcast with x. */
export function polyval(pIn: ArrayLike, xIn: ArrayLike): JaxArray {
  const [p, x] = promote("polyval", [pIn, xIn]);
  if (p.ndim === 0) throw new ShapeError("polyval: p must have at least one axis (the coefficients).");
  let y = broadcastTo_(scalar(0, x.dtype), x.shape);
  for (let i = 0; i < p.shape[0]; i++) y = add(multiply(y, x), S.reshape(sl(p, 0, i, i + 1), p.shape.slice(1)));
  return y;
}
const vec = (op: string, p: JaxArray) => { if (p.ndim !== 1) throw new ShapeError(`${op}: coefficients must be 1-d, got shape [${p.shape}].`); return p; };
function padFront(p: JaxArray, n: number): JaxArray {
  return n > p.shape[0] ? S.pad(p, scalar(0, p.dtype), [[n - p.shape[0], 0, 0]]) : p;
}
export function polyadd(a1: ArrayLike, a2: ArrayLike): JaxArray {
  const [a, b] = promote("polyadd", [a1, a2]).map((p) => vec("polyadd", p));
  const n = Math.max(a.shape[0], b.shape[0]);
  return A.add(padFront(a, n), padFront(b, n));
}
export const polysub = (a1: ArrayLike, a2: ArrayLike) => { const [a, b] = promote("polysub", [a1, a2]); return polyadd(a, A.neg(b)); };
export function polymul(a1: ArrayLike, a2: ArrayLike, options?: { trimLeadingZeros?: boolean }): JaxArray {
  if (options?.trimLeadingZeros) throw new NotImplementedError("polymul: trimLeadingZeros is not supported; trim the inputs first.");
  const [a, b] = promote("polymul", [a1, a2], "float").map((p) => vec("polymul", p));
  const z = (p: JaxArray, q: JaxArray) => (p.size ? p : broadcastTo_(scalar(0, q.dtype), [1]));
  return convolve(z(a, b), z(b, a));
}
/** polyder(p, m = 1): the m-th derivative's coefficients. */
export function polyder(pIn: ArrayLike, m = 1): JaxArray {
  const [p] = promote("polyder", [pIn], "float");
  vec("polyder", p);
  count("polyder", "the order m", m);
  if (m === 0) return p;
  const n = p.shape[0];
  // Coefficient of x^j (j = n-1-i) gains the factor j (j-1) ... (j-m+1).
  const c = Array.from({ length: Math.max(0, n - m) }, (_, i) => { let f = 1; for (let t = 0; t < m; t++) f *= n - 1 - i - t; return f; });
  return A.mul(sl(p, 0, 0, Math.max(0, n - m)), asArray(c.length ? c : []).astype(p.dtype));
}
/** polyint(p, m = 1, k = 0): the m-th antiderivative, with integration constants k (scalar or m values). */
export function polyint(pIn: ArrayLike, m = 1, kIn: ArrayLike = 0): JaxArray {
  const [p, kk] = promote("polyint", [pIn, kIn], "float");
  vec("polyint", p);
  count("polyint", "the order m", m);
  const ks = kk.ndim === 0 || kk.size === 1 ? broadcastTo_(S.reshape(kk, []), [m]) : kk;
  if (ks.ndim !== 1 || ks.shape[0] !== m) throw new ShapeError(`polyint: k must be a scalar or of length m (${m}), got shape [${kk.shape}].`);
  if (m === 0) return p;
  const n = p.shape[0] + m;
  const c = Array.from({ length: n }, (_, i) => { let f = 1; for (let t = 0; t < m; t++) f *= Math.max(1, n - 1 - i - t); return f; });
  return A.div(S.concatenate([p, ks], 0), asArray(c).astype(p.dtype));
}

/** poly(zeros): the monic polynomial with these (real) roots. */
export function poly(zerosIn: ArrayLike): JaxArray {
  let [z] = promote("poly", [zerosIn], "float");
  if (z.ndim === 0) z = S.reshape(z, [1]);
  if (z.ndim === 2 && z.shape[0] === z.shape[1] && z.shape[0]) throw new NotImplementedError("poly: a matrix needs complex eigenvalues (unsupported); pass its roots.");
  if (z.ndim !== 1) throw new ShapeError(`poly: the roots must be a 1-d array, got shape [${z.shape}].`);
  let c = broadcastTo_(scalar(1, z.dtype), [1]);
  for (let i = 0; i < z.shape[0]; i++) c = polysub(S.pad(c, scalar(0, c.dtype), [[0, 1, 0]]), A.mul(S.pad(c, scalar(0, c.dtype), [[1, 0, 0]]), broadcastTo_(at(sl(z, 0, i, i + 1), 0), [c.shape[0] + 1])));
  return z.shape[0] ? c : S.reshape(c, []);
}

/** polydiv(u, v) -> [quotient, remainder] by long division (the remainder keeps u's length, as JAX). */
export function polydiv(uIn: ArrayLike, vIn: ArrayLike): [JaxArray, JaxArray] {
  let [u, v] = promote("polydiv", [uIn, vIn], "float").map((p) => vec("polydiv", p));
  const m = u.shape[0] - 1, n = v.shape[0] - 1;
  const scale = A.div(scalar(1, v.dtype), at(sl(v, 0, 0, 1), 0));
  const q: JaxArray[] = [];
  for (let i = 0; i <= m - n; i++) {
    const d = A.mul(scale, at(sl(u, 0, i, i + 1), 0));
    q.push(d);
    u = A.sub(u, A.mul(broadcastTo_(d, u.shape), S.pad(v, scalar(0, v.dtype), [[i, m - n - i, 0]])));
  }
  return [q.length ? stack(q) : broadcastTo_(scalar(0, u.dtype), [1]), u];
}

// ---- window functions (float32, computed in float64 on the host: M is static)
const win = (op: string, M: number, f: (n: number) => number) => {
  if (!Number.isInteger(M)) count(op, "M", M);
  return asArray(Array.from({ length: Math.max(0, M) }, (_, n) => (M === 1 ? 1 : f(n)))).astype("float32");
};
export const bartlett = (M: number) => win("bartlett", M, (n) => 1 - Math.abs(2 * n + 1 - M) / (M - 1));
export const blackman = (M: number) => win("blackman", M, (n) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (M - 1)));
export const hamming = (M: number) => win("hamming", M, (n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (M - 1)));
export const hanning = (M: number) => win("hanning", M, (n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1)));
/** kaiser(M, beta): i0(beta sqrt(1 - ((n - a) / a)^2)) / i0(beta) with a = (M - 1) / 2. */
export function kaiser(M: number, beta: ArrayLike): JaxArray {
  const r = win("kaiser", M, (n) => Math.sqrt(Math.max(0, 1 - ((n - (M - 1) / 2) / ((M - 1) / 2)) ** 2)));
  if (M <= 1) return r;
  const b = promote("kaiser", [beta], "float")[0];
  return divide(i0(multiply(b, r)), i0(b));
}

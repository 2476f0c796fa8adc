// Orthogonal factorizations of stacks of small matrices: Householder QR, symmetric eigendecomposition
// (cyclic Jacobi) and SVD (one-sided Jacobi). References run in float64 whatever the dtype: Jacobi
// methods are accurate to the last bits on small matrices and need no tuning. JVP rules follow JAX's
// (lax/linalg.py), written with the primitives of the other families.
import { ShapedArray } from "../core/aval.js";
import { NotImplementedError } from "../core/errors.js";
import { fmtShape } from "../core/shape.js";
import { BatchDim, HostArray, Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add, div, mul, sub } from "./arith.js";
import { batchAtFront, broadcastInDim, reduceSum, transpose } from "./layout.js";
import { dotGeneral } from "./linalg.js";
import { checkFloatMatrix, constMatrix, solve } from "./linalg-decomp.js";

const EPS = 2 ** -52;
const mT = (x: JaxArray) => transpose(x, x.shape.map((_, i, s) => (i < s.length - 2 ? i : 2 * s.length - 3 - i)));
const mm = (a: JaxArray, b: JaxArray) => {
  const bd = [...Array(a.ndim - 2).keys()];
  return dotGeneral(a, b, { contracting: [[a.ndim - 1], [a.ndim - 2]], batch: [bd, bd] });
};
/** A constant (n, m) matrix broadcast over x's leading axes. */
const bmat = (x: JaxArray, n: number, m: number, f: (i: number, j: number) => number) =>
  broadcastInDim(constMatrix(n, m, x.dtype, f), [...x.shape.slice(0, -2), n, m], [x.ndim - 2, x.ndim - 1]);
/** Vector stack v (..., k) spread along rows (axis -1) or columns (axis -2) of a (..., k, k) matrix. */
const spread = (v: JaxArray, axis: -1 | -2, k = v.shape[v.ndim - 1]) =>
  broadcastInDim(v, [...v.shape.slice(0, -1), axis === -1 ? k : v.shape[v.ndim - 1], axis === -1 ? v.shape[v.ndim - 1] : k],
    [...v.shape.slice(0, -1).keys(), v.ndim + (axis === -1 ? 0 : -1)]);
const diagOf = (x: JaxArray) => reduceSum(mul(x, bmat(x, x.shape[x.ndim - 1], x.shape[x.ndim - 1], (i, j) => +(i === j))), [x.ndim - 1]);

/** Runs `f` on each matrix of a stack: its float64 copy (rows x cols) and its index. */
function eachMatrix(a: HostArray, f: (m: Float64Array, s: number) => void): void {
  const [r, c] = a.aval.shape.slice(-2), sz = r * c, count = sz ? a.data.length / sz : a.aval.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  for (let s = 0; s < count; s++) f(Float64Array.from(a.data.subarray(s * sz, (s + 1) * sz) as ArrayLike<number>), s);
}

/** Columns `from`.. of the rows x cols row-major q become orthonormal and orthogonal to the earlier ones. */
function completeBasis(q: Float64Array, rows: number, cols: number, from: number): void {
  for (let j = from; j < cols; j++) {
    // The unit vector with the largest residual after projecting out the basis so far; projected twice.
    let best = -1, bestRes: Float64Array | null = null;
    for (let e = 0; e < rows; e++) {
      const r = new Float64Array(rows); r[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < j; k++) {
          let d = 0;
          for (let i = 0; i < rows; i++) d += q[i * cols + k] * r[i];
          for (let i = 0; i < rows; i++) r[i] -= d * q[i * cols + k];
        }
      }
      const nr = Math.hypot(...r);
      if (nr > best) { best = nr; bestRes = r; }
    }
    for (let i = 0; i < rows; i++) q[i * cols + j] = bestRes![i] / best;
  }
}

/** Householder QR of one m x n matrix (LAPACK's sign choice), writing Q (m x qc) and R (qc x n). */
function householderQr(a: Float64Array, m: number, n: number, qc: number, q: HostArray, r: HostArray, s: number): void {
  const k = Math.min(m, n), vs: (Float64Array | null)[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(m);
    let tail = 0;
    for (let i = j + 1; i < m; i++) { v[i] = a[i * n + j]; tail += v[i] * v[i]; }
    vs.push(tail === 0 ? null : v); // already triangular in this column: H = I, as LAPACK (tau = 0)
    if (tail === 0) continue;
    const alpha = a[j * n + j], beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + tail);
    v[j] = alpha - beta;
    const vv = v[j] * v[j] + tail;
    for (let c = j; c < n; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += v[i] * a[i * n + c];
      d = (2 * d) / vv;
      for (let i = j; i < m; i++) a[i * n + c] -= d * v[i];
    }
    for (let i = j + 1; i < m; i++) a[i * n + j] = 0;
  }
  const Q = new Float64Array(m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) Q[i * qc + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    if (!v) continue;
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i] * v[i];
    for (let c = 0; c < qc; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += v[i] * Q[i * qc + c];
      d = (2 * d) / vv;
      for (let i = j; i < m; i++) Q[i * qc + c] -= d * v[i];
    }
  }
  q.data.set(Q, s * m * qc);
  r.data.set(a.subarray(0, qc * n), s * qc * n);
}

/** Rotates columns p, q of the row-major (rows x ld) matrix x by (c, s). */
function rotCols(x: Float64Array, rows: number, ld: number, p: number, q: number, c: number, s: number): void {
  for (let i = 0; i < rows; i++) {
    const xp = x[i * ld + p], xq = x[i * ld + q];
    x[i * ld + p] = c * xp - s * xq;
    x[i * ld + q] = s * xp + c * xq;
  }
}

/** tan of the Jacobi angle annihilating an off-diagonal `g` between diagonal entries a and b (the smaller root). */
const jacobiT = (a: number, b: number, g: number) => {
  const z = (b - a) / (2 * g);
  return (z >= 0 ? 1 : -1) / (Math.abs(z) + Math.sqrt(1 + z * z));
};

/** Symmetric eigendecomposition of the n x n `a` (in place) by cyclic Jacobi; returns V (columns). */
function jacobiEigh(a: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  // Off-diagonal entries below eps relative to their diagonal pair (or to the norm) are converged.
  const floor = 1e-3 * Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  for (let sweep = 0, rotated = true; rotated && sweep < 60; sweep++) {
    rotated = false;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const g = a[p * n + q];
      if (!(Math.abs(g) > EPS * Math.max(Math.sqrt(Math.abs(a[p * n + p] * a[q * n + q])), floor))) continue;
      rotated = true;
      const t = jacobiT(a[p * n + p], a[q * n + q], g), c = 1 / Math.sqrt(1 + t * t), s = t * c;
      rotCols(a, n, n, p, q, c, s);
      // the same rotation on rows: a <- J^T a J
      for (let j = 0; j < n; j++) {
        const ap = a[p * n + j], aq = a[q * n + j];
        a[p * n + j] = c * ap - s * aq;
        a[q * n + j] = s * ap + c * aq;
      }
      rotCols(v, n, n, p, q, c, s);
    }
  }
  return v;
}

/** Order of `w` (ascending, or descending with `desc`), NaN last. */
const order = (w: ArrayLike<number>, desc = false) =>
  [...Array(w.length).keys()].sort((i, j) => (desc ? w[j] - w[i] : w[i] - w[j]) || 0);

/** QR: outputs [q, r]; full_matrices gives the m x m Q. */
export const qrP: Primitive<{ fullMatrices: boolean }> = new Primitive<{ fullMatrices: boolean }>("qr", {
  abstractEval([a], { fullMatrices }) {
    checkFloatMatrix("qr", a);
    const [m, n] = a.shape.slice(-2), b = a.shape.slice(0, -2), qc = fullMatrices ? m : Math.min(m, n);
    return [new ShapedArray([...b, m, qc], a.dtype), new ShapedArray([...b, qc, n], a.dtype)];
  },
  reference([a], [q, r], { fullMatrices }) {
    const [m, n] = a.aval.shape.slice(-2);
    eachMatrix(a, (x, s) => householderQr(x, m, n, fullMatrices ? m : Math.min(m, n), q, r, s));
  },
  jvp([x], [dx], { fullMatrices }) {
    const [m, n] = x.shape.slice(-2);
    if (m < n || (fullMatrices && m !== n)) throw new NotImplementedError(`qr: the derivative needs m >= n and mode "reduced" (got ${fmtShape(x.shape)}${fullMatrices ? ", complete" : ""}).`);
    const [q, r] = qr(x, false);
    const dxRinv = mT(solve(mT(r), mT(dx)));
    const qtd = mm(mT(q), dxRinv);
    const low = mul(qtd, bmat(qtd, n, n, (i, j) => +(i > j)));
    const dO = sub(low, mT(low));
    return [[q, r], [add(mm(q, sub(dO, qtd)), dxRinv), mm(sub(qtd, dO), r)]];
  },
  batch: ([a], [d], p) => [qr(batchAtFront(a, d, a.shape[d!]), p.fullMatrices), [0, 0]],
  printParams: (p) => ({ full_matrices: p.fullMatrices }),
});

/** Symmetric eigendecomposition reading one triangle: outputs [v, w], w ascending (JAX's eigh_p). */
export const eighP: Primitive<{ lower: boolean }> = new Primitive<{ lower: boolean }>("eigh", {
  abstractEval([a]) {
    const n = checkFloatMatrix("eigh", a, true);
    return [a, new ShapedArray([...a.shape.slice(0, -2), n], a.dtype)];
  },
  reference([a], [vo, wo], { lower }) {
    const n = a.aval.shape[a.aval.ndim - 1];
    eachMatrix(a, (x, s) => {
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
        const val = lower ? x[i * n + j] : x[j * n + i];
        x[i * n + j] = x[j * n + i] = val;
      }
      const v = jacobiEigh(x, n), idx = order(x.filter((_, k) => k % (n + 1) === 0));
      idx.forEach((k, c) => {
        wo.data[s * n + c] = x[k * n + k];
        for (let i = 0; i < n; i++) vo.data[s * n * n + i * n + c] = v[i * n + k];
      });
    });
  },
  jvp([a], [da], p) {
    const [v, w] = eigh(a, p.lower);
    const n = w.shape[w.ndim - 1];
    const eye = bmat(a, n, n, (i, j) => +(i === j));
    const F = sub(div(1, add(eye, sub(spread(w, -1), spread(w, -2)))), eye);
    const vdv = mm(mm(mT(v), da), v);
    return [[v, w], [mm(v, mul(F, vdv)), diagOf(vdv)]];
  },
  batch: ([a], [d], p) => [eigh(batchAtFront(a, d, a.shape[d!]), p.lower), [0, 0]],
});

/** SVD by one-sided Jacobi on the taller orientation: outputs [s] or [s, u, vt], s descending. */
export const svdP: Primitive<{ fullMatrices: boolean; computeUv: boolean }> = new Primitive<{ fullMatrices: boolean; computeUv: boolean }>("svd", {
  abstractEval([a], { fullMatrices, computeUv }) {
    checkFloatMatrix("svd", a);
    const [m, n] = a.shape.slice(-2), b = a.shape.slice(0, -2), k = Math.min(m, n);
    const s = new ShapedArray([...b, k], a.dtype);
    if (!computeUv) return [s];
    return [s, new ShapedArray([...b, m, fullMatrices ? m : k], a.dtype), new ShapedArray([...b, fullMatrices ? n : k, n], a.dtype)];
  },
  reference([a], [so, uo, vto], { fullMatrices, computeUv }) {
    const [m, n] = a.aval.shape.slice(-2), k = Math.min(m, n), tall = m >= n;
    const R = tall ? m : n, C = tall ? n : m; // W is R x C, R >= C
    const uc = fullMatrices ? m : k, vr = fullMatrices ? n : k;
    eachMatrix(a, (x, s) => {
      const w = tall ? x : Float64Array.from({ length: R * C }, (_, e) => x[(e % C) * n + Math.floor(e / C)]);
      const v = new Float64Array(C * C);
      for (let i = 0; i < C; i++) v[i * C + i] = 1;
      for (let sweep = 0, rotated = true; rotated && sweep < 60; sweep++) {
        rotated = false;
        for (let p = 0; p < C; p++) for (let q = p + 1; q < C; q++) {
          let al = 0, be = 0, ga = 0;
          for (let i = 0; i < R; i++) { const wp = w[i * C + p], wq = w[i * C + q]; al += wp * wp; be += wq * wq; ga += wp * wq; }
          if (!(Math.abs(ga) > EPS * Math.sqrt(al * be))) continue;
          rotated = true;
          const t = jacobiT(al, be, ga), c = 1 / Math.sqrt(1 + t * t);
          rotCols(w, R, C, p, q, c, t * c);
          rotCols(v, C, C, p, q, c, t * c);
        }
      }
      const norms = Array.from({ length: C }, (_, j) => { let t = 0; for (let i = 0; i < R; i++) t += w[i * C + j] ** 2; return Math.sqrt(t); });
      const idx = order(norms, true);
      idx.forEach((j, c) => { so.data[s * k + c] = norms[j]; });
      if (!computeUv) return;
      // Long side: normalized columns of W (R x C, then completed to R x R when full); short side: V.
      const lc = fullMatrices ? R : C, L = new Float64Array(R * lc), S = new Float64Array(C * C);
      let good = 0;
      const tiny = norms[idx[0]] * EPS * R;
      idx.forEach((j, c) => {
        for (let i = 0; i < C; i++) S[i * C + c] = v[i * C + j];
        if (norms[j] > tiny && good === c) { good++; for (let i = 0; i < R; i++) L[i * lc + c] = w[i * C + j] / norms[j]; }
      });
      completeBasis(L, R, lc, good);
      const [U, uw, Vm, vw] = tall ? [L, lc, S, C] : [S, C, L, lc];
      for (let i = 0; i < m; i++) for (let c = 0; c < uc; c++) uo.data[s * m * uc + i * uc + c] = U[i * uw + c];
      for (let r = 0; r < vr; r++) for (let j = 0; j < n; j++) vto.data[s * vr * n + r * n + j] = Vm[j * vw + r];
    });
  },
  jvp([a], [da], { fullMatrices, computeUv }) {
    const [m, n] = a.shape.slice(-2);
    if (computeUv && fullMatrices && m !== n) throw new NotImplementedError(`svd: the derivative with full_matrices=true needs a square matrix, got ${fmtShape(a.shape)}. Use fullMatrices: false.`);
    const [s, U, Vt] = svd(a, false, true), V = mT(Vt), k = s.shape[s.ndim - 1];
    const dS = mm(mm(mT(U), da), V), ds = diagOf(dS);
    if (!computeUv) return [[s], [ds]];
    const row = spread(s, -1), col = spread(s, -2), eye = bmat(a, k, k, (i, j) => +(i === j));
    const F = sub(div(1, add(mul(add(row, col), sub(row, col)), eye)), eye);
    const dSS = mul(row, dS), SdS = mul(col, dS);
    // JAX's extra term (dS - dSᴴ)/2 · diag(1/s) vanishes on the diagonal for real input: omitted.
    let dU = mm(U, mul(F, add(dSS, mT(dSS))));
    let dV = mm(V, mul(F, add(SdS, mT(SdS))));
    if (m > n) { const dAV = mm(da, V); dU = add(dU, div(sub(dAV, mm(U, mm(mT(U), dAV))), spread(s, -1, m))); }
    if (n > m) { const dAU = mm(mT(da), U); dV = add(dV, div(sub(dAU, mm(V, mm(Vt, dAU))), spread(s, -1, n))); }
    return [[s, U, Vt], [ds, dU, mT(dV)]];
  },
  batch: ([a], [d], p) => { const o = svd(batchAtFront(a, d, a.shape[d!]), p.fullMatrices, p.computeUv); return [o, o.map(() => 0 as BatchDim)]; },
  printParams: (p) => ({ full_matrices: p.fullMatrices, compute_uv: p.computeUv }),
});

export const qr = (a: JaxArray, fullMatrices: boolean): JaxArray[] => bind(qrP, [a], { fullMatrices });
export const eigh = (a: JaxArray, lower = true): JaxArray[] => bind(eighP, [a], { lower });
export const svd = (a: JaxArray, fullMatrices: boolean, computeUv: boolean): JaxArray[] => bind(svdP, [a], { fullMatrices, computeUv });

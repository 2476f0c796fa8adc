// Dense linear algebra on stacks of small matrices: solve, determinant (via LU with partial
// pivoting) and Cholesky. Reference implementations in float64 arithmetic; derivative rules from
// the usual identities, in terms of these same primitives.
import { fromHost } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { DType, typedArrayFor } from "../core/dtype.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { BatchDim, HostArray, Primitive, UndefPrimal } from "../core/primitive.js";
import { fmtShape } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { mul, sub } from "./arith.js";
import { batchAtFront, batchSize, broadcastInDim, reduceSum, transpose } from "./layout.js";
import { dotGeneral } from "./linalg.js";

/** Checks a (..., m, n) float stack (square with `square`); returns n. */
export function checkFloatMatrix(op: string, a: ShapedArray, square = false): number {
  const n = a.shape[a.ndim - 1];
  if (a.ndim < 2 || (square && a.shape[a.ndim - 2] !== n)) {
    throw new ShapeError(`${op}: expected a (..., ${square ? "n, n) stack of square matrices" : "m, n) stack of matrices"}, got ${fmtShape(a.shape)}.`);
  }
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new DTypeError(`${op}: needs a float array, got ${a.dtype}. Convert with astype("float32").`);
  return n;
}
const checkSquare = (op: string, a: ShapedArray) => checkFloatMatrix(op, a, true);

/** LU factorization with partial pivoting of one n x n matrix in place; returns the sign of the permutation (0 if singular). */
function luInPlace(m: Float64Array, n: number, perm: Int32Array): number {
  let sign = 1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(m[k * n + k]);
    for (let i = k + 1; i < n; i++) { const v = Math.abs(m[i * n + k]); if (v > best) { best = v; p = i; } }
    if (best === 0) return 0;
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = m[k * n + j]; m[k * n + j] = m[p * n + j]; m[p * n + j] = t; }
      const t = perm[k]; perm[k] = perm[p]; perm[p] = t;
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (m[i * n + k] /= m[k * n + k]);
      for (let j = k + 1; j < n; j++) m[i * n + j] -= f * m[k * n + j];
    }
  }
  return sign;
}

const mT = (x: JaxArray) => transpose(x, [...x.shape.keys()].map((i, _k, all) => (i < all.length - 2 ? i : i === all.length - 2 ? all.length - 1 : all.length - 2)));
const matmul = (a: JaxArray, b: JaxArray) => {
  const nb = a.ndim - 2;
  const bd = [...Array(nb).keys()];
  return dotGeneral(a, b, { contracting: [[nb + 1], [nb]], batch: [bd, bd] });
};

/** Moves batch axes of operands to the front, broadcasting unbatched ones (leading-batch primitives). */
function leadingBatch(args: JaxArray[], dims: BatchDim[]): JaxArray[] {
  const size = batchSize(args, dims);
  return args.map((x, i) => batchAtFront(x, dims[i], size));
}

/** solve(a, b): x with a @ x = b, for a (..., n, n) and b (..., n, k). */
export const solveP: Primitive<{}> = new Primitive<{}>("linalg_solve", {
  abstractEval([a, b]) {
    const n = checkSquare("solve", a);
    if (b.ndim !== a.ndim || b.shape[b.ndim - 2] !== n || b.shape.slice(0, -2).join() !== a.shape.slice(0, -2).join() || b.dtype !== a.dtype) {
      throw new ShapeError(`solve: right-hand side ${b.str()} does not match the matrices ${a.str()}; it must be (..., ${n}, k) with the same batch shape and dtype.`);
    }
    return [b];
  },
  reference([a, b]: HostArray[], [o]: HostArray[]) {
    const n = a.aval.shape[a.aval.ndim - 1], k = b.aval.shape[b.aval.ndim - 1];
    const batches = a.data.length / (n * n) || 0;
    const m = new Float64Array(n * n), perm = new Int32Array(n), y = new Float64Array(n);
    for (let s = 0; s < batches; s++) {
      for (let i = 0; i < n * n; i++) m[i] = a.data[s * n * n + i];
      const ok = luInPlace(m, n, perm);
      for (let c = 0; c < k; c++) {
        for (let i = 0; i < n; i++) y[i] = b.data[s * n * k + perm[i] * k + c];
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) y[i] -= m[i * n + j] * y[j];
        for (let i = n - 1; i >= 0; i--) {
          for (let j = i + 1; j < n; j++) y[i] -= m[i * n + j] * y[j];
          y[i] = ok ? y[i] / m[i * n + i] : NaN;
        }
        for (let i = 0; i < n; i++) o.data[s * n * k + i * k + c] = y[i];
      }
    }
  },
  jvp([a, b], [ta, tb]) {
    const x = solve(a, b);
    return [[x], [solve(a, sub(tb, matmul(ta, x)))]];
  },
  transpose([ct]: JaxArray[], [a]) {
    if (a instanceof UndefPrimal) throw new DTypeError("solve is linear only in its right-hand side.");
    return [null, solve(mT(a as JaxArray), ct)];
  },
  batch: (args, dims) => [[solve(...(leadingBatch(args, dims) as [JaxArray, JaxArray]))], [0]],
});

/** det(a) for a (..., n, n). */
export const detP: Primitive<{}> = new Primitive<{}>("det", {
  abstractEval([a]) {
    checkSquare("det", a);
    return [new ShapedArray(a.shape.slice(0, -2), a.dtype)];
  },
  reference([a]: HostArray[], [o]: HostArray[]) {
    const n = a.aval.shape[a.aval.ndim - 1];
    const m = new Float64Array(n * n), perm = new Int32Array(n);
    for (let s = 0; s < o.data.length; s++) {
      for (let i = 0; i < n * n; i++) m[i] = a.data[s * n * n + i];
      let d = luInPlace(m, n, perm);
      for (let i = 0; i < n && d !== 0; i++) d *= m[i * n + i];
      o.data[s] = d;
    }
  },
  jvp([a], [ta]) {
    // d det = det * trace(a^-1 da)
    const d = det(a);
    const n = a.shape[a.ndim - 1];
    const eye = broadcastInDim(constMatrix(n, n, a.dtype, (i, j) => +(i === j)), a.shape, [a.ndim - 2, a.ndim - 1]);
    const tr = reduceSum(mul(solve(a, ta), eye), [a.ndim - 2, a.ndim - 1]);
    return [[d], [mul(d, tr)]];
  },
  batch: ([a], [d]) => [[det(batchAtFront(a, d, a.shape[d!]))], [0]],
});

/** Lower Cholesky factor of a symmetric positive-definite (..., n, n); NaN where not positive-definite. */
export const choleskyP: Primitive<{}> = new Primitive<{}>("cholesky", {
  abstractEval([a]) { checkSquare("cholesky", a); return [a]; },
  reference([a]: HostArray[], [o]: HostArray[]) {
    const n = a.aval.shape[a.aval.ndim - 1];
    const batches = a.data.length / (n * n) || 0;
    for (let s = 0; s < batches; s++) {
      const off = s * n * n;
      for (let i = 0; i < n * n; i++) o.data[off + i] = 0;
      for (let j = 0; j < n; j++) {
        let d = a.data[off + j * n + j];
        for (let k = 0; k < j; k++) d -= o.data[off + j * n + k] ** 2;
        const ljj = Math.sqrt(d);
        o.data[off + j * n + j] = d > 0 ? ljj : NaN;
        for (let i = j + 1; i < n; i++) {
          let v = a.data[off + i * n + j];
          for (let k = 0; k < j; k++) v -= o.data[off + i * n + k] * o.data[off + j * n + k];
          o.data[off + i * n + j] = v / o.data[off + j * n + j];
        }
      }
    }
  },
  jvp([a], [ta]) {
    // dL = L * Phi(L^-1 dA L^-T), Phi = lower triangle with the diagonal halved.
    const l = cholesky(a);
    const n = a.shape[a.ndim - 1];
    const linvDa = solve(l, ta);
    const inner = mT(solve(l, mT(linvDa)));
    const phi = mul(inner, broadcastInDim(constMatrix(n, n, a.dtype, (i, j) => (i === j ? 0.5 : +(i > j))), a.shape, [a.ndim - 2, a.ndim - 1]));
    return [[l], [matmul(l, phi)]];
  },
  batch: ([a], [d]) => [[cholesky(batchAtFront(a, d, a.shape[d!]))], [0]],
});

/** An (n, m) constant matrix with entries f(i, j). */
export function constMatrix(n: number, m: number, dtype: string, f: (i: number, j: number) => number): JaxArray {
  const d = new (typedArrayFor(dtype as DType))(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) d[i * m + j] = f(i, j);
  return fromHost(getBackend(), d as any, new ShapedArray([n, m], dtype as DType));
}

export const solve = (a: JaxArray, b: JaxArray): JaxArray => bind1(solveP, [a, b]);
export const det = (a: JaxArray): JaxArray => bind1(detP, [a]);
export const cholesky = (a: JaxArray): JaxArray => bind1(choleskyP, [a]);

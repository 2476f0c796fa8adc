// Small dense linear algebra on stacks of matrices (linalg_solve, det, cholesky): one invocation
// per matrix, running the reference's algorithm (LU with partial pivoting, Cholesky-Banachiewicz)
// in place in a scratch copy, in float32. Meant for the many-small-matrices case these primitives
// serve; one large matrix runs on a single invocation.
import { ShapedArray } from "../core/aval.js";
import type { Lowering } from "./lowerings.js";
import { kernel } from "./wgsl/builder.js";

const WG = 64;

/** LU of matrix `s` of `lu` in place (partial pivoting), swapping the rows of `o` (k columns) alike. */
const LU = (withRhs: boolean) => `
  var sign = 1.0;
  var singular = false;
  for (var c = 0u; c < n; c = c + 1u) {
    var p = c; var best = abs(lu[base + c * n + c]);
    for (var r = c + 1u; r < n; r = r + 1u) { let v = abs(lu[base + r * n + c]); if (v > best) { best = v; p = r; } }
    if (best == 0.0) { singular = true; break; }
    if (p != c) {
      for (var j = 0u; j < n; j = j + 1u) { let t = lu[base + c * n + j]; lu[base + c * n + j] = lu[base + p * n + j]; lu[base + p * n + j] = t; }
      ${withRhs ? "for (var j = 0u; j < k; j = j + 1u) { let t = o[ob + c * k + j]; o[ob + c * k + j] = o[ob + p * k + j]; o[ob + p * k + j] = t; }" : ""}
      sign = -sign;
    }
    for (var r = c + 1u; r < n; r = r + 1u) {
      let f = lu[base + r * n + c] / lu[base + c * n + c];
      lu[base + r * n + c] = f;
      for (var j = c + 1u; j < n; j = j + 1u) { lu[base + r * n + j] = lu[base + r * n + j] - f * lu[base + c * n + j]; }
    }
  }`;

// meta: batches, n, k
const solveKernel = kernel("linalg_solve", () => ({
  bindings: [{ name: "a", type: "f32" }, { name: "b", type: "f32" }, { name: "lu", type: "f32", write: true }, { name: "o", type: "f32", write: true }],
  workgroup: WG,
  body: `  let batches = m(0u); let n = m(1u); let k = m(2u);
  if (i >= batches) { return; }
  let base = i * n * n; let ob = i * n * k;
  for (var e = 0u; e < n * n; e = e + 1u) { lu[base + e] = a[base + e]; }
  for (var e = 0u; e < n * k; e = e + 1u) { o[ob + e] = b[ob + e]; }
${LU(true)}
  for (var col = 0u; col < k; col = col + 1u) {
    for (var r = 0u; r < n; r = r + 1u) {
      var y = o[ob + r * k + col];
      for (var j = 0u; j < r; j = j + 1u) { y = y - lu[base + r * n + j] * o[ob + j * k + col]; }
      o[ob + r * k + col] = y;
    }
    for (var rr = n; rr > 0u; rr = rr - 1u) {
      let r = rr - 1u;
      var y = o[ob + r * k + col];
      for (var j = r + 1u; j < n; j = j + 1u) { y = y - lu[base + r * n + j] * o[ob + j * k + col]; }
      o[ob + r * k + col] = select(y / lu[base + r * n + r], f_nan(), singular);
    }
  }`,
}));

const detKernel = kernel("det", () => ({
  bindings: [{ name: "a", type: "f32" }, { name: "lu", type: "f32", write: true }, { name: "o", type: "f32", write: true }],
  workgroup: WG,
  body: `  let batches = m(0u); let n = m(1u);
  if (i >= batches) { return; }
  let base = i * n * n;
  for (var e = 0u; e < n * n; e = e + 1u) { lu[base + e] = a[base + e]; }
${LU(false)}
  var d = sign;
  if (singular) { d = 0.0; }
  for (var r = 0u; r < n && !singular; r = r + 1u) { d = d * lu[base + r * n + r]; }
  o[i] = d;`,
}));

const choleskyKernel = kernel("cholesky", () => ({
  bindings: [{ name: "a", type: "f32" }, { name: "o", type: "f32", write: true }],
  workgroup: WG,
  body: `  let batches = m(0u); let n = m(1u);
  if (i >= batches) { return; }
  let base = i * n * n;
  for (var e = 0u; e < n * n; e = e + 1u) { o[base + e] = 0.0; }
  for (var j = 0u; j < n; j = j + 1u) {
    var d = a[base + j * n + j];
    for (var q = 0u; q < j; q = q + 1u) { let v = o[base + j * n + q]; d = d - v * v; }
    o[base + j * n + j] = select(f_nan(), f_sqrt(d), d > 0.0);
    for (var r = j + 1u; r < n; r = r + 1u) {
      var v = a[base + r * n + j];
      for (var q = 0u; q < j; q = q + 1u) { v = v - o[base + r * n + q] * o[base + j * n + q]; }
      o[base + r * n + j] = f_div(v, o[base + j * n + j]);
    }
  }`,
}));

const dims = (shape: readonly number[]) => ({ n: shape[shape.length - 1], batches: shape.slice(0, -2).reduce((x, y) => x * y, 1) });

const solve: Lowering = (ctx, [a, b], [o]) => {
  if (a.aval.dtype !== "float32") return false;
  const { n, batches } = dims(a.aval.shape);
  const k = b.aval.shape[b.aval.ndim - 1];
  if (o.aval.size === 0) return true;
  const lu = ctx.temp(a.aval);
  try {
    ctx.dispatch(solveKernel, [a.buf, b.buf, lu, o.buf], [batches, n, k], ctx.grid(batches, WG));
  } finally {
    ctx.release(lu);
  }
  return true;
};

const det: Lowering = (ctx, [a], [o]) => {
  if (a.aval.dtype !== "float32") return false;
  const { n, batches } = dims(a.aval.shape);
  if (o.aval.size === 0) return true;
  const lu = ctx.temp(new ShapedArray([Math.max(1, a.aval.size)], "float32"));
  try {
    ctx.dispatch(detKernel, [a.buf, lu, o.buf], [batches, n], ctx.grid(batches, WG));
  } finally {
    ctx.release(lu);
  }
  return true;
};

const cholesky: Lowering = (ctx, [a], [o]) => {
  if (a.aval.dtype !== "float32") return false;
  const { n, batches } = dims(a.aval.shape);
  if (o.aval.size === 0) return true;
  ctx.dispatch(choleskyKernel, [a.buf, o.buf], [batches, n], ctx.grid(batches, WG));
  return true;
};

export const decompLowerings: Record<string, Lowering> = { linalg_solve: solve, det, cholesky };

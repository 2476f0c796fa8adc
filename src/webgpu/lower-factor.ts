// qr, eigh and svd on stacks of small matrices: one invocation per matrix running the reference's
// algorithm (Householder QR, cyclic Jacobi, one-sided Jacobi) in float32, as lower-decomp.ts does for
// solve/det/cholesky. float64 runs the reference on the host.
import { ShapedArray } from "../core/aval.js";
import type { GpuBuffer } from "./buffers.js";
import type { GpuCtx, Lowering } from "./lowerings.js";
import { kernel } from "./wgsl/builder.js";

const WG = 64;
const EPS = "1.1920929e-7";
const f = (name: string, write = false) => ({ name, type: "f32" as const, write });

/** Jacobi rotation of columns p, q (c, s) of the rows x ld matrix at `base` in `buf`. */
const rot = (buf: string, base: string, rows: string, ld: string) => `
      for (var e = 0u; e < ${rows}; e = e + 1u) {
        let xp = ${buf}[${base} + e * ${ld} + p]; let xq = ${buf}[${base} + e * ${ld} + q];
        ${buf}[${base} + e * ${ld} + p] = c * xp - s * xq; ${buf}[${base} + e * ${ld} + q] = s * xp + c * xq;
      }`;
const angle = (a: string, b: string, g: string) => `
      let z = (${b} - ${a}) / (2.0 * ${g});
      let t = select(-1.0, 1.0, z >= 0.0) / (abs(z) + sqrt(1.0 + z * z));
      let c = 1.0 / sqrt(1.0 + t * t); let s = t * c;`;
/** Swaps columns x and y of the rows x ld matrix at `base`. */
const swapCols = (buf: string, base: string, rows: string, ld: string, x: string, y: string) =>
  `for (var e = 0u; e < ${rows}; e = e + 1u) { let t = ${buf}[${base} + e * ${ld} + ${x}]; ${buf}[${base} + e * ${ld} + ${x}] = ${buf}[${base} + e * ${ld} + ${y}]; ${buf}[${base} + e * ${ld} + ${y}] = t; }`;

// meta: batches, m, n, qc. hd: the Householder vectors' heads (0: no reflection), tails below R's diagonal in wk.
const qrKernel = kernel("qr", () => ({
  bindings: [f("a"), f("q", true), f("rr", true), f("wk", true), f("hd", true)],
  workgroup: WG,
  body: `  let batches = m(0u); let mr = m(1u); let nc = m(2u); let qc = m(3u); let k = min(mr, nc);
  if (i >= batches) { return; }
  let b = i * mr * nc; let bq = i * mr * qc; let bh = i * k;
  for (var e = 0u; e < mr * nc; e = e + 1u) { wk[b + e] = a[b + e]; }
  for (var j = 0u; j < k; j = j + 1u) {
    var tail = 0.0;
    for (var r = j + 1u; r < mr; r = r + 1u) { let x = wk[b + r * nc + j]; tail = tail + x * x; }
    hd[bh + j] = 0.0;
    if (tail == 0.0) { continue; }
    let al = wk[b + j * nc + j];
    let be = -select(-1.0, 1.0, al >= 0.0) * sqrt(al * al + tail);
    let h = al - be; let vv = h * h + tail;
    for (var c = j + 1u; c < nc; c = c + 1u) {
      var d = h * wk[b + j * nc + c];
      for (var r = j + 1u; r < mr; r = r + 1u) { d = d + wk[b + r * nc + j] * wk[b + r * nc + c]; }
      d = 2.0 * d / vv;
      wk[b + j * nc + c] = wk[b + j * nc + c] - d * h;
      for (var r = j + 1u; r < mr; r = r + 1u) { wk[b + r * nc + c] = wk[b + r * nc + c] - d * wk[b + r * nc + j]; }
    }
    wk[b + j * nc + j] = be; hd[bh + j] = h;
  }
  for (var r = 0u; r < qc; r = r + 1u) { for (var c = 0u; c < nc; c = c + 1u) { rr[i * qc * nc + r * nc + c] = select(0.0, wk[b + r * nc + c], c >= r); } }
  for (var e = 0u; e < mr * qc; e = e + 1u) { q[bq + e] = select(0.0, 1.0, e / qc == e % qc); }
  for (var jj = k; jj > 0u; jj = jj - 1u) {
    let j = jj - 1u; let h = hd[bh + j];
    if (h == 0.0) { continue; }
    var vv = h * h;
    for (var r = j + 1u; r < mr; r = r + 1u) { let x = wk[b + r * nc + j]; vv = vv + x * x; }
    for (var c = 0u; c < qc; c = c + 1u) {
      var d = h * q[bq + j * qc + c];
      for (var r = j + 1u; r < mr; r = r + 1u) { d = d + wk[b + r * nc + j] * q[bq + r * qc + c]; }
      d = 2.0 * d / vv;
      q[bq + j * qc + c] = q[bq + j * qc + c] - d * h;
      for (var r = j + 1u; r < mr; r = r + 1u) { q[bq + r * qc + c] = q[bq + r * qc + c] - d * wk[b + r * nc + j]; }
    }
  }`,
}));

// meta: batches, n, lower. The symmetric copy is rotated in wk; eigenvectors accumulate in v.
const eighKernel = kernel("eigh", () => ({
  bindings: [f("a"), f("v", true), f("ev", true), f("wk", true)],
  workgroup: WG,
  body: `  let batches = m(0u); let n = m(1u); let lower = m(2u) == 1u;
  if (i >= batches) { return; }
  let b = i * n * n;
  var fl = 0.0;
  for (var r = 0u; r < n; r = r + 1u) {
    for (var c = 0u; c < n; c = c + 1u) {
      let x = select(a[b + c * n + r], a[b + r * n + c], select(r <= c, r >= c, lower));
      wk[b + r * n + c] = x; fl = fl + x * x;
      v[b + r * n + c] = select(0.0, 1.0, r == c);
    }
  }
  fl = 1e-3 * sqrt(fl);
  for (var sweep = 0u; sweep < 40u; sweep = sweep + 1u) {
    var rotated = false;
    for (var p = 0u; p < n; p = p + 1u) {
      for (var q = p + 1u; q < n; q = q + 1u) {
        let gg = wk[b + p * n + q]; let app = wk[b + p * n + p]; let aqq = wk[b + q * n + q];
        if (!(abs(gg) > ${EPS} * max(sqrt(abs(app * aqq)), fl))) { continue; }
        rotated = true;${angle("app", "aqq", "gg")}${rot("wk", "b", "n", "n")}
        for (var e = 0u; e < n; e = e + 1u) {
          let xp = wk[b + p * n + e]; let xq = wk[b + q * n + e];
          wk[b + p * n + e] = c * xp - s * xq; wk[b + q * n + e] = s * xp + c * xq;
        }${rot("v", "b", "n", "n")}
      }
    }
    if (!rotated) { break; }
  }
  for (var c = 0u; c < n; c = c + 1u) {
    var p = c;
    for (var e = c + 1u; e < n; e = e + 1u) { if (wk[b + e * n + e] < wk[b + p * n + p]) { p = e; } }
    if (p != c) {
      let t = wk[b + p * n + p]; wk[b + p * n + p] = wk[b + c * n + c]; wk[b + c * n + c] = t;
      ${swapCols("v", "b", "n", "n", "p", "c")}
    }
    ev[i * n + c] = wk[b + c * n + c];
  }`,
}));

// meta: batches, m, n, full, computeUv. W = A (or Aᵀ when wide) is R x C, kept with row length R in wk so
// that its normalized columns can be completed to an R x R basis in place; tv holds two R-vectors.
const svdKernel = kernel("svd", () => ({
  bindings: [f("a"), f("sv", true), f("u", true), f("vt", true), f("wk", true), f("vk", true), f("tv", true)],
  workgroup: WG,
  body: `  let batches = m(0u); let mr = m(1u); let nc = m(2u); let full = m(3u) == 1u; let uv = m(4u) == 1u;
  if (i >= batches) { return; }
  let tall = mr >= nc; let R = max(mr, nc); let C = min(mr, nc);
  let ba = i * mr * nc; let bw = i * R * R; let bv = i * C * C; let bs = i * C; let bt = i * 2u * R;
  for (var r = 0u; r < R; r = r + 1u) {
    for (var c = 0u; c < C; c = c + 1u) { wk[bw + r * R + c] = select(a[ba + c * nc + r], a[ba + r * nc + c], tall); }
  }
  for (var e = 0u; e < C * C; e = e + 1u) { vk[bv + e] = select(0.0, 1.0, e / C == e % C); }
  for (var sweep = 0u; sweep < 40u; sweep = sweep + 1u) {
    var rotated = false;
    for (var p = 0u; p < C; p = p + 1u) {
      for (var q = p + 1u; q < C; q = q + 1u) {
        var al = 0.0; var be = 0.0; var ga = 0.0;
        for (var e = 0u; e < R; e = e + 1u) {
          let xp = wk[bw + e * R + p]; let xq = wk[bw + e * R + q];
          al = al + xp * xp; be = be + xq * xq; ga = ga + xp * xq;
        }
        if (!(abs(ga) > ${EPS} * sqrt(al * be))) { continue; }
        rotated = true;${angle("al", "be", "ga")}${rot("wk", "bw", "R", "R")}${rot("vk", "bv", "C", "C")}
      }
    }
    if (!rotated) { break; }
  }
  for (var c = 0u; c < C; c = c + 1u) {
    var t = 0.0;
    for (var e = 0u; e < R; e = e + 1u) { let x = wk[bw + e * R + c]; t = t + x * x; }
    sv[bs + c] = sqrt(t);
  }
  for (var c = 0u; c < C; c = c + 1u) {
    var p = c;
    for (var e = c + 1u; e < C; e = e + 1u) { if (sv[bs + e] > sv[bs + p]) { p = e; } }
    if (p != c) {
      let t = sv[bs + p]; sv[bs + p] = sv[bs + c]; sv[bs + c] = t;
      ${swapCols("wk", "bw", "R", "R", "p", "c")}
      ${swapCols("vk", "bv", "C", "C", "p", "c")}
    }
  }
  if (!uv) { return; }
  let lc = select(C, R, full);
  var good = 0u;
  if (C > 0u) {
    let tiny = sv[bs] * ${EPS} * f32(R);
    for (var c = 0u; c < C; c = c + 1u) {
      let nc = sv[bs + c];
      if (nc > tiny && good == c) {
        good = good + 1u;
        for (var e = 0u; e < R; e = e + 1u) { wk[bw + e * R + c] = wk[bw + e * R + c] / nc; }
      }
    }
  }
  // Columns good.. of the long side: the unit vector with the largest residual, projected out twice.
  for (var j = good; j < lc; j = j + 1u) {
    var best = -1.0;
    for (var k = 0u; k < R; k = k + 1u) {
      for (var e = 0u; e < R; e = e + 1u) { tv[bt + e] = select(0.0, 1.0, e == k); }
      for (var ps = 0u; ps < 2u; ps = ps + 1u) {
        for (var c = 0u; c < j; c = c + 1u) {
          var d = 0.0;
          for (var e = 0u; e < R; e = e + 1u) { d = d + wk[bw + e * R + c] * tv[bt + e]; }
          for (var e = 0u; e < R; e = e + 1u) { tv[bt + e] = tv[bt + e] - d * wk[bw + e * R + c]; }
        }
      }
      var nr = 0.0;
      for (var e = 0u; e < R; e = e + 1u) { nr = nr + tv[bt + e] * tv[bt + e]; }
      nr = sqrt(nr);
      if (nr > best) { best = nr; for (var e = 0u; e < R; e = e + 1u) { tv[bt + R + e] = tv[bt + e] / nr; } }
    }
    for (var e = 0u; e < R; e = e + 1u) { wk[bw + e * R + j] = tv[bt + R + e]; }
  }
  let uc = select(C, mr, full); let vr = select(C, nc, full);
  for (var r = 0u; r < mr; r = r + 1u) {
    for (var c = 0u; c < uc; c = c + 1u) { u[i * mr * uc + r * uc + c] = select(vk[bv + r * C + c], wk[bw + r * R + c], tall); }
  }
  for (var r = 0u; r < vr; r = r + 1u) {
    for (var c = 0u; c < nc; c = c + 1u) { vt[i * vr * nc + r * nc + c] = select(wk[bw + c * R + r], vk[bv + c * C + r], tall); }
  }`,
}));

const batchesOf = (shape: readonly number[]) => shape.slice(0, -2).reduce((x, y) => x * y, 1);

/** Dispatches `k` over the matrices of `a` with scratch buffers of the given sizes (in elements per matrix). */
function run(ctx: GpuCtx, k: ReturnType<typeof kernel>, a: { buf: GpuBuffer; aval: ShapedArray }, outs: GpuBuffer[], scratch: number[], meta: number[]): boolean {
  if (a.aval.dtype !== "float32") return false;
  const batches = batchesOf(a.aval.shape);
  if (batches === 0) return true;
  const temps = scratch.map((n) => ctx.temp(new ShapedArray([Math.max(1, n * batches)], "float32")));
  try {
    ctx.dispatch(k, [a.buf, ...outs, ...temps], [batches, ...meta], ctx.grid(batches, WG));
  } finally {
    temps.forEach((t) => ctx.release(t));
  }
  return true;
}

const qr: Lowering = (ctx, [a], [q, r]) => {
  const [M, N] = a.aval.shape.slice(-2);
  return run(ctx, qrKernel, a, [q.buf, r.buf], [M * N, Math.min(M, N)], [M, N, q.aval.shape[q.aval.ndim - 1]]);
};
const eigh: Lowering = (ctx, [a], [v, w], { lower }) => {
  const n = a.aval.shape[a.aval.ndim - 1];
  return run(ctx, eighKernel, a, [v.buf, w.buf], [n * n], [n, lower ? 1 : 0]);
};
const svd: Lowering = (ctx, [a], outs, { fullMatrices, computeUv }) => {
  if (a.aval.dtype !== "float32") return false;
  const [M, N] = a.aval.shape.slice(-2), R = Math.max(M, N), C = Math.min(M, N);
  // Without U and Vᵀ, scratch buffers stand in for their bindings.
  const dummy = computeUv ? [] : [ctx.temp(new ShapedArray([1], "float32")), ctx.temp(new ShapedArray([1], "float32"))];
  try {
    const bufs = computeUv ? outs.map((o) => o.buf) : [outs[0].buf, ...dummy];
    return run(ctx, svdKernel, a, bufs, [R * R, C * C, 2 * R], [M, N, fullMatrices ? 1 : 0, computeUv ? 1 : 0]);
  } finally {
    dummy.forEach((t) => ctx.release(t));
  }
};

export const factorLowerings: Record<string, Lowering> = { qr, eigh, svd };

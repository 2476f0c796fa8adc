// dot_general as a batched matmul out[b, i, j] = sum_k A[b, i, k] B[b, k, j], with A and B read
// through strides (so transposed operands need no copy; only operands whose batch, free or
// contracting axes cannot be merged into one stride each are copied first). The kernel is tiled:
// a workgroup of 16x16 invocations computes a 64x64 output tile (4x4 per invocation, K steps of
// 16), or 128x128 (8x8 per invocation, K steps of 8) when both M and N are at least 256.
import { sizeOf, stridesOf } from "../core/shape.js";
import type { GpuBuffer } from "./buffers.js";
import type { GpuArg, GpuCtx, Lowering } from "./lowerings.js";
import { stridedCopy } from "./lower-structural.js";
import { kernel, Scalar, wgslType } from "./wgsl/builder.js";

const T = 16;

/**
 * The tiled kernel for a TILE x TILE output tile (64 or 128) by 16 x 16 invocations, each holding
 * R x R results (R = TILE / 16) in registers; K advances by TK through workgroup-memory tiles.
 * Loads walk the operand's unit-stride axis across neighbouring invocations (coalesced), chosen at
 * run time from the strides (a uniform branch).
 */
function matmulKernel(t: Scalar, TILE: number) {
  const R = TILE / T, TK = TILE === 64 ? 16 : 8, LOADS = (TK * TILE) / (T * T);
  return kernel(`matmul|${t}|${TILE}`, () => {
    const zero = t === "f32" ? "0.0" : t === "i32" ? "0" : "0u";
    const rs = [...Array(R).keys()];
    // Unrolled so the R x R accumulators stay in registers.
    const accDecl = rs.flatMap((r) => rs.map((c) => `  var c${r}_${c}: ${t} = ${zero};`)).join("\n");
    const loadA = rs.map((r) => `let a${r} = As[o + l.y + ${r * T}u];`).join(" ");
    const loadB = rs.map((c) => `let b${c} = Bs[o + l.x + ${c * T}u];`).join(" ");
    const fma = rs.flatMap((r) => rs.map((c) => `c${r}_${c} = c${r}_${c} + a${r} * b${c};`)).join(" ");
    const store = rs.flatMap((r) => rs.map((c) =>
      `  if (row0 + l.y + ${r * T}u < M && col0 + l.x + ${c * T}u < N) { C[(b * M + row0 + l.y + ${r * T}u) * N + col0 + l.x + ${c * T}u] = c${r}_${c}; }`)).join("\n");
    return {
      bindings: [{ name: "A", type: t }, { name: "B", type: t }, { name: "C", type: t, write: true }],
      workgroup: [T, T],
      decls: `var<workgroup> As: array<${t}, ${TK * TILE}>;\nvar<workgroup> Bs: array<${t}, ${TK * TILE}>;`,
      body: `  let M = m(0u); let N = m(1u); let K = m(2u);
  let sAb = m(3u); let sAm = m(4u); let sAk = m(5u);
  let sBb = m(6u); let sBk = m(7u); let sBn = m(8u);
  let b = w.z;
  let row0 = w.y * ${TILE}u; let col0 = w.x * ${TILE}u;
  let tid = l.y * ${T}u + l.x;
  let aKFast = sAk == 1u; let bKFast = sBk == 1u && sBn != 1u;
${accDecl}
  for (var k0 = 0u; k0 < K; k0 = k0 + ${TK}u) {
    for (var q = 0u; q < ${LOADS}u; q = q + 1u) {
      let e = tid + q * ${T * T}u;
      let kk = select(e / ${TILE}u, e % ${TK}u, aKFast); let rr = select(e % ${TILE}u, e / ${TK}u, aKFast);
      let ar = row0 + rr; let ak = k0 + kk;
      var av = ${zero};
      if (ar < M && ak < K) { av = A[b * sAb + ar * sAm + ak * sAk]; }
      As[kk * ${TILE}u + rr] = av;
      let bk = select(e / ${TILE}u, e % ${TK}u, bKFast); let bc = select(e % ${TILE}u, e / ${TK}u, bKFast);
      let gk = k0 + bk; let gc = col0 + bc;
      var bv = ${zero};
      if (gc < N && gk < K) { bv = B[b * sBb + gk * sBk + gc * sBn]; }
      Bs[bk * ${TILE}u + bc] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk = kk + 1u) {
      let o = kk * ${TILE}u;
      ${loadA} ${loadB}
      ${fma}
    }
    workgroupBarrier();
  }
${store}`,
    };
  });
}

/** The stride of `dims` merged into one axis (in the given order), or null when they don't merge. */
function mergedStride(shape: readonly number[], strides: number[], dims: number[]): number | null {
  const big = dims.filter((d) => shape[d] !== 1);
  for (let j = 0; j + 1 < big.length; j++) if (strides[big[j]] !== strides[big[j + 1]] * shape[big[j + 1]]) return null;
  return big.length ? strides[big[big.length - 1]] : 0;
}

const range = (n: number) => [...Array(n).keys()];

/**
 * Strides of `x` as (batch, first, second) groups of axes; when an operand's groups don't merge,
 * a contiguous copy in (batch, first, second) order is made first (freed by the caller).
 */
function view(ctx: GpuCtx, x: GpuArg, groups: number[][]): { buf: GpuBuffer; s: number[]; tmp?: GpuBuffer } {
  const st = stridesOf(x.aval.shape);
  const s = groups.map((g) => mergedStride(x.aval.shape, st, g));
  if (s.every((v) => v !== null)) return { buf: x.buf, s: s as number[] };
  const perm = groups.flat();
  const tmp = ctx.temp(x.aval);
  stridedCopy(ctx, x, { buf: tmp, aval: x.aval }, perm.map((p) => x.aval.shape[p]), 0, perm.map((p) => st[p]));
  const sizes = groups.map((g) => sizeOf(g.map((d) => x.aval.shape[d])));
  return { buf: tmp, s: [sizes[1] * sizes[2], sizes[2], 1], tmp };
}

const dotGeneral: Lowering = (ctx, [a, b], [o], { contracting: [ca, cb], batch: [ba, bb] }: { contracting: [number[], number[]]; batch: [number[], number[]] }) => {
  if (a.aval.dtype === "bool") return false;
  const fa = range(a.aval.ndim).filter((d) => !ca.includes(d) && !ba.includes(d));
  const fb = range(b.aval.ndim).filter((d) => !cb.includes(d) && !bb.includes(d));
  const nb = sizeOf(ba.map((d) => a.aval.shape[d]));
  const M = sizeOf(fa.map((d) => a.aval.shape[d]));
  const N = sizeOf(fb.map((d) => b.aval.shape[d]));
  const K = sizeOf(ca.map((d) => a.aval.shape[d]));
  if (o.aval.size === 0) return true;
  const TILE = M >= 256 && N >= 256 ? 128 : 64;
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (nb > max || Math.ceil(M / TILE) > max || Math.ceil(N / TILE) > max) return false;
  const va = view(ctx, a, [ba, fa, ca]);
  const vb = view(ctx, b, [bb, cb, fb]);
  try {
    ctx.dispatch(matmulKernel(wgslType(a.aval.dtype), TILE), [va.buf, vb.buf, o.buf],
      [M, N, K, ...va.s, ...vb.s], [Math.ceil(N / TILE), Math.ceil(M / TILE), nb]);
  } finally {
    if (va.tmp) ctx.release(va.tmp);
    if (vb.tmp) ctx.release(vb.tmp);
  }
  return true;
};

export const linalgLowerings: Record<string, Lowering> = { dot_general: dotGeneral };

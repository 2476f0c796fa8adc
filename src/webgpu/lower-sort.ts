// sort: a bitonic network over index permutations, one lane per (outer, inner) position of the
// sorted axis, padded to a power of two with sentinel indices that order last. Comparing (keys...,
// original index) is a total order, so the unstable network gives exactly the stable sort of the
// reference. Keys compare as order-preserving u32s (floats: -0 == 0, NaN after +inf). The operands
// are then gathered through the permutation.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";
import { MAP_WG } from "./kernels/map.js";
import type { Lowering } from "./lowerings.js";
import { kernel, wgslType } from "./wgsl/builder.js";

function keyExpr(d: DType, v: string): string {
  return d === "float32" ? `f_key(${v})` : d === "int32" ? `(bitcast<u32>(${v}) ^ 0x80000000u)` : v;
}

// meta: lanes, n, inner, P (power of two >= n), k, j.
function stepKernel(keys: DType[]) {
  return kernel(`bitonic|${keys.join(",")}`, () => {
    const cmp = keys.map((d, t) =>
      `  { let ka = ${keyExpr(d, `k${t}[base + ia * inner]`)}; let kb = ${keyExpr(d, `k${t}[base + ib * inner]`)};
    if (ka != kb) { return ka < kb; } }`).join("\n");
    return {
      bindings: [...keys.map((d, t) => ({ name: `k${t}`, type: wgslType(d) })), { name: "perm", type: "u32" as const, write: true }],
      workgroup: MAP_WG,
      decls: `fn before(ia: u32, ib: u32, base: u32, inner: u32, n: u32) -> bool {
  if (ia >= n || ib >= n) { return ia < ib; }
${cmp}
  return ia < ib;
}`,
      body: `  let lanes = m(0u); let n = m(1u); let inner = m(2u); let P = m(3u); let k = m(4u); let j = m(5u);
  let half = P / 2u;
  if (i >= lanes * half) { return; }
  let lane = i / half; let q = i % half;
  let p = (q / j) * 2u * j + q % j;
  let base = (lane / inner) * n * inner + lane % inner;
  let off = lane * P;
  let ia = perm[off + p]; let ib = perm[off + p + j];
  let up = (p & k) == 0u;
  if (before(ib, ia, base, inner, n) == up) { perm[off + p] = ib; perm[off + p + j] = ia; }`,
    };
  });
}

const initKernel = kernel("bitonic_init", () => ({
  bindings: [{ name: "perm", type: "u32", write: true }],
  workgroup: MAP_WG,
  body: "  if (i >= m(0u)) { return; }\n  perm[i] = i % m(1u);",
}));

function applyKernel(t: string) {
  return kernel(`bitonic_apply|${t}`, () => ({
    bindings: [{ name: "x", type: t as "u32" }, { name: "perm", type: "u32" }, { name: "o", type: t as "u32", write: true }],
    workgroup: MAP_WG,
    body: `  let total = m(0u); let n = m(1u); let inner = m(2u); let P = m(3u);
  if (i >= total) { return; }
  let j = i % inner; let q = i / inner; let r = q % n; let a = q / n;
  let lane = a * inner + j;
  o[i] = x[(a * n + perm[lane * P + r]) * inner + j];`,
  }));
}

const sort: Lowering = (ctx, ins, outs, { dimension, numKeys }: { dimension: number; numKeys: number }) => {
  const shape = ins[0].aval.shape;
  const total = sizeOf(shape);
  if (total === 0) return true;
  if (numKeys + 1 > ctx.limits.maxStorageBuffersPerShaderStage) return false;
  const n = shape[dimension], inner = sizeOf(shape.slice(dimension + 1)), lanes = total / n;
  const P = 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
  const perm = ctx.temp(new ShapedArray([lanes * P], "uint32"));
  try {
    ctx.dispatch(initKernel, [perm], [lanes * P, P], ctx.grid(lanes * P, MAP_WG));
    const keys = ins.slice(0, numKeys);
    const step = stepKernel(keys.map((k) => k.aval.dtype));
    const groups = ctx.grid((lanes * P) / 2, MAP_WG);
    for (let k = 2; k <= P; k *= 2) {
      for (let j = k / 2; j >= 1; j /= 2) {
        ctx.dispatch(step, [...keys.map((a) => a.buf), perm], [lanes, n, inner, P, k, j], groups);
      }
    }
    ins.forEach((x, o) => {
      ctx.dispatch(applyKernel(wgslType(x.aval.dtype)), [x.buf, perm, outs[o].buf], [total, n, inner, P], ctx.grid(total, MAP_WG));
    });
  } finally {
    ctx.release(perm);
  }
  return true;
};

export const sortLowerings: Record<string, Lowering> = { sort };

// gather and scatter along one axis, viewing the operand as (outer, n, inner). Gather is one
// invocation per output element. Scatter copies the operand, then runs one invocation per
// (outer, inner) lane that applies the updates in index order, so repeated indices combine
// exactly as in the reference (last write wins for "set", left-to-right sums for "add").
import { sizeOf, stridesOf } from "../core/shape.js";
import { DType } from "../core/dtype.js";
import { MAP_WG } from "./kernels/map.js";
import type { Lowering } from "./lowerings.js";
import { stridedCopy } from "./lower-structural.js";
import { kernel, Scalar, wgslType } from "./wgsl/builder.js";

function fill(d: DType): string {
  return d === "float32" ? "f_nan()" : d === "int32" ? "i32(-2147483647 - 1)" : d === "uint32" ? "0xffffffffu" : "1u";
}

/** WGSL: whether index `v` (of storage type ti) is outside [0, n), and its value as u32 when inside. */
function oob(ti: Scalar, v: string): string {
  return ti === "i32" ? `(${v} < 0 || u32(${v}) >= n)` : `(${v} >= n)`;
}

const gather: Lowering = (ctx, [x, idx], [o], { axis, mode }: { axis: number; mode: "clip" | "fill" }) => {
  const total = o.aval.size;
  if (total === 0) return true;
  const s = x.aval.shape;
  const n = s[axis], inner = sizeOf(s.slice(axis + 1)), mIdx = idx.aval.size;
  if (n === 0) return false;
  const t = wgslType(x.aval.dtype), ti = wgslType(idx.aval.dtype);
  const k = kernel(`gather|${x.aval.dtype}|${ti}|${mode}`, () => ({
    bindings: [{ name: "x", type: t }, { name: "ix", type: ti }, { name: "o", type: t, write: true }],
    workgroup: MAP_WG,
    body: `  let total = m(0u); let inner = m(1u); let mi_ = m(2u); let n = m(3u);
  if (i >= total) { return; }
  let j = i % inner; let q = i / inner; let kk = q % mi_; let a = q / mi_;
  let v = ix[kk];
  ${mode === "clip"
    ? `let c = ${ti === "i32" ? "u32(clamp(v, 0, i32(n) - 1))" : "min(v, n - 1u)"};
  o[i] = x[(a * n + c) * inner + j];`
    : `if (${oob(ti, "v")}) { o[i] = ${fill(x.aval.dtype)}; } else { o[i] = x[(a * n + u32(v)) * inner + j]; }`}`,
  }));
  ctx.dispatch(k, [x.buf, idx.buf, o.buf], [total, inner, mIdx, n], ctx.grid(total, MAP_WG));
  return true;
};

const COMBINE: Record<string, (t: Scalar, a: string, b: string) => string> = {
  set: (_t, _a, b) => b,
  add: (_t, a, b) => `${a} + ${b}`,
  mul: (_t, a, b) => `${a} * ${b}`,
  min: (t, a, b) => (t === "f32" ? `f_min(${a}, ${b})` : `min(${a}, ${b})`),
  max: (t, a, b) => (t === "f32" ? `f_max(${a}, ${b})` : `max(${a}, ${b})`),
};

const scatter: Lowering = (ctx, [x, idx, u], [o], { axis, mode }: { axis: number; mode: string }) => {
  if (x.aval.size === 0) return true;
  stridedCopy(ctx, x, o, x.aval.shape, 0, stridesOf(x.aval.shape));
  const s = x.aval.shape;
  const n = s[axis], inner = sizeOf(s.slice(axis + 1)), outer = sizeOf(s.slice(0, axis)), mIdx = idx.aval.size;
  const lanes = outer * inner;
  if (lanes === 0 || mIdx === 0) return true;
  const t = wgslType(x.aval.dtype), ti = wgslType(idx.aval.dtype);
  const k = kernel(`scatter|${x.aval.dtype}|${ti}|${mode}`, () => ({
    bindings: [{ name: "ix", type: ti }, { name: "up", type: t }, { name: "o", type: t, write: true }],
    workgroup: MAP_WG,
    body: `  let lanes = m(0u); let inner = m(1u); let mi_ = m(2u); let n = m(3u);
  if (i >= lanes) { return; }
  let j = i % inner; let a = i / inner;
  for (var kk = 0u; kk < mi_; kk = kk + 1u) {
    let v = ix[kk];
    if (${oob(ti, "v")}) { continue; }
    let p = (a * n + u32(v)) * inner + j;
    o[p] = ${COMBINE[mode](t, "o[p]", "up[(a * mi_ + kk) * inner + j]")};
  }`,
  }));
  ctx.dispatch(k, [idx.buf, u.buf, o.buf], [lanes, inner, mIdx, n], ctx.grid(lanes, MAP_WG));
  return true;
};

export const indexingLowerings: Record<string, Lowering> = { gather, scatter };

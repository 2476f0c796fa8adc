// Reductions and arg-reductions. The reduced axes are viewed as the middle of
// (outer, len, inner) (after a transposed copy when they are not adjacent). Short rows: one
// invocation per output, a loop over the row. Long rows: a workgroup per (output, chunk) with a
// shared-memory tree; when one output has several chunks their partials are reduced again. Float
// sums accumulate with Kahan compensation per invocation, then pairwise across the tree.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { sizeOf, stridesOf } from "../core/shape.js";
import type { GpuBuffer } from "./buffers.js";
import type { GpuArg, GpuCtx, Lowering } from "./lowerings.js";
import { stridedCopy } from "./lower-structural.js";
import { kernel, Scalar, wgslType } from "./wgsl/builder.js";

export type Op = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

interface Middle { buf: GpuBuffer; outer: number; len: number; inner: number; tmp?: GpuBuffer }

/** `x` viewed as (outer, len, inner) with `axes` in the middle; a transposed copy when needed. */
function asMiddle(ctx: GpuCtx, x: GpuArg, axes: number[]): Middle {
  const shape = x.aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const len = sizeOf(axes.map((a) => shape[a]));
  const big = axes.filter((a) => shape[a] !== 1);
  const adjacent = big.length === 0 || (big[big.length - 1] - big[0] === big.length - 1 &&
    kept.every((k) => shape[k] === 1 || k < big[0] || k > big[big.length - 1]));
  if (adjacent) {
    const first = big.length ? big[0] : shape.length;
    const outer = sizeOf(kept.filter((k) => k < first).map((k) => shape[k]));
    const inner = sizeOf(kept.filter((k) => k > first).map((k) => shape[k]));
    return { buf: x.buf, outer, len, inner };
  }
  const perm = [...kept, ...axes];
  const tmp = ctx.temp(x.aval);
  const st = stridesOf(shape);
  stridedCopy(ctx, x, { buf: tmp, aval: x.aval }, perm.map((p) => shape[p]), 0, perm.map((p) => st[p]));
  return { buf: tmp, outer: sizeOf(kept.map((k) => shape[k])), len, inner: 1, tmp };
}

export function identity(op: Op, t: Scalar): string {
  switch (op) {
    case "sum": case "or": return t === "f32" ? "0.0" : t === "i32" ? "0" : "0u";
    case "prod": case "and": return t === "f32" ? "1.0" : t === "i32" ? "1" : "1u";
    case "max": case "argmax": return t === "f32" ? "f_neg(f_inf())" : t === "i32" ? "i32(-2147483647 - 1)" : "0u";
    case "min": case "argmin": return t === "f32" ? "f_inf()" : t === "i32" ? "2147483647" : "0xffffffffu";
  }
}

export function combine(op: Op, t: Scalar, a: string, b: string): string {
  switch (op) {
    case "sum": return `(${a} + ${b})`;
    case "prod": return `(${a} * ${b})`;
    case "max": return t === "f32" ? `f_max(${a}, ${b})` : `max(${a}, ${b})`;
    case "min": return t === "f32" ? `f_min(${a}, ${b})` : `min(${a}, ${b})`;
    case "and": return `(${a} & ${b})`;
    case "or": return `(${a} | ${b})`;
    default: throw new Error(op);
  }
}

/** Whether candidate (v, i) beats (bv, bi): the first NaN, else the first extreme value. */
function argBetter(op: Op, t: Scalar): string {
  const nan = (v: string) => (t === "f32" ? `f_isnan(${v})` : "false");
  const gt = t === "f32" ? (op === "argmax" ? "f_gt(v, bv)" : "f_lt(v, bv)") : op === "argmax" ? "(v > bv)" : "(v < bv)";
  const eq = t === "f32" ? "f_eq(v, bv)" : "(v == bv)";
  return `fn better(v: ${t}, vi: u32, bv: ${t}, bi: u32) -> bool {
  if (${nan("bv")}) { return ${nan("v")} && vi < bi; }
  if (${nan("v")}) { return true; }
  return ${gt} || (${eq} && vi < bi);
}`;
}

const WG = 256;
const TREE_MIN = 512;

/** One invocation per output, looping over the row. meta: nOut, len, inner. */
function seqKernel(op: Op, tIn: Scalar, tAcc: Scalar, tOut: Scalar) {
  return kernel(`rseq|${op}|${tIn}|${tAcc}|${tOut}`, () => {
    const arg = op === "argmax" || op === "argmin";
    const kahan = op === "sum" && tAcc === "f32";
    const load = tIn === tAcc ? "x[p]" : `${tAcc}(x[p])`;
    const step = arg ? `if (better(v, r, acc, bi)) { acc = v; bi = r; }`
      : kahan ? "let yk = v - comp; let tk = acc + yk; comp = select(0.0, (tk - acc) - yk, f_finite(tk)); acc = tk;"
      : `acc = ${combine(op, tAcc, "acc", "v")};`;
    return {
      bindings: [{ name: "x", type: tIn }, { name: "o", type: tOut, write: true }],
      workgroup: WG,
      decls: arg ? argBetter(op, tAcc) : "",
      body: `  let nOut = m(0u); let len = m(1u); let inner = m(2u);
  if (i >= nOut) { return; }
  let base = (i / inner) * len * inner + i % inner;
  var acc: ${tAcc} = ${identity(op, tAcc)};
  var comp: f32 = 0.0; var bi = 0u;
  for (var r = 0u; r < len; r = r + 1u) {
    let p = base + r * inner;
    let v = ${load};
    ${step}
  }
  _ = comp;
  o[i] = ${arg ? `${tOut}(bi)` : "acc"};`,
    };
  });
}

/**
 * A workgroup per (output, chunk) of a row of `inner` 1. meta: nOut, len, chunks, chunkLen.
 * `partial`: the first of two passes, writing one result per (output, chunk) (and, for
 * arg-reductions, its index to `oi`); `withIndex`: the second pass of an arg-reduction, reading
 * the indices from `xi`.
 */
function treeKernel(op: Op, tIn: Scalar, tAcc: Scalar, tOut: Scalar, partial: boolean, withIndex: boolean) {
  return kernel(`rtree|${op}|${tIn}|${tAcc}|${tOut}|${partial}|${withIndex}`, () => {
    const arg = op === "argmax" || op === "argmin";
    const kahan = op === "sum" && tAcc === "f32";
    const load = tIn === tAcc ? "x[base + r]" : `${tAcc}(x[base + r])`;
    const idx = withIndex ? "xi[base + r]" : "r";
    const step = arg ? `let v = ${load}; let vi = ${idx}; if (better(v, vi, acc, bi)) { acc = v; bi = vi; }`
      : kahan ? `let yk = ${load} - comp; let tk = acc + yk; comp = select(0.0, (tk - acc) - yk, f_finite(tk)); acc = tk;`
      : `acc = ${combine(op, tAcc, "acc", load)};`;
    const merge = arg
      ? `if (better(sv[l.x + s], si[l.x + s], sv[l.x], si[l.x])) { sv[l.x] = sv[l.x + s]; si[l.x] = si[l.x + s]; }`
      : `sv[l.x] = ${combine(op, tAcc, "sv[l.x]", "sv[l.x + s]")};`;
    const bindings = [{ name: "x", type: tIn }, ...(withIndex ? [{ name: "xi", type: "u32" as Scalar }] : []),
      { name: "o", type: tOut, write: true }, ...(partial && arg ? [{ name: "oi", type: "u32" as Scalar, write: true }] : [])];
    return {
      bindings,
      workgroup: WG,
      decls: `var<workgroup> sv: array<${tAcc}, ${WG}>;\nvar<workgroup> si: array<u32, ${WG}>;\n${arg ? argBetter(op, tAcc) : ""}`,
      body: `  let len = m(1u); let chunks = m(2u); let chunkLen = m(3u);
  let wid = w.x + w.y * nw.x;
  let out = wid / chunks; let c = wid % chunks;
  let base = out * len;
  var acc: ${tAcc} = ${identity(op, tAcc)};
  var comp: f32 = 0.0; var bi = 0xffffffffu;
  let end = min(len, (c + 1u) * chunkLen);
  for (var r = c * chunkLen + l.x; r < end; r = r + ${WG}u) {
    ${step}
  }
  _ = comp;
  sv[l.x] = acc; si[l.x] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (l.x < s) { ${merge} }
    workgroupBarrier();
  }
  if (l.x == 0u && out < m(0u)) {
    ${partial ? (arg ? "o[wid] = sv[0]; oi[wid] = si[0];" : "o[wid] = sv[0];") : arg ? `o[out] = ${tOut}(si[0]);` : "o[out] = sv[0];"}
  }`,
    };
  });
}

function reduce(ctx: GpuCtx, op: Op, x: GpuArg, o: GpuArg, axes: number[]): boolean {
  const dIn = x.aval.dtype;
  const tIn = wgslType(dIn);
  const arg = op === "argmax" || op === "argmin";
  const tAcc: Scalar = arg ? tIn : wgslType(o.aval.dtype);
  const tOut = wgslType(o.aval.dtype);
  const nOut = o.aval.size;
  if (nOut === 0) return true;
  const mid = asMiddle(ctx, x, axes);
  try {
    const { len, inner } = mid;
    if (len < TREE_MIN || inner !== 1) {
      ctx.dispatch(seqKernel(op, tIn, tAcc, tOut), [mid.buf, o.buf], [nOut, len, inner], ctx.grid(nOut, WG));
      return true;
    }
    // Chunks so that about 64 workgroups per output run when outputs are few.
    const chunks = Math.max(1, Math.min(Math.ceil(len / (WG * 8)), Math.ceil(256 / nOut)));
    const chunkLen = Math.ceil(len / chunks / WG) * WG;
    const groups = ctx.grid(nOut * chunks * WG, WG);
    if (chunks === 1) {
      ctx.dispatch(treeKernel(op, tIn, tAcc, tOut, false, false), [mid.buf, o.buf], [nOut, len, 1, chunkLen], groups);
      return true;
    }
    const part = ctx.temp(new ShapedArray([nOut * chunks], accDtype(tAcc)));
    const partI = arg ? ctx.temp(new ShapedArray([nOut * chunks], "uint32")) : null;
    try {
      ctx.dispatch(treeKernel(op, tIn, tAcc, tAcc, true, false), [mid.buf, part, ...(partI ? [partI] : [])], [nOut, len, chunks, chunkLen], groups);
      const second = treeKernel(op, tAcc, tAcc, tOut, false, arg);
      ctx.dispatch(second, [part, ...(partI ? [partI] : []), o.buf], [nOut, chunks, 1, Math.ceil(chunks / WG) * WG], ctx.grid(nOut * WG, WG));
    } finally {
      ctx.release(part);
      if (partI) ctx.release(partI);
    }
    return true;
  } finally {
    if (mid.tmp) ctx.release(mid.tmp);
  }
}

function accDtype(t: Scalar): DType { return t === "f32" ? "float32" : t === "i32" ? "int32" : "uint32"; }

const reducer = (op: Op): Lowering => (ctx, [x], [o], { axes }: { axes: number[] }) => reduce(ctx, op, x, o, axes);
const argReducer = (op: Op): Lowering => (ctx, [x], [o], { axis }: { axis: number }) => reduce(ctx, op, x, o, [axis]);

export const reduceLowerings: Record<string, Lowering> = {
  reduce_sum: reducer("sum"), reduce_prod: reducer("prod"), reduce_max: reducer("max"), reduce_min: reducer("min"),
  reduce_and: reducer("and"), reduce_or: reducer("or"), argmax: argReducer("argmax"), argmin: argReducer("argmin"),
};

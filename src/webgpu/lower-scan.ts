// Cumulative scans (cumsum, cumprod, cummax, cummin) along one axis, viewed as (outer, len, inner).
// Many lanes or short ones: one invocation per lane, in order, rounding exactly as the reference.
// A few long contiguous lanes: a blocked scan: a workgroup per 1024-element block (each invocation
// scans 4 elements, then a Hillis-Steele scan of the 256 partial totals in workgroup memory), the
// block totals scanned by the same lowering, and each block offset by the total before it.
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";
import type { GpuArg, GpuCtx, Lowering } from "./lowerings.js";
import { combine, identity } from "./lower-reduce.js";
import { kernel, Scalar, wgslType } from "./wgsl/builder.js";

type CumOp = "sum" | "prod" | "max" | "min";
const WG = 256, PER = 4, BLOCK = WG * PER;

const load = (tIn: Scalar, tAcc: Scalar, e: string) => (tIn === tAcc ? e : `${tAcc}(${e})`);

/** One invocation per (outer, inner) lane, in order along the axis. meta: lanes, len, inner, reverse. */
function laneKernel(op: CumOp, tIn: Scalar, tAcc: Scalar) {
  return kernel(`scan|${op}|${tIn}|${tAcc}`, () => ({
    bindings: [{ name: "x", type: tIn }, { name: "o", type: tAcc, write: true }],
    workgroup: WG,
    body: `  let lanes = m(0u); let len = m(1u); let inner = m(2u); let rev = m(3u) != 0u;
  if (i >= lanes) { return; }
  let base = (i / inner) * len * inner + i % inner;
  var acc: ${tAcc} = ${identity(op, tAcc)};
  for (var s = 0u; s < len; s = s + 1u) {
    let p = base + select(s, len - 1u - s, rev) * inner;
    acc = ${combine(op, tAcc, "acc", load(tIn, tAcc, "x[p]"))};
    o[p] = acc;
  }`,
  }));
}

/** Scans each block of contiguous lanes; writes block totals. meta: lanes, len, blocks per lane, reverse. */
function blockKernel(op: CumOp, tIn: Scalar, tAcc: Scalar) {
  return kernel(`scanblock|${op}|${tIn}|${tAcc}`, () => ({
    bindings: [{ name: "x", type: tIn }, { name: "o", type: tAcc, write: true }, { name: "sums", type: tAcc, write: true }],
    workgroup: WG,
    decls: `var<workgroup> sh: array<${tAcc}, ${WG}>;`,
    body: `  let lanes = m(0u); let len = m(1u); let nb = m(2u); let rev = m(3u) != 0u;
  let wid = w.x + w.y * nw.x;
  let lane = min(wid / nb, lanes - 1u); let blk = wid % nb;
  let base = lane * len;
  var loc: array<${tAcc}, ${PER}>;
  var acc: ${tAcc} = ${identity(op, tAcc)};
  for (var q = 0u; q < ${PER}u; q = q + 1u) {
    let s = blk * ${BLOCK}u + l.x * ${PER}u + q;
    if (s < len) { acc = ${combine(op, tAcc, "acc", load(tIn, tAcc, "x[base + select(s, len - 1u - s, rev)]"))}; }
    loc[q] = acc;
  }
  sh[l.x] = acc;
  workgroupBarrier();
  for (var d = 1u; d < ${WG}u; d = d << 1u) {
    var t: ${tAcc} = ${identity(op, tAcc)};
    if (l.x >= d) { t = sh[l.x - d]; }
    workgroupBarrier();
    sh[l.x] = ${combine(op, tAcc, "t", "sh[l.x]")};
    workgroupBarrier();
  }
  var prefix: ${tAcc} = ${identity(op, tAcc)};
  if (l.x > 0u) { prefix = sh[l.x - 1u]; }
  if (wid >= lanes * nb) { return; }
  for (var q = 0u; q < ${PER}u; q = q + 1u) {
    let s = blk * ${BLOCK}u + l.x * ${PER}u + q;
    if (s < len) { o[base + select(s, len - 1u - s, rev)] = ${combine(op, tAcc, "prefix", "loc[q]")}; }
  }
  if (l.x == ${WG - 1}u) { sums[wid] = sh[${WG - 1}u]; }`,
  }));
}

/** Combines every element of block b > 0 with the scanned total of the blocks before it. */
function offsetKernel(op: CumOp, tAcc: Scalar) {
  return kernel(`scanoffset|${op}|${tAcc}`, () => ({
    bindings: [{ name: "sums", type: tAcc }, { name: "o", type: tAcc, write: true }],
    workgroup: WG,
    body: `  let lanes = m(0u); let len = m(1u); let nb = m(2u); let rev = m(3u) != 0u;
  if (i >= lanes * len) { return; }
  let lane = i / len; let s = i % len; let blk = s / ${BLOCK}u;
  if (blk == 0u) { return; }
  let p = lane * len + select(s, len - 1u - s, rev);
  o[p] = ${combine(op, tAcc, `sums[lane * nb + blk - 1u]`, "o[p]")};`,
  }));
}

function accDtype(t: Scalar): DType { return t === "f32" ? "float32" : t === "i32" ? "int32" : "uint32"; }

function scan(ctx: GpuCtx, op: CumOp, x: GpuArg, o: GpuArg, axis: number, reverse: boolean): void {
  const shape = x.aval.shape;
  const len = shape[axis], inner = sizeOf(shape.slice(axis + 1)), lanes = x.aval.size / Math.max(1, len);
  if (x.aval.size === 0) return;
  const tIn = wgslType(x.aval.dtype), tAcc = wgslType(o.aval.dtype);
  if (inner !== 1 || len < 4 * BLOCK || lanes >= 256) {
    ctx.dispatch(laneKernel(op, tIn, tAcc), [x.buf, o.buf], [lanes, len, inner, reverse ? 1 : 0], ctx.grid(lanes, WG));
    return;
  }
  const nb = Math.ceil(len / BLOCK);
  const sumsAval = new ShapedArray([lanes, nb], accDtype(tAcc));
  const sums = ctx.temp(sumsAval), scanned = ctx.temp(sumsAval);
  try {
    ctx.dispatch(blockKernel(op, tIn, tAcc), [x.buf, o.buf, sums], [lanes, len, nb, reverse ? 1 : 0], ctx.grid(lanes * nb * WG, WG));
    scan(ctx, op, { buf: sums, aval: sumsAval }, { buf: scanned, aval: sumsAval }, 1, false);
    ctx.dispatch(offsetKernel(op, tAcc), [scanned, o.buf], [lanes, len, nb, reverse ? 1 : 0], ctx.grid(lanes * len, WG));
  } finally {
    ctx.release(sums);
    ctx.release(scanned);
  }
}

const scanner = (op: CumOp): Lowering => (ctx, [x], [o], { axis, reverse }: { axis: number; reverse: boolean }) => {
  scan(ctx, op, x, o, axis, reverse);
  return true;
};

export const scanLowerings: Record<string, Lowering> = {
  cumsum: scanner("sum"), cumprod: scanner("prod"), cummax: scanner("max"), cummin: scanner("min"),
};

// Gather and scatter along one axis. jnp's indexing reduces every advanced index to these by
// flattening the indexed axes into one.
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat } from "../core/dtype.js";
import { DTypeError, NotImplementedError, ShapeError } from "../core/errors.js";
import { Primitive, UndefPrimal } from "../core/primitive.js";
import { fmtShape, normAxis, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add, bitwiseAnd, convertElementType, ge, lt, max, min, mul, select } from "./arith.js";
import { full, zerosLike } from "./helpers.js";
import { batchAtFront, batchSize, broadcastInDim, moveAxis, reshape, transpose } from "./layout.js";
import { iota } from "./structural.js";

export type GatherMode = "clip" | "fill";
export type ScatterMode = "set" | "add" | "mul" | "min" | "max";

export function fillValue(d: DType): number {
  return isFloat(d) ? NaN : d === "int32" ? -2147483648 : d === "uint32" ? 4294967295 : 1;
}

function gatheredShape(x: readonly number[], idx: readonly number[], axis: number): number[] {
  return [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
}

function checkIndex(op: string, x: ShapedArray, idx: ShapedArray, axis: number): void {
  if (idx.dtype !== "int32" && idx.dtype !== "uint32") {
    throw new DTypeError(`${op}: indices must be integers, got ${idx.dtype}. Convert with astype("int32").`);
  }
  normAxis(op, axis, x.ndim, 0);
}

/** out[..., i, ...] = x[..., idx[i], ...]; out-of-range indices clip or give the dtype's fill value. */
export const gatherP: Primitive<{ axis: number; mode: GatherMode }> = new Primitive<{ axis: number; mode: GatherMode }>("gather", {
  abstractEval([x, idx], { axis }) {
    checkIndex("gather", x, idx, axis);
    return [new ShapedArray(gatheredShape(x.shape, idx.shape, axis), x.dtype, x.weakType)];
  },
  reference([x, idx], [o], { axis, mode }) {
    const s = x.aval.shape;
    const outer = sizeOf(s.slice(0, axis)), n = s[axis], inner = sizeOf(s.slice(axis + 1)), m = idx.data.length;
    const fv = fillValue(x.aval.dtype);
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < m; k++) {
        let i = idx.data[k];
        const oob = i < 0 || i >= n;
        if (oob && mode === "clip") i = Math.min(Math.max(i, 0), n - 1);
        const dst = (a * m + k) * inner, src = (a * n + i) * inner;
        for (let j = 0; j < inner; j++) o.data[dst + j] = oob && mode === "fill" ? fv : x.data[src + j];
      }
    }
  },
  jvp: ([x, idx], [t], p) => [[gather(x, idx, p.axis, p.mode)], [gather(t, idx, p.axis, p.mode)]],
  transpose([ct]: JaxArray[], [x, idx], { axis }) {
    const a = (x as UndefPrimal).aval;
    const z = zerosLike({ aval: a });
    return [scatter(z, idx as JaxArray, ct, axis, "add"), null];
  },
  batch([x, idx], [dx, di], { axis, mode }) {
    if (di === null) return [[gather(moveAxis(x, dx!, 0), idx, axis + 1, mode)], [0]];
    if (dx === null) return [[gather(x, idx, axis, mode)], [axis + di]];
    // Both batched: gather from the flattened (batch * axis) dimension with offset indices.
    const { flat, lin, pre, post } = flattenBatched(x, dx, idx, di, axis, mode === "clip");
    const out = gather(flat, lin, 0, mode);
    const nI = idx.ndim - 1;
    // out: (B, I..., pre..., post...) -> (B, pre..., I..., post...)
    const perm = [0, ...range(pre).map((i) => 1 + nI + i), ...range(nI).map((i) => 1 + i), ...range(post).map((i) => 1 + nI + pre + i)];
    return [[transpose(out, perm)], [0]];
  },
});

/** x with x[..., idx[i], ...] combined with updates[..., i, ...]; out-of-range indices are dropped. */
export const scatterP: Primitive<{ axis: number; mode: ScatterMode }> = new Primitive<{ axis: number; mode: ScatterMode }>("scatter", {
  abstractEval([x, idx, u], { axis }) {
    checkIndex("scatter", x, idx, axis);
    const want = gatheredShape(x.shape, idx.shape, axis);
    if (u.dtype !== x.dtype || want.length !== u.ndim || want.some((d, i) => d !== u.shape[i])) {
      throw new ShapeError(`scatter: updates ${u.str()} do not match the indexed region ${fmtShape(want)} of dtype ${x.dtype}.`);
    }
    return [x];
  },
  reference([x, idx, u], [o], { axis, mode }) {
    o.data.set(x.data as any);
    const s = x.aval.shape;
    const outer = sizeOf(s.slice(0, axis)), n = s[axis], inner = sizeOf(s.slice(axis + 1)), m = idx.data.length;
    const int = !isFloat(x.aval.dtype);
    const f = mode === "set" ? (_a: number, b: number) => b
      : mode === "add" ? (a: number, b: number) => a + b
      : mode === "mul" ? (int ? Math.imul : (a: number, b: number) => a * b)
      : mode === "min" ? (a: number, b: number) => (a !== a || b !== b ? NaN : Math.min(a, b))
      : (a: number, b: number) => (a !== a || b !== b ? NaN : Math.max(a, b));
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < m; k++) {
        const i = idx.data[k];
        if (i < 0 || i >= n) continue;
        const dst = (a * n + i) * inner, src = (a * m + k) * inner;
        for (let j = 0; j < inner; j++) o.data[dst + j] = f(o.data[dst + j], u.data[src + j]);
      }
    }
  },
  jvp([x, idx, u], [tx, , tu], { axis, mode }) {
    if (mode !== "add" && mode !== "set") {
      throw new NotImplementedError(`scatter with mode "${mode}" has no JVP rule yet; use mode "set" or "add" under differentiation.`);
    }
    return [[scatter(x, idx, u, axis, mode)], [scatter(tx, idx, tu, axis, mode)]];
  },
  transpose([ct]: JaxArray[], [x, idx, u], { axis, mode }) {
    const au = u instanceof UndefPrimal ? u.aval : (u as JaxArray).aval;
    const i = idx as JaxArray;
    const ctx = x instanceof UndefPrimal ? (mode === "add" ? ct : scatter(ct, i, zerosLike({ aval: au }), axis, "set")) : null;
    const ctu = u instanceof UndefPrimal ? gather(ct, i, axis, "fill") : null;
    return [ctx, null, ctu];
  },
  batch([x, idx, u], [dx, di, du], { axis, mode }) {
    const size = batchSize([x, idx, u], [dx, di, du]);
    const xb = batchAtFront(x, dx, size);
    if (di === null) return [[scatter(xb, idx, batchAtFront(u, du, size), axis + 1, mode)], [0]];
    const { flat, lin, pre, post, n } = flattenBatched(xb, 0, idx, di, axis, false);
    const nI = idx.ndim - 1;
    // updates: (B, pre..., I..., post...) -> (B, I..., pre..., post...)
    const ub = batchAtFront(u, du, size);
    const perm = [0, ...range(nI).map((i) => 1 + pre + i), ...range(pre).map((i) => 1 + i), ...range(post).map((i) => 1 + pre + nI + i)];
    const out = scatter(flat, lin, transpose(ub, perm), 0, mode);
    const rest = xb.shape.filter((_, i) => i !== axis + 1).slice(1);
    const back = reshape(out, [size, n, ...rest]);
    return [[moveAxis(back, 1, axis + 1)], [0]];
  },
});

export const gather = (x: JaxArray, idx: JaxArray, axis: number, mode: GatherMode = "clip"): JaxArray => bind1(gatherP, [x, idx], { axis, mode });
export const scatter = (x: JaxArray, idx: JaxArray, u: JaxArray, axis: number, mode: ScatterMode): JaxArray => bind1(scatterP, [x, idx, u], { axis, mode });

const range = (n: number) => [...Array(n).keys()];

/**
 * For vmap of gather/scatter with batched indices: x (batch at dx) becomes (B*N, rest...) with the
 * indexed axis merged into the batch, and idx (batch at di) becomes linear indices into it, -1 where
 * out of range (which gather fills and scatter drops) unless clipping.
 */
function flattenBatched(x: JaxArray, dx: number, idx: JaxArray, di: number, axis: number, clip: boolean) {
  const xb = moveAxis(x, dx, 0);
  const B = xb.shape[0], n = xb.shape[axis + 1];
  const xt = moveAxis(xb, axis + 1, 1);
  const rest = xt.shape.slice(2);
  const flat = reshape(xt, [B * n, ...rest]);
  let ib = moveAxis(idx, di, 0);
  if (ib.dtype !== "int32") ib = convertElementType(ib, "int32");
  const c = (v: number) => full(ib.shape, v, "int32");
  const offset = mul(broadcastInDim(iota("int32", [B], 0), ib.shape, [0]), c(n));
  let lin: JaxArray;
  if (clip) {
    lin = add(max(min(ib, c(n - 1)), c(0)), offset);
  } else {
    const ok = bitwiseAnd(ge(ib, c(0)), lt(ib, c(n)));
    lin = select(ok, add(ib, offset), c(-1));
  }
  return { flat, lin, pre: axis, post: rest.length - axis, n };
}

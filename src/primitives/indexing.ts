// Gather and scatter along one axis. jnp's indexing reduces every advanced index to these by
// flattening the indexed axes into one.
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat } from "../core/dtype.js";
import { DTypeError, NotImplementedError, ShapeError } from "../core/errors.js";
import { Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { fmtShape, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { zerosLike } from "./helpers.js";

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
  if (axis < 0 || axis >= x.ndim) throw new ShapeError(`${op}: axis ${axis} is out of bounds for an operand of rank ${x.ndim}.`);
}

/** out[..., i, ...] = x[..., idx[i], ...]; out-of-range indices clip or give the dtype's fill value. */
export const gatherP: Primitive<{ axis: number; mode: GatherMode }> = new Primitive("gather", {
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
  transpose([ct], [x, idx], { axis }) {
    const a = (x as UndefPrimal).aval;
    if (ct instanceof Zero) return [new Zero(a), null];
    const z = zerosLike({ aval: a });
    return [scatter(z, idx as JaxArray, ct, axis, "add"), null];
  },
});

/** x with x[..., idx[i], ...] combined with updates[..., i, ...]; out-of-range indices are dropped. */
export const scatterP: Primitive<{ axis: number; mode: ScatterMode }> = new Primitive("scatter", {
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
  transpose([ct], [x, idx, u], { axis, mode }) {
    const ax = x instanceof UndefPrimal ? x.aval : (x as JaxArray).aval;
    const au = u instanceof UndefPrimal ? u.aval : (u as JaxArray).aval;
    if (ct instanceof Zero) return [x instanceof UndefPrimal ? new Zero(ax) : null, null, u instanceof UndefPrimal ? new Zero(au) : null];
    const i = idx as JaxArray;
    const ctx = x instanceof UndefPrimal ? (mode === "add" ? ct : scatter(ct, i, zerosLike({ aval: au }), axis, "set")) : null;
    const ctu = u instanceof UndefPrimal ? gather(ct, i, axis, "fill") : null;
    return [ctx, null, ctu];
  },
});

export const gather = (x: JaxArray, idx: JaxArray, axis: number, mode: GatherMode = "clip"): JaxArray => bind1(gatherP, [x, idx], { axis, mode });
export const scatter = (x: JaxArray, idx: JaxArray, u: JaxArray, axis: number, mode: ScatterMode): JaxArray => bind1(scatterP, [x, idx, u], { axis, mode });

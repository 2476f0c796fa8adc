// lax.convGeneralDilated (the conv_general_dilated primitive, with layouts and padding strings
// resolved here) and lax.reduceWindow, composed from pad, strided slices and a reduction (which
// gives it JVP, transpose and batching rules for free).
import { ShapeError, ValueError } from "../core/errors.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import { conv, ConvDimensionNumbers, dilateDim } from "../primitives/conv.js";
import { reduceMax } from "../primitives/reduce.js";
import { broadcastInDim, concatenate, pad, reshape, rev, slice, transpose } from "../primitives/structural.js";
import { asArray, scalar } from "./numpy/creation.js";
import { promote } from "./numpy/ufuncs.js";
import { positionalOptions } from "./numpy/options.js";

export type Padding = "SAME" | "VALID" | readonly (readonly [number, number])[];

export interface ConvOptions {
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  /** [lhs spec, rhs spec, out spec], e.g. ["NHWC", "HWIO", "NHWC"]; default ["NCHW", "OIHW", "NCHW"] (any rank). */
  dimensionNumbers?: readonly [string, string, string];
  featureGroupCount?: number;
}

/** (lo, hi) padding per spatial dim for SAME/VALID, as lax.padtype_to_pads computes it. */
export function padsFor(inShape: readonly number[], window: readonly number[], strides: readonly number[], padding: Padding | "SAME_LOWER"): [number, number][] {
  if (padding === "VALID") return inShape.map(() => [0, 0]);
  if (padding === "SAME" || padding === "SAME_LOWER") {
    return inShape.map((n, i) => {
      const out = Math.ceil(n / strides[i]);
      const total = Math.max((out - 1) * strides[i] + window[i] - n, 0);
      const small = Math.floor(total / 2);
      return padding === "SAME" ? [small, total - small] : [total - small, small];
    });
  }
  if (typeof padding === "string") throw new ValueError(`padding must be "SAME", "SAME_LOWER", "VALID" or one (lo, hi) pair per spatial dimension, got "${padding}".`);
  if (padding.length !== inShape.length) throw new ShapeError(`padding ${JSON.stringify(padding)} needs one (lo, hi) pair per spatial dimension (${inShape.length}).`);
  return padding.map(([l, h]) => [l, h]);
}

/**
 * Axis indices of each operand as (batch, feature, spatial...), spatial dims matched by letter and
 * ordered as in the rhs spec (JAX's conv_general_permutations).
 */
function specNumbers(op: string, [ls, rs, os]: readonly [string, string, string]): ConvDimensionNumbers {
  const sp = [...rs].filter((c) => c !== "O" && c !== "I");
  const perm = (spec: string, a: string, b: string) => {
    const idx = [a, b, ...sp].map((c) => spec.indexOf(c));
    if (idx.some((i) => i < 0) || new Set(spec).size !== spec.length || spec.length !== idx.length) {
      throw new ValueError(`${op}: dimension numbers ${JSON.stringify([ls, rs, os])} are inconsistent: "${spec}" needs ${a}, ${b} and the rhs spatial letters ${sp.join("")} once each.`);
    }
    return idx;
  };
  return { lhsSpec: perm(ls, "N", "C"), rhsSpec: perm(rs, "O", "I"), outSpec: perm(os, "N", "C") };
}

/** lax.conv_general_dilated: one conv_general_dilated equation (layouts, padding strings resolved here). */
export function convGeneralDilated(lhsIn: ArrayLike, rhsIn: ArrayLike, windowStrides: readonly number[], padding: Padding | "SAME_LOWER",
  ...rest: (ConvOptions | readonly number[] | readonly [string, string, string] | number | null | undefined)[]): JaxArray {
  const op = "conv_general_dilated";
  // JAX's positional order after padding: lhs_dilation, rhs_dilation, dimension_numbers, feature_group_count.
  const o = positionalOptions<ConvOptions>("lax.convGeneralDilated", rest.map((v) => (v === null ? undefined : v)),
    ["lhsDilation", "rhsDilation", "dimensionNumbers", "featureGroupCount"]);
  const opts: ConvOptions = o;
  const [lhs, rhs] = promote(op, [lhsIn, rhsIn]);
  if (rhs.ndim !== lhs.ndim || lhs.ndim < 3) throw new ShapeError(`${op}: lhs ${lhs.aval.str()} and rhs ${rhs.aval.str()} must have the same rank, at least 3.`);
  const nd = lhs.ndim - 2;
  const defaultSpec = (a: string, b: string) => a + b + "DHW".slice(3 - nd);
  const names = opts.dimensionNumbers ?? [defaultSpec("N", "C"), defaultSpec("O", "I"), defaultSpec("N", "C")];
  if (names.some((s) => s.length !== lhs.ndim)) throw new ValueError(`${op}: dimension numbers ${JSON.stringify(names)} do not match rank ${lhs.ndim}.`);
  const dn = specNumbers(op, names);
  const strides = windowStrides.length ? [...windowStrides] : Array(nd).fill(1);
  const lhsDilation = [...(opts.lhsDilation ?? Array(nd).fill(1))], rhsDilation = [...(opts.rhsDilation ?? Array(nd).fill(1))];
  const effK = dn.rhsSpec.slice(2).map((a, i) => dilateDim(rhs.shape[a], rhsDilation[i] ?? 1));
  const pads = padsFor(dn.lhsSpec.slice(2).map((a) => lhs.shape[a]), effK, strides, padding);
  return conv(lhs, rhs, { windowStrides: strides, padding: pads, lhsDilation, rhsDilation, dimensionNumbers: dn, featureGroupCount: opts.featureGroupCount ?? 1 });
}

/** lax.conv_transpose's (lo, hi) padding of the dilated input for SAME/VALID (its _conv_transpose_padding). */
export function convTransposePadding(k: number, s: number, padding: "SAME" | "VALID"): [number, number] {
  const len = padding === "SAME" ? k + s - 2 : k + s - 2 + Math.max(k - s, 0);
  const lo = padding === "SAME" && s <= k - 1 ? Math.ceil(len / 2) : k - 1;
  return [lo, len - lo];
}

export interface ConvTransposeOptions {
  rhsDilation?: readonly number[] | null;
  /** Default channels-last: ["NHWC", "HWIO", "NHWC"] and the like for each rank. */
  dimensionNumbers?: readonly [string, string, string] | null;
  /** The kernel is a forward conv's (spatially flipped, I and O swapped), as in JAX. */
  transposeKernel?: boolean;
}

/**
 * lax.convTranspose(lhs, rhs, strides, padding, rhsDilation?, dimensionNumbers?, transposeKernel?)
 * (or those as options): a convolution of the input dilated by `strides`, padded so that SAME and
 * VALID give JAX's output sizes (the gradient of a strided conv when transposeKernel is set).
 */
export function convTranspose(lhsIn: ArrayLike, rhsIn: ArrayLike, strides: readonly number[], padding: Padding,
  ...rest: (ConvTransposeOptions | readonly number[] | readonly [string, string, string] | boolean | null | undefined)[]): JaxArray {
  const o = positionalOptions<ConvTransposeOptions>("lax.convTranspose", rest.map((v) => (v === null ? undefined : v)),
    ["rhsDilation", "dimensionNumbers", "transposeKernel"]);
  const [lhs, rhs0] = promote("conv_transpose", [lhsIn, rhsIn]);
  const nd = lhs.ndim - 2;
  if (nd < 0 || nd > 3) throw new ShapeError(`conv_transpose: lhs must have rank 2 to 5, got ${lhs.aval.str()}.`);
  const sp = "HWD".slice(0, nd);
  const names = o.dimensionNumbers ?? [`N${sp}C`, `${sp}IO`, `N${sp}C`];
  const rspec = names[1];
  const spatial = [...rspec].map((ch, i) => (ch === "I" || ch === "O" ? -1 : i)).filter((i) => i >= 0);
  const dil = [...(o.rhsDilation ?? Array(nd).fill(1))];
  const pads: readonly (readonly [number, number])[] = typeof padding === "string"
    ? spatial.map((ax, i) => convTransposePadding(dilateDim(rhs0.shape[ax], dil[i]), strides[i], padding as "SAME" | "VALID"))
    : padding;
  let rhs = rhs0;
  if (o.transposeKernel) {
    rhs = rev(rhs, spatial);
    const perm = [...Array(rhs.ndim).keys()], i = rspec.indexOf("I"), oi = rspec.indexOf("O");
    [perm[i], perm[oi]] = [perm[oi], perm[i]];
    rhs = transpose(rhs, perm);
  }
  return convGeneralDilated(lhs, rhs, Array(nd).fill(1), pads, { lhsDilation: strides, rhsDilation: dil, dimensionNumbers: names });
}

export type Reducer = "max" | "add" | "sum" | "min" | "mul" | ((a: JaxArray, b: JaxArray) => JaxArray);

const namedReducers: Record<string, (a: JaxArray, b: JaxArray) => JaxArray> = { add: A.add, sum: A.add, mul: A.mul, max: A.max, min: A.min };

/**
 * lax.reduceWindow(x, init, computation, windowDimensions, windowStrides?, padding?, baseDilation?,
 * windowDilation?). `computation` is a binary function such as lax.max or lax.add (or its name);
 * as in XLA, every window starts from `init` and padding and base-dilation holes hold `init`.
 */
export function reduceWindow(xIn: ArrayLike, initValue: number | ArrayLike, computation: Reducer, windowDimensions: readonly number[],
  windowStrides?: readonly number[] | null, padding: Padding | "SAME_LOWER" = "VALID", baseDilation?: readonly number[] | null,
  windowDilation?: readonly number[] | null): JaxArray {
  const op = "reduce_window";
  const x0 = asArray(xIn);
  const nd = x0.ndim;
  const f = typeof computation === "function" ? computation : namedReducers[computation];
  if (!f) throw new ValueError(`${op}: computation must be a binary function such as lax.max or lax.add (or "add", "mul", "max", "min"), got ${JSON.stringify(computation)}.`);
  const ones = Array<number>(nd).fill(1);
  const strides = windowStrides ?? ones, bd = baseDilation ?? ones, wd = windowDilation ?? ones;
  for (const [name, v] of [["window dimensions", windowDimensions], ["window strides", strides], ["base dilation", bd], ["window dilation", wd]] as const) {
    if (!Array.isArray(v) || v.length !== nd) throw new ShapeError(`${op}: ${name} need one entry per axis of ${x0.aval.str()}, got ${JSON.stringify(v)}.`);
  }
  const init = typeof initValue === "number" ? scalar(initValue, x0.dtype) : A.convertElementType(asArray(initValue), x0.dtype);
  if (init.ndim !== 0) throw new ShapeError(`${op}: init_value must be a scalar, got shape [${init.shape}].`);
  const effWindow = windowDimensions.map((k, i) => dilateDim(k, wd[i]));
  const pads = padsFor(x0.shape.map((n, i) => dilateDim(n, bd[i])), effWindow, strides, padding);
  const x = pad(x0, init, pads.map(([l, h], i) => [l, h, bd[i] - 1]));
  const out = x.shape.map((n, i) => Math.max(0, Math.floor((n - effWindow[i]) / strides[i]) + 1));
  const offsets = windowDimensions.reduce<number[][]>((acc, k, d) => acc.flatMap((o) => Array.from({ length: k }, (_, j) => [...o, j * wd[d]])), [[]]);
  const parts = offsets.map((off) => slice(x, off, off.map((o, i) => o + Math.max(0, out[i] - 1) * strides[i] + (out[i] > 0 ? 1 : 0)), strides));
  // An identity init (0 for add, -inf for max, ...) need not be folded in.
  const identity = typeof initValue === "number" &&
    ((f === A.add && initValue === 0) || (f === A.mul && initValue === 1) || (f === A.max && initValue === -Infinity) || (f === A.min && initValue === Infinity));
  const withInit = (r: JaxArray) => (identity || !parts.length ? r : f(broadcastInDim(init, out, []), r));
  if (!parts.length) return broadcastInDim(init, out, []);
  if (f === A.max || f === A.min) {
    // One reduction over the stacked windows instead of a chain of elementwise ops.
    const st = concatenate(parts.map((p) => reshape(p, [1, ...p.shape])), 0);
    return withInit(f === A.max ? reduceMax(st, [0]) : A.neg(reduceMax(A.neg(st), [0])));
  }
  if (f === A.add || f === A.mul) return withInit(parts.reduce((acc, p) => f(acc, p)));
  // Any other function folds the window left to right starting from init.
  return parts.reduce((acc, p) => f(acc, p), broadcastInDim(init, out, []));
}

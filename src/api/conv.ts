// lax.convGeneralDilated (the conv_general_dilated primitive, with layouts and padding strings
// resolved here) and lax.reduceWindow, composed from pad, strided slices and a reduction (which
// gives it JVP, transpose and batching rules for free).
import { ShapeError, ValueError } from "../core/errors.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import { conv, ConvDimensionNumbers, dilateDim } from "../primitives/conv.js";
import { reduceMax } from "../primitives/reduce.js";
import { concatenate, pad, reshape, slice } from "../primitives/structural.js";
import { asArray, scalar } from "./numpy/creation.js";
import { promote } from "./numpy/ufuncs.js";

export type Padding = "SAME" | "VALID" | readonly (readonly [number, number])[];

export interface ConvOptions {
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  /** [lhs spec, rhs spec, out spec], e.g. ["NHWC", "HWIO", "NHWC"]; default ["NCHW", "OIHW", "NCHW"] (any rank). */
  dimensionNumbers?: readonly [string, string, string];
  featureGroupCount?: number;
}

/** (lo, hi) padding per spatial dim for SAME/VALID, as lax.padtype_to_pads computes it. */
export function padsFor(inShape: readonly number[], window: readonly number[], strides: readonly number[], padding: Padding): [number, number][] {
  if (padding === "VALID") return inShape.map(() => [0, 0]);
  if (padding === "SAME") {
    return inShape.map((n, i) => {
      const out = Math.ceil(n / strides[i]);
      const total = Math.max((out - 1) * strides[i] + window[i] - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
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
export function convGeneralDilated(lhsIn: ArrayLike, rhsIn: ArrayLike, windowStrides: readonly number[], padding: Padding, opts: ConvOptions = {}): JaxArray {
  const op = "conv_general_dilated";
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

export type Reducer = "max" | "add" | "sum" | "min";

/** lax.reduceWindow(x, init, "max" | "add", windowDimensions, windowStrides, padding). */
export function reduceWindow(xIn: ArrayLike, initValue: number, computation: Reducer, windowDimensions: readonly number[], windowStrides: readonly number[], padding: Padding): JaxArray {
  const x0 = asArray(xIn);
  const nd = x0.ndim;
  if (windowDimensions.length !== nd || windowStrides.length !== nd) {
    throw new ShapeError(`reduce_window: window dimensions and strides need one entry per axis of ${x0.aval.str()}.`);
  }
  const pads = padsFor(x0.shape, windowDimensions, windowStrides, padding);
  const x = pad(x0, scalar(initValue, x0.dtype), pads.map(([l, h]) => [l, h, 0]));
  const out = x.shape.map((n, i) => Math.floor((n - windowDimensions[i]) / windowStrides[i]) + 1);
  const offsets = windowDimensions.reduce<number[][]>((acc, k) => acc.flatMap((o) => Array.from({ length: k }, (_, j) => [...o, j])), [[]]);
  const parts = offsets.map((off) => slice(x, off, off.map((o, i) => o + (out[i] - 1) * windowStrides[i] + 1), windowStrides));
  if (computation === "max" || computation === "min") {
    const st = concatenate(parts.map((p) => reshape(p, [1, ...p.shape])), 0);
    return computation === "max" ? reduceMax(st, [0]) : A.neg(reduceMax(A.neg(st), [0]));
  }
  return parts.reduce((acc, p) => A.add(acc, p));
}

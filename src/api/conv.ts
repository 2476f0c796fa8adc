// lax.convGeneralDilated and lax.reduceWindow, composed from pad, strided slices, concatenate and
// dot_general (im2col + one matrix multiply). Composition gives them JVP, transpose and batching
// rules for free; a dedicated Wasm convolution kernel is future work.
import { ShapeError, ValueError } from "../core/errors.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import { dotGeneral } from "../primitives/linalg.js";
import { reduceMax } from "../primitives/reduce.js";
import { concatenate, pad, reshape, slice, transpose } from "../primitives/structural.js";
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

function specPerm(spec: string, first: string, last: string): number[] {
  // Permutation putting `first`, then the spatial dims in spec order, then `last`.
  const spatial = [...spec].map((c, i) => [c, i] as const).filter(([c]) => c !== first && c !== last).map(([, i]) => i);
  return [spec.indexOf(first), ...spatial, spec.indexOf(last)];
}

export function convGeneralDilated(lhsIn: ArrayLike, rhsIn: ArrayLike, windowStrides: readonly number[], padding: Padding, opts: ConvOptions = {}): JaxArray {
  let [lhs, rhs] = promote("conv_general_dilated", [lhsIn, rhsIn]);
  const nd = lhs.ndim - 2;
  if (rhs.ndim !== lhs.ndim) throw new ShapeError(`conv_general_dilated: lhs ${lhs.aval.str()} and rhs ${rhs.aval.str()} must have the same rank.`);
  const rank = lhs.ndim;
  const defaultSpec = (a: string, b: string) => a + b + "DHW".slice(3 - nd);
  const [ls, rs, os] = opts.dimensionNumbers ?? [defaultSpec("N", "C"), defaultSpec("O", "I"), defaultSpec("N", "C")];
  if (ls.length !== rank || rs.length !== rank || os.length !== rank) throw new ValueError(`conv_general_dilated: dimension numbers ${JSON.stringify(opts.dimensionNumbers)} do not match rank ${rank}.`);
  // Canonical layouts: lhs (N, spatial..., C), rhs (spatial..., I, O).
  lhs = transpose(lhs, specPerm(ls, "N", "C"));
  const rp = specPerm(rs, "O", "I");
  rhs = transpose(rhs, [...rp.slice(1, -1), rp[rp.length - 1], rp[0]]);
  const G = opts.featureGroupCount ?? 1;
  const C = lhs.shape[rank - 1], I = rhs.shape[nd], O = rhs.shape[nd + 1];
  if (C !== I * G) throw new ShapeError(`conv_general_dilated: lhs feature dimension (${C}) must equal rhs input features (${I}) times feature_group_count (${G}).`);
  const strides = windowStrides.length ? [...windowStrides] : Array(nd).fill(1);
  const ldil = opts.lhsDilation ?? Array(nd).fill(1), rdil = opts.rhsDilation ?? Array(nd).fill(1);
  const kernel = rhs.shape.slice(0, nd);
  const effK = kernel.map((k, i) => (k - 1) * rdil[i] + 1);
  const dilatedIn = lhs.shape.slice(1, 1 + nd).map((n, i) => (n - 1) * ldil[i] + 1);
  const pads = padsFor(dilatedIn, effK, strides, padding);
  const zero = scalar(0, lhs.dtype);
  let x = pad(lhs, zero, [[0, 0, 0], ...pads.map(([l, h], i): [number, number, number] => [l, h, ldil[i] - 1]), [0, 0, 0]]);
  const padded = x.shape.slice(1, 1 + nd);
  const out = padded.map((n, i) => Math.floor((n - effK[i]) / strides[i]) + 1);
  if (out.some((o) => o <= 0)) throw new ShapeError(`conv_general_dilated: the window ${JSON.stringify(effK)} is larger than the padded input ${JSON.stringify(padded)}.`);
  // im2col: one strided slice per kernel offset, stacked along the feature axis.
  const N = x.shape[0];
  const patches: JaxArray[] = [];
  const offsets = kernel.reduce<number[][]>((acc, k) => acc.flatMap((o) => Array.from({ length: k }, (_, j) => [...o, j])), [[]]);
  for (const off of offsets) {
    const start = [0, ...off.map((o, i) => o * rdil[i]), 0];
    const limit = [N, ...off.map((o, i) => o * rdil[i] + (out[i] - 1) * strides[i] + 1), C];
    patches.push(slice(x, start, limit, [1, ...strides, 1]));
  }
  x = concatenate(patches, rank - 1); // (N, out..., K*C), offset-major
  const K = offsets.length;
  const outs: JaxArray[] = [];
  for (let g = 0; g < G; g++) {
    // Group g reads features [g*I, (g+1)*I) of each patch and writes outputs [g*O/G, (g+1)*O/G).
    let xg = x, wg = rhs;
    if (G > 1) {
      const xr = reshape(x, [N, ...out, K, C]);
      xg = reshape(slice(xr, [0, ...out.map(() => 0), 0, g * I], [N, ...out, K, (g + 1) * I]), [N, ...out, K * I]);
      const og = O / G;
      wg = slice(rhs, [...kernel.map(() => 0), 0, g * og], [...kernel, I, (g + 1) * og]);
    }
    const w2 = reshape(wg, [K * I, wg.shape[nd + 1]]);
    outs.push(dotGeneral(xg, w2, { contracting: [[rank - 1], [0]], batch: [[], []] }));
  }
  const y = outs.length === 1 ? outs[0] : concatenate(outs, rank - 1); // (N, out..., O)
  // To the requested output layout.
  const canon = ["N", ...[...os].filter((c) => c !== "N" && c !== "C"), "C"];
  return transpose(y, [...os].map((c) => canon.indexOf(c)));
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

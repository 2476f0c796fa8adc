// conv_general_dilated: N-d convolution with window strides, explicit (lo, hi) padding (negative
// crops), lhs dilation (transposed convolutions), rhs dilation (atrous), feature groups and any
// layout, as in lax. Layouts follow JAX's ConvDimensionNumbers: lhs_spec = (batch, feature,
// spatial...), rhs_spec = (out feature, in feature, spatial...), out_spec = (batch, feature,
// spatial...), each listing axis indices of that operand. Bilinear: its JVP is two convolutions
// and each operand's transpose is another convolution (as in jax/_src/lax/convolution.py).
import { ShapedArray } from "../core/aval.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { HostArray, Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { fmtShape, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add } from "./arith.js";
import { checkOneLinear, full, sameDtype } from "./helpers.js";
import { batchAtFront, moveAxis, reshape, transpose } from "./layout.js";
import { concatenate, rev, slice } from "./structural.js";

export interface ConvDimensionNumbers { lhsSpec: number[]; rhsSpec: number[]; outSpec: number[] }

export interface ConvParams {
  windowStrides: number[];
  /** (lo, hi) per spatial dimension, in spec order; negative values crop. */
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  dimensionNumbers: ConvDimensionNumbers;
  featureGroupCount: number;
}

/** Size of a dimension of size d after inserting r - 1 zeros between elements. */
export const dilateDim = (d: number, r: number): number => (d === 0 ? 0 : 1 + r * (d - 1));

const take = (shape: readonly number[], idx: readonly number[]) => idx.map((i) => shape[i]);
const spatial = (spec: readonly number[]) => spec.slice(2);

/** Output spatial sizes (JAX's conv_shape_tuple, empty windows give size 0). */
export function convOutSpatial(inSp: readonly number[], kSp: readonly number[], p: ConvParams): number[] {
  return inSp.map((n, i) => {
    const padded = dilateDim(n, p.lhsDilation[i]) + p.padding[i][0] + p.padding[i][1];
    const k = dilateDim(kSp[i], p.rhsDilation[i]);
    return Math.max(0, Math.floor((padded - k) / p.windowStrides[i]) + 1);
  });
}

function checkParams(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): void {
  const op = "conv_general_dilated";
  sameDtype(op, [lhs, rhs]);
  if (lhs.dtype === "bool") throw new DTypeError(`${op} does not accept bool operands. Convert with astype() first.`);
  if (lhs.ndim !== rhs.ndim || lhs.ndim < 3) {
    throw new ShapeError(`${op}: lhs ${fmtShape(lhs.shape)} and rhs ${fmtShape(rhs.shape)} must have the same rank, at least 3 (batch, feature, one spatial dimension).`);
  }
  const nd = lhs.ndim - 2;
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const isPerm = (s: number[]) => s.length === lhs.ndim && [...s].sort((a, b) => a - b).every((v, i) => v === i);
  if (![lhsSpec, rhsSpec, outSpec].every(isPerm)) throw new ValueError(`${op}: dimension numbers ${JSON.stringify(p.dimensionNumbers)} must each be a permutation of 0..${lhs.ndim - 1}.`);
  for (const [name, v] of [["window_strides", p.windowStrides], ["padding", p.padding], ["lhs_dilation", p.lhsDilation], ["rhs_dilation", p.rhsDilation]] as const) {
    if (v.length !== nd) throw new ValueError(`${op}: ${name} ${JSON.stringify(v)} needs one entry per spatial dimension (${nd}).`);
  }
  if ([...p.windowStrides, ...p.lhsDilation, ...p.rhsDilation].some((v) => !Number.isInteger(v) || v < 1)) {
    throw new ValueError(`${op}: strides and dilations must be positive integers, got strides ${p.windowStrides}, lhs_dilation ${p.lhsDilation}, rhs_dilation ${p.rhsDilation}.`);
  }
  const G = p.featureGroupCount, C = lhs.shape[lhsSpec[1]], I = rhs.shape[rhsSpec[1]], O = rhs.shape[rhsSpec[0]];
  if (!Number.isInteger(G) || G < 1 || C !== I * G || O % G !== 0) {
    throw new ShapeError(`${op}: lhs features (${C}) must equal rhs input features (${I}) times feature_group_count (${G}), ` +
      `and rhs output features (${O}) must be a multiple of it; lhs ${fmtShape(lhs.shape)}, rhs ${fmtShape(rhs.shape)}.`);
  }
}

/** Plain-TS reference: one sum per output element over input features and kernel taps. */
function reference([x, w]: HostArray[], [o]: HostArray[], p: ConvParams): void {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const xs = stridesOf(x.aval.shape), ws = stridesOf(w.aval.shape), os = stridesOf(o.aval.shape);
  const nd = x.aval.ndim - 2, G = p.featureGroupCount;
  const N = x.aval.shape[lhsSpec[0]], I = w.aval.shape[rhsSpec[1]], O = w.aval.shape[rhsSpec[0]], Og = O / G;
  const inSp = take(x.aval.shape, spatial(lhsSpec)), kSp = take(w.aval.shape, spatial(rhsSpec)), outSp = take(o.aval.shape, spatial(outSpec));
  const xsSp = take(xs, spatial(lhsSpec)), wsSp = take(ws, spatial(rhsSpec)), osSp = take(os, spatial(outSpec));
  const xsC = xs[lhsSpec[1]], wsI = ws[rhsSpec[1]];
  const int = o.aval.dtype === "int32" || o.aval.dtype === "uint32";
  const taps = kSp.reduce<number[][]>((acc, k) => acc.flatMap((t) => Array.from({ length: k }, (_, j) => [...t, j])), [[]]);
  const positions = outSp.reduce<number[][]>((acc, k) => acc.flatMap((t) => Array.from({ length: k }, (_, j) => [...t, j])), [[]]);
  const xd = x.data, wd = w.data, od = o.data;
  for (const pos of positions) {
    // Per tap: the input element offset of this output position, or -1 when it falls in padding
    // or between dilated input elements.
    const tapOff = taps.map((t) => {
      let off = 0;
      for (let d = 0; d < nd; d++) {
        const c = pos[d] * p.windowStrides[d] + t[d] * p.rhsDilation[d] - p.padding[d][0];
        const ld = p.lhsDilation[d];
        if (c < 0 || c % ld !== 0 || c / ld >= inSp[d]) return -1;
        off += (c / ld) * xsSp[d];
      }
      return off;
    });
    const tapW = taps.map((t) => t.reduce((s, v, d) => s + v * wsSp[d], 0));
    const oPos = pos.reduce((s, v, d) => s + v * osSp[d], 0);
    for (let n = 0; n < N; n++) {
      for (let oc = 0; oc < O; oc++) {
        const xBase = n * xs[lhsSpec[0]] + Math.floor(oc / Og) * I * xsC, wBase = oc * ws[rhsSpec[0]];
        let acc = 0;
        for (let t = 0; t < taps.length; t++) {
          if (tapOff[t] < 0) continue;
          const xb = xBase + tapOff[t], wb = wBase + tapW[t];
          for (let i = 0; i < I; i++) {
            acc = int ? (acc + Math.imul(xd[xb + i * xsC], wd[wb + i * wsI])) | 0 : acc + xd[xb + i * xsC] * wd[wb + i * wsI];
          }
        }
        od[n * os[outSpec[0]] + oc * os[outSpec[1]] + oPos] = acc;
      }
    }
  }
}

export const convGeneralDilatedP: Primitive<ConvParams> = new Primitive<ConvParams>("conv_general_dilated", {
  abstractEval([lhs, rhs], p) {
    checkParams(lhs, rhs, p);
    const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
    const outSp = convOutSpatial(take(lhs.shape, spatial(lhsSpec)), take(rhs.shape, spatial(rhsSpec)), p);
    const shape: number[] = new Array(lhs.ndim);
    shape[outSpec[0]] = lhs.shape[lhsSpec[0]];
    shape[outSpec[1]] = rhs.shape[rhsSpec[0]];
    spatial(outSpec).forEach((a, i) => { shape[a] = outSp[i]; });
    return [new ShapedArray(shape, lhs.dtype, lhs.weakType && rhs.weakType)];
  },
  reference,
  jvp([x, w], [dx, dw], p) {
    return [[conv(x, w, p)], [add(conv(dx, w, p), conv(x, dw, p))]];
  },
  transpose([ct]: JaxArray[], [x, w], p) {
    checkOneLinear("conv_general_dilated", x, w);
    const undef = (a: JaxArray | UndefPrimal) => a instanceof UndefPrimal;
    if (ct.size === 0) {
      return [undef(x) ? new Zero(x.aval) : null, undef(w) ? new Zero(w.aval) : null];
    }
    return [
      undef(x) ? transposeLhs(ct, w as JaxArray, x.aval, p) : null,
      undef(w) ? transposeRhs(ct, x as JaxArray, w.aval, p) : null,
    ];
  },
  batch([x, w], [bx, bw], p) {
    const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
    const B = (bx !== null ? x.shape[bx] : w.shape[bw!]);
    const unbatched = (a: JaxArray, d: number | null) => new ShapedArray(a.shape.filter((_, i) => i !== d), a.dtype, a.aval.weakType);
    const [outAval] = convGeneralDilatedP.rules.abstractEval([unbatched(x, bx), unbatched(w, bw)], p);
    if (B === 0) return [[full([0, ...outAval.shape], 0, outAval.dtype)], [0]];
    if (bw === null) {
      // Examples become more images: fold the batch axis into N.
      const y = conv(mergeAxis(x, bx!, lhsSpec[0]), w, p);
      return [[splitAxis(y, outSpec[0], B, outAval.shape[outSpec[0]])], [outSpec[0]]];
    }
    if (bx === null && p.featureGroupCount === 1) {
      // One image, B kernels: fold the batch axis into the output features.
      const y = conv(x, mergeAxis(w, bw, rhsSpec[0]), p);
      return [[splitAxis(y, outSpec[1], B, outAval.shape[outSpec[1]])], [outSpec[1]]];
    }
    // Each example its own kernel: examples become feature groups (major to the existing groups).
    const xb = bx === null ? batchAtFront(x, null, B) : x;
    const y = conv(mergeAxis(xb, bx ?? 0, lhsSpec[1]), mergeAxis(w, bw, rhsSpec[0]), { ...p, featureGroupCount: B * p.featureGroupCount });
    return [[splitAxis(y, outSpec[1], B, outAval.shape[outSpec[1]])], [outSpec[1]]];
  },
  printParams: (p) => ({
    ...p,
    dimensionNumbers: `ConvDimensionNumbers(lhs_spec=${tuple(p.dimensionNumbers.lhsSpec)}, rhs_spec=${tuple(p.dimensionNumbers.rhsSpec)}, out_spec=${tuple(p.dimensionNumbers.outSpec)})`,
    batchGroupCount: 1,
    precision: null,
    preferredElementType: null,
  }),
});

const tuple = (v: number[]) => `(${v.join(", ")}${v.length === 1 ? "," : ""})`;

/** x's batch axis `bd` merged (as the major part) into axis `axis` of the unbatched layout. */
function mergeAxis(x: JaxArray, bd: number, axis: number): JaxArray {
  const m = moveAxis(x, bd, axis);
  const s = m.shape;
  return reshape(m, [...s.slice(0, axis), s[axis] * s[axis + 1], ...s.slice(axis + 2)]);
}

/** Axis `axis` of y split into (B, rest); the batch axis lands at `axis`. */
function splitAxis(y: JaxArray, axis: number, B: number, rest: number): JaxArray {
  const s = y.shape;
  return reshape(y, [...s.slice(0, axis), B, rest, ...s.slice(axis + 1)]);
}

/**
 * Cotangent of the lhs: the cotangent convolved with the spatially reversed kernel, in/out
 * features swapped, strides becoming lhs dilation and back (a transposed convolution).
 */
function transposeLhs(ct: JaxArray, w: JaxArray, xAval: ShapedArray, p: ConvParams): JaxArray {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const nd = xAval.ndim - 2, G = p.featureGroupCount;
  const sp = [...Array(nd).keys()].map((i) => i + 2);
  // Kernel as (O, I, spatial...); with groups, the group index moves from O to I (major).
  let r = transpose(w, rhsSpec);
  if (G > 1) {
    const [O, I, ...ks] = r.shape;
    r = reshape(transpose(reshape(r, [G, O / G, I, ...ks]), [1, 0, 2, ...sp.map((d) => d + 1)]), [O / G, G * I, ...ks]);
  }
  r = rev(r, sp);
  const inSp = take(xAval.shape, spatial(lhsSpec)), kSp = r.shape.slice(2), outSp = take(ct.shape, spatial(outSpec));
  const padding = inSp.map((n, i): [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[i]), rhsD = dilateDim(kSp[i], p.rhsDilation[i]), outD = dilateDim(outSp[i], p.windowStrides[i]);
    const before = rhsD - p.padding[i][0] - 1;
    return [before, lhsD + rhsD - 1 - outD - before];
  });
  return conv(ct, r, {
    windowStrides: p.lhsDilation, padding, lhsDilation: p.windowStrides, rhsDilation: p.rhsDilation,
    dimensionNumbers: { lhsSpec: outSpec, rhsSpec: [1, 0, ...sp], outSpec: lhsSpec }, featureGroupCount: G,
  });
}

/**
 * Cotangent of the rhs: the input convolved with the cotangent, batch and feature axes swapped
 * (the sum over examples becomes the contraction). Feature groups are done one group at a time.
 */
function transposeRhs(ct: JaxArray, x: JaxArray, wAval: ShapedArray, p: ConvParams): JaxArray {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const G = p.featureGroupCount;
  if (G > 1) {
    const I = wAval.shape[rhsSpec[1]], Og = wAval.shape[rhsSpec[0]] / G;
    const along = (a: JaxArray, axis: number, lo: number, hi: number) =>
      slice(a, a.shape.map((_, d) => (d === axis ? lo : 0)), a.shape.map((n, d) => (d === axis ? hi : n)));
    const parts = [...Array(G).keys()].map((g) =>
      transposeRhs(along(ct, outSpec[1], g * Og, (g + 1) * Og), along(x, lhsSpec[1], g * I, (g + 1) * I), wAval, { ...p, featureGroupCount: 1 }));
    return concatenate(parts, rhsSpec[0]);
  }
  const swap = (s: number[]) => [s[1], s[0], ...s.slice(2)];
  const inSp = take(x.shape, spatial(lhsSpec)), kSp = take(wAval.shape, spatial(rhsSpec)), outSp = take(ct.shape, spatial(outSpec));
  const padding = inSp.map((n, i): [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[i]), rhsD = dilateDim(kSp[i], p.rhsDilation[i]), outD = dilateDim(outSp[i], p.windowStrides[i]);
    const lo = p.padding[i][0];
    return [lo, outD - lhsD + rhsD - lo - 1];
  });
  return conv(x, ct, {
    windowStrides: p.rhsDilation, padding, lhsDilation: p.lhsDilation, rhsDilation: p.windowStrides,
    dimensionNumbers: { lhsSpec: swap(lhsSpec), rhsSpec: swap(outSpec), outSpec: swap(rhsSpec) }, featureGroupCount: 1,
  });
}

export const conv = (x: JaxArray, w: JaxArray, p: ConvParams): JaxArray => bind1(convGeneralDilatedP, [x, w], {
  windowStrides: [...p.windowStrides],
  padding: p.padding.map(([l, h]): [number, number] => [l, h]),
  lhsDilation: [...p.lhsDilation],
  rhsDilation: [...p.rhsDilation],
  dimensionNumbers: { lhsSpec: [...p.dimensionNumbers.lhsSpec], rhsSpec: [...p.dimensionNumbers.rhsSpec], outSpec: [...p.dimensionNumbers.outSpec] },
  featureGroupCount: p.featureGroupCount,
});


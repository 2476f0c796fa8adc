// dot_general: contraction over given axes with batch axes, the one primitive behind matmul, dot,
// tensordot, einsum and outer. Output layout is (batch, lhs free, rhs free), as in lax.
import { ShapedArray } from "../core/aval.js";
import { ShapeError } from "../core/errors.js";
import { Primitive, UndefPrimal } from "../core/primitive.js";
import { fmtShape, stridesOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add } from "./arith.js";
import { forEachIndex, moveAxis, transpose } from "./layout.js";
import { checkOneLinear, sameDtype } from "./helpers.js";

export interface DotParams { contracting: [number[], number[]]; batch: [number[], number[]] }

const free = (ndim: number, ...used: number[][]) => [...Array(ndim).keys()].filter((i) => !used.some((u) => u.includes(i)));

export const dotGeneralP: Primitive<DotParams> = new Primitive<DotParams>("dot_general", {
  abstractEval([a, b], { contracting: [ca, cb], batch: [ba, bb] }) {
    sameDtype("dot_general", [a, b]);
    const mismatch = ca.length !== cb.length || ca.some((d, i) => a.shape[d] !== b.shape[cb[i]]) ||
      ba.length !== bb.length || ba.some((d, i) => a.shape[d] !== b.shape[bb[i]]);
    if (mismatch) {
      throw new ShapeError(`dot_general: contraction/batch dimensions do not match: lhs ${fmtShape(a.shape)} axes ` +
        `${JSON.stringify({ contracting: ca, batch: ba })} vs rhs ${fmtShape(b.shape)} axes ${JSON.stringify({ contracting: cb, batch: bb })}.`);
    }
    const shape = [...ba.map((d) => a.shape[d]), ...free(a.ndim, ca, ba).map((d) => a.shape[d]), ...free(b.ndim, cb, bb).map((d) => b.shape[d])];
    return [new ShapedArray(shape, a.dtype, a.weakType && b.weakType)];
  },
  reference([a, b], [o], { contracting: [ca, cb], batch: [ba, bb] }) {
    const fa = free(a.aval.ndim, ca, ba), fb = free(b.aval.ndim, cb, bb);
    const sa = stridesOf(a.aval.shape), sb = stridesOf(b.aval.shape);
    const kshape = ca.map((d) => a.aval.shape[d]);
    const int = o.aval.dtype === "int32" || o.aval.dtype === "uint32";
    forEachIndex(o.aval.shape, (i, idx) => {
      let offA = 0, offB = 0, k = 0;
      ba.forEach((d, j) => { offA += idx[k] * sa[d]; offB += idx[k++] * sb[bb[j]]; });
      fa.forEach((d) => { offA += idx[k++] * sa[d]; });
      fb.forEach((d) => { offB += idx[k++] * sb[d]; });
      let acc = 0;
      forEachIndex(kshape, (_, kk) => {
        let pa = offA, pb = offB;
        kk.forEach((v, j) => { pa += v * sa[ca[j]]; pb += v * sb[cb[j]]; });
        acc = int ? (acc + Math.imul(a.data[pa], b.data[pb])) | 0 : acc + a.data[pa] * b.data[pb];
      });
      o.data[i] = acc;
    });
  },
  jvp([a, b], [ta, tb], p) {
    return [[dotGeneral(a, b, p)], [add(dotGeneral(ta, b, p), dotGeneral(a, tb, p))]];
  },
  transpose([ct]: JaxArray[], [a, b], p) {
    checkOneLinear("dot_general", a, b);
    return [
      a instanceof UndefPrimal ? transposeLhs(ct, b as JaxArray, a.aval, p) : null,
      b instanceof UndefPrimal ? transposeRhs(ct, a as JaxArray, b.aval, p) : null,
    ];
  },
  printParams: ({ contracting, batch }) => ({
    dimension_numbers: `(([${contracting[0]}], [${contracting[1]}]), ([${batch[0]}], [${batch[1]}]))`,
  }),
  batch([a, b], [da, db], { contracting: [ca, cb], batch: [ba, bb] }) {
    const up = (xs: number[]) => xs.map((v) => v + 1);
    if (da !== null && db !== null) {
      const a0 = moveAxis(a, da, 0), b0 = moveAxis(b, db, 0);
      return [[dotGeneral(a0, b0, { contracting: [up(ca), up(cb)], batch: [[0, ...up(ba)], [0, ...up(bb)]] })], [0]];
    }
    if (da !== null) {
      // The batch axis becomes the first free axis of the lhs: it lands right after the batch axes.
      const a0 = moveAxis(a, da, 0);
      return [[dotGeneral(a0, b, { contracting: [up(ca), cb], batch: [up(ba), bb] })], [ba.length]];
    }
    const b0 = moveAxis(b, db!, 0);
    const nFreeA = a.ndim - ca.length - ba.length;
    return [[dotGeneral(a, b0, { contracting: [ca, up(cb)], batch: [ba, up(bb)] })], [ba.length + nFreeA]];
  },
});

/** Cotangent of the lhs: contract ct with rhs over the rhs free axes, then put axes back in lhs order. */
function transposeLhs(ct: JaxArray, b: JaxArray, aAval: ShapedArray, { contracting: [ca, cb], batch: [ba, bb] }: DotParams): JaxArray {
  const nb = ba.length;
  const fa = free(aAval.ndim, ca, ba), fb = free(b.ndim, cb, bb);
  // ct axes: [batch (nb), lhs free (fa), rhs free (fb)]
  const ctFb = fb.map((_, i) => nb + fa.length + i);
  const batchCt = ba.map((_, i) => i);
  const r = dotGeneral(ct, b, { contracting: [ctFb, fb], batch: [batchCt, bb] });
  // r axes: [batch, lhs free, rhs contracting (in the order of b's remaining axes: cb sorted by position)]
  const bRest = free(b.ndim, fb, bb); // the contracting axes of b, in b's order
  const order: number[] = new Array(aAval.ndim);
  ba.forEach((d, i) => { order[d] = i; });
  fa.forEach((d, i) => { order[d] = nb + i; });
  bRest.forEach((d, i) => { order[ca[cb.indexOf(d)]] = nb + fa.length + i; });
  return transpose(r, order);
}

function transposeRhs(ct: JaxArray, a: JaxArray, bAval: ShapedArray, { contracting: [ca, cb], batch: [ba, bb] }: DotParams): JaxArray {
  const nb = ba.length;
  const fa = free(a.ndim, ca, ba), fb = free(bAval.ndim, cb, bb);
  const ctFa = fa.map((_, i) => nb + i);
  const batchCt = ba.map((_, i) => i);
  const r = dotGeneral(ct, a, { contracting: [ctFa, fa], batch: [batchCt, ba] });
  // r axes: [batch, rhs free, lhs contracting (in a's order)]
  const aRest = free(a.ndim, fa, ba);
  const order: number[] = new Array(bAval.ndim);
  bb.forEach((d, i) => { order[d] = i; });
  fb.forEach((d, i) => { order[d] = nb + i; });
  aRest.forEach((d, i) => { order[cb[ca.indexOf(d)]] = nb + fb.length + i; });
  return transpose(r, order);
}

export const dotGeneral = (a: JaxArray, b: JaxArray, p: DotParams): JaxArray =>
  bind1(dotGeneralP, [a, b], { contracting: [[...p.contracting[0]], [...p.contracting[1]]], batch: [[...p.batch[0]], [...p.batch[1]]] });

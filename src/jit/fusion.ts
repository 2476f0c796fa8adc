// Fusion: runs of float32 elementwise equations over one size become a single pass over memory
// (assembly/kernels/fused.ts), so a chain of k ops reads its inputs once and writes its outputs
// once instead of k times, and intermediates live in cache-sized tiles.
import * as O from "../../assembly/kernels/opcodes.js";
import { ShapedArray } from "../core/aval.js";
import { Primitive } from "../core/primitive.js";

const UNARY: Record<string, number> = {
  neg: O.NEG, abs: O.ABS, floor: O.FLOOR, ceil: O.CEIL, round: O.ROUND, sqrt: O.SQRT, rsqrt: O.RSQRT, exp: O.EXP,
  exp2: O.EXP2, expm1: O.EXPM1, log: O.LOG, log1p: O.LOG1P, sin: O.SIN, cos: O.COS, tan: O.TAN, asin: O.ASIN,
  acos: O.ACOS, atan: O.ATAN, sinh: O.SINH, cosh: O.COSH, tanh: O.TANH, asinh: O.ASINH, acosh: O.ACOSH,
  atanh: O.ATANH, erf: O.ERF, logistic: O.LOGISTIC, square: O.SQUARE, cbrt: O.CBRT, sign: O.SIGN,
};
const BINARY: Record<string, number> = { add: O.ADD, sub: O.SUB, mul: O.MUL, div: O.DIV, rem: O.REM, pow: O.POW, max: O.MAX, min: O.MIN, atan2: O.ATAN2 };
export const FUSED_UNARY = 0, FUSED_BINARY = 1;

/** A fused group ready to run: slot ids are 0..nIn-1 inputs, then outputs, then scratch tiles. */
export interface FusedPlan {
  prog: Int32Array;
  nInstr: number;
  /** Per input: 1 for a full array, 0 for a scalar broadcast to every element. */
  strides: number[];
  nOut: number;
  nScratch: number;
  n: number;
}

export interface FusableStep {
  prim: Primitive;
  params: any;
  ins: number[];
  inAvals: ShapedArray[];
  outs: number[];
  outAvals: ShapedArray[];
  free: number[];
}

const f32 = (a: ShapedArray) => a.dtype === "float32";

function kindOf(st: FusableStep): "un" | "bin" | "splat" | null {
  if (st.outs.length !== 1 || !f32(st.outAvals[0]) || !st.inAvals.every(f32)) return null;
  if (st.prim.name in UNARY) return "un";
  if (st.prim.name in BINARY) return "bin";
  if (st.prim.name === "broadcast_in_dim" && st.inAvals[0].ndim === 0) return "splat";
  return null;
}

export interface FusedStep extends FusableStep { plan: FusedPlan }

/**
 * Replaces runs of consecutive fusible steps of one output size (at least two real ops) by fused
 * steps. `usedLater(slot, k)` says whether a slot is read after step k or is a program output.
 */
export function fuse<S extends FusableStep>(steps: S[], usedAfter: (slot: number, stepIndex: number) => boolean): (S | FusedStep)[] {
  const out: (S | FusedStep)[] = [];
  let k = 0;
  while (k < steps.length) {
    const kind = kindOf(steps[k]);
    if (!kind) { out.push(steps[k++]); continue; }
    const n = steps[k].outAvals[0].size;
    let end = k;
    while (end < steps.length && end - k < 64 && kindOf(steps[end]) && steps[end].outAvals[0].size === n) end++;
    const group = steps.slice(k, end);
    const plan = planGroup(group, usedAfter, end - 1);
    if (plan) out.push(plan as FusedStep);
    else out.push(...group);
    k = end;
  }
  return out;
}

function planGroup<S extends FusableStep>(group: S[], usedAfter: (slot: number, i: number) => boolean, last: number): FusedStep | null {
  const real = group.filter((s) => kindOf(s) !== "splat");
  if (real.length < 2) return null;
  const splatSrc = new Map<number, number>(); // broadcast output slot -> scalar source slot
  for (const s of group) if (kindOf(s) === "splat") splatSrc.set(s.outs[0], s.ins[0]);
  // A broadcast whose result is needed outside the group can't be fused (it would need a store).
  for (const [slot] of splatSrc) if (usedAfter(slot, last)) return null;
  const defined = new Set(real.map((s) => s.outs[0]));
  const inputs: number[] = [], strides: number[] = [];
  const inputIndex = new Map<number, number>();
  const addInput = (slot: number, stride: number) => {
    if (!inputIndex.has(slot)) { inputIndex.set(slot, inputs.length); inputs.push(slot); strides.push(stride); }
  };
  const n = real[0].outAvals[0].size;
  for (const s of real) {
    s.ins.forEach((a, k) => {
      if (defined.has(a)) return;
      if (splatSrc.has(a)) addInput(splatSrc.get(a)!, 0);
      else addInput(a, s.inAvals[k].size === 1 && n > 1 ? 0 : 1);
    });
  }
  const outputs = [...defined].filter((d) => usedAfter(d, last));
  if (!outputs.length) return null;
  const temps = [...defined].filter((d) => !outputs.includes(d));
  const slotId = (x: number): number => {
    if (splatSrc.has(x)) return inputIndex.get(splatSrc.get(x)!)!;
    if (inputIndex.has(x)) return inputIndex.get(x)!;
    const o = outputs.indexOf(x);
    if (o >= 0) return inputs.length + o;
    return inputs.length + outputs.length + temps.indexOf(x);
  };
  const prog = new Int32Array(real.length * 5);
  real.forEach((s, q) => {
    const un = kindOf(s) === "un";
    prog.set([un ? FUSED_UNARY : FUSED_BINARY, un ? UNARY[s.prim.name] : BINARY[s.prim.name], slotId(s.outs[0]), slotId(s.ins[0]), un ? 0 : slotId(s.ins[1])], q * 5);
  });
  // Inputs last used inside the group are freed after it; temporaries never exist as buffers.
  const gone = new Set([...temps, ...splatSrc.keys()]);
  const free = group.flatMap((s) => s.free).filter((f) => !gone.has(f));
  const avalOf = new Map<number, ShapedArray>();
  for (const s of group) {
    s.ins.forEach((x, i) => avalOf.set(x, s.inAvals[i]));
    avalOf.set(s.outs[0], s.outAvals[0]);
  }
  return {
    prim: group[0].prim, params: null,
    ins: inputs, inAvals: inputs.map((x) => avalOf.get(x)!),
    outs: outputs, outAvals: outputs.map((x) => avalOf.get(x)!),
    free,
    plan: { prog, nInstr: real.length, strides, nOut: outputs.length, nScratch: temps.length, n },
  };
}

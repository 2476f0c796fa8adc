import { ShapedArray } from "./aval.js";
import { TypedArray } from "./dtype.js";
import type { JaxArray } from "./value.js";

/** A host view of an array's elements, used by the plain-TS reference implementations. */
export interface HostArray {
  data: TypedArray;
  aval: ShapedArray;
}

/** A zero tangent/cotangent that is never materialized (JAX's symbolic zeros). */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
}
/** The placeholder for a linear input in a transpose rule (Autodidax's UndefPrimal). */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type BatchDim = number | null;

export interface PrimitiveRules<P> {
  /** Shape/dtype rule; also where bad input is rejected with an error naming the op. */
  abstractEval(avals: ShapedArray[], params: P): ShapedArray[];
  /** The plain-TS spec implementation: fills `outs` from `ins`. */
  reference(ins: HostArray[], outs: HostArray[], params: P): void;
  /** Forward-mode rule; tangents arrive materialized (all-zero tangents never reach a rule). */
  jvp?(primals: JaxArray[], tangents: JaxArray[], params: P): [JaxArray[], (JaxArray | Zero)[]];
  /**
   * For linear primitives: cotangents of the outputs to cotangents of the linear inputs (null for
   * the rest). Never called with all-Zero cotangents, so a one-output rule's cotangent is an array.
   */
  transpose?(cts: (JaxArray | Zero)[], args: (JaxArray | UndefPrimal)[], params: P): (JaxArray | Zero | null)[];
  /** vmap rule: `dims[i]` is the batch axis of args[i] or null; returns outputs and their batch axes. */
  batch?(args: JaxArray[], dims: BatchDim[], params: P): [JaxArray[], BatchDim[]];
  /**
   * For higher-order primitives (custom rules, checkpoint): how to evaluate in terms of other
   * primitives. The eval trace runs it instead of a backend kernel; staging traces run it inline.
   */
  inline?(args: JaxArray[], params: P): JaxArray[];
  /** How the eval trace runs it when that differs from `inline` (jit runs its compiled program). */
  impl?(args: JaxArray[], params: P): JaxArray[];
  /** Recorded as one equation by staging traces (nested jaxprs print inside it) instead of inlined. */
  staged?: boolean;
  /**
   * For collectives (psum, allGather, ...): the batching rule over the named axis they reduce,
   * given that axis's size. Other batch axes use `batch`.
   */
  collective?(args: JaxArray[], dims: BatchDim[], params: P, axisSize: number): [JaxArray[], BatchDim[]];
  /** Params shown when a jaxpr is printed (defaults to all of them). */
  printParams?(params: P): Record<string, unknown>;
}

/** A primitive: a name, typed params, and the rules for every interpreter, kept together. */
export class Primitive<P = any> {
  constructor(readonly name: string, readonly rules: PrimitiveRules<P>) {}
  toString(): string { return this.name; }
}

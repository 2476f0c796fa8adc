// makeJaxpr: the traced program of a function, for inspection (and the staging step jit reuses).
import { flatten, TreeDef, unflatten } from "../core/pytree.js";
import { currentTrace, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { ShapedArray } from "../core/aval.js";
import { asArray } from "../api/numpy/creation.js";
import { ClosedJaxpr, Jaxpr } from "./jaxpr.js";
import { StagingTrace } from "./staging.js";

export interface Traced {
  jaxpr: ClosedJaxpr;
  inDef: TreeDef;
  outDef: TreeDef;
}

/** Stages `f` applied to abstract versions of `args` (pytrees of arrays/numbers) into a jaxpr. */
export function traceToJaxpr(f: (...args: any[]) => any, args: readonly unknown[], description: string): Traced {
  const [leaves, inDef] = flatten(args);
  const trace = new StagingTrace(currentTrace(), description, false);
  const ins = leaves.map((l) => trace.newArg(l instanceof ShapedArray ? l : asArray(l as any).aval));
  let out: unknown;
  try {
    out = withTrace(trace, () => f(...unflatten(inDef, ins)));
  } catch (e) {
    trace.live = false;
    throw e;
  }
  const [outs, outDef] = flatten(out);
  const jaxpr = withTrace(trace, () => trace.finish(ins, outs.map((o) => asArray(o as any))));
  return { jaxpr, inDef, outDef };
}

export interface MakeJaxprOptions {
  /** Arguments passed as they are (not traced), as JAX's static_argnums; negative counts from the end. */
  staticArgnums?: number | readonly number[];
}

/** makeJaxpr(f, { staticArgnums })(...args) returns the ClosedJaxpr; print it with String(...) / toString(). */
export function makeJaxpr(f: (...args: any[]) => any, options: MakeJaxprOptions | number | readonly number[] = {}): (...args: any[]) => ClosedJaxpr {
  const raw = typeof options === "number" || Array.isArray(options) ? options : (options as MakeJaxprOptions).staticArgnums;
  const statics = raw === undefined ? [] : typeof raw === "number" ? [raw] : [...(raw as readonly number[])];
  const desc = `makeJaxpr(${f.name || "<anonymous>"})`;
  return (...args: any[]) => {
    if (!statics.length) return traceToJaxpr(f, args, desc).jaxpr;
    const st = statics.map((i) => (i < 0 ? i + args.length : i));
    const dyn = args.filter((_, i) => !st.includes(i));
    const g = (...d: unknown[]) => {
      let k = 0;
      return f(...args.map((a, i) => (st.includes(i) ? a : d[k++])));
    };
    return traceToJaxpr(g, dyn, desc).jaxpr;
  };
}

export type { JaxArray };

/** A traced body with its constants turned into leading inputs, for control-flow primitives. */
export interface Body {
  /** invars = [...consts, ...args]; no constvars. */
  jaxpr: ClosedJaxpr;
  consts: JaxArray[];
  outDef: TreeDef;
}

export function traceBody(f: (...args: any[]) => any, args: readonly unknown[], description: string): Body {
  const t = traceToJaxpr(f, args, description);
  const j = t.jaxpr.jaxpr;
  const jaxpr = new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outs), []);
  return { jaxpr, consts: t.jaxpr.consts, outDef: t.outDef };
}

// Reverse mode's second half: transposing a linear jaxpr into its backward pass (Autodidax part 4).
import { NotImplementedError } from "../core/errors.js";
import { UndefPrimal, Zero } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { Atom, Jaxpr, Literal, Var } from "../jaxpr/jaxpr.js";
import { add } from "../primitives/arith.js";

export function addCotangents(a: JaxArray | Zero | undefined, b: JaxArray | Zero): JaxArray | Zero {
  if (a === undefined || a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return add(a, b);
}

/**
 * Given cotangents for the outputs, returns cotangents for the invars (the linear inputs).
 * Equations whose inputs are all non-linear are evaluated forward first; the rest are transposed
 * in reverse order, in the current trace (so the backward pass composes with outer transformations).
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly JaxArray[], cts: (JaxArray | Zero)[]): (JaxArray | Zero)[] {
  const linear = new Set<Var>(jaxpr.invars);
  const env = new Map<Var, JaxArray>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  const isLinear = (a: Atom) => a instanceof Var && linear.has(a);
  const read = (a: Atom) => (a instanceof Literal ? a.value : env.get(a)!);
  const linEqns = [];
  for (const e of jaxpr.eqns) {
    if (e.inputs.some(isLinear)) {
      e.outs.forEach((o) => linear.add(o));
      linEqns.push(e);
    } else {
      const outs = bind(e.prim, e.inputs.map(read), e.params);
      e.outs.forEach((o, i) => env.set(o, outs[i]));
    }
  }
  const ct = new Map<Var, JaxArray | Zero>();
  jaxpr.outs.forEach((o, i) => {
    if (o instanceof Var && linear.has(o)) ct.set(o, addCotangents(ct.get(o), cts[i]));
  });
  for (let k = linEqns.length - 1; k >= 0; k--) {
    const e = linEqns[k];
    const outCts = e.outs.map((o) => ct.get(o) ?? new Zero(o.aval));
    e.outs.forEach((o) => ct.delete(o));
    if (outCts.every((c) => c instanceof Zero)) continue;
    const rule = e.prim.rules.transpose;
    if (!rule) {
      throw new NotImplementedError(`Transpose rule (for reverse-mode differentiation) for '${e.prim.name}' not implemented. ` +
        `The primitive is not linear in its differentiated inputs; use forward mode (jvp/jacfwd) or a customVjp.`);
    }
    const args = e.inputs.map((a) => (isLinear(a) ? new UndefPrimal(a.aval) : read(a)));
    const inCts = rule(outCts, args, e.params);
    e.inputs.forEach((a, i) => {
      const c = inCts[i];
      if (isLinear(a) && c !== null && c !== undefined) ct.set(a as Var, addCotangents(ct.get(a as Var), c));
    });
  }
  return jaxpr.invars.map((v) => ct.get(v) ?? new Zero(v.aval));
}

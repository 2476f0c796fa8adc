// Jaxpr-to-jaxpr optimizations run before a jitted program executes: dead-code elimination,
// common-subexpression elimination and constant folding.
import { ConcreteArray } from "../core/array.js";
import { evalTrace } from "../core/eval.js";
import { withTrace, bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, Var } from "../jaxpr/jaxpr.js";

/** Drops equations whose outputs are never used (all primitives are pure). */
export function dce(j: Jaxpr): Jaxpr {
  const live = new Set<Var>(j.outs.filter((o): o is Var => o instanceof Var));
  const kept: Eqn[] = [];
  for (let i = j.eqns.length - 1; i >= 0; i--) {
    const e = j.eqns[i];
    if (!e.outs.some((o) => live.has(o))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  return new Jaxpr(j.constvars, j.invars, kept, j.outs);
}

function paramsKey(p: unknown): string {
  return JSON.stringify(p, (_k, v) => (typeof v === "function" ? `fn:${fnId(v)}` : v instanceof ClosedJaxpr ? `jaxpr:${fnId(v)}` : v));
}
const ids = new WeakMap<object, number>();
let nextId = 0;
function fnId(o: object): number {
  let i = ids.get(o);
  if (i === undefined) ids.set(o, (i = nextId++));
  return i;
}

/** Replaces an equation that repeats an earlier one (same primitive, params and inputs) by its outputs. */
export function cse(j: Jaxpr): Jaxpr {
  const seen = new Map<string, Var[]>();
  const rename = new Map<Var, Var>();
  const litIds = new Map<string, number>();
  const atomKey = (a: Atom): string => {
    if (a instanceof Literal) {
      const k = `${a.aval.str()}:${(a.value as ConcreteArray).dataSync()[0]}`;
      if (!litIds.has(k)) litIds.set(k, litIds.size);
      return `L${litIds.get(k)}`;
    }
    return `V${fnId(rename.get(a) ?? a)}`;
  };
  const sub = (a: Atom): Atom => (a instanceof Var ? rename.get(a) ?? a : a);
  const eqns: Eqn[] = [];
  for (const e of j.eqns) {
    const inputs = e.inputs.map(sub);
    const key = `${e.prim.name}|${paramsKey(e.params)}|${e.inputs.map(atomKey).join(",")}`;
    const prev = e.prim.rules.impl || e.prim.rules.inline ? undefined : seen.get(key);
    if (prev) {
      e.outs.forEach((o, i) => rename.set(o, prev[i]));
      continue;
    }
    seen.set(key, e.outs);
    eqns.push({ ...e, inputs });
  }
  return new Jaxpr(j.constvars, j.invars, eqns, j.outs.map(sub));
}

/**
 * Evaluates equations whose inputs are all constants or literals once, at compile time, turning
 * their outputs into constants (broadcasts of literals stay: the executor keeps them cheap).
 * Equations for which `keep` is true are never folded.
 */
export function foldConstants(cj: ClosedJaxpr, keep: (e: Eqn) => boolean = () => false): ClosedJaxpr {
  const { jaxpr: j } = cj;
  const known = new Map<Var, JaxArray>();
  j.constvars.forEach((v, i) => known.set(v, cj.consts[i]));
  const isKnown = (a: Atom) => a instanceof Literal || known.has(a);
  const val = (a: Atom) => (a instanceof Literal ? a.value : known.get(a)!);
  const eqns: Eqn[] = [];
  for (const e of j.eqns) {
    const foldable = e.inputs.length > 0 && e.inputs.every(isKnown) && !e.prim.rules.impl && !e.prim.rules.inline && !keep(e);
    if (!foldable) { eqns.push(e); continue; }
    const outs = withTrace(evalTrace, () => bind(e.prim, e.inputs.map(val), e.params));
    e.outs.forEach((o, i) => known.set(o, outs[i]));
  }
  // Constants still referenced become constvars; the rest are dropped.
  const used = new Set<Var>();
  for (const e of eqns) for (const a of e.inputs) if (a instanceof Var && known.has(a)) used.add(a);
  for (const o of j.outs) if (o instanceof Var && known.has(o)) used.add(o);
  const constvars = [...used];
  return new ClosedJaxpr(new Jaxpr(constvars, j.invars, eqns, j.outs), constvars.map((v) => known.get(v)!));
}

export function optimize(cj: ClosedJaxpr): ClosedJaxpr {
  const folded = foldConstants(cj);
  const j = dce(cse(folded.jaxpr));
  // Drop constvars that DCE made unused.
  const used = new Set<Var>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const o of j.outs) if (o instanceof Var) used.add(o);
  const keep = j.constvars.map((v, i) => [v, folded.consts[i]] as const).filter(([v]) => used.has(v));
  return new ClosedJaxpr(new Jaxpr(keep.map(([v]) => v), j.invars, j.eqns, j.outs), keep.map(([, c]) => c));
}

// User-supplied derivative rules (customJvp, customVjp) and checkpointing (recompute in the
// backward pass). Each is a higher-order primitive: evaluated inline by ordinary traces, and given
// its meaning by the JVP trace and by transposition.
import { ValueError } from "../core/errors.js";
import { Primitive, UndefPrimal } from "../core/primitive.js";
import { flatten, TreeDef, unflatten } from "../core/pytree.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { instantiate } from "../primitives/helpers.js";
import { asArray } from "../api/numpy/creation.js";
import { jvp, vjp } from "./api.js";

type Fn = (...args: any[]) => any;

interface CustomJvpParams { fun: Fn; rule: Fn; inDef: TreeDef; nOut: { def?: TreeDef } }

function call(f: Fn, inDef: TreeDef, leaves: JaxArray[], out: { def?: TreeDef }): JaxArray[] {
  const [outs, def] = flatten(f(...unflatten(inDef, leaves)));
  out.def = def;
  return outs.map((o) => asArray(o as any));
}

const customJvpCall: Primitive<CustomJvpParams> = new Primitive("custom_jvp_call", {
  abstractEval() { throw new ValueError("custom_jvp_call is evaluated inline and has no shape rule."); },
  reference() { throw new ValueError("custom_jvp_call is evaluated inline."); },
  inline: (args, p) => call(p.fun, p.inDef, args, p.nOut),
  jvp(primals, tangents, p) {
    const [out, tout] = p.rule(unflatten(p.inDef, primals), unflatten(p.inDef, tangents));
    const [outs, def] = flatten(out);
    const [touts] = flatten(tout);
    p.nOut.def = def;
    return [outs.map((o) => asArray(o as any)), touts.map((t) => asArray(t as any))];
  },
});

export interface CustomJvpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** rule(primals, tangents) -> [primalOut, tangentOut], with primals/tangents as argument lists. */
  defjvp(rule: (primals: any[], tangents: any[]) => [any, any]): CustomJvpFunction<F>;
}

/** customJvp(f) with f.defjvp(rule): JAX's custom_jvp. */
export function customJvp<F extends Fn>(fun: F): CustomJvpFunction<F> {
  let rule: Fn | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (!rule) throw new ValueError(`customJvp(${fun.name || "f"}): no rule defined; call .defjvp(rule) first.`);
    const [leaves, inDef] = flatten(args);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(customJvpCall, leaves.map((l) => asArray(l as any)), { fun, rule, inDef, nOut });
    return unflatten(nOut.def!, outs);
  }) as unknown as CustomJvpFunction<F>;
  wrapped.defjvp = (r) => { rule = r; return wrapped; };
  return wrapped;
}

// ---- customVjp

interface CustomVjpParams { fun: Fn; fwd: Fn; bwd: Fn; inDef: TreeDef; nOut: { def?: TreeDef } }
interface CustomVjpLinParams { bwd: Fn; res: unknown; outs: JaxArray[]; outDef: TreeDef }

const customVjpLin: Primitive<CustomVjpLinParams> = new Primitive("custom_vjp_lin", {
  abstractEval: (_avals, p) => p.outs.map((o) => o.aval),
  reference() { throw new ValueError("custom_vjp_lin is evaluated inline."); },
  inline() {
    throw new ValueError("can't apply forward-mode autodiff (jvp) to a customVjp function. Use reverse mode (grad/vjp) or define a customJvp.");
  },
  transpose(cts, args, p) {
    const ct = unflatten(p.outDef, cts.map(instantiate));
    const inCts = p.bwd(p.res, ct);
    if (!Array.isArray(inCts)) throw new ValueError("customVjp: bwd must return an array with one cotangent per primal input.");
    const [leaves] = flatten(inCts);
    return args.map((a, i) => (a instanceof UndefPrimal ? asArray(leaves[i] as any) : null));
  },
});

const customVjpCall: Primitive<CustomVjpParams> = new Primitive("custom_vjp_call", {
  abstractEval() { throw new ValueError("custom_vjp_call has no shape rule."); },
  reference() { throw new ValueError("custom_vjp_call is evaluated inline."); },
  inline: (args, p) => call(p.fun, p.inDef, args, p.nOut),
  jvp(primals, tangents, p) {
    const r = p.fwd(...unflatten(p.inDef, primals));
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError("customVjp: fwd must return [output, residuals].");
    const [out, res] = r;
    const [outs, outDef] = flatten(out);
    p.nOut.def = outDef;
    const outArrs = outs.map((o) => asArray(o as any));
    // Linear in the tangents: staged by linearize and transposed with bwd; never evaluated forward.
    const touts = bind(customVjpLin, tangents, { bwd: p.bwd, res, outs: outArrs, outDef });
    return [outArrs, touts];
  },
});

export interface CustomVjpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** fwd(...args) -> [out, residuals]; bwd(residuals, outCotangent) -> [cotangent per arg]. */
  defvjp(fwd: Fn, bwd: (res: any, g: any) => any[]): CustomVjpFunction<F>;
}

/** customVjp(f) with f.defvjp(fwd, bwd): JAX's custom_vjp (reverse mode only). */
export function customVjp<F extends Fn>(fun: F): CustomVjpFunction<F> {
  let fwd: Fn | null = null, bwd: Fn | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (!fwd || !bwd) throw new ValueError(`customVjp(${fun.name || "f"}): call .defvjp(fwd, bwd) first.`);
    const [leaves, inDef] = flatten(args);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(customVjpCall, leaves.map((l) => asArray(l as any)), { fun, fwd, bwd, inDef, nOut });
    return unflatten(nOut.def!, outs);
  }) as unknown as CustomVjpFunction<F>;
  wrapped.defvjp = (f, b) => { fwd = f; bwd = b; return wrapped; };
  return wrapped;
}

// ---- checkpoint (remat)

interface RematParams { fun: Fn; inDef: TreeDef; nOut: { def?: TreeDef } }
interface RematLinParams { fun: Fn; inDef: TreeDef; nPrimals: number; outAvals: JaxArray[] }

const rematLin: Primitive<RematLinParams> = new Primitive("remat_lin", {
  abstractEval: (_avals, p) => p.outAvals.map((o) => o.aval),
  reference() { throw new ValueError("remat_lin is evaluated inline."); },
  // Forward mode: the JVP of fun at the saved primals.
  inline(args, p) {
    const primals = args.slice(0, p.nPrimals), tangents = args.slice(p.nPrimals);
    const f = (...xs: JaxArray[]) => flatten(p.fun(...unflatten(p.inDef, xs)))[0];
    return (jvp(f, primals, tangents)[1] as unknown[]).map((t) => asArray(t as any));
  },
  transpose(cts, args, p) {
    // Recompute the forward pass from the saved inputs, then pull the cotangents back.
    const primals = args.slice(0, p.nPrimals) as JaxArray[];
    const [, pull] = vjp((...xs: JaxArray[]) => flatten(p.fun(...unflatten(p.inDef, xs)))[0], ...primals);
    const g = pull(cts.map(instantiate));
    return [...primals.map(() => null), ...(g as JaxArray[])];
  },
});

const rematCall: Primitive<RematParams> = new Primitive("checkpoint", {
  abstractEval() { throw new ValueError("checkpoint has no shape rule."); },
  reference() { throw new ValueError("checkpoint is evaluated inline."); },
  inline: (args, p) => call(p.fun, p.inDef, args, p.nOut),
  jvp(primals, tangents, p) {
    const outs = call(p.fun, p.inDef, primals, p.nOut);
    const touts = bind(rematLin, [...primals, ...tangents], { fun: p.fun, inDef: p.inDef, nPrimals: primals.length, outAvals: outs });
    return [outs, touts];
  },
});

/** checkpoint(f): same values and gradients as f, but reverse mode recomputes f's internals instead of storing them. */
export function checkpoint<F extends Fn>(fun: F): F {
  return ((...args: unknown[]) => {
    const [leaves, inDef] = flatten(args);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(rematCall, leaves.map((l) => asArray(l as any)), { fun, inDef, nOut });
    return unflatten(nOut.def!, outs);
  }) as F;
}

export { jvp };

// User-supplied derivative rules (customJvp, customVjp) and checkpointing (recompute in the
// backward pass). Each is a higher-order primitive: evaluated inline by ordinary traces, and given
// its meaning by the JVP trace and by transposition.
import { ValueError } from "../core/errors.js";
import { Primitive, UndefPrimal } from "../core/primitive.js";
import { flatten, TreeDef, unflatten } from "../core/pytree.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { instantiate, zerosLike } from "../primitives/helpers.js";
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
  /**
   * rule(primals, tangents) -> [primalOut, tangentOut], with primals/tangents as argument lists;
   * with nondiffArgnums the rule is rule(...nondiffArgs, primals, tangents) and the lists hold the others.
   */
  defjvp(rule: (...args: any[]) => [any, any]): CustomJvpFunction<F>;
  /** One function per argument, t(tangent, primalOut, ...primals), whose results are summed (JAX's defjvps); null for none. */
  defjvps(...tangentFns: (Fn | null)[]): CustomJvpFunction<F>;
}

export interface CustomOptions { nondiffArgnums?: number | readonly number[] }

function nondiffList(op: string, o: CustomOptions | number | readonly number[] | undefined): number[] {
  const v = typeof o === "number" || Array.isArray(o) ? o : (o as CustomOptions | undefined)?.nondiffArgnums;
  const l = v === undefined ? [] : typeof v === "number" ? [v] : [...(v as readonly number[])];
  for (const n of l) if (!Number.isInteger(n) || n < 0) throw new ValueError(`${op}: nondiffArgnums must be non-negative integers, got ${n}.`);
  return l;
}

/** Splits a call's arguments into the nondiff ones (closed over, as JAX treats them) and the differentiable rest. */
function splitNondiff(nondiff: number[], args: unknown[]) {
  const fixed = nondiff.map((i) => args[i]);
  const diff = args.filter((_, i) => !nondiff.includes(i));
  const merge = (d: unknown[]) => {
    const full: unknown[] = [];
    let k = 0;
    for (let i = 0; i < args.length; i++) full.push(nondiff.includes(i) ? args[i] : d[k++]);
    return full;
  };
  return { fixed, diff, merge };
}

/** customJvp(f, { nondiffArgnums }) with f.defjvp(rule): JAX's custom_jvp. */
export function customJvp<F extends Fn>(fun: F, options?: CustomOptions | number | readonly number[]): CustomJvpFunction<F> {
  const nondiff = nondiffList("customJvp", options);
  let rule: Fn | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (!rule) throw new ValueError(`customJvp(${fun.name || "f"}): no rule defined; call .defjvp(rule) first.`);
    const { fixed, diff, merge } = splitNondiff(nondiff, args);
    const r = rule;
    const f = (...d: unknown[]) => fun(...merge(d));
    const rl = (primals: unknown[], tangents: unknown[]) => {
      const res = r(...fixed, primals, tangents);
      if (!Array.isArray(res) || res.length !== 2) {
        throw new ValueError(`customJvp(${fun.name || "f"}): the jvp rule must return a pair [primalOut, tangentOut], got ${Array.isArray(res) ? `an array of length ${res.length}` : typeof res}.`);
      }
      return res;
    };
    const [leaves, inDef] = flatten(diff);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(customJvpCall, leaves.map((l) => asArray(l as any)), { fun: f, rule: rl, inDef, nOut });
    return unflatten(nOut.def!, outs);
  }) as unknown as CustomJvpFunction<F>;
  wrapped.defjvp = (r) => { rule = r; return wrapped; };
  wrapped.defjvps = (...fns) => {
    rule = (...all: unknown[]) => {
      const [primals, tangents] = all.slice(-2) as [unknown[], unknown[]];
      const fixed = all.slice(0, -2);
      const out = fun(...mergeFixed(nondiff, fixed, primals));
      let acc: any = null;
      fns.forEach((t, i) => {
        if (!t) return;
        const c = t(tangents[i], out, ...primals);
        acc = acc === null ? c : (acc as JaxArray).add(c);
      });
      return [out, acc ?? zerosLike(asArray(out))];
    };
    return wrapped;
  };
  return wrapped;
}

function mergeFixed(nondiff: number[], fixed: unknown[], diff: unknown[]): unknown[] {
  const full: unknown[] = [];
  let a = 0, b = 0;
  for (let i = 0; i < fixed.length + diff.length; i++) full.push(nondiff.includes(i) ? fixed[a++] : diff[b++]);
  return full;
}

// ---- customVjp

interface CustomVjpParams { fun: Fn; fwd: Fn; bwd: Fn; inDef: TreeDef; nOut: { def?: TreeDef } }
interface CustomVjpLinParams { bwd: Fn; res: unknown; outs: JaxArray[]; outDef: TreeDef; inDef: TreeDef }

const customVjpLin: Primitive<CustomVjpLinParams> = new Primitive("custom_vjp_lin", {
  abstractEval: (_avals, p) => p.outs.map((o) => o.aval),
  reference() { throw new ValueError("custom_vjp_lin is evaluated inline."); },
  inline() {
    throw new ValueError("can't apply forward-mode autodiff (jvp) to a customVjp function. Use reverse mode (grad/vjp) or define a customJvp.");
  },
  transpose(cts, args, p) {
    const ct = unflatten(p.outDef, cts.map(instantiate));
    const inCts = p.bwd(p.res, ct);
    if (!Array.isArray(inCts) || inCts.length !== p.inDef.children.length) {
      throw new ValueError(`customVjp: the bwd rule must return an array with one cotangent per differentiable primal input ` +
        `(${p.inDef.children.length}), got ${Array.isArray(inCts) ? `an array of length ${inCts.length}` : typeof inCts}.`);
    }
    // As in JAX, null stands for a zero cotangent of a whole argument.
    const perArg = inCts.map((c, i) => {
      const [primLeaves] = flatten(unflatten(p.inDef, args.map((_, j) => j))[i]);
      if (c === null || c === undefined) return primLeaves.map(() => null);
      const [leaves] = flatten(c);
      if (leaves.length !== primLeaves.length) {
        throw new ValueError(`customVjp: the bwd rule's cotangent for argument ${i} has ${leaves.length} leaves, but the primal has ${primLeaves.length}.`);
      }
      return leaves;
    }).flat();
    return args.map((a, i) => {
      if (!(a instanceof UndefPrimal)) return null;
      const l = perArg[i];
      return l === null || l === undefined ? zerosLike(a) : asArray(l as any);
    });
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
    const touts = bind(customVjpLin, tangents, { bwd: p.bwd, res, outs: outArrs, outDef, inDef: p.inDef });
    return [outArrs, touts];
  },
});

export interface CustomVjpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * fwd(...args) -> [out, residuals]; bwd(residuals, outCotangent) -> [cotangent per arg] (null: zero).
   * With nondiffArgnums, bwd(...nondiffArgs, residuals, g) returns cotangents for the other arguments only.
   */
  defvjp(fwd: Fn, bwd: (...args: any[]) => any[]): CustomVjpFunction<F>;
}

/** customVjp(f, { nondiffArgnums }) with f.defvjp(fwd, bwd): JAX's custom_vjp (reverse mode only). */
export function customVjp<F extends Fn>(fun: F, options?: CustomOptions | number | readonly number[]): CustomVjpFunction<F> {
  const nondiff = nondiffList("customVjp", options);
  let fwd: Fn | null = null, bwd: Fn | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (!fwd || !bwd) throw new ValueError(`customVjp(${fun.name || "f"}): call .defvjp(fwd, bwd) first.`);
    const { fixed, diff, merge } = splitNondiff(nondiff, args);
    const fw = fwd, bw = bwd;
    const f = (...d: unknown[]) => fun(...merge(d));
    const fwd1 = (...d: unknown[]) => fw(...merge(d));
    const bwd1 = (res: unknown, g: unknown) => bw(...fixed, res, g);
    const [leaves, inDef] = flatten(diff);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(customVjpCall, leaves.map((l) => asArray(l as any)), { fun: f, fwd: fwd1, bwd: bwd1, inDef, nOut });
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

export interface CheckpointOptions {
  /** Arguments that are not traced (closed over), as JAX's static_argnums: usable in JS control flow. */
  staticArgnums?: number | readonly number[];
  /** JAX's saveable policy and prevent_cse: they tune what is stored, not the values; accepted and not needed here. */
  policy?: unknown;
  preventCse?: boolean;
}

/** checkpoint(f, { staticArgnums }): same values and gradients as f, but reverse mode recomputes f's internals instead of storing them. */
export function checkpoint<F extends Fn>(fun: F, options: CheckpointOptions = {}): F {
  const raw = options.staticArgnums;
  const statics = raw === undefined ? [] : typeof raw === "number" ? [raw] : [...raw];
  return ((...args: unknown[]) => {
    const st = statics.map((i) => (i < 0 ? i + args.length : i));
    const { diff, merge } = splitNondiff(st, args);
    const f = st.length ? (...d: unknown[]) => fun(...merge(d)) : fun;
    const [leaves, inDef] = flatten(diff);
    const nOut: { def?: TreeDef } = {};
    const outs = bind(rematCall, leaves.map((l) => asArray(l as any)), { fun: f, inDef, nOut });
    return unflatten(nOut.def!, outs);
  }) as F;
}

export { jvp };

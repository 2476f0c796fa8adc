// jit: trace once per input signature, optimize the jaxpr, and run it as one program. Under other
// transformations (grad, vmap) a jitted function is traced through; inside makeJaxpr or another
// jit it appears as one `jit` equation holding its program (JAX named it `pjit` until 2025).
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { DisposedArrayError, ShapeError, ValueError } from "../core/errors.js";
import { Primitive } from "../core/primitive.js";
import { flatten, TreeDef, treeDefString, unflatten } from "../core/pytree.js";
import { bind, currentTrace, Tracer, withTrace } from "../core/trace.js";
import { evalTrace } from "../core/eval.js";
import { JaxArray } from "../core/value.js";
import { asArray } from "../api/numpy/creation.js";
import { ClosedJaxpr, evalJaxpr, Jaxpr, Var } from "../jaxpr/jaxpr.js";
import { StagingTrace } from "../jaxpr/staging.js";
import { Executable } from "./executor.js";
import { optimize } from "./passes.js";

interface PjitParams {
  jaxpr: ClosedJaxpr;
  name: string;
  exe: { compiled?: Executable };
  donated: boolean[];
}

export const pjitP: Primitive<PjitParams> = new Primitive<PjitParams>("jit", {
  abstractEval: (_avals, p) => p.jaxpr.outAvals,
  reference() { throw new ValueError("jit runs through its compiled program."); },
  staged: true,
  inline: (args, p) => evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, args),
  impl(args, p) {
    const exe = (p.exe.compiled ??= new Executable(optimize(p.jaxpr), p.donated));
    const bufs = args.map((a, i) => (p.donated[i] ? (a as ConcreteArray).donate(`jit(${p.name})`) : (a as ConcreteArray).buffer(p.name)));
    return exe.run(bufs, p.donated);
  },
  printParams: (p) => ({ jaxpr: p.jaxpr, name: p.name }),
});

export interface JitOptions {
  /** Positions of arguments that are compile-time constants (part of the cache key, not traced). */
  staticArgnums?: number | readonly number[];
  /** Positions of arguments whose buffers the program may reuse; those arrays are invalid afterwards. */
  donateArgnums?: number | readonly number[];
}

interface CacheEntry {
  params: PjitParams;
  outDef: TreeDef;
  /** Number of leading jaxpr inputs that are hoisted closure values (tracers of an outer trace). */
  hoisted: JaxArray[];
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** How many times the function has been traced (a new signature or static value each time). */
  readonly traceCount: number;
  /** The jaxpr for these arguments, like makeJaxpr. */
  lower(...args: Parameters<F>): ClosedJaxpr;
}

const toList = (x: number | readonly number[] | undefined) => (x === undefined ? [] : typeof x === "number" ? [x] : [...x]);

function avalKey(a: ShapedArray): string {
  return `${a.dtype}[${a.shape.join(",")}]${a.weakType ? "w" : ""}`;
}

// Functions are static by identity, as Python hashes them: two closures with one name differ.
const fnIds = new WeakMap<Function, number>();
let nextFnId = 0;
const fnId = (f: Function) => {
  let id = fnIds.get(f);
  if (id === undefined) fnIds.set(f, (id = nextFnId++));
  return id;
};

/** The cache key of a static argument: equal keys for equal values (JAX's hash and ==). */
function staticKey(v: unknown, i: number, name: string): string {
  const [leaves] = flatten(v);
  if (leaves.some((l) => l instanceof JaxArray)) {
    throw new ValueError(`jit(${name}): Non-hashable static arguments are not supported, as this can lead to unexpected ` +
      `cache-misses. Static argument (index ${i}) of type Array for function ${name} is non-hashable. Pass arrays as ` +
      `ordinary (traced) arguments, or pass a JS number/string/tuple of numbers as the static value.`);
  }
  if (typeof v === "number") return Object.is(v, -0) ? "n:-0" : `n:${v}`;
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "function" ? `fn#${fnId(x)}` : typeof x === "bigint" ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Argument positions with negative ones counted from the end (JAX's resolution). */
function resolvePositions(list: number[], nargs: number): number[] {
  return list.map((i) => (i < 0 ? i + nargs : i));
}

/** jit(f, { staticArgnums, donateArgnums }): JAX's jit with a per-signature compile cache. */
export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  const name = f.name || "<anonymous>";
  const staticList = toList(opts.staticArgnums);
  const donateList = toList(opts.donateArgnums);
  const cache = new Map<string, CacheEntry>();
  let traces = 0;

  const split = (args: unknown[]) => {
    const statics = resolvePositions(staticList, args.length);
    const donate = resolvePositions(donateList, args.length);
    const dyn = statics.length ? args.map((a, i) => (statics.includes(i) ? null : a)) : args;
    const [leaves, def] = flatten(dyn);
    const arrays = new Array<JaxArray>(leaves.length);
    let key = "";
    for (let i = 0; i < leaves.length; i++) {
      const a = (arrays[i] = leaves[i] instanceof JaxArray ? (leaves[i] as JaxArray) : asArray(leaves[i] as any));
      key += avalKey(a.aval) + ";";
    }
    // A flat argument list of arrays needs no structure in the key beyond the count.
    // A program is compiled for the device its arguments live on.
    const first = arrays.find((a) => a instanceof ConcreteArray) as ConcreteArray | undefined;
    key += first && !first.isDisposed ? first.device : "";
    const flat = def.kind === "array" && def.children.every((c) => c.kind === "leaf");
    key += flat ? `#${leaves.length}` : treeDefString(def);
    if (statics.length) key += "|" + statics.map((i) => staticKey(args[i], i, name)).join(";");
    const donatedLeaves: boolean[] = [];
    if (donate.length) {
      args.forEach((a, i) => {
        if (statics.includes(i)) return;
        const n = flatten(a)[0].length;
        for (let k = 0; k < n; k++) donatedLeaves.push(donate.includes(i));
      });
    } else {
      for (let i = 0; i < leaves.length; i++) donatedLeaves.push(false);
    }
    return { arrays, def, key, donatedLeaves, statics };
  };

  const trace = (args: unknown[], arrays: JaxArray[], def: TreeDef, donatedLeaves: boolean[], statics: number[]): CacheEntry => {
    traces++;
    const t = new StagingTrace(currentTrace(), `jit(${name})`, false);
    const ins = arrays.map((a) => t.newArg(a.aval));
    let out: unknown;
    try {
      out = withTrace(t, () => {
        const dynArgs = unflatten(def, ins);
        const full = args.map((a, i) => (statics.includes(i) ? a : dynArgs[i]));
        return f(...full);
      });
    } catch (e) {
      t.live = false;
      throw e;
    }
    const [outs, outDef] = flatten(out);
    const closed = withTrace(t, () => t.finish(ins, outs.map((o) => asArray(o as any))));
    // Closure values from an enclosing trace become explicit inputs, so the program has only
    // concrete constants.
    const j = closed.jaxpr;
    const hoistIdx = closed.consts.map((c, i) => (c instanceof Tracer ? i : -1)).filter((i) => i >= 0);
    const hoisted = hoistIdx.map((i) => closed.consts[i]);
    const constvars = j.constvars.filter((_, i) => !hoistIdx.includes(i));
    const consts = closed.consts.filter((_, i) => !hoistIdx.includes(i));
    const jaxpr = new ClosedJaxpr(new Jaxpr(constvars, [...hoistIdx.map((i) => j.constvars[i]), ...j.invars], j.eqns, j.outs), consts);
    const donated = [...hoisted.map(() => false), ...donatedLeaves];
    return { params: { jaxpr, name, exe: {}, donated }, outDef, hoisted };
  };

  const call = (...args: unknown[]) => {
    for (const i of staticList) {
      if (i >= args.length || i < -args.length) throw new ValueError(`jit(${name}): staticArgnums ${i} is out of range for ${args.length} arguments.`);
    }
    const { arrays, def, key, donatedLeaves, statics } = split(args);
    const inTrace = currentTrace() !== evalTrace;
    let entry = cache.get(key);
    if (!entry) {
      entry = trace(args, arrays, def, donatedLeaves, statics);
      // Programs closing over an outer trace's values are specific to that trace: don't cache them.
      if (!entry.hoisted.length) cache.set(key, entry);
    }
    if (!inTrace && donateList.length) {
      const seen = new Set<JaxArray>();
      arrays.forEach((a, i) => {
        if (!donatedLeaves[i]) return;
        if (seen.has(a)) throw new DisposedArrayError(`jit(${name}): the same array is donated twice.`);
        seen.add(a);
      });
    }
    const outs = bind(pjitP, [...entry.hoisted, ...arrays], entry.params);
    return unflatten(entry.outDef, outs);
  };

  const jitted = call as unknown as Jitted<F>;
  Object.defineProperty(jitted, "traceCount", { get: () => traces });
  Object.defineProperty(jitted, "name", { value: `jit(${name})` });
  (jitted as any).lower = (...args: unknown[]) => {
    const { arrays, def, donatedLeaves, statics } = split(args);
    return trace(args, arrays, def, donatedLeaves, statics).params.jaxpr;
  };
  return jitted;
}

export type { Var, ShapeError };

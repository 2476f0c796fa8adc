// Haiku's transform: functions that create parameters and state through getParameter/getState
// become pure init/apply pairs. Modules get unique, nested names ("mlp/~/linear_0").
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random.js";

type Dict = Record<string, Record<string, JaxArray>>;

interface Frame {
  mode: "init" | "apply";
  params: Dict;
  state: Dict;
  /** Each state's first value (what init returns, as haiku's collect_initial_state). */
  initialState: Dict;
  rng: JaxArray | null;
  /** Keys split off ahead (hk.reserve_rng_keys), handed out first. */
  keys: JaxArray[];
  /** The module methods running, innermost last, each with its own name counters (as haiku's). */
  moduleStack: Entry[];
  counters: Map<string, number>;
}

interface Entry { module: Module; method: string; counters: Map<string, number> }

let frame: Frame | null = null;

function current(what: string): Frame {
  if (!frame) throw new ValueError(`${what} must be called inside a function transformed by haiku.transform (or transformWithState).`);
  return frame;
}

/** An initializer in Haiku's style: (shape, dtype) -> array, drawing keys with nextRngKey(). */
export type HkInitializer = (shape: readonly number[], dtype: DType) => JaxArray;

const scopeName = () => {
  const f = current("scope");
  const top = f.moduleStack[f.moduleStack.length - 1];
  return top ? top.module.moduleName : "~";
};

type ParamOptions = { dtype?: DType; init?: HkInitializer };

/** Haiku's (dtype, init) after name and shape: positional, or one options object. */
function paramOptions(op: string, rest: unknown[]): ParamOptions {
  if (rest.length <= 1 && (rest[0] === undefined || (typeof rest[0] === "object" && rest[0] !== null))) return (rest[0] ?? {}) as ParamOptions;
  const [dtype, init] = rest;
  if (rest.length > 2 || (dtype !== undefined && dtype !== null && typeof dtype !== "string") || (init !== undefined && init !== null && typeof init !== "function")) {
    throw new ValueError(`${op}: after name and shape come dtype and init (as in haiku) or options { dtype, init }, but got ${rest.map((r) => typeof r).join(", ")}.`);
  }
  return { dtype: (dtype ?? undefined) as DType | undefined, init: (init ?? undefined) as HkInitializer | undefined };
}

/** getParameter(name, shape, dtype?, init?) as hk.get_parameter, or getParameter(name, shape, { dtype, init }). */
export function getParameter(name: string, shape: readonly number[], ...rest: [ParamOptions?] | [dtype?: DType | null, init?: HkInitializer]): JaxArray {
  const opts = paramOptions("haiku.getParameter", rest);
  const f = current("getParameter");
  const scope = scopeName();
  const existing = f.params[scope]?.[name];
  if (existing) {
    if (existing.shape.join() !== shape.join()) throw new ValueError(`"${scope}/${name}" with retrieved shape [${existing.shape}] does not match shape=[${shape}].`);
    return existing;
  }
  if (f.mode !== "init") throw new ValueError(`Unable to retrieve parameter "${name}" for module "${scope}". All parameters must be created as part of init.`);
  if (!opts.init) throw new ValueError(`Initializer must be specified for parameter "${name}" in "${scope}".`);
  const v = opts.init(shape, opts.dtype ?? "float32");
  (f.params[scope] ??= {})[name] = v;
  return v;
}

/** getState(name, shape?, dtype?, init?) as hk.get_state, or getState(name, shape, { dtype, init }). */
export function getState(name: string, shape?: readonly number[], ...rest: [ParamOptions?] | [dtype?: DType | null, init?: HkInitializer]): JaxArray {
  const opts = paramOptions("haiku.getState", rest);
  const f = current("getState");
  const scope = scopeName();
  const existing = f.state[scope]?.[name];
  if (existing) return existing;
  if (!opts.init || !shape) throw new ValueError(`Unable to retrieve state "${name}" for module "${scope}"; give shape and init to create it.`);
  const v = opts.init(shape, opts.dtype ?? "float32");
  (f.state[scope] ??= {})[name] = v;
  (f.initialState[scope] ??= {})[name] = v;
  return v;
}

export function setState(name: string, value: JaxArray): void {
  const f = current("setState");
  const scope = scopeName();
  if (!(f.state[scope] && name in f.state[scope])) (f.initialState[scope] ??= {})[name] = value;
  (f.state[scope] ??= {})[name] = value;
}

function rngFrame(op: string): Frame & { rng: JaxArray } {
  const f = current(op);
  if (!f.rng) throw new ValueError(`haiku.${op}: pass a non-null PRNGKey to init/apply to use random numbers (nextRngKey, random initializers).`);
  return f as Frame & { rng: JaxArray };
}

/** hk.reserve_rng_keys(num): splits num keys off ahead (key, k1..kn = split(key, n + 1)); later draws take them in order. */
export function reserveRngKeys(num: number): void {
  const f = rngFrame("reserveRngKeys");
  if (num > 0) {
    const ks = [...random.split(f.rng, num + 1)];
    f.rng = ks[0];
    f.keys.push(...ks.slice(1));
  }
}

/** A fresh key from the sequence seeded by the rng given to init/apply (hk.next_rng_key). */
export function nextRngKey(): JaxArray {
  const f = rngFrame("nextRngKey");
  if (!f.keys.length) reserveRngKeys(1);
  return f.keys.shift()!;
}

/** hk.next_rng_keys(num): num keys stacked, [num, ...keyShape]. */
export function nextRngKeys(num: number): JaxArray {
  const f = rngFrame("nextRngKeys");
  reserveRngKeys(Math.max(num - f.keys.length, 0));
  return jnp.stack(Array.from({ length: num }, () => f.keys.shift()!));
}

/** hk.maybe_next_rng_key: nextRngKey() when init/apply got an rng, else null. */
export const maybeNextRngKey = (): JaxArray | null => (current("maybeNextRngKey").rng ? nextRngKey() : null);

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase();

/**
 * A Haiku module, named at construction as haiku names it: "parent/name" when made in the parent's
 * call, "parent/~/name" in its constructor (initScope), "parent/~method/name" in another method;
 * numbered "name_1", ... within one run of the enclosing method. Methods run in its scope.
 */
export abstract class Module {
  readonly moduleName: string;
  constructor(name?: string | null) {
    const f = current("hk.Module");
    const top = f.moduleStack[f.moduleStack.length - 1];
    let full = name ?? snake(new.target.name);
    if (top) full = `${top.module.moduleName}/${top.method === "call" ? "" : top.method === "initScope" ? "~/" : `~${top.method}/`}${full}`;
    const counters = top ? top.counters : f.counters;
    // An explicit number ("linear_0") is kept, as haiku's name_and_number does.
    const m = /^(.*)_(0|[1-9]\d*)$/.exec(full);
    const base = m ? m[1] : full, n = m ? +m[2] : counters.get(full) ?? 0;
    counters.set(base, Math.max(counters.get(base) ?? 0, n + 1));
    this.moduleName = m || n ? `${base}_${n}` : base;
    const scoped = (receiver: Module, method: string, fn: () => unknown) => {
      const fr = current(`${receiver.moduleName}.${method}`);
      fr.moduleStack.push({ module: receiver, method, counters: new Map() });
      try {
        return fn();
      } finally {
        fr.moduleStack.pop();
      }
    };
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop !== "string" || prop === "constructor") return Reflect.get(target, prop, receiver);
        // Getters (hk.Embed's embeddings) run in the module's scope too, as haiku's properties do.
        for (let o = target; o; o = Object.getPrototypeOf(o)) {
          const d = Object.getOwnPropertyDescriptor(o, prop);
          if (d) {
            if (d.get) return scoped(receiver, prop, () => d.get!.call(receiver));
            break;
          }
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v !== "function" ? v : (...args: unknown[]) => scoped(receiver, prop, () => v.apply(receiver, args));
      },
    });
  }
  /** Runs fn as part of construction: modules made in it are named "this/~/name", as in haiku's __init__. */
  protected initScope<T>(fn: () => T): T { return fn(); }
}

/** The rng given to init/apply: a key, an integer seed (as hk.PRNGSequence takes), or null. */
function toKey(rng: JaxArray | number | null | undefined): JaxArray | null {
  if (rng === undefined || rng === null) return null;
  if (typeof rng === "number") {
    if (!Number.isInteger(rng)) throw new ValueError(`haiku: an rng seed must be an integer, but got ${rng}; or pass random.key(seed).`);
    return random.key(rng);
  }
  return rng;
}

/** Runs fn in a fresh frame: [out, params, state], where init's state is each state's initial value. */
function run<T>(mode: "init" | "apply", params: Dict, state: Dict, rng: JaxArray | number | null | undefined, fn: () => T): [T, Dict, Dict] {
  const prev = frame;
  frame = { mode, params: mode === "init" ? {} : copy(params), state: copy(state), initialState: {}, rng: toKey(rng), keys: [], moduleStack: [], counters: new Map() };
  const f = frame;
  try {
    const out = fn();
    return [out, f.params, mode === "init" ? f.initialState : f.state];
  } finally {
    frame = prev;
  }
}

function copy(d: Dict): Dict {
  const o: Dict = {};
  for (const k of Object.keys(d ?? {})) o[k] = { ...d[k] };
  return o;
}

type Rng = JaxArray | number | null;

export interface Transformed<A extends unknown[], R> {
  init(rng: Rng, ...args: A): Dict;
  apply(params: Dict, rng: Rng, ...args: A): R;
}

export interface TransformedWithState<A extends unknown[], R> {
  init(rng: Rng, ...args: A): [Dict, Dict];
  apply(params: Dict, state: Dict, rng: Rng, ...args: A): [R, Dict];
}

const WITH_STATE = Symbol("haiku.transformWithState");

/** hk.transform: fn may create parameters (not state). */
export function transform<A extends unknown[], R>(fn: (...args: A) => R): Transformed<A, R> {
  return {
    init: (rng, ...args) => {
      const [, params, state] = run("init", {}, {}, rng, () => fn(...args));
      if (Object.keys(state).length) throw new ValueError("hk.transform: the function uses state; use transformWithState.");
      return params;
    },
    apply: (params, rng, ...args) => run("apply", params, {}, rng, () => fn(...args))[0],
  };
}

/** hk.transformWithState: init -> [params, state]; apply(params, state, rng, ...) -> [out, state]. */
export function transformWithState<A extends unknown[], R>(fn: (...args: A) => R): TransformedWithState<A, R> {
  const t: TransformedWithState<A, R> = {
    init: (rng, ...args) => {
      const [, params, state] = run("init", {}, {}, rng, () => fn(...args));
      return [params, state];
    },
    apply: (params, state, rng, ...args) => {
      const [out, , st] = run("apply", params, state, rng, () => fn(...args));
      return [out, st];
    },
  };
  return Object.assign(t, { [WITH_STATE]: true });
}

/**
 * apply without the rng argument: apply(params, ...args), or apply(params, state, ...args) for a
 * transformWithState result (as hk.without_apply_rng takes either).
 */
export function withoutApplyRng<A extends unknown[], R>(t: TransformedWithState<A, R>): { init: TransformedWithState<A, R>["init"]; apply(params: Dict, state: Dict, ...args: A): [R, Dict] };
export function withoutApplyRng<A extends unknown[], R>(t: Transformed<A, R>): { init: Transformed<A, R>["init"]; apply(params: Dict, ...args: A): R };
export function withoutApplyRng(t: any): any {
  if (t[WITH_STATE]) return { [WITH_STATE]: true, init: t.init, apply: (params: Dict, state: Dict, ...args: unknown[]) => t.apply(params, state, null, ...args) };
  return { init: t.init, apply: (params: Dict, ...args: unknown[]) => t.apply(params, null, ...args) };
}

export type { Dict };
export const zerosInit: HkInitializer = (shape, dtype) => jnp.zeros(shape, { dtype });

/** hk.running_init: true while init runs (parameters may be created). */
export const runningInit = (): boolean => current("runningInit").mode === "init";

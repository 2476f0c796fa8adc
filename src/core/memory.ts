import { DeviceBuffer, release } from "../backend/backend.js";
import { ValueError } from "./errors.js";
import { flatten } from "./pytree.js";
import type { ConcreteArray } from "./array.js";
import { JaxArray } from "./value.js";

/*
 * Memory without per-array bookkeeping. Wasm memory is invisible to the JS garbage collector, and
 * FinalizationRegistry callbacks only run between tasks, so a synchronous loop must free eagerly:
 * tidy() scopes free everything made inside them; dispose()/`using` free one array; the registry is
 * the safety net for arrays that escape, collected whenever the program yields to the event loop.
 */

const scopes: Set<ConcreteArray>[] = [];

const registry = new FinalizationRegistry<DeviceBuffer>((buf) => release(buf));

export function track(a: ConcreteArray, buf: DeviceBuffer): void {
  registry.register(a, buf, a);
  if (scopes.length) scopes[scopes.length - 1].add(a);
}

export function untrack(a: ConcreteArray): void {
  registry.unregister(a);
  if (scopes.length) scopes[scopes.length - 1].delete(a);
}

/**
 * Runs `fn` and frees every array it created, except the arrays in its result (any pytree), which
 * move to the enclosing scope. Scopes nest. `fn` must be synchronous.
 */
export function tidy<T>(fn: () => T): T {
  return inScope(fn, true);
}

/**
 * The scope behind tidy() and scoped(). A result holding tracers (a call inside a transformation)
 * keeps every array the scope made, since a tracer's values may live in them; a traced program
 * captures what it needs with keep(). A Promise result is an error for tidy() (`promiseIsError`),
 * and keeps everything otherwise.
 */
function inScope<T>(fn: () => T, promiseIsError: boolean): T {
  const scope = new Set<ConcreteArray>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const a of scope) a.dispose();
    throw e;
  }
  scopes.pop();
  const parent = scopes.length ? scopes[scopes.length - 1] : null;
  const keepAll = () => {
    if (parent) for (const a of scope) parent.add(a);
    return result;
  };
  if (result instanceof Promise) {
    if (!promiseIsError) return keepAll();
    for (const a of scope) a.dispose();
    throw new ValueError("tidy: the function returned a Promise; tidy() only takes synchronous functions. Await outside it.");
  }
  if (scope.size === 0) return result;
  const [leaves] = flatten(result);
  if (leaves.some((l) => l instanceof JaxArray && l.device === "tracer")) return keepAll();
  const out = new Set<unknown>(leaves);
  for (const a of scope) {
    if (out.has(a)) parent?.add(a);
    else a.dispose();
  }
  return result;
}

/** Keeps `x` alive past the enclosing tidy() scopes (it is then freed by dispose() or the GC). */
export function keep<T>(x: T): T {
  const [leaves] = flatten(x);
  for (const s of scopes) for (const l of leaves) s.delete(l as ConcreteArray);
  return x;
}

const scopedFns = new WeakMap<object, unknown>();

/**
 * `fn` run in its own scope, as tidy() runs a function: the temporaries a library function makes
 * (an eager composite's intermediate arrays) are freed when it returns, and its result moves to the
 * caller's scope. So `using y = jnp.mod(x, 2)` in a synchronous loop frees everything the call made,
 * not only y. A Promise result (no library function returns one) keeps everything.
 */
export function scoped<F extends (...args: any[]) => any>(fn: F): F {
  // One wrapper per function, so aliases (jnp.trueDivide and jnp.divide) stay the same function.
  const cached = scopedFns.get(fn);
  if (cached) return cached as F;
  const g = function (this: unknown, ...args: unknown[]) {
    return inScope(() => fn.apply(this, args), false);
  } as F;
  Object.defineProperty(g, "name", { value: fn.name });
  scopedFns.set(fn, g);
  return g;
}

/**
 * A copy of a module namespace whose functions run scoped() (`nested` names sub-namespaces to treat
 * the same way). Classes (capitalised names) and values are copied as they are.
 */
export function scopedNamespace<T extends object>(ns: T, nested: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) {
    out[k] = nested.includes(k) ? scopedNamespace(v as object) : typeof v === "function" && !/^[A-Z]/.test(k) ? scoped(v as (...a: any[]) => any) : v;
  }
  return out as T;
}

import { DeviceBuffer, release } from "../backend/backend.js";
import { ValueError } from "./errors.js";
import { flatten } from "./pytree.js";
import type { ConcreteArray } from "./array.js";

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
  if (result instanceof Promise) {
    for (const a of scope) a.dispose();
    throw new ValueError("tidy: the function returned a Promise; tidy() only takes synchronous functions. Await outside it.");
  }
  const [leaves] = flatten(result);
  const keep = new Set<unknown>(leaves);
  const parent = scopes.length ? scopes[scopes.length - 1] : null;
  for (const a of scope) {
    if (keep.has(a)) parent?.add(a);
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

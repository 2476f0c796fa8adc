// Options come as one object (`grad(f, { argnums: 1 })`, `optax.sgd(0.1, { momentum: 0.9 })`) or as
// JAX's positional arguments (`grad(f, 1)`, `vmap(f, 1, 0)`, `pmap(f, "i")`, `optax.sgd(0.1, 0.9)`),
// each function naming which positional value is which option.
import { ValueError } from "./errors.js";

/** An object literal (or a prototype-less object): options, unlike Arrays, arrays and class instances. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * The options in `rest` (what followed the leading arguments). `isOptions` tells an options object
 * from a positional value that may itself be an object (vmap's in_axes can be a pytree prefix).
 */
export function positionalOptions<T extends object>(op: string, rest: readonly unknown[], names: readonly (keyof T & string)[],
  isOptions: (v: unknown) => boolean = isPlainObject): T {
  const first = rest[0];
  if (rest.length <= 1 && (first === undefined || isOptions(first))) return (first ?? {}) as T;
  if (rest.length > names.length || rest.some((v, i) => i > 0 && isOptions(v))) {
    throw new ValueError(`${op}: after the leading arguments comes one options object, or up to ${names.length} values in JAX's order ` +
      `(${names.join(", ")}), but got ${rest.length} arguments.`);
  }
  const o: Record<string, unknown> = {};
  rest.forEach((v, i) => { if (v !== undefined) o[names[i]] = v; });
  return o as T;
}

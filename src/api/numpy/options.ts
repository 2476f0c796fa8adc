// JAX takes `axis` (reductions, softmax, cumsum) and `dtype` (zeros, ones, arange, ...) as plain
// positional arguments: `jnp.sum(x, 0)`, `jnp.zeros([2], "int32")`. tinyjax's trailing argument is
// an options object, so each such function also accepts the bare value. Anything else there is an
// error, never silently ignored (a bare axis once summed over every axis).
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { positionalOptions } from "../../core/transform-args.js";

export { positionalOptions };

export type AxisValue = number | readonly number[] | null;

const shown = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? "an array" : String(v));

/** `opts`, or `{ axis: opts }` where a bare axis (a number, an array of numbers, or null) was given. */
export function axisOptions<T extends { axis?: unknown }>(op: string, opts: T | AxisValue | undefined, fields = "axis, keepdims"): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts === "number" || (Array.isArray(opts) && opts.every((a) => typeof a === "number"))) return { axis: opts } as T;
  if (typeof opts === "object" && !Array.isArray(opts)) return opts as T;
  throw new ValueError(`${op}: the argument after the array is an axis (a number, an array of numbers or null) or options { ${fields} }, ` +
    `but got ${shown(opts)}. Pass e.g. ${op}(x, 0) or ${op}(x, { axis: 0 }).`);
}

/** `opts`, or `{ dtype: opts }` where a bare dtype name was given. */
export function dtypeOptions<T extends { dtype?: DType }>(op: string, opts: T | DType | undefined): T {
  if (opts === undefined) return {} as T;
  if (typeof opts === "string") return { dtype: opts } as T;
  if (typeof opts === "object" && opts !== null && !Array.isArray(opts)) return opts as T;
  throw new ValueError(`${op}: the last argument is a dtype name or options { dtype }, but got ${shown(opts)}. ` +
    `Pass e.g. ${op}(..., "int32") or ${op}(..., { dtype: "int32" }).`);
}

/**
 * A reduction's options: one options object or bare axis (`sum(x, { axis })`, `sum(x, 0)`), or
 * numpy's whole positional order after the array (`sum(x, 1, null, null, true)` = axis, dtype, out,
 * keepdims). `out` has no meaning for immutable arrays, so a value there is an error.
 */
export function reduceOptions<T extends { axis?: unknown }>(op: string, rest: readonly unknown[], names: readonly string[]): T {
  if (rest.length <= 1) {
    const known = names.filter((n) => n !== "out");
    const o = axisOptions<T>(op, rest[0] as T | AxisValue | undefined, known.join(", "));
    // A misspelt option (keepDims) would otherwise be ignored without a word.
    const unknown = Object.keys(o).filter((k) => !known.includes(k) && (o as Record<string, unknown>)[k] !== undefined);
    if (unknown.length) throw new ValueError(`${op}: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; ${op} takes { ${known.join(", ")} }.`);
    return o;
  }
  const o = positionalOptions<Record<string, unknown>>(op, rest.map((v, i) => (v === null && i > 0 ? undefined : v)), names as string[]);
  if (o.out !== undefined) throw new ValueError(`${op}: the out argument is not supported (tinyjax arrays are immutable); use the return value.`);
  delete o.out;
  return o as T;
}

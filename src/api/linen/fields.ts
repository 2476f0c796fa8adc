// flax modules are dataclasses: fields go positionally in flax's declaration order, by keyword, or
// both. Here the keywords are one trailing options object.
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";

export const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/** Merges positional fields (in flax's order) into the trailing options; the first `required` must be set. */
export function fields<T>(op: string, names: readonly string[], args: readonly unknown[], required = 1): T {
  let pos = args;
  const o: Record<string, unknown> = {};
  if (pos.length && isPlain(pos[pos.length - 1])) { Object.assign(o, pos[pos.length - 1]); pos = pos.slice(0, -1); }
  if (pos.length > names.length) throw new ValueError(`linen.${op}: fields are (${names.join(", ")}) then options; got ${pos.length} positional.`);
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (o[names[i]] !== undefined) throw new ValueError(`linen.${op}: ${names[i]} given both positionally and in the options; pass it once.`);
    o[names[i]] = v;
  });
  for (const n of names.slice(0, required)) {
    if (o[n] === undefined) throw new ValueError(`linen.${op}: missing field ${n}; pass it positionally or as { ${n} }.`);
  }
  return o as T;
}

/** flax's promote_dtype: the inputs and params computed in `dtype` when one is given. */
export const cast = (dtype: DType | undefined, ...xs: JaxArray[]): JaxArray[] => (dtype ? xs.map((x) => jnp.astype(x, dtype)) : xs);

export const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
export const normAxes = (ax: number | readonly number[], nd: number) => (typeof ax === "number" ? [ax] : [...ax]).map((a) => (a < 0 ? a + nd : a));

// The jax.nn activations flax.linen re-exports that nn lacks, composed from jnp, and flax's PReLU.
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { relu6, sigmoid, standardize } from "../nn.js";
import { Module, ModuleOptions } from "./module.js";
import { fields } from "./fields.js";

const num = (op: string, name: string, v: unknown, d: number): number => {
  const r = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[name] : v;
  if (r === undefined) return d;
  if (typeof r !== "number") throw new ValueError(`linen.${op}: ${name} must be a number (or { ${name} }), but got ${JSON.stringify(v)}.`);
  return r;
};
const fl = (op: string, x: ArrayLike) => jnp.promote(op, [x], "float")[0];

export const tanh = (x: ArrayLike): JaxArray => jnp.tanh(x);
export const softSign = (x: ArrayLike): JaxArray => { const a = fl("soft_sign", x); return jnp.divide(a, jnp.add(jnp.abs(a), 1)); };
export const hardTanh = (x: ArrayLike): JaxArray => { const a = fl("hard_tanh", x); return jnp.where(jnp.greater(a, 1), 1, jnp.where(jnp.less(a, -1), -1, a)); };
export const hardSigmoid = (x: ArrayLike): JaxArray => jnp.divide(relu6(jnp.add(fl("hard_sigmoid", x), 3)), 6);
export const hardSilu = (x: ArrayLike): JaxArray => jnp.multiply(x, hardSigmoid(x));
export const hardSwish = hardSilu;
export const normalize = standardize;

/** x for x > 0, else alpha * (exp(x / alpha) - 1); celu(x, alpha = 1) or celu(x, { alpha }). */
export function celu(x: ArrayLike, alpha?: number | { alpha?: number }): JaxArray {
  const a = num("celu", "alpha", alpha, 1), v = fl("celu", x);
  return jnp.where(jnp.greater(v, 0), v, jnp.multiply(a, jnp.expm1(jnp.divide(jnp.minimum(v, 0), a))));
}

/** scale * elu(x, alpha) with the self-normalizing constants. */
export function selu(x: ArrayLike): JaxArray {
  const alpha = 1.6732632423543772, scale = 1.0507009873554805, v = fl("selu", x);
  return jnp.multiply(scale, jnp.where(jnp.greater(v, 0), v, jnp.multiply(alpha, jnp.expm1(jnp.minimum(v, 0)))));
}

/** Gated linear unit: the two halves a, b of `axis` (default -1) give a * sigmoid(b). */
export function glu(x: ArrayLike, axis?: number | { axis?: number }): JaxArray {
  const ax = num("glu", "axis", axis, -1), v = jnp.asArray(x), n = v.shape[ax < 0 ? ax + v.ndim : ax];
  if (n === undefined || n % 2 !== 0) throw new ValueError(`linen.glu: axis ${ax} of shape [${v.shape}] must have even size.`);
  const [a, b] = jnp.split(v, 2, ax);
  return jnp.multiply(a, sigmoid(b));
}

export interface PReLUOptions extends ModuleOptions { paramDtype?: DType; negativeSlopeInit?: number }

/** Leaky relu with a learned scalar slope, the param "negative_slope" (initially negativeSlopeInit = 0.01). */
export class PReLU extends Module {
  o: PReLUOptions;
  constructor(...args: [PReLUOptions?] | [DType?, number?, PReLUOptions?]) {
    const o = fields<PReLUOptions>("PReLU", ["paramDtype", "negativeSlopeInit"], args, 0);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    const a = jnp.asArray(x);
    const s = this.param("negative_slope", () => jnp.array(this.o.negativeSlopeInit ?? 0.01, { dtype: this.o.paramDtype ?? "float32" }));
    return jnp.where(jnp.greaterEqual(a, 0), a, jnp.multiply(jnp.astype(s, a.dtype), a));
  }
}

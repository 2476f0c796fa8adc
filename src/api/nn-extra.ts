// jax.nn's remaining activations and dot_product_attention, written as JAX writes them (same
// formulas, so the same derivatives at kinks) from jnp functions.
import { isPlainObject } from "../core/transform-args.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as jnp from "./numpy/index.js";
import { logsumexp } from "./numpy/reductions.js";
import { stopGradient } from "../autodiff/api.js";
import { relu6, softmax } from "./nn.js";

/** A trailing scalar hyperparameter, bare (JAX's positional form) or as `{ name }`. */
function param<T>(op: string, name: string, v: unknown, dflt: T): T {
  if (v === undefined) return dflt;
  if (isPlainObject(v)) {
    const bad = Object.keys(v).filter((k) => k !== name);
    if (!bad.length) return (v[name] ?? dflt) as T;
    throw new ValueError(`nn.${op}: unknown option(s) ${bad.join(", ")}; the only option is ${name}.`);
  }
  return v as T;
}


/** max(x, 0) + alpha * expm1(min(x, 0) / alpha). */
export function celu(x: ArrayLike, alpha?: ArrayLike | { alpha?: ArrayLike }): JaxArray {
  const a = param<ArrayLike>("celu", "alpha", alpha, 1);
  return jnp.add(jnp.maximum(x, 0), jnp.multiply(a, jnp.expm1(jnp.divide(jnp.minimum(x, 0), a))));
}

/** x where x > 0, else alpha * expm1(x); the inner where keeps expm1 finite for large x. */
export function elu(x: ArrayLike, alpha?: ArrayLike | { alpha?: ArrayLike }): JaxArray {
  const a = param<ArrayLike>("elu", "alpha", alpha, 1);
  const pos = jnp.greater(x, 0);
  return jnp.where(pos, x, jnp.multiply(a, jnp.expm1(jnp.where(pos, 0, x))));
}

/** scale * elu(x, alpha) with the self-normalizing constants. */
export const selu = (x: ArrayLike): JaxArray => jnp.multiply(1.0507009873554804934193349852946, elu(x, 1.6732632423543772848170429916717));

/** 1 above 1, -1 below -1, x between. */
export function hardTanh(x: ArrayLike): JaxArray {
  const a = jnp.asArray(x);
  return jnp.where(jnp.greater(a, 1), 1, jnp.where(jnp.less(a, -1), -1, a));
}

/** relu6(x + 3) / 6. */
export const hardSigmoid = (x: ArrayLike): JaxArray => jnp.divide(relu6(jnp.add(x, 3)), 6);
/** x * hardSigmoid(x). */
export const hardSilu = (x: ArrayLike): JaxArray => jnp.multiply(x, hardSigmoid(x));
export const hardSwish = hardSilu;

/** Gated linear unit: the first half of `axis` times the sigmoid of the second half. */
export function glu(x: ArrayLike, axis?: number | { axis?: number }): JaxArray {
  const ax = param<number>("glu", "axis", axis, -1);
  const a = jnp.asArray(x);
  const n = a.shape[ax < 0 ? ax + a.ndim : ax];
  if (n === undefined || n % 2 !== 0) {
    throw new ShapeError(`nn.glu: axis ${ax} of an array of shape [${a.shape}] must exist and have an even size; pick such an axis.`);
  }
  const [x1, x2] = jnp.split(a, 2, ax);
  return jnp.multiply(x1, jnp.sigmoid(x2));
}

/** 0 below -1, x above 1, (x + 1)^2 / 4 between. */
export function sparsePlus(x: ArrayLike): JaxArray {
  const a = jnp.asArray(x);
  return jnp.where(jnp.lessEqual(a, -1), 0, jnp.where(jnp.greaterEqual(a, 1), a, jnp.divide(jnp.square(jnp.add(a, 1)), 4)));
}

/** 0.5 * clip(x + 1, 0, 2). */
export const sparseSigmoid = (x: ArrayLike): JaxArray => jnp.multiply(0.5, jnp.clip(jnp.add(x, 1), 0, 2));

/** (x + sqrt(x^2 + b)) / 2. */
export function squareplus(x: ArrayLike, b?: ArrayLike | { b?: ArrayLike }): JaxArray {
  const bb = param<ArrayLike>("squareplus", "b", b, 4);
  return jnp.divide(jnp.add(x, jnp.sqrt(jnp.add(jnp.square(x), bb))), 2);
}

/** x * tanh(softplus(x)). */
export const mish = (x: ArrayLike): JaxArray => jnp.multiply(x, jnp.tanh(jnp.logaddexp(x, 0)));
/** x / (|x| + 1). */
export const softSign = (x: ArrayLike): JaxArray => jnp.divide(x, jnp.add(jnp.abs(x), 1));
/** -softplus(-x). */
export const logSigmoid = (x: ArrayLike): JaxArray => jnp.negative(jnp.logaddexp(jnp.negative(x), 0));
/** x itself (as an array). */
export const identity = (x: ArrayLike): JaxArray => jnp.asArray(x);

// ---------------------------------------------------------------------------------------------
// dot_product_attention (JAX's "xla" implementation)

export interface AttentionOptions {
  scale?: number | null;
  isCausal?: boolean;
  querySeqLengths?: ArrayLike | null;
  keyValueSeqLengths?: ArrayLike | null;
  localWindowSize?: number | readonly [number, number] | null;
  implementation?: "xla" | null;
  returnResidual?: boolean;
}

function to4d(t: ArrayLike): JaxArray {
  const a = jnp.asArray(t);
  return a.ndim < 4 ? jnp.reshape(a, [...Array(4 - a.ndim).fill(1), ...a.shape]) : a;
}

function checkTensor(t: JaxArray | null, shape: number[], dtype: string | null, name: string): void {
  if (!t) return;
  const fail = (what: string) => { throw new ValueError(`nn.dotProductAttention: ${name} ${what}`); };
  if (t.ndim !== shape.length) fail(`ndim should be ${shape.length}, but got ${t.ndim}.`);
  if (dtype && t.dtype !== dtype) fail(`dtype should be ${dtype}, but got ${t.dtype}.`);
  if (shape.some((d, i) => d !== -1 && t.shape[i] !== d)) fail(`shape should be [${shape}] (-1: any), but got [${t.shape}].`);
}

/**
 * Scaled dot-product attention over [B, T, N, H] queries and [B, S, K, H] keys/values (N a
 * multiple of K: grouped-query attention; 3-d inputs get a leading batch of 1). `bias` and boolean
 * `mask` broadcast against the [B, N, T, S] logits; masked logits become -0.7 * finfo.max before
 * a float32 softmax. Options as in JAX: scale (default 1/sqrt(H)), isCausal, querySeqLengths,
 * keyValueSeqLengths, localWindowSize, returnResidual (then [out, logsumexp of shape [B, T, N]]).
 */
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike,
  bias?: ArrayLike | null | AttentionOptions, mask?: ArrayLike | null | AttentionOptions, options: AttentionOptions = {}): any {
  if (isPlainObject(bias)) { options = bias as AttentionOptions; bias = undefined; }
  if (isPlainObject(mask)) { options = mask as AttentionOptions; mask = undefined; }
  const o = options;
  if (o.implementation !== undefined && o.implementation !== null && o.implementation !== "xla") {
    throw new ValueError(`nn.dotProductAttention: unsupported implementation ${JSON.stringify(o.implementation)}; tinyjax has "xla" (the default).`);
  }
  const outShape = jnp.asArray(query).shape;
  const q = to4d(query), k = to4d(key), v = to4d(value);
  const bs = bias === undefined || bias === null ? null : to4d(bias as ArrayLike);
  const ms = mask === undefined || mask === null ? null : to4d(mask as ArrayLike);
  const qLen = o.querySeqLengths == null ? null : jnp.asArray(o.querySeqLengths);
  const kvLen = o.keyValueSeqLengths == null ? null : jnp.asArray(o.keyValueSeqLengths);
  const [B, S, K, H] = k.shape;
  checkTensor(v, [B, S, K, H], k.dtype, "value");
  checkTensor(q, [B, -1, -1, H], k.dtype, "query");
  checkTensor(ms, [-1, -1, -1, -1], "bool", "mask");
  checkTensor(bs, [-1, -1, -1, -1], null, "bias");
  checkTensor(qLen, [B], "int32", "querySeqLengths");
  checkTensor(kvLen, [B], "int32", "keyValueSeqLengths");
  const [, T, N] = q.shape;
  if (N % K !== 0) throw new ValueError(`nn.dotProductAttention: the number of query heads must be a multiple of key/value heads, but got ${N} vs ${K}.`);
  const G = N / K;
  const scale = o.scale ?? 1 / Math.sqrt(H);
  // [B, N|1, T, S] -> [B, K|1, G, T, S], the grouped layout of the logits below.
  const grouped = (t: JaxArray | null) => {
    if (!t) return null;
    const [tB, tN, tT, tS] = t.shape;
    if (tN === 1) return jnp.reshape(t, [tB, 1, 1, tT, tS]);
    if (tN !== N) throw new ValueError(`nn.dotProductAttention: bias/mask head dimension must be 1 or ${N}, got ${tN}.`);
    return jnp.reshape(t, [tB, K, G, tT, tS]);
  };
  const qg = jnp.reshape(q, [B, T, K, G, H]);
  let logits = jnp.einsum("btkgh,bskh->bkgts", qg, k);
  if (logits.dtype !== "float32" && logits.dtype !== "float64") logits = jnp.astype(logits, "float32");
  logits = jnp.multiply(logits, jnp.array(scale, { dtype: logits.dtype }));
  if (bs) logits = jnp.astype(jnp.add(logits, grouped(bs)!), logits.dtype);
  const window = o.localWindowSize == null ? null : typeof o.localWindowSize === "number" ? [o.localWindowSize, o.localWindowSize] : o.localWindowSize;
  if (ms || o.isCausal || qLen || kvLen || window) {
    let keep: JaxArray = jnp.ones(logits.shape, { dtype: "bool" });
    if (ms) keep = jnp.logicalAnd(keep, grouped(ms)!);
    const tpos = jnp.reshape(jnp.arange(T), [T, 1]), spos = jnp.reshape(jnp.arange(S), [1, S]);
    if (o.isCausal) keep = jnp.logicalAnd(keep, jnp.lessEqual(spos, tpos));
    if (window) {
      keep = jnp.logicalAnd(keep, jnp.logicalAnd(jnp.lessEqual(tpos, jnp.add(spos, window[0])), jnp.greaterEqual(tpos, jnp.subtract(spos, window[1]))));
    }
    if (qLen) keep = jnp.logicalAnd(keep, jnp.less(jnp.reshape(jnp.arange(T), [1, 1, 1, T, 1]), jnp.reshape(qLen, [B, 1, 1, 1, 1])));
    if (kvLen) keep = jnp.logicalAnd(keep, jnp.less(jnp.reshape(jnp.arange(S), [1, 1, 1, 1, S]), jnp.reshape(kvLen, [B, 1, 1, 1, 1])));
    logits = jnp.where(keep, logits, jnp.array(-0.7 * 3.4028234663852886e38, { dtype: logits.dtype }));
  }
  const l32 = jnp.astype(logits, "float32");
  const probs = jnp.astype(softmax(l32, { axis: -1 }), k.dtype);
  let encoded = jnp.einsum("bkgts,bskh->btkgh", probs, v);
  if (qLen) encoded = jnp.multiply(encoded, jnp.astype(jnp.less(jnp.reshape(jnp.arange(T), [1, T, 1, 1, 1]), jnp.reshape(qLen, [B, 1, 1, 1, 1])), encoded.dtype));
  const out = jnp.reshape(encoded, outShape);
  if (!o.returnResidual) return out;
  const lse = jnp.astype(logsumexp(l32, { axis: -1 }), k.dtype); // [B, K, G, T]
  return [out, stopGradient(jnp.reshape(jnp.transpose(lse, [0, 3, 1, 2]), outShape.slice(0, -1)))];
}

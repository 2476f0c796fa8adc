// flax.linen's attention: dot-product attention (weights and values), multi-head attention with
// DenseGeneral projections named query/key/value/out, and the mask helpers.
import { DType } from "../../core/dtype.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random.js";
import { softmax } from "../nn.js";
import { Initializer, lecunNormal, zeros } from "../initializers.js";
import { Module, ModuleOptions } from "./module.js";
import { LayerNorm } from "./layers.js";
import { DenseGeneral } from "./linear.js";
import { fields, isPlain } from "./fields.js";

export interface AttentionOptions {
  bias?: ArrayLike | null; mask?: ArrayLike | null; broadcastDropout?: boolean; dropoutRng?: JaxArray | null;
  dropoutRate?: number; deterministic?: boolean; dtype?: DType | null; precision?: unknown;
}
const ATT = ["bias", "mask", "broadcastDropout", "dropoutRng", "dropoutRate", "deterministic", "dtype", "precision"];
type Rest = [AttentionOptions?] | unknown[];

const float = (x: ArrayLike, dtype?: DType | null) => {
  const a = jnp.asArray(x);
  return dtype ? jnp.astype(a, dtype) : a.dtype === "float32" || a.dtype === "float64" ? a : jnp.astype(a, "float32");
};

function checkQK(op: string, q: JaxArray, k: JaxArray, v?: JaxArray) {
  const all = v ? [q, k, v] : [q, k];
  const bad = all.some((a) => a.ndim !== q.ndim || a.ndim < 3 || a.shape.slice(0, -3).join() !== q.shape.slice(0, -3).join() || a.shape[a.ndim - 2] !== q.shape[q.ndim - 2]) ||
    q.shape[q.ndim - 1] !== k.shape[k.ndim - 1] || (v && v.shape[v.ndim - 3] !== k.shape[k.ndim - 3]);
  if (bad) {
    throw new ShapeError(`linen.${op}: query, key${v ? ", value" : ""} must be [batch..., length, heads, depth] with equal rank, batch dims and heads, ` +
      `query/key depths and key/value lengths equal; got ${all.map((a) => `[${a.shape}]`).join(", ")}.`);
  }
}

/** softmax(q·k / sqrt(depth) + bias, masked) over keys: [batch..., heads, qLength, kvLength], with optional dropout. */
export function dotProductAttentionWeights(query: ArrayLike, key: ArrayLike, ...rest: Rest): JaxArray {
  const o = fields<AttentionOptions>("dotProductAttentionWeights", ATT, rest, 0);
  const q = float(query, o.dtype), k = float(key, o.dtype ?? q.dtype);
  checkQK("dotProductAttentionWeights", q, k);
  let w = jnp.einsum("...qhd,...khd->...hqk", jnp.divide(q, Math.sqrt(q.shape[q.ndim - 1])), k);
  if (o.bias != null) w = jnp.add(w, o.bias);
  // flax fills masked logits with the dtype's most negative finite value, not -inf: fully masked rows stay uniform.
  if (o.mask != null) w = jnp.where(jnp.astype(o.mask, "bool"), w, q.dtype === "float64" ? -1.7976931348623157e308 : -3.4028234663852886e38);
  w = jnp.astype(softmax(w), q.dtype);
  const rate = o.dropoutRate ?? 0;
  if (!(o.deterministic ?? false) && rate > 0) {
    if (!o.dropoutRng) throw new ValueError("linen.dotProductAttentionWeights: dropout (dropoutRate > 0, deterministic false) needs dropoutRng.");
    const shape = (o.broadcastDropout ?? true) ? [...Array(k.ndim - 2).fill(1), ...w.shape.slice(-2)] : w.shape;
    const keep = random.bernoulli(o.dropoutRng, 1 - rate, shape);
    w = jnp.multiply(w, jnp.divide(jnp.astype(keep, w.dtype), 1 - rate));
  }
  return w;
}

/** Attention weights applied to values: [batch..., qLength, heads, vDepth]. */
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, ...rest: Rest): JaxArray {
  const o = fields<AttentionOptions>("dotProductAttention", ATT, rest, 0);
  const q = float(query, o.dtype), k = float(key, o.dtype ?? q.dtype), v = float(value, o.dtype ?? q.dtype);
  checkQK("dotProductAttention", q, k, v);
  return jnp.einsum("...hqk,...khd->...qhd", dotProductAttentionWeights(q, k, { ...o, dtype: q.dtype }), v);
}

type MaskFn = (a: JaxArray, b: JaxArray) => JaxArray;

/** pairwiseFn(query[..., :, None], key[..., None, :]) as a [batch..., 1, qLen, kLen] mask. */
export function makeAttentionMask(queryInput: ArrayLike, keyInput: ArrayLike, ...rest: [{ pairwiseFn?: MaskFn; extraBatchDims?: number; dtype?: DType }?] | [MaskFn?, number?, DType?]): JaxArray {
  const o = fields<{ pairwiseFn?: MaskFn; extraBatchDims?: number; dtype?: DType }>("makeAttentionMask", ["pairwiseFn", "extraBatchDims", "dtype"], rest, 0);
  let m = (o.pairwiseFn ?? jnp.multiply)(jnp.expandDims(queryInput, -1), jnp.expandDims(keyInput, -2));
  m = jnp.expandDims(m, m.ndim - 2);
  for (let i = 0; i < (o.extraBatchDims ?? 0); i++) m = jnp.expandDims(m, 0);
  return jnp.astype(m, o.dtype ?? "float32");
}

/** The [batch..., 1, len, len] mask letting position i attend to positions <= i. */
export function makeCausalMask(x: ArrayLike, ...rest: [{ extraBatchDims?: number; dtype?: DType }?] | [number?, DType?]): JaxArray {
  const o = fields<{ extraBatchDims?: number; dtype?: DType }>("makeCausalMask", ["extraBatchDims", "dtype"], rest, 0);
  const s = jnp.asArray(x).shape;
  const idx = jnp.broadcastTo(jnp.arange(s[s.length - 1], { dtype: "int32" }), s);
  return makeAttentionMask(idx, idx, { pairwiseFn: jnp.greaterEqual, extraBatchDims: o.extraBatchDims, dtype: o.dtype });
}

/** Logical and of the given masks (null/undefined skipped) as `dtype`; null when none is given. */
export function combineMasks(...masks: (ArrayLike | null | undefined | { dtype?: DType })[]): JaxArray | null {
  let dtype: DType = "float32";
  if (masks.length && isPlain(masks[masks.length - 1])) dtype = (masks.pop() as { dtype?: DType }).dtype ?? dtype;
  const ms = (masks as (ArrayLike | null | undefined)[]).filter((m) => m != null).map((m) => jnp.asArray(m!));
  if (!ms.length) return null;
  if (ms.some((m) => m.ndim !== ms[0].ndim)) throw new ShapeError(`linen.combineMasks: masks must have the same rank, got ranks ${ms.map((m) => m.ndim).join(", ")}.`);
  return jnp.astype(ms.reduce((a, b) => jnp.logicalAnd(a, b)), dtype);
}

export interface MultiHeadDotProductAttentionOptions extends ModuleOptions {
  numHeads: number; dtype?: DType; paramDtype?: DType; qkvFeatures?: number | null; outFeatures?: number | null;
  broadcastDropout?: boolean; dropoutRate?: number; deterministic?: boolean | null; precision?: unknown;
  kernelInit?: Initializer; outKernelInit?: Initializer | null; biasInit?: Initializer; outBiasInit?: Initializer | null; useBias?: boolean;
  attentionFn?: (q: JaxArray, k: JaxArray, v: JaxArray, o: AttentionOptions) => JaxArray; decode?: boolean; normalizeQk?: boolean;
}
const MHA = ["numHeads", "dtype", "paramDtype", "qkvFeatures", "outFeatures", "broadcastDropout", "dropoutRate", "deterministic", "precision",
  "kernelInit", "outKernelInit", "biasInit", "outBiasInit", "useBias", "attentionFn", "decode", "normalizeQk"];

export interface AttentionCallOptions { inputsKv?: ArrayLike | null; mask?: ArrayLike | null; deterministic?: boolean | null; dropoutRng?: JaxArray | null }

/** Multi-head attention: DenseGeneral query/key/value projections to [heads, qkvFeatures / heads], attention, DenseGeneral "out". */
export class MultiHeadDotProductAttention extends Module {
  o: MultiHeadDotProductAttentionOptions;
  constructor(numHeads: number | MultiHeadDotProductAttentionOptions, ...rest: unknown[]) {
    const o = fields<MultiHeadDotProductAttentionOptions>("MultiHeadDotProductAttention", MHA, [numHeads, ...rest]);
    super(o);
    this.o = o;
  }
  /** call(inputsQ, inputsK?, inputsV?, { mask, deterministic, dropoutRng, inputsKv }) as flax's __call__. */
  call(inputsQ: ArrayLike, ...args: (ArrayLike | null | undefined | AttentionCallOptions)[]): JaxArray {
    const opts = (args.length && isPlain(args[args.length - 1]) ? args.pop() : {}) as AttentionCallOptions;
    if (args.length > 2) throw new ValueError(`linen.MultiHeadDotProductAttention: call(inputsQ, inputsK?, inputsV?, { mask, deterministic, dropoutRng }) got ${args.length + 1} inputs.`);
    let [inK, inV] = args as (ArrayLike | null | undefined)[];
    if (opts.inputsKv != null) {
      if (inK != null || inV != null) throw new ValueError("linen.MultiHeadDotProductAttention: pass inputsKv or inputsK/inputsV, not both.");
      inK = inV = opts.inputsKv;
    } else {
      if (inK == null && inV != null) throw new ValueError("linen.MultiHeadDotProductAttention: inputsV needs inputsK; to use one array for both, pass it as inputsK only.");
      inK ??= inputsQ;
      inV ??= inK;
    }
    const o = this.o, q0 = jnp.asArray(inputsQ), F = q0.shape[q0.ndim - 1];
    const qkv = o.qkvFeatures || F, heads = o.numHeads;
    if (qkv % heads !== 0) throw new ValueError(`linen.MultiHeadDotProductAttention: qkvFeatures (${qkv}) must be divisible by numHeads (${heads}).`);
    const common = { dtype: o.dtype, paramDtype: o.paramDtype, useBias: o.useBias, precision: o.precision };
    const proj = (name: string, x: ArrayLike) => new DenseGeneral({ ...common, features: [heads, qkv / heads], axis: -1, kernelInit: o.kernelInit ?? lecunNormal(), biasInit: o.biasInit ?? zeros, name }).call(x);
    let query = proj("query", q0), key = proj("key", inK!);
    const value0 = proj("value", inV!);
    if (o.normalizeQk) {
      query = new LayerNorm({ name: "query_ln", useBias: false }).call(query);
      key = new LayerNorm({ name: "key_ln", useBias: false }).call(key);
    }
    let mask = opts.mask;
    let value = value0;
    if (o.decode) [key, value, mask] = this._decodeStep(query, key, value, mask);
    let det = true, rng = opts.dropoutRng ?? null;
    if ((o.dropoutRate ?? 0) > 0) {
      const d = opts.deterministic ?? o.deterministic;
      if (opts.deterministic != null && o.deterministic != null) {
        throw new ValueError("linen.MultiHeadDotProductAttention: deterministic given both as a field and to call; set it once.");
      }
      if (d == null) throw new ValueError("linen.MultiHeadDotProductAttention: with dropoutRate > 0, deterministic must be set (field or call option).");
      det = d;
      if (!det && !rng) rng = this.makeRng("dropout");
    }
    const x = (o.attentionFn ?? dotProductAttention)(query, key, value, {
      mask, dropoutRng: rng, dropoutRate: o.dropoutRate ?? 0, broadcastDropout: o.broadcastDropout ?? true, deterministic: det, dtype: o.dtype,
    });
    return new DenseGeneral({ ...common, features: o.outFeatures || F, axis: [-2, -1], kernelInit: o.outKernelInit ?? o.kernelInit ?? lecunNormal(), biasInit: o.outBiasInit ?? o.biasInit ?? zeros, name: "out" }).call(x);
  }

  /**
   * flax's autoregressive cache ("cache": cached_key, cached_value, cache_index): init sizes it from a
   * full-length input; each later call writes one step at cache_index and attends to steps <= it.
   */
  private _decodeStep(query: JaxArray, key: JaxArray, value: JaxArray, mask: ArrayLike | null | undefined): [JaxArray, JaxArray, ArrayLike | null | undefined] {
    const ready = this.hasVariable("cache", "cached_key");
    const ck = this.variable("cache", "cached_key", () => jnp.zerosLike(key)), cv = this.variable("cache", "cached_value", () => jnp.zerosLike(value));
    const ci = this.variable("cache", "cache_index", () => jnp.array(0, { dtype: "int32" }));
    if (!ready) return [key, value, mask];
    const s = ck.value.shape, L = s[s.length - 3], batch = s.slice(0, -3);
    if (query.shape.join() !== [...batch, 1, ...s.slice(-2)].join()) {
      throw new ValueError(`linen.MultiHeadDotProductAttention: cache shape error, expected query [${[...batch, 1, ...s.slice(-2)]}], got [${query.shape}]; decode one step at a time.`);
    }
    const at = jnp.equal(jnp.arange(L, { dtype: "int32" }), ci.value);
    const put = (cache: JaxArray, step: JaxArray) => jnp.where(jnp.reshape(at, [L, 1, 1]), step, cache);
    ck.value = put(ck.value, key);
    cv.value = put(cv.value, value);
    const seen = jnp.broadcastTo(jnp.lessEqual(jnp.arange(L, { dtype: "int32" }), ci.value), [...batch, 1, 1, L]);
    ci.value = jnp.add(ci.value, 1);
    return [ck.value, cv.value, combineMasks(mask, seen)];
  }
}

/** MultiHeadDotProductAttention named MultiHeadAttention_k when inline, as flax's alias. */
export class MultiHeadAttention extends MultiHeadDotProductAttention {}

/** Self-attention: call(inputsQ, mask?, deterministic?, dropoutRng?) or call(inputsQ, { mask, deterministic, dropoutRng }). */
export class SelfAttention extends MultiHeadDotProductAttention {
  override call(inputsQ: ArrayLike, ...rest: unknown[]): JaxArray {
    const o = fields<AttentionCallOptions>("SelfAttention", ["mask", "deterministic", "dropoutRng"], rest, 0);
    return super.call(inputsQ, { mask: o.mask, deterministic: o.deterministic, dropoutRng: o.dropoutRng });
  }
}

// hk.Embed, hk.Sequential, hk.Reshape / hk.Flatten, hk.Bias and haiku's pooling (max_pool,
// avg_pool, MaxPool, AvgPool) with haiku's names, shapes and window semantics.
import { isInt } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";
import { reduceWindow } from "../conv.js";
import { oneHot } from "../nn.js";
import { getParameter, HkInitializer, Module } from "./base.js";
import { hkArgs } from "./args.js";
import { Constant, TruncatedNormal } from "./initializers.js";

/** A module's call, or a plain function (as haiku's layers lists hold both). */
export const callLayer = (layer: unknown, ...args: unknown[]): any =>
  layer instanceof Module ? (layer as any).call(...args) : (layer as (...a: unknown[]) => unknown)(...args);

export type EmbedLookupStyle = "ARRAY_INDEX" | "ONE_HOT";
export interface EmbedOptions {
  vocabSize?: number; embedDim?: number; embeddingMatrix?: ArrayLike; wInit?: HkInitializer; lookupStyle?: EmbedLookupStyle | Lowercase<EmbedLookupStyle>;
  name?: string; precision?: unknown;
}

export class Embed extends Module {
  readonly vocabSize: number;
  readonly embedDim: number;
  readonly o: EmbedOptions;
  /** Embed(vocabSize, embedDim, embeddingMatrix, wInit, lookupStyle = "ARRAY_INDEX", name, precision) or options. */
  constructor(...args: [EmbedOptions?] | [vocabSize?: number | null, embedDim?: number | null, ...rest: unknown[]]) {
    const o = hkArgs<EmbedOptions>("Embed", args, ["vocabSize", "embedDim", "embeddingMatrix", "wInit", "lookupStyle", "name", "precision"]);
    super(o.name);
    let { vocabSize, embedDim } = o;
    if (o.embeddingMatrix !== undefined) {
      const m = jnp.asArray(o.embeddingMatrix);
      if (m.ndim !== 2 || (vocabSize && m.shape[0] !== vocabSize) || (embedDim && m.shape[1] !== embedDim)) {
        throw new ValueError(`haiku.Embed: embeddingMatrix [${m.shape}] does not match vocabSize ${vocabSize}, embedDim ${embedDim}.`);
      }
      [vocabSize, embedDim] = m.shape;
      o.wInit = () => m;
    } else if (!vocabSize || !embedDim) {
      throw new ValueError("haiku.Embed: give embeddingMatrix, or vocabSize and embedDim.");
    }
    this.vocabSize = vocabSize!;
    this.embedDim = embedDim!;
    this.o = o;
  }
  /** The [vocabSize, embedDim] "embeddings" parameter. */
  get embeddings(): JaxArray { return getParameter("embeddings", [this.vocabSize, this.embedDim], { init: this.o.wInit ?? TruncatedNormal() }); }
  /** call(ids, lookupStyle?): ids.shape + [embedDim]. */
  call(ids: ArrayLike, lookupStyle?: EmbedLookupStyle | Lowercase<EmbedLookupStyle> | null): JaxArray {
    const ix = jnp.asArray(ids);
    if (!isInt(ix.dtype)) throw new ValueError(`haiku.Embed: call takes an array of integer dtype, but got ${ix.dtype}; convert with astype("int32").`);
    const style = (lookupStyle ?? this.o.lookupStyle ?? "ARRAY_INDEX").toUpperCase();
    const table = this.embeddings;
    // JAX indexing counts negative ids from the end and clamps the rest.
    if (style === "ARRAY_INDEX") return jnp.take(table, jnp.where(jnp.less(ix, 0), jnp.add(ix, this.vocabSize), ix), { axis: 0, mode: "clip" });
    if (style === "ONE_HOT") return jnp.matmul(oneHot(ix, this.vocabSize), table);
    throw new ValueError(`haiku.Embed: lookupStyle ${JSON.stringify(lookupStyle ?? this.o.lookupStyle)} is not supported; use "ARRAY_INDEX" or "ONE_HOT".`);
  }
}

export class Sequential extends Module {
  readonly layers: readonly unknown[];
  /** Sequential(layers, name) or options: modules or functions; extra call arguments go to the first layer. */
  constructor(...args: [{ layers: Iterable<unknown>; name?: string }] | [layers: Iterable<unknown>, name?: string | null]) {
    const o = hkArgs<{ layers: Iterable<unknown>; name?: string }>("Sequential", args, ["layers", "name"], 1);
    super(o.name);
    this.layers = [...o.layers];
  }
  call(inputs: unknown, ...args: unknown[]): any {
    return this.layers.reduce((out, l, i) => (i === 0 ? callLayer(l, out, ...args) : callLayer(l, out)), inputs);
  }
}

type ReshapeOptions = { outputShape: readonly number[]; preserveDims?: number; name?: string };

export class Reshape extends Module {
  readonly outputShape: readonly number[];
  readonly preserveDims: number;
  /** Reshape(outputShape, preserveDims = 1, name) or options: keeps the first preserveDims axes (negative: reshapes the last -preserveDims). */
  constructor(...args: [ReshapeOptions] | [outputShape: readonly number[], preserveDims?: number | null, name?: string | null]) {
    const o = hkArgs<ReshapeOptions>(new.target.name, args, ["outputShape", "preserveDims", "name"], 1);
    super(o.name);
    const s = (this.outputShape = o.outputShape), p = (this.preserveDims = o.preserveDims ?? 1);
    if (p === 0) throw new ValueError(`haiku.${new.target.name}: preserveDims should be non-zero.`);
    if (s.filter((d) => d === -1).length > 1) throw new ValueError(`haiku.Reshape: -1 can only occur once in outputShape [${s}].`);
  }
  call(inputs: ArrayLike): JaxArray {
    const x = jnp.asArray(inputs), p = this.preserveDims;
    if (x.ndim <= p) return x;
    const keep = x.shape.slice(0, p), rest = x.shape.slice(p);
    const n = rest.reduce((a, b) => a * b, 1), m = Math.abs(this.outputShape.reduce((a, b) => a * b, 1));
    return jnp.reshape(x, [...keep, ...this.outputShape.map((d) => (d === -1 ? Math.floor(n / m) : d))]);
  }
}

export class Flatten extends Reshape {
  /** Flatten(preserveDims = 1, name) or options: all axes after the first preserveDims into one. */
  constructor(...args: [{ preserveDims?: number; name?: string }?] | [preserveDims?: number | null, name?: string | null]) {
    const o = hkArgs<{ preserveDims?: number; name?: string }>("Flatten", args, ["preserveDims", "name"]);
    super({ ...o, outputShape: [-1] });
  }
}

export interface BiasOptions { outputSize?: readonly number[]; biasDims?: readonly number[]; bInit?: HkInitializer; name?: string }

export class Bias extends Module {
  readonly o: BiasOptions;
  biasShape?: number[];
  /** Bias(outputSize, biasDims, bInit, name) or options: a bias over all non-batch axes, or over biasDims ([] for a scalar). */
  constructor(...args: [BiasOptions?] | [outputSize?: readonly number[] | null, biasDims?: readonly number[] | null, bInit?: HkInitializer | null, name?: string | null]) {
    const o = hkArgs<BiasOptions>("Bias", args, ["outputSize", "biasDims", "bInit", "name"]);
    super(o.name);
    this.o = o;
  }
  call(inputs: ArrayLike, multiplier?: ArrayLike | null): JaxArray {
    const x = jnp.asArray(inputs), n = x.ndim;
    if (n < 2) throw new ValueError(`haiku.Bias: inputs need rank >= 2 ([batch, ...]), but got shape [${x.shape}].`);
    if (this.o.outputSize && this.o.outputSize.join() !== x.shape.slice(1).join()) throw new ValueError(`haiku.Bias: input shape must be [-1, ${this.o.outputSize}], not [${x.shape}].`);
    let shape: number[];
    const dims = this.o.biasDims;
    if (!dims) shape = x.shape.slice(1);
    else {
      const full = Array(n).fill(1);
      for (let d of dims) {
        if (d < 0) d = ((d % n) + n) % n;
        if (d === 0 || d >= n) throw new ValueError(`haiku.Bias: biasDims [${dims}] must be non-batch axes of a rank-${n} input.`);
        full[d] = x.shape[d];
      }
      const start = full.findIndex((s, i) => i > 0 && s !== 1);
      shape = full.slice(start < 0 ? n : start);
    }
    this.biasShape = shape;
    let b: JaxArray = jnp.broadcastTo(getParameter("b", shape, x.dtype, this.o.bInit ?? Constant(0)), x.shape);
    if (multiplier !== undefined && multiplier !== null) b = jnp.multiply(b, multiplier);
    return jnp.add(x, b);
  }
}

// ---- pooling

type Size = number | readonly number[];

/** haiku's pool shapes: an int covers every axis but the first and the channel axis; a short list pads with leading 1s. */
function poolShape(op: string, x: JaxArray, size: Size, channelAxis: number | null): number[] {
  if (typeof size === "number") {
    if (channelAxis && !(Math.abs(channelAxis) < x.ndim)) throw new ValueError(`haiku.${op}: invalid channel axis ${channelAxis} for shape [${x.shape}].`);
    const ca = channelAxis && channelAxis < 0 ? x.ndim + channelAxis : channelAxis;
    return x.shape.map((_, d) => (d === 0 || d === ca ? 1 : size));
  }
  if (size.length > x.ndim) throw new ValueError(`haiku.${op}: window/strides [${size}] have more entries than the rank-${x.ndim} input.`);
  return [...Array(x.ndim - size.length).fill(1), ...size];
}

export interface PoolOptions { windowShape: Size; strides: Size; padding: "SAME" | "VALID"; channelAxis?: number | null; name?: string }
type PoolArgs = [PoolOptions] | [windowShape: Size, strides: Size, padding: "SAME" | "VALID", channelAxis?: number | null] | [windowShape: Size, Omit<PoolOptions, "windowShape">];
type Pooling = PoolOptions & { ca: number | null };

function poolOptions(op: string, args: unknown[], names = ["windowShape", "strides", "padding", "channelAxis"]): Pooling {
  const o = hkArgs<PoolOptions>(op, args, names, 3);
  if (o.padding !== "SAME" && o.padding !== "VALID") throw new ValueError(`haiku.${op}: invalid padding ${JSON.stringify(o.padding)}, must be "SAME" or "VALID".`);
  // channelAxis null means no channel axis; left out it is -1.
  const last = args[args.length - 1] as { channelAxis?: unknown } | null;
  return { ...o, ca: args[3] === null || (typeof last === "object" && last?.channelAxis === null) ? null : o.channelAxis ?? -1 };
}

function pool(op: string, value: ArrayLike, o: Pooling): JaxArray {
  const x = jnp.asArray(value), max = op === "maxPool";
  const w = poolShape(op, x, o.windowShape, o.ca), s = poolShape(op, x, o.strides, o.ca);
  const sum = reduceWindow(x, max ? -Infinity : 0, max ? "max" : "add", w, s, o.padding);
  if (max) return sum;
  if (o.padding === "VALID") return jnp.divide(sum, w.reduce((a, b) => a * b, 1));
  const ones = jnp.ones(x.shape.map((d, i) => (w[i] === 1 ? 1 : d)), { dtype: x.dtype });
  return jnp.divide(sum, reduceWindow(ones, 0, "add", w, s, o.padding));
}

/** hk.max_pool(value, windowShape, strides, padding, channelAxis = -1). */
export const maxPool = (value: ArrayLike, ...args: PoolArgs): JaxArray => pool("maxPool", value, poolOptions("maxPool", args));

/** hk.avg_pool(value, windowShape, strides, padding, channelAxis = -1): under SAME each window divides by its in-bounds count. */
export const avgPool = (value: ArrayLike, ...args: PoolArgs): JaxArray => pool("avgPool", value, poolOptions("avgPool", args));

type PoolModuleArgs = [PoolOptions] | [windowShape: Size, strides: Size, padding: "SAME" | "VALID", channelAxis?: number | null, name?: string | null] | [windowShape: Size, Omit<PoolOptions, "windowShape">];

abstract class Pool extends Module {
  readonly o: Pooling;
  constructor(op: string, args: unknown[]) {
    const o = poolOptions(op, args, ["windowShape", "strides", "padding", "channelAxis", "name"]);
    super(o.name);
    this.o = o;
  }
}

/** hk.MaxPool(windowShape, strides, padding, channelAxis = -1, name): maxPool as a module. */
export class MaxPool extends Pool {
  constructor(...args: PoolModuleArgs) { super("MaxPool", args); }
  call(value: ArrayLike): JaxArray { return pool("maxPool", value, this.o); }
}

/** hk.AvgPool(windowShape, strides, padding, channelAxis = -1, name): avgPool as a module. */
export class AvgPool extends Pool {
  constructor(...args: PoolModuleArgs) { super("AvgPool", args); }
  call(value: ArrayLike): JaxArray { return pool("avgPool", value, this.o); }
}

const isArr = (v: unknown): v is JaxArray => v instanceof JaxArray;

/**
 * hk.BatchApply(f, numDims = 2): a function that merges the first numDims axes of every array
 * argument with at least that rank into one, runs f, and splits the outputs' leading axis back.
 */
export function BatchApply<F extends (...args: any[]) => any>(f: F, numDims = 2): F & { call: F } {
  const run = ((...args: unknown[]) => {
    const ex = (tree.leaves(args) as unknown[]).find((l): l is JaxArray => isArr(l) && l.ndim >= numDims);
    if (!ex) throw new ValueError(`haiku.BatchApply: needs at least one input with ndim >= ${numDims}.`);
    const lead = ex.shape.slice(0, numDims);
    const merged = tree.map((x: unknown) => (isArr(x) && x.ndim >= numDims ? jnp.reshape(x, [-1, ...x.shape.slice(numDims)]) : x), args);
    return tree.map((y: unknown) => (isArr(y) ? jnp.reshape(y, [...lead, ...y.shape.slice(1)]) : y), f(...merged));
  }) as F;
  return Object.assign(run, { call: run });
}

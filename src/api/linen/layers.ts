// flax.linen's standard layers, with flax's parameter names, shapes and default initializers.
import { DType } from "../../core/dtype.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as lax from "../lax.js";
import * as random from "../random.js";
import { Initializer, lecunNormal, ones, varianceScaling, zeros } from "../initializers.js";
import { Padding } from "../conv.js";
import { Module, ModuleOptions } from "./module.js";
import { ValueError } from "../../core/errors.js";

export interface DenseOptions extends ModuleOptions { features: number; useBias?: boolean; kernelInit?: Initializer; biasInit?: Initializer; dtype?: DType }

/** y = x @ kernel + bias, kernel [in, features]. */
export class Dense extends Module {
  features: number; useBias: boolean; kernelInit: Initializer; biasInit: Initializer;
  /** new Dense({ features, ... }) or flax's positional new Dense(features, { ... }). */
  constructor(featuresOrOptions: number | DenseOptions, rest?: boolean | Omit<DenseOptions, "features">) {
    // flax's second positional field is use_bias.
    const r = typeof rest === "boolean" ? { useBias: rest } : restArg("linen.Dense", rest, "useBias (a boolean)");
    const o: DenseOptions = typeof featuresOrOptions === "number" ? { ...r, features: featuresOrOptions } : featuresOrOptions;
    super(o);
    this.features = o.features;
    this.useBias = o.useBias ?? true;
    this.kernelInit = o.kernelInit ?? lecunNormal();
    this.biasInit = o.biasInit ?? zeros;
  }
  call(x: ArrayLike): JaxArray {
    const a = jnp.asArray(x);
    const kernel = this.param("kernel", this.kernelInit, [a.shape[a.ndim - 1], this.features]);
    let y = jnp.tensordot(a, kernel, [[a.ndim - 1], [0]]);
    if (this.useBias) y = jnp.add(y, this.param("bias", this.biasInit, [this.features]));
    return y;
  }
}

/** flax's padding: "SAME", "VALID", "CIRCULAR", "CAUSAL" (1-d), one int, an int per dim, or [low, high] per dim. */
export type ConvPadding = Padding | "CIRCULAR" | "CAUSAL" | number | readonly (number | readonly [number, number])[];

export interface ConvOptions extends ModuleOptions {
  features: number; kernelSize: number[]; strides?: number | number[]; padding?: ConvPadding;
  inputDilation?: number | number[]; kernelDilation?: number | number[]; featureGroupCount?: number;
  useBias?: boolean; kernelInit?: Initializer; biasInit?: Initializer;
}

export const perDim = (v: number | number[] | undefined, n: number, d: number) => (v === undefined ? Array(n).fill(d) : typeof v === "number" ? Array(n).fill(v) : v);

/** N-d convolution over channels-last inputs; kernel (*kernelSize, in / groups, features). */
export class Conv extends Module {
  o: ConvOptions;
  /** new Conv({ features, kernelSize, ... }) or flax's positional new Conv(features, kernelSize, { ... }). */
  constructor(featuresOrOptions: number | ConvOptions, kernelSize?: number | number[], rest?: number | number[] | Omit<ConvOptions, "features" | "kernelSize">) {
    // flax's third positional field is strides.
    const r = typeof rest === "number" || Array.isArray(rest) ? { strides: rest } : restArg("linen.Conv", rest, "strides");
    const o: ConvOptions = typeof featuresOrOptions === "number"
      ? { ...r, features: featuresOrOptions, kernelSize: typeof kernelSize === "number" ? [kernelSize] : kernelSize! }
      : featuresOrOptions;
    if (!Array.isArray(o.kernelSize)) throw new ValueError(`linen.Conv: kernelSize must be an array of window sizes (e.g. [3, 3]), but got ${JSON.stringify(o.kernelSize)}.`);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    return oneBatchDim("linen.Conv", jnp.asArray(x), this.o.kernelSize.length, (a) => this.conv(a));
  }
  private conv(a: JaxArray): JaxArray {
    const nd = this.o.kernelSize.length;
    const inF = a.shape[a.ndim - 1], g = this.o.featureGroupCount ?? 1;
    const kernel = this.param("kernel", this.o.kernelInit ?? lecunNormal(), [...this.o.kernelSize, inF / g, this.o.features]);
    const spatial = "DHW".slice(3 - nd);
    const kd = perDim(this.o.kernelDilation, nd, 1);
    let padding: Padding;
    [a, padding] = convPadding(a, this.o.padding ?? "SAME", this.o.kernelSize, kd);
    let y = lax.convGeneralDilated(a, kernel, perDim(this.o.strides, nd, 1), padding, {
      lhsDilation: perDim(this.o.inputDilation, nd, 1), rhsDilation: kd,
      dimensionNumbers: [`N${spatial}C`, `${spatial}IO`, `N${spatial}C`], featureGroupCount: g,
    });
    if (this.o.useBias ?? true) y = jnp.add(y, this.param("bias", this.o.biasInit ?? zeros, [this.o.features]));
    return y;
  }
}

/**
 * Runs fn on `a` with exactly one batch axis before the nd spatial axes and the feature axis, as
 * flax does: none is added, several are flattened into one and restored.
 */
export function oneBatchDim(op: string, a: JaxArray, nd: number, fn: (b: JaxArray) => JaxArray): JaxArray {
  const nb = a.ndim - nd - 1;
  if (nb < 0) throw new ValueError(`${op}: the input needs ${nd} spatial axes and a feature axis (at least ${nd + 1} dims), but has shape [${a.shape}].`);
  if (nb === 1) return fn(a);
  const batch = a.shape.slice(0, nb);
  const y = fn(jnp.reshape(a, [batch.reduce((p, d) => p * d, 1), ...a.shape.slice(nb)]));
  return jnp.reshape(y, [...batch, ...y.shape.slice(1)]);
}

/** flax's padding forms as lax padding; CIRCULAR and CAUSAL pad the (batched) input themselves. */
export function convPadding(a: JaxArray, p: ConvPadding, kernelSize: number[], dilation: number[]): [JaxArray, Padding] {
  const nd = kernelSize.length;
  if (p === "SAME" || p === "VALID") return [a, p];
  if (p === "CIRCULAR") {
    // Wrap-around: each spatial axis gets (k - 1) // 2 elements from its end before and k // 2 from its start after.
    let x = a;
    kernelSize.forEach((k, i) => {
      const kk = (k - 1) * dilation[i] + 1, lo = Math.floor((kk - 1) / 2), hi = Math.floor(kk / 2), n = x.shape[i + 1];
      const idx = Array.from({ length: n + lo + hi }, (_, j) => (((j - lo) % n) + n) % n);
      x = jnp.take(x, jnp.array(idx, { dtype: "int32" }), i + 1);
    });
    return [x, "VALID"];
  }
  if (p === "CAUSAL") {
    if (nd !== 1) throw new ValueError(`linen.Conv: CAUSAL padding is only implemented for 1-d convolutions, but kernelSize is [${kernelSize}].`);
    return [a, [[dilation[0] * (kernelSize[0] - 1), 0]]];
  }
  if (typeof p === "number") return [a, Array.from({ length: nd }, () => [p, p] as [number, number])];
  if (Array.isArray(p) && p.length === nd) {
    return [a, p.map((e) => (typeof e === "number" ? [e, e] : [e[0], e[1]]) as [number, number])];
  }
  throw new ValueError(`linen.Conv: padding ${JSON.stringify(p)} is not "SAME", "VALID", "CIRCULAR", "CAUSAL", an int, or one int or [low, high] pair per spatial dim (${nd}).`);
}

export interface BatchNormOptions extends ModuleOptions {
  useRunningAverage?: boolean; axis?: number; momentum?: number; epsilon?: number; useBias?: boolean; useScale?: boolean;
  biasInit?: Initializer; scaleInit?: Initializer;
}

/** Batch normalization with running statistics in the "batch_stats" collection (mean, var). */
export class BatchNorm extends Module {
  o: BatchNormOptions;
  /** new BatchNorm({ useRunningAverage, ... }) or flax's positional new BatchNorm(useRunningAverage, { ... }). */
  constructor(raOrOptions?: boolean | BatchNormOptions, rest?: Omit<BatchNormOptions, "useRunningAverage">) {
    const o = typeof raOrOptions === "boolean" ? { ...restArg("linen.BatchNorm", rest, "nothing else"), useRunningAverage: raOrOptions } : optionsArg("linen.BatchNorm", raOrOptions, "useRunningAverage (a boolean)");
    super(o);
    this.o = o;
  }
  /** call(x, useRunningAverage?) as flax's __call__, or call(x, { useRunningAverage }). */
  call(x: ArrayLike, useRunningAverage?: boolean | { useRunningAverage?: boolean }): JaxArray {
    const opts = flagArg<{ useRunningAverage?: boolean }>("linen.BatchNorm", "useRunningAverage", useRunningAverage);
    const a = jnp.asArray(x);
    const axis = (this.o.axis ?? -1) < 0 ? (this.o.axis ?? -1) + a.ndim : this.o.axis!;
    const reduce = a.shape.map((_, i) => i).filter((i) => i !== axis);
    const featShape = [a.shape[axis]];
    const useRA = opts.useRunningAverage ?? this.o.useRunningAverage ?? false;
    const raMean = this.variable("batch_stats", "mean", () => jnp.zeros(featShape));
    const raVar = this.variable("batch_stats", "var", () => jnp.ones(featShape));
    let mean: JaxArray, variance: JaxArray;
    if (useRA) {
      mean = raMean.value;
      variance = raVar.value;
    } else {
      mean = jnp.mean(a, { axis: reduce });
      const mean2 = jnp.mean(jnp.square(a), { axis: reduce });
      variance = jnp.maximum(0, jnp.subtract(mean2, jnp.square(mean)));
      if (!this.isInitializing()) {
        const m = this.o.momentum ?? 0.99;
        raMean.value = jnp.add(jnp.multiply(m, raMean.value), jnp.multiply(1 - m, mean));
        raVar.value = jnp.add(jnp.multiply(m, raVar.value), jnp.multiply(1 - m, variance));
      }
    }
    const shape = a.shape.map((d, i) => (i === axis ? d : 1));
    let y = jnp.multiply(jnp.subtract(a, jnp.reshape(mean, shape)), jnp.rsqrt(jnp.add(jnp.reshape(variance, shape), this.o.epsilon ?? 1e-5)));
    if (this.o.useScale ?? true) y = jnp.multiply(y, jnp.reshape(this.param("scale", this.o.scaleInit ?? ones, featShape), shape));
    if (this.o.useBias ?? true) y = jnp.add(y, jnp.reshape(this.param("bias", this.o.biasInit ?? zeros, featShape), shape));
    return y;
  }
}

export interface LayerNormOptions extends ModuleOptions {
  epsilon?: number; useBias?: boolean; useScale?: boolean; biasInit?: Initializer; scaleInit?: Initializer;
  reductionAxes?: number | number[]; featureAxes?: number | number[];
}

/** Normalizes over `reductionAxes` (default the last), with learned "scale" and "bias" over `featureAxes`. */
export class LayerNorm extends Module {
  o: LayerNormOptions;
  /** new LayerNorm({ epsilon, ... }) or flax's positional new LayerNorm(epsilon, { ... }). */
  constructor(epsOrOptions?: number | LayerNormOptions, rest?: Omit<LayerNormOptions, "epsilon">) {
    const o = typeof epsOrOptions === "number" ? { ...restArg("linen.LayerNorm", rest, "nothing else"), epsilon: epsOrOptions } : optionsArg("linen.LayerNorm", epsOrOptions, "epsilon (a number)");
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    const a = jnp.asArray(x);
    const norm = (v: number | number[] | undefined) => (v === undefined ? [-1] : typeof v === "number" ? [v] : v).map((ax) => (ax < 0 ? ax + a.ndim : ax));
    const red = norm(this.o.reductionAxes), feat = norm(this.o.featureAxes);
    const mean = jnp.mean(a, { axis: red, keepdims: true });
    const variance = jnp.maximum(0, jnp.subtract(jnp.mean(jnp.square(a), { axis: red, keepdims: true }), jnp.square(mean)));
    let y = jnp.multiply(jnp.subtract(a, mean), jnp.rsqrt(jnp.add(variance, this.o.epsilon ?? 1e-6)));
    const featShape = feat.map((ax) => a.shape[ax]), bShape = a.shape.map((d, i) => (feat.includes(i) ? d : 1));
    if (this.o.useScale ?? true) y = jnp.multiply(y, jnp.reshape(this.param("scale", this.o.scaleInit ?? ones, featShape), bShape));
    if (this.o.useBias ?? true) y = jnp.add(y, jnp.reshape(this.param("bias", this.o.biasInit ?? zeros, featShape), bShape));
    return y;
  }
}

export interface DropoutOptions extends ModuleOptions { rate: number; broadcastDims?: number[]; deterministic?: boolean; rngCollection?: string }

/** Zeroes a fraction `rate` of elements (scaling the rest) unless deterministic. Needs rngs: { dropout }. */
export class Dropout extends Module {
  o: DropoutOptions;
  /** new Dropout({ rate, ... }) or flax's positional new Dropout(rate, { ... }). */
  constructor(rateOrOptions: number | DropoutOptions, rest?: number[] | Omit<DropoutOptions, "rate">) {
    // flax's second positional field is broadcast_dims.
    const r = Array.isArray(rest) ? { broadcastDims: rest } : restArg("linen.Dropout", rest, "broadcastDims (an array)");
    const o = typeof rateOrOptions === "number" ? { ...r, rate: rateOrOptions } : rateOrOptions;
    super(o);
    this.o = o;
  }
  /** call(x, deterministic?) as flax's __call__, or call(x, { deterministic, rng }). */
  call(x: ArrayLike, deterministic?: boolean | { deterministic?: boolean; rng?: JaxArray }): JaxArray {
    const opts = flagArg<{ deterministic?: boolean; rng?: JaxArray }>("linen.Dropout", "deterministic", deterministic, ["rng"]);
    const a = jnp.asArray(x);
    const det = opts.deterministic ?? this.o.deterministic ?? false;
    if (det || this.o.rate === 0) return a;
    if (this.o.rate === 1) return jnp.zerosLike(a);
    const keep = 1 - this.o.rate;
    // broadcastDims share one mask value along those axes (e.g. across time steps).
    const bdims = (this.o.broadcastDims ?? []).map((d) => (d < 0 ? d + a.ndim : d));
    const maskShape = a.shape.map((d, i) => (bdims.includes(i) ? 1 : d));
    const mask = random.bernoulli(opts.rng ?? this.makeRng(this.o.rngCollection ?? "dropout"), keep, maskShape);
    return jnp.where(jnp.broadcastTo(mask, a.shape), jnp.divide(a, keep), 0);
  }
}

export interface EmbedOptions extends ModuleOptions { numEmbeddings: number; features: number; embeddingInit?: Initializer }

/** A lookup table "embedding" [numEmbeddings, features]. */
export class Embed extends Module {
  o: EmbedOptions;
  /** new Embed({ numEmbeddings, features, ... }) or flax's positional new Embed(numEmbeddings, features, { ... }). */
  constructor(numOrOptions: number | EmbedOptions, features?: number, rest?: Omit<EmbedOptions, "numEmbeddings" | "features">) {
    const o = typeof numOrOptions === "number" ? { ...restArg("linen.Embed", rest, "nothing else"), numEmbeddings: numOrOptions, features: features! } : numOrOptions;
    super(o);
    this.o = o;
  }
  call(indices: ArrayLike): JaxArray {
    const ix = jnp.asArray(indices);
    if (ix.dtype !== "int32" && ix.dtype !== "uint32") {
      throw new ValueError(`linen.Embed: input type must be an integer or unsigned integer, but got ${ix.dtype}; convert with astype("int32").`);
    }
    const table = this.param("embedding", this.o.embeddingInit ?? varianceScaling(1, "fan_in", "normal", { outAxis: 0 }), [this.o.numEmbeddings, this.o.features]);
    return jnp.take(table, indices, 0);
  }
  attend(query: ArrayLike): JaxArray {
    const table = this.param("embedding", this.o.embeddingInit ?? varianceScaling(1, "fan_in", "normal", { outAxis: 0 }), [this.o.numEmbeddings, this.o.features]);
    return jnp.matmul(query, jnp.transpose(table));
  }
}

/** Applies layers in order; a layer may be a Module or a plain function. Submodules are layers_0, layers_1, ... */
export class Sequential extends Module {
  layers: (Module | ((x: any) => any))[];
  constructor(layers: (Module | ((x: any) => any))[], o: ModuleOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0) throw new ValueError("linen.Sequential: needs a non-empty array of layers (flax: empty Sequential module).");
    super(o);
    this.layers = layers;
  }
  call(x: unknown, ...rest: unknown[]): any {
    let y: any = x;
    this.layers.forEach((l, i) => {
      y = l instanceof Module ? (l as any).call(y, ...(i === 0 ? rest : [])) : l(y);
    });
    return y;
  }
}

function pool(x: ArrayLike, init: number, op: "max" | "add", window: number[], strides?: number[], padding: Padding = "VALID"): JaxArray {
  const dims = [1, ...window, 1], st = [1, ...(strides ?? window.map(() => 1)), 1];
  const pads = padding === "SAME" || padding === "VALID" ? padding : [[0, 0] as [number, number], ...padding, [0, 0] as [number, number]];
  return oneBatchDim("linen.pool", jnp.asArray(x), window.length, (b) => lax.reduceWindow(b, init, op, dims, st, pads));
}

type PoolOptions = { strides?: number[] | null; padding?: PoolPadding };
type PoolPadding = "SAME" | "VALID" | [number, number][];
type PoolArgs = [PoolOptions?] | [strides?: number[] | null, padding?: PoolPadding];

/** flax's positional (strides, padding[, countIncludePad]) or one options object. */
function poolOptions<T extends PoolOptions>(op: string, rest: readonly unknown[], names: string[]): T {
  if (rest.length <= 1 && rest[0] !== null && typeof rest[0] === "object" && !Array.isArray(rest[0])) return rest[0] as T;
  if (rest.length > names.length) throw new ValueError(`linen.${op}: after the window shape come ${names.join(", ")} (positionally, as in flax) or one options object, but got ${rest.length} arguments.`);
  const o: Record<string, unknown> = {};
  rest.forEach((v, i) => {
    const ok = i === 0 ? v === undefined || v === null || (Array.isArray(v) && v.every((e) => typeof e === "number"))
      : i === 1 ? v === undefined || v === "SAME" || v === "VALID" || (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2))
        : v === undefined || typeof v === "boolean";
    if (!ok) throw new ValueError(`linen.${op}: argument ${names[i]} is ${JSON.stringify(v)}; expected ${["an array of strides", '"SAME", "VALID" or [low, high] pairs', "a boolean"][i]}.`);
    if (v !== undefined && v !== null) o[names[i]] = v;
  });
  return o as T;
}

/** Average pooling over windows of `windowShape` (channels-last); countIncludePad (default true) as in flax. */
export function avgPool(x: ArrayLike, windowShape: number[], ...rest: [(PoolOptions & { countIncludePad?: boolean })?] |
  [strides?: number[] | null, padding?: PoolPadding, countIncludePad?: boolean]): JaxArray {
  const o = poolOptions<PoolOptions & { countIncludePad?: boolean }>("avgPool", rest, ["strides", "padding", "countIncludePad"]);
  const s = pool(x, 0, "add", windowShape, o.strides ?? undefined, o.padding as Padding);
  if (o.countIncludePad ?? true) return jnp.divide(s, windowShape.reduce((a, b) => a * b, 1));
  // Divide by the number of real (unpadded) elements in each window.
  const a = jnp.asArray(x);
  return jnp.divide(s, pool(jnp.onesLike(a), 0, "add", windowShape, o.strides ?? undefined, o.padding as Padding));
}

export function maxPool(x: ArrayLike, windowShape: number[], ...rest: PoolArgs): JaxArray {
  const o = poolOptions<PoolOptions>("maxPool", rest, ["strides", "padding"]);
  return pool(x, -Infinity, "max", windowShape, o.strides ?? undefined, o.padding as Padding);
}

/** An options object (or nothing) where a class also takes a leading positional value. */
function optionsArg<T>(op: string, v: T | undefined, positional: string): T {
  if (v === undefined) return {} as T;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
  throw new ValueError(`${op}: the constructor takes ${positional} or options { ... }, but got ${JSON.stringify(v)}.`);
}

/** The options object after a layer's positional fields; a value of another kind is an error, not ignored. */
function restArg<T>(op: string, v: T | undefined, positional: string): T | {} {
  if (v === undefined) return {};
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
  throw new ValueError(`${op}: after the leading fields comes ${positional} or one options object { ... }, but got ${JSON.stringify(v)}.`);
}

/** A call's flag given bare (flax's positional argument) or in an options object. */
export function flagArg<T extends object>(op: string, name: string, v: unknown, extra: string[] = []): T {
  if (v === undefined || v === null) return {} as T;
  if (typeof v === "boolean") return { [name]: v } as T;
  if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).every((k) => k === name || extra.includes(k))) return v as T;
  throw new ValueError(`${op}: the argument after the input is ${name} (a boolean) or options { ${[name, ...extra].join(", ")} }, but got ${JSON.stringify(v)}.`);
}

// Haiku's standard modules with Haiku's names and shapes: Linear (w, b), BatchNorm
// (scale, offset; state mean_ema/var_ema), MLP (linear_0, linear_1, ...), and dropout.
import { ArrayLike, JaxArray } from "../../core/value.js";
import { ValueError } from "../../core/errors.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random.js";
import { relu } from "../nn.js";
import { getParameter, getState, HkInitializer, Module, setState } from "./base.js";
import { Constant, TruncatedNormal } from "./initializers.js";

type LinearOptions = { withBias?: boolean; wInit?: HkInitializer; bInit?: HkInitializer; name?: string };

export class Linear extends Module {
  readonly o: LinearOptions;
  /** new Linear(outputSize, { withBias, wInit, bInit, name }) or haiku's positional Linear(outputSize, withBias, wInit, bInit, name). */
  constructor(readonly outputSize: number, ...rest: [LinearOptions?] | [withBias?: boolean, wInit?: HkInitializer, bInit?: HkInitializer, name?: string]) {
    const o = linearOptions(rest);
    super(o.name);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    const a = jnp.asArray(x);
    const inSize = a.shape[a.ndim - 1];
    const w = getParameter("w", [inSize, this.outputSize], { dtype: a.dtype, init: this.o.wInit ?? TruncatedNormal(1 / Math.sqrt(inSize)) });
    let y = jnp.matmul(a, w);
    if (this.o.withBias ?? true) y = jnp.add(y, getParameter("b", [this.outputSize], { dtype: a.dtype, init: this.o.bInit ?? Constant(0) }));
    return y;
  }
}

function linearOptions(rest: unknown[]): LinearOptions {
  if (rest.length <= 1 && (rest[0] === undefined || (typeof rest[0] === "object" && rest[0] !== null))) return (rest[0] ?? {}) as LinearOptions;
  const [withBias, wInit, bInit, name] = rest;
  const fnOrNone = (v: unknown) => v === undefined || v === null || typeof v === "function";
  if (rest.length > 4 || !(withBias === undefined || typeof withBias === "boolean") || !fnOrNone(wInit) || !fnOrNone(bInit) || !(name === undefined || name === null || typeof name === "string")) {
    throw new ValueError("haiku.Linear: after outputSize come withBias, wInit, bInit, name (as in haiku) or options { withBias, wInit, bInit, name }.");
  }
  return { withBias: withBias as boolean | undefined, wInit: (wInit ?? undefined) as HkInitializer | undefined, bInit: (bInit ?? undefined) as HkInitializer | undefined, name: (name ?? undefined) as string | undefined };
}

/** hk.ExponentialMovingAverage with zero debiasing: state counter, hidden, average. */
export class ExponentialMovingAverage extends Module {
  constructor(readonly decay: number, name?: string) { super(name); }
  call(value: JaxArray, updateStats = true): JaxArray {
    const counter = jnp.add(getState("counter", [], { dtype: "int32", init: Constant(0) }), 1);
    const hidden0 = getState("hidden", value.shape, { dtype: value.dtype, init: Constant(0) });
    const hidden = jnp.add(jnp.multiply(hidden0, this.decay), jnp.multiply(value, 1 - this.decay));
    const average = jnp.divide(hidden, jnp.subtract(1, jnp.power(this.decay, counter.astype(value.dtype))));
    if (updateStats) {
      setState("counter", counter);
      setState("hidden", hidden);
      setState("average", average);
    }
    return average;
  }
  average(): JaxArray { return getState("average"); }
}

export interface BatchNormOptions {
  createScale: boolean; createOffset: boolean; decayRate: number; eps?: number; scaleInit?: HkInitializer; offsetInit?: HkInitializer; name?: string;
}

export class BatchNorm extends Module {
  meanEma: ExponentialMovingAverage;
  varEma: ExponentialMovingAverage;
  readonly o: BatchNormOptions;
  /** new BatchNorm({ createScale, createOffset, decayRate, ... }) or haiku's positional new BatchNorm(createScale, createOffset, decayRate, { ... }). */
  constructor(scaleOrOptions: boolean | BatchNormOptions, createOffset?: boolean, decayRate?: number,
    rest?: number | Omit<BatchNormOptions, "createScale" | "createOffset" | "decayRate">) {
    // haiku's fourth positional argument is eps.
    if (rest !== undefined && typeof rest !== "number" && (rest === null || typeof rest !== "object" || Array.isArray(rest))) {
      throw new ValueError(`haiku.BatchNorm: after createScale, createOffset, decayRate comes eps (a number) or options { eps, scaleInit, ... }, but got ${JSON.stringify(rest)}.`);
    }
    const r = typeof rest === "number" ? { eps: rest } : rest;
    if (typeof scaleOrOptions === "boolean" && (typeof createOffset !== "boolean" || typeof decayRate !== "number")) {
      throw new ValueError("haiku.BatchNorm: needs createScale, createOffset (booleans) and decayRate (a number), positionally or as options.");
    }
    const o = typeof scaleOrOptions === "boolean" ? { ...r, createScale: scaleOrOptions, createOffset: createOffset!, decayRate: decayRate! } : scaleOrOptions;
    super(o.name);
    this.o = o;
    [this.meanEma, this.varEma] = this.initScope(() => [new ExponentialMovingAverage(o.decayRate, "mean_ema"), new ExponentialMovingAverage(o.decayRate, "var_ema")]);
  }
  /** call(x, isTraining, testLocalStats = false) as haiku's __call__. */
  call(x: ArrayLike, isTraining: boolean, testLocalStats = false): JaxArray {
    if (typeof isTraining !== "boolean") throw new ValueError(`haiku.BatchNorm: call(x, isTraining) needs isTraining, a boolean, but got ${JSON.stringify(isTraining)}.`);
    const a = jnp.asArray(x);
    const axis = a.shape.map((_, i) => i).slice(0, -1);
    let mean: JaxArray, variance: JaxArray;
    if (isTraining || testLocalStats) {
      mean = jnp.mean(a, { axis, keepdims: true });
      variance = jnp.subtract(jnp.mean(jnp.square(a), { axis, keepdims: true }), jnp.square(mean));
      if (isTraining) {
        this.meanEma.call(mean);
        this.varEma.call(variance);
      }
    } else {
      mean = this.meanEma.average();
      variance = this.varEma.average();
    }
    const wShape = a.shape.map((d, i) => (axis.includes(i) ? 1 : d));
    let y = jnp.multiply(jnp.subtract(a, mean), jnp.rsqrt(jnp.add(variance, this.o.eps ?? 1e-5)));
    if (this.o.createScale) y = jnp.multiply(y, getParameter("scale", wShape, { dtype: a.dtype, init: this.o.scaleInit ?? Constant(1) }));
    if (this.o.createOffset) y = jnp.add(y, getParameter("offset", wShape, { dtype: a.dtype, init: this.o.offsetInit ?? Constant(0) }));
    return y;
  }
}

type MLPOptions = { activation?: (x: JaxArray) => JaxArray; activateFinal?: boolean; withBias?: boolean; wInit?: HkInitializer; bInit?: HkInitializer; name?: string };
const MLP_ORDER = ["wInit", "bInit", "withBias", "activation", "activateFinal", "name"] as const;

export class MLP extends Module {
  layers: Linear[];
  readonly o: MLPOptions;
  /** new MLP(outputSizes, { ... }) or haiku's positional MLP(outputSizes, wInit, bInit, withBias, activation, activateFinal, name). */
  constructor(readonly outputSizes: number[], ...rest: [MLPOptions?] |
    [wInit?: HkInitializer | null, bInit?: HkInitializer | null, withBias?: boolean, activation?: (x: JaxArray) => JaxArray, activateFinal?: boolean, name?: string]) {
    const o = mlpOptions(rest);
    super(o.name);
    this.o = o;
    // Made in the constructor, as haiku's are: "mlp/~/linear_0", ...
    this.layers = this.initScope(() => outputSizes.map((n, i) => new Linear(n, { withBias: o.withBias, wInit: o.wInit, bInit: o.bInit, name: `linear_${i}` })));
  }
  /** call(x, dropoutRate?, rng?) as haiku's __call__: dropout (with keys drawn from rng in sequence) before each activation. */
  call(x: ArrayLike, dropoutRate?: number | null, rng?: JaxArray | null): JaxArray {
    const useDropout = dropoutRate !== undefined && dropoutRate !== null, hasRng = rng !== undefined && rng !== null;
    if (useDropout && !hasRng) throw new ValueError("haiku.MLP: when using dropout an rng key must be passed: call(x, dropoutRate, rng).");
    if (!useDropout && hasRng) throw new ValueError("haiku.MLP: an rng should only be passed when using dropout (call(x, dropoutRate, rng)).");
    let y = jnp.asArray(x);
    let key = rng ?? null;
    const act = this.o.activation ?? ((z: JaxArray) => relu(z));
    this.layers.forEach((l, i) => {
      y = l.call(y);
      if (i < this.layers.length - 1 || this.o.activateFinal) {
        if (useDropout) {
          // hk.PRNGSequence: each key is the second half of a split of the running key.
          const [next, sub] = random.split(key!);
          key = next;
          y = dropout(sub, dropoutRate!, y);
        }
        y = act(y);
      }
    });
    return y;
  }
}

function mlpOptions(rest: unknown[]): MLPOptions {
  if (rest.length <= 1 && (rest[0] === undefined || (typeof rest[0] === "object" && rest[0] !== null && !Array.isArray(rest[0])))) return (rest[0] ?? {}) as MLPOptions;
  const want = ["function", "function", "boolean", "function", "boolean", "string"];
  const o: Record<string, unknown> = {};
  rest.forEach((v, i) => {
    if (i >= want.length || (v !== undefined && v !== null && typeof v !== want[i])) {
      throw new ValueError(`haiku.MLP: after outputSizes come ${MLP_ORDER.join(", ")} (as in haiku) or one options object, but argument ${i + 2} is ${typeof v}.`);
    }
    if (v !== undefined && v !== null) o[MLP_ORDER[i]] = v;
  });
  return o as MLPOptions;
}

/** hk.dropout(rng, rate, x, broadcastDims?): rate in [0, 1); broadcastDims share the mask along those axes. */
export function dropout(rng: JaxArray, rate: number, x: ArrayLike, broadcastDims: number[] = []): JaxArray {
  if (!(rate >= 0 && rate < 1)) throw new ValueError(`haiku.dropout: rate must be in [0, 1), but got ${rate}.`);
  const a = jnp.asArray(x);
  if (rate === 0) return a;
  const keep = 1 - rate;
  const bd = broadcastDims.map((d) => (d < 0 ? d + a.ndim : d));
  const mask = random.bernoulli(rng, keep, a.shape.map((d, i) => (bd.includes(i) ? 1 : d)));
  return jnp.where(jnp.broadcastTo(mask, a.shape), jnp.divide(a, keep), 0);
}

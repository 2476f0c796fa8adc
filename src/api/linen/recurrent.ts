// flax.linen's recurrent cells (LSTM, fused LSTM, GRU, MGU, simple), RNN (a lax.scan over time with
// the cell's params shared across steps) and Bidirectional.
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as lax from "../lax.js";
import * as random from "../random.js";
import { sigmoid } from "../nn.js";
import { Initializer, lecunNormal, ones, zeros } from "../initializers.js";
import { orthogonal } from "../initializers-orthogonal.js";
import { flatten, unflatten } from "../../core/pytree.js";
import { Module, ModuleOptions } from "./module.js";
import { Dense } from "./layers.js";
import { fields } from "./fields.js";

type Fn = (x: JaxArray) => JaxArray;

interface CellOptions extends ModuleOptions {
  features: number; gateFn?: Fn; activationFn?: Fn; kernelInit?: Initializer; recurrentKernelInit?: Initializer;
  biasInit?: Initializer; dtype?: DType; paramDtype?: DType; carryInit?: Initializer;
}
const CELL = ["features", "gateFn", "activationFn", "kernelInit", "recurrentKernelInit", "biasInit", "dtype", "paramDtype", "carryInit"];

/** flax's RNNCellBase: call(carry, x) -> [carry, y]; initializeCarry(rng, inputShape) works outside init/apply. */
export abstract class RNNCellBase<O extends CellOptions = CellOptions> extends Module {
  o: O;
  constructor(op: string, names: string[], args: unknown[]) {
    const o = fields<O>(op, names, args);
    super(o);
    this.o = o;
  }
  get numFeatureAxes(): number { return 1; }
  abstract call(carry: any, x: ArrayLike): [any, JaxArray];
  /** Zeros (carryInit) of shape [...inputShape[:-1], features]. */
  initializeCarry(rng: JaxArray, inputShape: readonly number[]): any {
    return (this.o.carryInit ?? zeros)(rng, [...inputShape.slice(0, -1), this.o.features], this.o.paramDtype);
  }
  /** @internal a Dense named as flax names the cell's projections. */
  _dense(name: string, x: ArrayLike, useBias: boolean, recurrent: boolean, biasInit?: Initializer): JaxArray {
    const o = this.o;
    const kernelInit = recurrent ? o.recurrentKernelInit ?? orthogonal() : o.kernelInit ?? lecunNormal();
    return new Dense({ features: o.features, useBias, kernelInit, biasInit: biasInit ?? o.biasInit ?? zeros, name }).call(x);
  }
  get _gate(): Fn { return this.o.gateFn ?? sigmoid; }
  get _act(): Fn { return this.o.activationFn ?? jnp.tanh; }
}

function lstmCarry(cell: RNNCellBase, rng: JaxArray, inputShape: readonly number[]): [JaxArray, JaxArray] {
  const [k1, k2] = random.split(rng), s = [...inputShape.slice(0, -1), cell.o.features], init = cell.o.carryInit ?? zeros;
  return [init(k1, s, cell.o.paramDtype), init(k2, s, cell.o.paramDtype)];
}

/** LSTM: params ii/if/ig/io (input kernels) and hi/hf/hg/ho (recurrent kernels with bias); carry [c, h]. */
export class LSTMCell extends RNNCellBase {
  constructor(features: number | CellOptions, ...rest: unknown[]) { super("LSTMCell", CELL, [features, ...rest]); }
  call(carry: [JaxArray, JaxArray], x: ArrayLike): [[JaxArray, JaxArray], JaxArray] {
    const [c, h] = carry;
    const gate = (g: string, f: Fn) => f(jnp.add(this._dense(`i${g}`, x, false, false), this._dense(`h${g}`, h, true, true)));
    const i = gate("i", this._gate), f = gate("f", this._gate), g = gate("g", this._act), o = gate("o", this._gate);
    const nc = jnp.add(jnp.multiply(f, c), jnp.multiply(i, g)), nh = jnp.multiply(o, this._act(nc));
    return [[nc, nh], nh];
  }
  override initializeCarry(rng: JaxArray, inputShape: readonly number[]): [JaxArray, JaxArray] { return lstmCarry(this, rng, inputShape); }
}

/** The LSTM with its four input and four recurrent matmuls fused into one each; same params and numbers as LSTMCell. */
export class OptimizedLSTMCell extends RNNCellBase {
  constructor(features: number | CellOptions, ...rest: unknown[]) { super("OptimizedLSTMCell", CELL, [features, ...rest]); }
  call(carry: [JaxArray, JaxArray], x: ArrayLike): [[JaxArray, JaxArray], JaxArray] {
    const [c, h] = carry, a = jnp.asArray(x), o = this.o, H = o.features, gates = ["i", "f", "g", "o"];
    // flax's DenseParams: the kernels (and recurrent biases) as params only, concatenated here.
    const ps = (pre: string, inF: number, bias: boolean) => gates.map((g) => new DenseParams({ name: pre + g, inF, features: H, bias,
      init: pre === "h" ? o.recurrentKernelInit ?? orthogonal() : o.kernelInit ?? lecunNormal(), biasInit: o.biasInit ?? zeros }).call());
    const hp = ps("h", h.shape[h.ndim - 1], true), ip = ps("i", a.shape[a.ndim - 1], false);
    const z = jnp.add(jnp.add(jnp.dot(h, jnp.concatenate(hp.map((p) => p[0]), -1)), jnp.concatenate(hp.map((p) => p[1]!), -1)),
      jnp.dot(a, jnp.concatenate(ip.map((p) => p[0]), -1)));
    const [i, f, g, og] = jnp.split(z, 4, -1);
    const nc = jnp.add(jnp.multiply(this._gate(f), c), jnp.multiply(this._gate(i), this._act(g))), nh = jnp.multiply(this._gate(og), this._act(nc));
    return [[nc, nh], nh];
  }
  override initializeCarry(rng: JaxArray, inputShape: readonly number[]): [JaxArray, JaxArray] { return lstmCarry(this, rng, inputShape); }
}

class DenseParams extends Module {
  constructor(readonly d: { name: string; inF: number; features: number; bias: boolean; init: Initializer; biasInit: Initializer }) { super(d); }
  call(): [JaxArray, JaxArray | null] {
    const d = this.d;
    return [this.param("kernel", d.init, [d.inF, d.features]), d.bias ? this.param("bias", d.biasInit, [d.features]) : null];
  }
}

/** GRU: params ir/iz/in (with bias) and hr/hz (no bias), hn (with bias); new h = (1 - z) * n + z * h. */
export class GRUCell extends RNNCellBase {
  constructor(features: number | CellOptions, ...rest: unknown[]) { super("GRUCell", CELL, [features, ...rest]); }
  call(h: JaxArray, x: ArrayLike): [JaxArray, JaxArray] {
    const r = this._gate(jnp.add(this._dense("ir", x, true, false), this._dense("hr", h, false, true)));
    const z = this._gate(jnp.add(this._dense("iz", x, true, false), this._dense("hz", h, false, true)));
    const n = this._act(jnp.add(this._dense("in", x, true, false), jnp.multiply(r, this._dense("hn", h, true, true))));
    const nh = jnp.add(jnp.multiply(jnp.subtract(1, z), n), jnp.multiply(z, h));
    return [nh, nh];
  }
}

interface MGUOptions extends CellOptions { forgetBiasInit?: Initializer; activationBiasInit?: Initializer; resetGate?: boolean }

/** Minimal gated unit: params if (bias init ones), hf, in, hn (bias when resetGate). */
export class MGUCell extends RNNCellBase<MGUOptions> {
  constructor(features: number | MGUOptions, ...rest: unknown[]) {
    super("MGUCell", ["features", "gateFn", "activationFn", "kernelInit", "recurrentKernelInit", "forgetBiasInit", "activationBiasInit", "dtype", "paramDtype", "carryInit", "resetGate"], [features, ...rest]);
  }
  call(h: JaxArray, x: ArrayLike): [JaxArray, JaxArray] {
    const o = this.o, reset = o.resetGate ?? true, actBias = o.activationBiasInit ?? zeros;
    const f = this._gate(jnp.add(this._dense("if", x, true, false, o.forgetBiasInit ?? ones), this._dense("hf", h, false, true)));
    let r = this._dense("hn", h, reset, true, actBias);
    if (reset) r = jnp.multiply(r, f);
    const n = this._act(jnp.add(this._dense("in", x, true, false, actBias), r));
    const nh = jnp.add(jnp.multiply(jnp.subtract(1, f), n), jnp.multiply(f, h));
    return [nh, nh];
  }
}

interface SimpleOptions extends CellOptions { residual?: boolean }

/** Elman cell: act(i(x) + h(carry) [+ carry]); params i (with bias) and h (no bias). */
export class SimpleCell extends RNNCellBase<SimpleOptions> {
  constructor(features: number | SimpleOptions, ...rest: unknown[]) {
    super("SimpleCell", ["features", "activationFn", "kernelInit", "recurrentKernelInit", "biasInit", "dtype", "paramDtype", "carryInit", "residual"], [features, ...rest]);
  }
  call(h: JaxArray, x: ArrayLike): [JaxArray, JaxArray] {
    let z = jnp.add(this._dense("i", x, true, false), this._dense("h", h, false, true));
    if (this.o.residual) z = jnp.add(z, h);
    const nh = this._act(z);
    return [nh, nh];
  }
}

export interface RNNCallOptions {
  initialCarry?: any; initKey?: JaxArray | null; seqLengths?: ArrayLike | null; returnCarry?: boolean | null;
  timeMajor?: boolean | null; reverse?: boolean | null; keepOrder?: boolean | null;
}
/** What RNN scans: a module with call(carry, x) -> [carry, y] and initializeCarry; numFeatureAxes defaults to 1. */
export type RNNCell = Module & { call(carry: any, x: JaxArray): [any, any]; initializeCarry(rng: JaxArray, inputShape: readonly number[]): any; numFeatureAxes?: number };
export interface RNNOptions extends ModuleOptions { cell?: RNNCell; timeMajor?: boolean; returnCarry?: boolean; reverse?: boolean; keepOrder?: boolean; unroll?: number }

/** Reverses each sequence along time; with seqLengths, only its first seqLengths[b] steps (padding stays at the end). */
function flipSequences(x: JaxArray, seqLengths: ArrayLike | null | undefined, nBatch: number, timeMajor: boolean): JaxArray {
  const t = timeMajor ? 0 : nBatch, T = x.shape[t];
  if (seqLengths == null) return jnp.flip(x, t);
  let idx = jnp.reshape(jnp.arange(T - 1, -1, -1, { dtype: "int32" }), timeMajor ? [T, ...Array(nBatch).fill(1)] : [...Array(nBatch).fill(1), T]);
  idx = jnp.remainder(jnp.add(idx, jnp.expandDims(jnp.astype(seqLengths, "int32"), t)), T);
  idx = jnp.reshape(idx, [...idx.shape, ...Array(x.ndim - idx.ndim).fill(1)]);
  return jnp.takeAlongAxis(x, jnp.broadcastTo(idx, x.shape), t);
}

/** Scans `cell` over the time axis (1 after the batch axes, or 0 with timeMajor), sharing its params over steps. */
export class RNN extends Module {
  cell: RNNCell; o: RNNOptions;
  constructor(cell: RNNCell | RNNOptions, ...rest: unknown[]) {
    const o = fields<RNNOptions>("RNN", ["cell", "timeMajor", "returnCarry", "reverse", "keepOrder", "unroll"], [cell, ...rest]);
    // Any module with call(carry, x) and initializeCarry(rng, inputShape) is a cell, as in flax.
    if (!(o.cell instanceof Module) || typeof (o.cell as RNNCell).initializeCarry !== "function") {
      throw new ValueError("linen.RNN: cell must be a recurrent cell (a Module with call(carry, x) and initializeCarry), e.g. linen.LSTMCell(features).");
    }
    super(o);
    this.o = o;
    this.cell = o.cell;
  }
  call(inputs: ArrayLike, opts: RNNCallOptions = {}): any {
    let x = jnp.asArray(inputs);
    const o = this.o, cell = this.cell, nfa = cell.numFeatureAxes ?? 1;
    const timeMajor = opts.timeMajor ?? o.timeMajor ?? false, reverse = opts.reverse ?? o.reverse ?? false;
    const returnCarry = opts.returnCarry ?? o.returnCarry ?? false, keepOrder = opts.keepOrder ?? o.keepOrder ?? false;
    const t = timeMajor ? 0 : x.ndim - (nfa + 1), nBatch = timeMajor ? x.ndim - 1 - nfa : t;
    if (t < 0 || nBatch < 0) throw new ValueError(`linen.RNN: inputs of shape [${x.shape}] need a time axis and ${nfa} feature axis.`);
    if (reverse) x = flipSequences(x, opts.seqLengths, nBatch, timeMajor);
    const carry0 = opts.initialCarry ?? cell.initializeCarry(opts.initKey ?? random.key(0), x.shape.filter((_, i) => i !== t));
    const xs = jnp.moveaxis(x, t, 0);
    // The params are made once, outside the scan (flax broadcasts "params" across steps).
    if (this.isInitializing() && xs.shape[0] > 0) cell.call(carry0, xs.get(0));
    const slice = opts.seqLengths != null && returnCarry;
    let [carry, ys] = lax.scan((c: any, xt: JaxArray) => {
      const [nc, y] = cell.call(c, xt);
      return [nc, slice ? [nc, y] : y];
    }, carry0, xs, { unroll: o.unroll ?? 1 });
    if (slice) {
      // The carry after each sequence's last real step: carries[seqLengths - 1, b].
      const last = jnp.subtract(jnp.astype(opts.seqLengths!, "int32"), 1);
      const [leaves, def] = flatten(ys[0]);
      carry = unflatten(def, (leaves as JaxArray[]).map((l) => {
        const idx = jnp.reshape(last, [1, l.shape[1], ...Array(l.ndim - 2).fill(1)]);
        return jnp.squeeze(jnp.takeAlongAxis(l, jnp.broadcastTo(idx, [1, ...l.shape.slice(1)]), 0), 0);
      }));
      ys = ys[1];
    }
    let out = jnp.moveaxis(ys, 0, t);
    if (reverse && keepOrder) out = flipSequences(out, opts.seqLengths, nBatch, timeMajor);
    return returnCarry ? [carry, out] : out;
  }
}

export interface BidirectionalOptions extends ModuleOptions {
  forwardRnn?: RNN; backwardRnn?: RNN; mergeFn?: (a: JaxArray, b: JaxArray) => JaxArray; timeMajor?: boolean; returnCarry?: boolean;
}

/** Runs forwardRnn and backwardRnn (reversed, keeping order) and merges their outputs (default: concatenate features). */
export class Bidirectional extends Module {
  // Field names are flax's: they name the submodules in the param tree.
  forward_rnn: RNN; backward_rnn: RNN; o: BidirectionalOptions;
  constructor(forwardRnn: RNN | BidirectionalOptions, ...rest: unknown[]) {
    const o = fields<BidirectionalOptions>("Bidirectional", ["forwardRnn", "backwardRnn", "mergeFn", "timeMajor", "returnCarry"], [forwardRnn, ...rest], 2);
    super(o);
    this.o = o;
    this.forward_rnn = o.forwardRnn!;
    this.backward_rnn = o.backwardRnn!;
  }
  call(inputs: ArrayLike, opts: RNNCallOptions = {}): any {
    const o = this.o, timeMajor = opts.timeMajor ?? o.timeMajor ?? false, returnCarry = opts.returnCarry ?? o.returnCarry ?? false;
    const [kf, kb] = opts.initKey ? [...random.split(opts.initKey)] : [null, null];
    const [cf, cb] = opts.initialCarry ?? [undefined, undefined];
    const common = { seqLengths: opts.seqLengths, returnCarry: true, timeMajor };
    const [carryF, outF] = this.forward_rnn.call(inputs, { ...common, initialCarry: cf, initKey: kf, reverse: false });
    const [carryB, outB] = this.backward_rnn.call(inputs, { ...common, initialCarry: cb, initKey: kb, reverse: true, keepOrder: true });
    const merge = o.mergeFn ?? ((a: JaxArray, b: JaxArray) => jnp.concatenate([a, b], -1));
    const out = merge(outF, outB);
    return returnCarry ? [[carryF, carryB], out] : out;
  }
}

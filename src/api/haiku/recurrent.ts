// haiku's recurrent cores (VanillaRNN, LSTM, GRU, DeepRNN) with haiku's parameter names, and the
// unrolls: staticUnroll (a JS loop) and dynamicUnroll (lax.scan; during init the first step runs
// outside the scan so its parameters are created eagerly, as hk.scan does).
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import * as tree from "../tree.js";
import { scan as laxScan } from "../../control/loops.js";
import { relu, sigmoid } from "../nn.js";
import { getParameter, HkInitializer, Module, runningInit } from "./base.js";
import { hkArgs } from "./args.js";
import { callLayer } from "./basic.js";
import { Constant, VarianceScaling } from "./initializers.js";
import { Linear } from "./modules.js";

/** hk.RNNCore: call(inputs, prevState) -> [output, nextState]; initialState(batchSize). */
export abstract class RNNCore extends Module {
  abstract call(inputs: any, prevState: any): [any, any];
  abstract initialState(batchSize?: number | null): any;
}

/** Adds a leading batch axis of size batchSize to every leaf (haiku's add_batch); null keeps the state unbatched. */
const addBatch = (state: any, batchSize?: number | null): any =>
  batchSize === undefined || batchSize === null ? state : tree.map((x: JaxArray) => jnp.broadcastTo(x, [batchSize, ...x.shape]), state);

const rank12 = (op: string, x: JaxArray) => {
  if (x.ndim !== 1 && x.ndim !== 2) throw new ValueError(`haiku.${op}: input must be rank-1 or rank-2, but has shape [${x.shape}].`);
  return x;
};

export class VanillaRNN extends RNNCore {
  readonly hiddenSize: number;
  readonly doubleBias: boolean;
  /** VanillaRNN(hiddenSize, doubleBias = true, name) or options: h = relu(Linear(x) + Linear(h_prev)), output h. */
  constructor(...args: [{ hiddenSize: number; doubleBias?: boolean; name?: string }] | [hiddenSize: number, doubleBias?: boolean | null, name?: string | null]) {
    const o = hkArgs<{ hiddenSize: number; doubleBias?: boolean; name?: string }>("VanillaRNN", args, ["hiddenSize", "doubleBias", "name"], 1);
    super(o.name);
    this.hiddenSize = o.hiddenSize;
    this.doubleBias = o.doubleBias ?? true;
  }
  call(inputs: ArrayLike, prevState: ArrayLike): [JaxArray, JaxArray] {
    const out = relu(jnp.add(new Linear(this.hiddenSize).call(inputs), new Linear(this.hiddenSize, { withBias: this.doubleBias }).call(prevState)));
    return [out, out];
  }
  initialState(batchSize?: number | null): JaxArray { return addBatch(jnp.zeros([this.hiddenSize]), batchSize); }
}

/** An LSTM's state: hidden and cell (haiku's LSTMState named tuple). */
export interface LSTMState { hidden: JaxArray; cell: JaxArray }
export const LSTMState = (hidden: JaxArray, cell: JaxArray): LSTMState => ({ hidden, cell });

export class LSTM extends RNNCore {
  readonly hiddenSize: number;
  /** LSTM(hiddenSize, name) or options: one Linear(4 * hiddenSize) over [x, h] split into i, g, f, o; forget bias +1. */
  constructor(...args: [{ hiddenSize: number; name?: string }] | [hiddenSize: number, name?: string | null]) {
    const o = hkArgs<{ hiddenSize: number; name?: string }>("LSTM", args, ["hiddenSize", "name"], 1);
    super(o.name);
    this.hiddenSize = o.hiddenSize;
  }
  call(inputs: ArrayLike, prevState: LSTMState): [JaxArray, LSTMState] {
    const x = rank12("LSTM", jnp.asArray(inputs));
    const gated = new Linear(4 * this.hiddenSize).call(jnp.concatenate([x, jnp.asArray(prevState.hidden)], -1));
    const [i, g, f, o] = jnp.split(gated, 4, -1);
    const c = jnp.add(jnp.multiply(sigmoid(jnp.add(f, 1)), prevState.cell), jnp.multiply(sigmoid(i), jnp.tanh(g)));
    const h = jnp.multiply(sigmoid(o), jnp.tanh(c));
    return [h, { hidden: h, cell: c }];
  }
  initialState(batchSize?: number | null): LSTMState {
    return addBatch({ hidden: jnp.zeros([this.hiddenSize]), cell: jnp.zeros([this.hiddenSize]) }, batchSize);
  }
}

export interface GRUOptions { hiddenSize: number; wIInit?: HkInitializer; wHInit?: HkInitializer; bInit?: HkInitializer; name?: string }

export class GRU extends RNNCore {
  readonly hiddenSize: number;
  readonly o: GRUOptions;
  /** GRU(hiddenSize, wIInit, wHInit, bInit, name) or options: parameters w_i [in, 3H], w_h [H, 3H], b [3H] (gates z, r, a). */
  constructor(...args: [GRUOptions] | [hiddenSize: number, wIInit?: HkInitializer | null, wHInit?: HkInitializer | null, bInit?: HkInitializer | null, name?: string | null]) {
    const o = hkArgs<GRUOptions>("GRU", args, ["hiddenSize", "wIInit", "wHInit", "bInit", "name"], 1);
    super(o.name);
    this.o = o;
    this.hiddenSize = o.hiddenSize;
  }
  call(inputs: ArrayLike, state: ArrayLike): [JaxArray, JaxArray] {
    const x = rank12("GRU", jnp.asArray(inputs)), h = jnp.asArray(state), H = this.hiddenSize;
    const wI = getParameter("w_i", [x.shape[x.ndim - 1], 3 * H], x.dtype, this.o.wIInit ?? VarianceScaling());
    const wH = getParameter("w_h", [H, 3 * H], x.dtype, this.o.wHInit ?? VarianceScaling());
    const b = getParameter("b", [3 * H], x.dtype, this.o.bInit ?? Constant(0));
    const [wHzr, wHa] = jnp.split(wH, [2 * H], 1), [bzr, ba] = jnp.split(b, [2 * H], 0);
    const [zrX, aX] = jnp.split(jnp.matmul(x, wI), [2 * H], -1);
    const [z, r] = jnp.split(sigmoid(jnp.add(jnp.add(zrX, jnp.matmul(h, wHzr)), bzr)), 2, -1);
    const a = jnp.tanh(jnp.add(jnp.add(aX, jnp.matmul(jnp.multiply(r, h), wHa)), ba));
    const next = jnp.add(jnp.multiply(jnp.subtract(1, z), h), jnp.multiply(z, a));
    return [next, next];
  }
  initialState(batchSize?: number | null): JaxArray { return addBatch(jnp.zeros([this.hiddenSize]), batchSize); }
}

export class DeepRNN extends RNNCore {
  readonly layers: readonly unknown[];
  /** DeepRNN(layers, name) or options: cores and plain functions in sequence; the state holds one entry per core. */
  constructor(...args: [{ layers: Iterable<unknown>; name?: string }] | [layers: Iterable<unknown>, name?: string | null]) {
    const o = hkArgs<{ layers: Iterable<unknown>; name?: string }>("DeepRNN", args, ["layers", "name"], 1);
    super(o.name);
    this.layers = [...o.layers];
  }
  call(inputs: unknown, state: readonly unknown[]): [any, any[]] {
    let x = inputs, k = 0;
    const next: unknown[] = [];
    for (const l of this.layers) {
      if (l instanceof RNNCore) {
        const [y, s] = l.call(x, state[k++]);
        x = y;
        next.push(s);
      } else x = callLayer(l, x);
    }
    return [x, next];
  }
  initialState(batchSize?: number | null): any[] {
    return this.layers.filter((l): l is RNNCore => l instanceof RNNCore).map((l) => l.initialState(batchSize));
  }
}

type Core = { call(inputs: any, state: any): [any, any] } | ((inputs: any, state: any) => [any, any]);
const step = (core: Core, x: unknown, s: unknown): [any, any] => callLayer(core, x, s);
const swap = (t: unknown) => tree.map((x: JaxArray) => jnp.swapaxes(x, 0, 1), t);
const stackT = (ys: unknown[], axis: number) => tree.map((...l: JaxArray[]) => jnp.stack(l, axis), ys[0], ...ys.slice(1));

/** hk.static_unroll(core, inputSequence, initialState, timeMajor = true) -> [outputSequence, finalState]. */
export function staticUnroll(core: Core, inputSequence: unknown, initialState: unknown, timeMajor = true): [any, any] {
  const ax = timeMajor ? 0 : 1;
  const [leaves, def] = tree.flatten(inputSequence);
  const T = (leaves[0] as JaxArray).shape[ax];
  let state = initialState;
  const outs: unknown[] = [];
  for (let t = 0; t < T; t++) {
    const x = tree.unflatten(def, leaves.map((l) => jnp.take(l as JaxArray, t, ax)));
    const [y, s] = step(core, x, state);
    outs.push(y);
    state = s;
  }
  if (!T) throw new ValueError("haiku.staticUnroll: the input sequence has no time steps.");
  return [stackT(outs, ax), state];
}

export interface DynamicUnrollOptions { timeMajor?: boolean; reverse?: boolean; returnAllStates?: boolean; unroll?: number }

/**
 * hk.dynamic_unroll(core, inputSequence, initialState, timeMajor = true, reverse = false,
 * returnAllStates = false, unroll = 1) -> [outputSequence, finalState (or every state)].
 */
export function dynamicUnroll(core: Core, inputSequence: unknown, initialState: unknown,
  ...rest: [DynamicUnrollOptions?] | [timeMajor?: boolean, reverse?: boolean, returnAllStates?: boolean, unroll?: number]): [any, any] {
  const o = hkArgs<DynamicUnrollOptions>("dynamicUnroll", rest, ["timeMajor", "reverse", "returnAllStates", "unroll"]);
  const all = o.returnAllStates ?? false, reverse = o.reverse ?? false;
  const f = (s: unknown, x: unknown): [any, any] => {
    const [y, n] = step(core, x, s);
    return [n, all ? [y, n] : y];
  };
  const xs = o.timeMajor ?? true ? inputSequence : swap(inputSequence);
  const [last, ys] = scan(f, initialState, xs, { reverse, unroll: o.unroll });
  const [outs, states] = all ? ys : [ys, last];
  return o.timeMajor ?? true ? [outs, states] : [swap(outs), all ? swap(states) : states];
}

/**
 * hk.scan(f, init, xs, { length, reverse, unroll }): lax.scan inside a transform. During init the
 * first step runs outside the scan so its parameters are created (haiku's own strategy); the body
 * may read parameters and state, not set state.
 */
export function scan(f: (carry: any, x: any) => [any, any], init: unknown, xs: unknown, options: { length?: number; reverse?: boolean; unroll?: number } = {}): [any, any] {
  const { reverse = false } = options;
  const leaves = tree.leaves(xs) as JaxArray[];
  const length = options.length ?? leaves[0]?.shape[0];
  if (!runningInit()) return laxScan(f, init, xs, { ...options, length });
  if (!length) {
    // Nothing to scan: one step on zeros still creates the parameters.
    const [, y0] = f(init, tree.map((x: JaxArray) => jnp.zeros(x.shape.slice(1), { dtype: x.dtype }), xs));
    return [init, tree.map((y: JaxArray) => jnp.zeros([0, ...y.shape], { dtype: y.dtype }), y0)];
  }
  const edge = reverse ? length - 1 : 0;
  const pick = (x: JaxArray, lo: number, hi: number) => jnp.take(x, jnp.arange(lo, hi), 0);
  const [c0, y0] = f(init, tree.map((x: JaxArray) => jnp.take(x, edge, 0), xs));
  const y0s = tree.map((y: JaxArray) => jnp.expandDims(y, 0), y0);
  if (length === 1) return [c0, y0s];
  const restXs = tree.map((x: JaxArray) => (reverse ? pick(x, 0, length - 1) : pick(x, 1, length)), xs);
  const [c, ys] = laxScan(f, c0, restXs, { ...options, length: length - 1 });
  return [c, tree.map((a: JaxArray, b: JaxArray) => jnp.concatenate(reverse ? [b, a] : [a, b], 0), y0s, ys)];
}

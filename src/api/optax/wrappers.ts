// Transformations of transformations (optax's wrappers, combine and inject modules). Branches that
// optax takes with lax.cond are both computed and selected leaf by leaf, so everything jits.
import { JaxArray } from "../../core/value.js";
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { isPlainObject } from "../../core/transform-args.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";
import { GradientTransformation, OptState, Params, safeIncrement, zerosLikeTree } from "./base.js";

const i32 = () => jnp.zeros([], { dtype: "int32" });
/** `a` where `pred` holds, else `b`, over two trees of the same structure, keeping b's dtypes. */
const select = (pred: JaxArray, a: OptState, b: OptState) =>
  tree.map((x: JaxArray, y: JaxArray) => jnp.astype(jnp.where(pred, x, y), y.dtype), a, b);

/** A mask (or what a mask function returns) may be a prefix of the tree: a boolean covers its subtree. */
const maskTree = (t: Params, m: Params) => tree.map((k: boolean, sub: Params) => (k ? sub : null), m, t);

/**
 * Applies `inner` only to the leaves the mask selects; the others pass through unchanged. As in
 * optax, masked-out leaves are empty nodes (null) in what the inner transformation sees.
 */
export function masked(inner: GradientTransformation, mask: Params | ((p: Params) => Params)): GradientTransformation {
  const get = (t: Params) => (typeof mask === "function" ? mask(t) : mask);
  return {
    init: (p) => ({ innerState: inner.init(maskTree(p, get(p))) }),
    update(u, s, p) {
      const m = get(u);
      const [nu, innerState] = inner.update(maskTree(u, m), s.innerState, p === undefined || p === null ? p : maskTree(p, m));
      return [tree.map((k: boolean, n: Params, o: Params) => (k ? n : o), m, nu, u), { innerState }];
    },
  };
}

/** Like chain, with the states in an object keyed by the given names. */
export function namedChain(...txs: [string, GradientTransformation][]): GradientTransformation {
  const names = txs.map(([n]) => n);
  if (new Set(names).size !== names.length) throw new ValueError(`optax.namedChain: the names must be unique, but got ${names.join(", ")}.`);
  return {
    init: (p) => Object.fromEntries(txs.map(([n, t]) => [n, t.init(p)])),
    update(u, s, p) {
      const next: Record<string, OptState> = {};
      for (const [n, t] of txs) [u, next[n]] = t.update(u, s[n], p);
      return [u, next];
    },
  };
}

/** One transformation per label; `paramLabels` is a tree of labels (a prefix of the params) or a function of the params. */
export function partition(transforms: Record<string, GradientTransformation>, paramLabels: Params | ((p: Params) => Params)): GradientTransformation {
  const labels = (t: Params) => (typeof paramLabels === "function" ? paramLabels(t) : paramLabels);
  const sub = (l: Params, g: string) => masked(transforms[g], tree.map((x: string) => x === g, l));
  return {
    init(p) {
      const l = labels(p);
      const missing = [...new Set(tree.leaves(l) as string[])].filter((x) => !(x in transforms));
      if (missing.length) throw new ValueError(`optax.partition: labels ${missing.join(", ")} have no transformation; the transforms are ${Object.keys(transforms).join(", ")}.`);
      return { innerStates: Object.fromEntries(Object.keys(transforms).map((g) => [g, sub(l, g).init(p)])) };
    },
    update(u, s, p) {
      const l = labels(u), innerStates: Record<string, OptState> = {};
      for (const g of Object.keys(transforms)) [u, innerStates[g]] = sub(l, g).update(u, s.innerStates[g], p);
      return [u, { innerStates }];
    },
  };
}
export const multiTransform = partition;

/** Sets every update to zero (frozen parameters). */
export function setToZero(): GradientTransformation {
  return { init: () => ({}), update: (u, s) => [zerosLikeTree(u), s] };
}

/** Runs `inner` on all leaves raveled into one vector (optax.flatten). */
export function flatten(inner: GradientTransformation): GradientTransformation {
  const ravel = (t: Params) => jnp.concatenate((tree.leaves(t) as JaxArray[]).map((x) => jnp.reshape(x, [-1])));
  return {
    init: (p) => inner.init(ravel(p)),
    update(u, s, p) {
      const [flat, state] = inner.update(ravel(u), s, p === undefined || p === null ? p : ravel(p));
      const [ls, def] = tree.flatten(u) as [JaxArray[], tree.TreeDef];
      let off = 0;
      const parts = jnp.split(flat, ls.slice(0, -1).map((x) => (off += x.size)));
      return [tree.unflatten(def, parts.map((x, i) => jnp.reshape(x, ls[i].shape))), state];
    },
  };
}

/**
 * Skips updates with NaN or infinity (returning zeros and keeping the inner state) until more than
 * maxConsecutiveErrors happen in a row; then the update goes through.
 */
export function applyIfFinite(inner: GradientTransformation, maxConsecutiveErrors: number): GradientTransformation {
  return {
    init: (p) => ({ notfiniteCount: i32(), lastFinite: jnp.array(true), totalNotfinite: i32(), innerState: inner.init(p) }),
    update(u, s, p) {
      const finite = (tree.leaves(u) as JaxArray[]).reduce((acc: JaxArray, x) => jnp.logicalAnd(acc, jnp.all(jnp.isfinite(x))), jnp.array(true));
      const notfiniteCount = jnp.where(finite, 0, safeIncrement(s.notfiniteCount)).astype("int32");
      const ok = jnp.logicalOr(finite, jnp.greater(notfiniteCount, maxConsecutiveErrors));
      const [nu, ns] = inner.update(u, s.innerState, p);
      return [select(ok, nu, zerosLikeTree(nu)), {
        notfiniteCount, lastFinite: finite,
        totalNotfinite: jnp.where(finite, s.totalNotfinite, safeIncrement(s.totalNotfinite)).astype("int32"),
        innerState: select(ok, ns, s.innerState),
      }];
    },
  };
}

type SkipFn = (updates: Params, gradientStep: JaxArray, params?: Params) => [JaxArray, OptState];

/**
 * Gradient accumulation (optax.MultiSteps): the inner optimizer steps once every k calls, on the
 * mean (or sum) of the accumulated gradients; the other calls return zero updates.
 */
export class MultiSteps {
  private readonly k: (step: JaxArray) => number | JaxArray;
  readonly innerOpt: GradientTransformation;
  constructor(opt: GradientTransformation, everyKSchedule: number | ((step: JaxArray) => number | JaxArray),
    readonly useGradMean = true, readonly shouldSkipUpdateFn: SkipFn | null = null, readonly accumulatorDtype: DType = "float32") {
    if (typeof everyKSchedule !== "function" && !(Number.isInteger(everyKSchedule) && everyKSchedule > 0)) {
      throw new ValueError(`optax.MultiSteps: everyKSchedule is a positive integer or a function of the step, but got ${everyKSchedule}.`);
    }
    this.innerOpt = opt;
    this.k = typeof everyKSchedule === "function" ? everyKSchedule : () => everyKSchedule;
    this.init = this.init.bind(this);
    this.update = this.update.bind(this);
  }

  init(params: Params): OptState {
    const gradientStep = i32();
    const skipState = this.shouldSkipUpdateFn ? this.shouldSkipUpdateFn(zerosLikeTree(params), gradientStep, params)[1] : [];
    return {
      miniStep: i32(), gradientStep, innerOptState: this.innerOpt.init(params),
      accGrads: tree.map((x: JaxArray) => jnp.zeros(x.shape, { dtype: this.accumulatorDtype }), params), skipState,
    };
  }

  update(updates: Params, state: OptState, params?: Params): [Params, OptState] {
    const k = this.k(state.gradientStep);
    const [skip, skipState] = this.shouldSkipUpdateFn ? this.shouldSkipUpdateFn(updates, state.gradientStep, params) : [null, []];
    if (skip !== null && (skip.dtype !== "bool" || skip.ndim !== 0)) {
      throw new ValueError(`optax.MultiSteps: shouldSkipUpdateFn must return a boolean scalar first, but got dtype ${skip.dtype} and shape [${skip.shape}].`);
    }
    const n = state.miniStep;
    const acc = tree.map((g: JaxArray, a: JaxArray) => (this.useGradMean
      ? jnp.add(a, jnp.divide(jnp.subtract(g, a), jnp.add(n, 1)))
      : jnp.add(g, a)), updates, state.accGrads);
    const [final, inner] = this.innerOpt.update(tree.map((a: JaxArray, g: JaxArray) => jnp.astype(a, g.dtype), acc, updates), state.innerOptState, params);
    const emit = jnp.equal(n, jnp.subtract(k, 1));
    const keep = jnp.logicalNot(emit);
    let out = tree.map((g: JaxArray) => jnp.multiply(emit, g).astype(g.dtype), final);
    let next: OptState = {
      miniStep: jnp.remainder(safeIncrement(n), k).astype("int32"),
      gradientStep: jnp.where(emit, safeIncrement(state.gradientStep), state.gradientStep).astype("int32"),
      innerOptState: select(emit, inner, state.innerOptState),
      accGrads: tree.map((a: JaxArray) => jnp.astype(jnp.multiply(keep, a), this.accumulatorDtype), acc),
      skipState,
    };
    if (skip !== null) {
      out = select(skip, zerosLikeTree(out), out);
      next = { ...select(skip, { ...state, skipState: [] }, { ...next, skipState: [] }), skipState };
    }
    return [out, next];
  }

  /** Whether the last update call stepped the inner optimizer. */
  hasUpdated(state: OptState): JaxArray {
    return jnp.logicalAnd(jnp.equal(state.miniStep, 0), jnp.greater(state.gradientStep, 0));
  }

  gradientTransformation(): GradientTransformation {
    return { init: this.init, update: this.update };
  }
}

/**
 * Wraps an optimizer factory so that its numeric hyperparameters live in the state (as arrays in
 * `state.hyperparams`, settable between steps) and schedules are evaluated there each step.
 * Call the result with one options object (`injectHyperparams(optax.adam)({ learningRate: 0.1 })`)
 * or with the learning rate first (`injectHyperparams(optax.sgd)(0.1, { momentum: 0.9 })`).
 */
export function injectHyperparams(innerFactory: (...args: any[]) => GradientTransformation, staticArgs: string | string[] = [],
  hyperparamDtype: DType | null = null): (...args: any[]) => GradientTransformation {
  const statics = new Set(typeof staticArgs === "string" ? [staticArgs] : staticArgs);
  return (...args: any[]) => {
    let hps: Record<string, unknown>;
    if (args.length === 1 && isPlainObject(args[0])) hps = { ...args[0] };
    else if (args.length <= 2 && (args.length < 2 || isPlainObject(args[1])) && args[0] !== undefined && !isPlainObject(args[0])) hps = { learningRate: args[0], ...(args[1] ?? {}) };
    else throw new ValueError("optax.injectHyperparams: call the wrapped factory with one options object ({ learningRate, ... }) or (learningRate, { ... }).");
    const isNum = (k: string, v: unknown) => !statics.has(k) && (typeof v === "number" || v instanceof JaxArray);
    const isSched = (k: string, v: unknown) => !statics.has(k) && typeof v === "function";
    const dtypeOf = (p: Params) => hyperparamDtype ?? ((tree.leaves(p) as JaxArray[]).some((x) => x.dtype === "float64") ? "float64" : "float32");
    // Numbers become arrays of the params' float dtype; given arrays keep theirs unless a dtype is forced.
    const conv = (v: unknown, dt: DType, forced = hyperparamDtype !== null) => {
      const a = jnp.asArray(v as number);
      return typeof v === "number" || (forced && a.dtype.startsWith("float")) ? jnp.astype(a, dt) : a;
    };
    const build = (h: Record<string, unknown>) => innerFactory({ ...hps, ...h });
    const keys = Object.keys(hps);
    return {
      init(p) {
        const dt = dtypeOf(p);
        const hyperparams: Record<string, JaxArray> = {}, hyperparamsStates: Record<string, OptState> = {};
        for (const k of keys) {
          if (isNum(k, hps[k])) hyperparams[k] = conv(hps[k], dt);
          else if (isSched(k, hps[k])) { hyperparamsStates[k] = { count: i32() }; hyperparams[k] = conv((hps[k] as any)(i32()), dt, true); }
        }
        return { count: i32(), hyperparams, hyperparamsStates, innerState: build(hyperparams).init(p) };
      },
      update(u, s, p) {
        const dt = dtypeOf(p ?? u);
        const hyperparams: Record<string, JaxArray> = { ...s.hyperparams }, hyperparamsStates: Record<string, OptState> = {};
        for (const k of keys) {
          if (isSched(k, hps[k])) {
            hyperparams[k] = conv((hps[k] as any)(s.hyperparamsStates[k].count), dt, true);
            hyperparamsStates[k] = { count: safeIncrement(s.hyperparamsStates[k].count) };
          }
        }
        const [out, innerState] = build(hyperparams).update(u, s.innerState, p);
        return [out, { count: safeIncrement(s.count), hyperparams, hyperparamsStates, innerState }];
      },
    };
  };
}

/** A MultiSteps skip function: skip when any update is NaN or infinite. */
export function skipNotFinite(updates: Params, gradientStep?: JaxArray, params?: Params): [JaxArray, OptState] {
  void gradientStep; void params;
  const numNotFinite = (tree.leaves(updates) as JaxArray[]).reduce((acc: JaxArray, x) =>
    jnp.add(acc, jnp.sum(jnp.logicalNot(jnp.isfinite(x)), { dtype: "int32" })), jnp.zeros([], { dtype: "int32" }));
  const shouldSkip = jnp.greater(numNotFinite, 0);
  return [shouldSkip, { shouldSkip, numNotFinite }];
}

/** A MultiSteps skip function (bind maxSquaredNorm): skip unless ||updates||^2 < maxSquaredNorm (so NaN skips). */
export function skipLargeUpdates(updates: Params, gradientStep: JaxArray | undefined, params: Params | undefined, maxSquaredNorm: number | JaxArray): [JaxArray, OptState] {
  void gradientStep; void params;
  const normSquared = (tree.leaves(updates) as JaxArray[]).reduce((acc: JaxArray, x) => jnp.add(acc, jnp.sum(jnp.square(x))), jnp.zeros([]));
  const shouldSkip = jnp.logicalNot(jnp.less(normSquared, maxSquaredNorm));
  return [shouldSkip, { shouldSkip, normSquared }];
}

/** stepSize * new + (1 - stepSize) * old, leaf by leaf (Polyak averaging of target networks). */
export const incrementalUpdate = (newTensors: Params, oldTensors: Params, stepSize: number | JaxArray): Params =>
  tree.map((n: JaxArray, o: JaxArray) => jnp.add(jnp.multiply(stepSize, n), jnp.multiply(jnp.subtract(1, stepSize), o)), newTensors, oldTensors);

/** newTensors when steps is a multiple of updatePeriod, else oldTensors. */
export const periodicUpdate = (newTensors: Params, oldTensors: Params, steps: number | JaxArray, updatePeriod: number | JaxArray): Params =>
  select(jnp.equal(jnp.remainder(steps, updatePeriod), 0), newTensors, oldTensors);

/** Lookahead's parameters: the fast weights the inner optimizer moves, and the slow ones synced every few steps. */
export const LookaheadParams = { initSynced: (params: Params) => ({ fast: params, slow: params }) };

/**
 * Lookahead: the fast optimizer steps every time; every syncPeriod steps the slow weights move
 * slowStepSize of the way to the fast ones and the fast weights restart from there. Params and
 * updates are { fast, slow } (LookaheadParams.initSynced(params)).
 */
export function lookahead(fastOptimizer: GradientTransformation, syncPeriod: number, slowStepSize: number | JaxArray, resetState = false): GradientTransformation {
  if (!(syncPeriod >= 1)) throw new ValueError(`optax.lookahead: syncPeriod must be >= 1, but got ${syncPeriod}.`);
  return {
    init: (p) => ({ fastState: fastOptimizer.init(p?.fast ?? p), stepsSinceSync: i32() }),
    update(u, s, p) {
      if (!p || p.fast === undefined || p.slow === undefined) throw new ValueError("optax.lookahead: update needs params { fast, slow }; start them with optax.LookaheadParams.initSynced(params).");
      let [fu, fastState] = fastOptimizer.update(u, s.fastState, p.fast);
      const sync = jnp.equal(s.stepsSinceSync, syncPeriod - 1).astype("float32");
      const diff = tree.map((f: JaxArray, x: JaxArray, sl: JaxArray) => jnp.subtract(jnp.add(f, x), sl), p.fast, fu, p.slow);
      const slow = tree.map((d: JaxArray) => jnp.multiply(jnp.multiply(slowStepSize, sync), d).astype(d.dtype), diff);
      fu = tree.map((x: JaxArray, d: JaxArray) => jnp.subtract(x, jnp.multiply(jnp.multiply(sync, jnp.subtract(1, slowStepSize)), d)).astype(x.dtype), fu, diff);
      if (resetState) {
        fastState = tree.map((c: JaxArray, i: JaxArray) => jnp.add(jnp.multiply(jnp.subtract(1, sync), c), jnp.multiply(sync, i)).astype(c.dtype), fastState, fastOptimizer.init(p.fast));
      }
      return [{ fast: fu, slow }, { fastState, stepsSinceSync: jnp.remainder(jnp.add(s.stepsSinceSync, 1), syncPeriod).astype("int32") }];
    },
  };
}

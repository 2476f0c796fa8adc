// More of optax's scaling transformations (transform.py, factorized.py, transforms/), with optax's
// defaults, state field names (camelCase) and update formulas.
import { JaxArray } from "../../core/value.js";
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { positionalOptions } from "../numpy/options.js";
import * as tree from "../tree.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random.js";
import { fullLikeTree, GradientTransformation, Params, safeIncrement, zerosLikeTree } from "./base.js";
import { biasCorrection, castTree, count0, moment, muHat, oneMinus } from "./util.js";

type Num = number | JaxArray;
const map = tree.map;
const stateless = (f: (u: JaxArray, p: JaxArray) => JaxArray, op?: string): GradientTransformation => ({
  init: () => ({}),
  update(u, s, p) {
    if (op && (p === undefined || p === null)) throw new ValueError(`optax.${op}: update needs the params; call update(updates, state, params).`);
    return [op ? map(f, u, p) : map((g: JaxArray) => f(g, g), u), s];
  },
});
const opts = <T extends object>(op: string, rest: unknown[], names: (keyof T & string)[]) => positionalOptions<T>(`optax.${op}`, rest, names);
const adamState = (mu: Params, nu: Params) => ({ count: count0(), mu, nu });
/** m / (sqrt(v + epsRoot) + eps), Adam's step. */
const adamDiv = (m: JaxArray, v: JaxArray, eps: Num, epsRoot: Num) => jnp.divide(m, jnp.add(jnp.sqrt(jnp.add(v, epsRoot)), eps));
interface B12 { b1?: Num; b2?: Num; eps?: Num }

export function scaleByAdamax(...rest: [B12?] | [b1?: Num, b2?: Num, eps?: Num]): GradientTransformation {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = opts<B12>("scaleByAdamax", rest, ["b1", "b2", "eps"]);
  return {
    init: (p) => adamState(zerosLikeTree(p), zerosLikeTree(p)),
    update(u, s) {
      const count = safeIncrement(s.count);
      const mu = map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu);
      const nu = map((g: JaxArray, t: JaxArray) => jnp.maximum(jnp.add(jnp.abs(g), eps), jnp.multiply(b2, t)), u, s.nu);
      return [map((m: JaxArray, v: JaxArray) => jnp.divide(biasCorrection(m, b1, count), v), mu, nu), { count, mu, nu }];
    },
  };
}

export interface AmsgradOptions extends B12 { epsRoot?: Num; muDtype?: DType | null; biasCorrectionMu?: boolean; biasCorrectionNu?: boolean }
export function scaleByAmsgrad(...rest: [AmsgradOptions?] | [b1?: Num, b2?: Num, eps?: Num, epsRoot?: Num, muDtype?: DType | null, biasCorrectionMu?: boolean, biasCorrectionNu?: boolean]): GradientTransformation {
  const o = opts<AmsgradOptions>("scaleByAmsgrad", rest, ["b1", "b2", "eps", "epsRoot", "muDtype", "biasCorrectionMu", "biasCorrectionNu"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = o;
  return {
    init: (p) => ({ ...adamState(castTree(zerosLikeTree(p), o.muDtype), zerosLikeTree(p)), nuMax: zerosLikeTree(p) }),
    update(u, s) {
      const mu = map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu);
      const nu = map((g: JaxArray, t: JaxArray) => moment(g, t, b2, 2), u, s.nu);
      const count = safeIncrement(s.count);
      const mh = o.biasCorrectionMu === false ? mu : muHat(mu, u, b1, count);
      const nuMax = map((m: JaxArray, v: JaxArray) => jnp.maximum(m, o.biasCorrectionNu === false ? v : biasCorrection(v, b2, count)), s.nuMax, nu);
      return [map((m: JaxArray, v: JaxArray) => adamDiv(m, v, eps, epsRoot), mh, nuMax), { count, mu: castTree(mu, o.muDtype), nu, nuMax }];
    },
  };
}

export interface RadamOptions extends B12 { epsRoot?: Num; threshold?: Num; nesterov?: boolean }
/** Rectified Adam: plain momentum until the variance estimate is trustworthy (rho >= threshold). */
export function scaleByRadam(...rest: [RadamOptions?] | [b1?: Num, b2?: Num, eps?: Num, epsRoot?: Num, threshold?: Num]): GradientTransformation {
  const o = opts<RadamOptions>("scaleByRadam", rest, ["b1", "b2", "eps", "epsRoot", "threshold"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5 } = o;
  const roInf = typeof b2 === "number" ? 2 / (1 - b2) - 1 : jnp.subtract(jnp.divide(2, jnp.subtract(1, b2)), 1);
  return {
    init: (p) => adamState(zerosLikeTree(p), zerosLikeTree(p)),
    update(u, s) {
      const mu = map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu);
      const nu = map((g: JaxArray, t: JaxArray) => moment(g, t, b2, 2), u, s.nu);
      const count = safeIncrement(s.count);
      const b2t = jnp.power(b2, jnp.astype(count, "float32"));
      const ro = jnp.subtract(roInf, jnp.divide(jnp.multiply(jnp.multiply(2, count), b2t), jnp.subtract(1, b2t)));
      const r = jnp.sqrt(jnp.divide(jnp.multiply(jnp.multiply(jnp.subtract(ro, 4), jnp.subtract(ro, 2)), roInf),
        jnp.multiply(jnp.multiply(jnp.subtract(roInf, 4), jnp.subtract(roInf, 2)), ro)));
      const mh = muHat(mu, u, b1, count, o.nesterov);
      const rect = jnp.greaterEqual(ro, threshold);
      const out = map((m: JaxArray, v: JaxArray) => jnp.where(rect,
        adamDiv(jnp.multiply(r.astype(m.dtype), m), biasCorrection(v, b2, count), eps, epsRoot), m), mh, nu);
      return [out, { count, mu, nu }];
    },
  };
}

export interface LionOptions { b1?: Num; b2?: Num; muDtype?: DType | null }
/** Lion: the sign of an interpolation of gradient and momentum. */
export function scaleByLion(...rest: [LionOptions?] | [b1?: Num, b2?: Num, muDtype?: DType | null]): GradientTransformation {
  const o = opts<LionOptions>("scaleByLion", rest, ["b1", "b2", "muDtype"]);
  const { b1 = 0.9, b2 = 0.99 } = o;
  return {
    init: (p) => ({ count: count0(), mu: castTree(zerosLikeTree(p), o.muDtype) }),
    update(u, s) {
      const out = map((g: JaxArray, m: JaxArray) => jnp.sign(moment(g, m, b1, 1)), u, s.mu);
      const mu = castTree(map((g: JaxArray, m: JaxArray) => moment(g, m, b2, 1), u, s.mu), o.muDtype);
      return [out, { count: safeIncrement(s.count), mu }];
    },
  };
}

export interface BeliefOptions extends B12 { epsRoot?: Num; nesterov?: boolean }
/** AdaBelief: the second moment tracks the gradient's deviation from its running mean. */
export function scaleByBelief(...rest: [BeliefOptions?] | [b1?: Num, b2?: Num, eps?: Num, epsRoot?: Num]): GradientTransformation {
  const o = opts<BeliefOptions>("scaleByBelief", rest, ["b1", "b2", "eps", "epsRoot"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-16, epsRoot = 1e-16 } = o;
  return {
    init: (p) => adamState(zerosLikeTree(p), zerosLikeTree(p)),
    update(u, s) {
      const mu = map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu);
      const nu = map((g: JaxArray, m: JaxArray, t: JaxArray) => jnp.add(moment(jnp.subtract(g, m), t, b2, 2), epsRoot), u, mu, s.nu);
      const count = safeIncrement(s.count);
      const out = map((m: JaxArray, v: JaxArray) => adamDiv(m, biasCorrection(v, b2, count), eps, 0), muHat(mu, u, b1, count, o.nesterov), nu);
      return [out, { count, mu, nu }];
    },
  };
}

export interface YogiOptions extends B12 { epsRoot?: Num; initialAccumulatorValue?: number }
/** Yogi: an additive, sign-controlled second-moment update. */
export function scaleByYogi(...rest: [YogiOptions?] | [b1?: Num, b2?: Num, eps?: Num, epsRoot?: Num, initialAccumulatorValue?: number]): GradientTransformation {
  const o = opts<YogiOptions>("scaleByYogi", rest, ["b1", "b2", "eps", "epsRoot", "initialAccumulatorValue"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-3, epsRoot = 0, initialAccumulatorValue: a = 1e-6 } = o;
  return {
    init: (p) => adamState(fullLikeTree(p, a), fullLikeTree(p, a)),
    update(u, s) {
      const mu = map((g: JaxArray, t: JaxArray) => moment(g, t, b1, 1), u, s.mu);
      const nu = map((g: JaxArray, v: JaxArray) => {
        const g2 = jnp.square(g);
        return jnp.subtract(v, jnp.multiply(jnp.multiply(oneMinus(b2), jnp.sign(jnp.subtract(v, g2))), g2));
      }, u, s.nu);
      const count = safeIncrement(s.count);
      const out = map((m: JaxArray, v: JaxArray) => adamDiv(biasCorrection(m, b1, count), biasCorrection(v, b2, count), eps, epsRoot), mu, nu);
      return [out, { count, mu, nu }];
    },
  };
}

export interface NovogradOptions extends B12 { epsRoot?: Num; weightDecay?: Num; muDtype?: DType | null }
/** NovoGrad: a per-layer (per-leaf) second moment of the gradient norm. */
export function scaleByNovograd(...rest: [NovogradOptions?] | [b1?: Num, b2?: Num, eps?: Num, epsRoot?: Num, weightDecay?: Num, muDtype?: DType | null]): GradientTransformation {
  const o = opts<NovogradOptions>("scaleByNovograd", rest, ["b1", "b2", "eps", "epsRoot", "weightDecay", "muDtype"]);
  const { b1 = 0.9, b2 = 0.25, eps = 1e-8, epsRoot = 0, weightDecay = 0 } = o;
  return {
    init: (p) => ({ count: count0(), mu: castTree(zerosLikeTree(p), o.muDtype), nu: map((x: JaxArray) => jnp.zeros([], { dtype: x.dtype }), p) }),
    update(u, s, p) {
      if (p === undefined || p === null) throw new ValueError("optax.scaleByNovograd: update needs the params; call update(updates, state, params).");
      const count = safeIncrement(s.count);
      const first = jnp.equal(count, 1);
      const nu = map((g: JaxArray, n: JaxArray) => {
        const sq = jnp.sum(jnp.square(g));
        return jnp.astype(jnp.where(first, sq, moment(sq, n, b2, 1)), n.dtype);
      }, u, s.nu);
      const mu = castTree(map((g: JaxArray, x: JaxArray, n: JaxArray, m: JaxArray) => {
        const add = jnp.add(jnp.divide(g, jnp.add(jnp.sqrt(jnp.add(n, epsRoot)), eps)), jnp.multiply(weightDecay, x));
        return jnp.where(first, add, jnp.add(jnp.multiply(b1, m), add));
      }, u, p, nu, s.mu), o.muDtype);
      return [mu, { count, mu, nu }];
    },
  };
}

export interface AdadeltaOptions { rho?: Num; eps?: Num }
export function scaleByAdadelta(...rest: [AdadeltaOptions?] | [rho?: Num, eps?: Num]): GradientTransformation {
  const { rho = 0.9, eps = 1e-6 } = opts<AdadeltaOptions>("scaleByAdadelta", rest, ["rho", "eps"]);
  return {
    init: (p) => ({ eG: zerosLikeTree(p), eX: zerosLikeTree(p) }),
    update(u, s) {
      const eG = map((g: JaxArray, t: JaxArray) => moment(g, t, rho, 2), u, s.eG);
      const out = map((g: JaxArray, e: JaxArray, x: JaxArray) => jnp.multiply(jnp.divide(jnp.sqrt(jnp.add(x, eps)), jnp.sqrt(jnp.add(e, eps))), g), u, eG, s.eX);
      return [out, { eG, eX: map((g: JaxArray, t: JaxArray) => moment(g, t, rho, 2), out, s.eX) }];
    },
  };
}

/** max(||x||, minNorm), with the gradient kept finite at x = 0 (optax's safe_norm). */
export function safeNorm(x: JaxArray, minNorm: Num): JaxArray {
  const norm = (y: JaxArray) => jnp.sqrt(jnp.sum(jnp.square(y)));
  const small = jnp.lessEqual(norm(x), minNorm);
  return jnp.where(small, minNorm, norm(jnp.where(small, jnp.onesLike(x), x))).astype(x.dtype);
}

function safeRms(x: JaxArray, minRms: Num): JaxArray {
  const rms = (y: JaxArray) => jnp.sqrt(jnp.mean(jnp.square(y)));
  const small = jnp.lessEqual(rms(x), minRms);
  return jnp.where(small, minRms, rms(jnp.where(small, jnp.onesLike(x), x))).astype(x.dtype);
}

export interface TrustRatioOptions { minNorm?: Num; trustCoefficient?: Num; eps?: Num }
/** Scales each leaf by ||param|| / ||update|| (LAMB, LARS, Fromage); 1 where either norm is 0. */
export function scaleByTrustRatio(...rest: [TrustRatioOptions?] | [minNorm?: Num, trustCoefficient?: Num, eps?: Num]): GradientTransformation {
  const { minNorm = 0, trustCoefficient = 1, eps = 0 } = opts<TrustRatioOptions>("scaleByTrustRatio", rest, ["minNorm", "trustCoefficient", "eps"]);
  return stateless((u, p) => {
    const pn = safeNorm(p, minNorm), un = safeNorm(u, minNorm);
    const ratio = jnp.divide(jnp.multiply(trustCoefficient, pn), jnp.add(un, eps));
    return jnp.multiply(u, jnp.where(jnp.logicalOr(jnp.equal(pn, 0), jnp.equal(un, 0)), 1, ratio).astype(u.dtype));
  }, "scaleByTrustRatio");
}

const minScaleArg = (op: string, rest: unknown[]) => opts<{ minScale?: Num }>(op, rest, ["minScale"]).minScale ?? 1e-3;
/** updates * max(||param||, minScale), leaf by leaf. */
export function scaleByParamBlockNorm(...rest: [minScale?: Num] | [{ minScale?: Num }]): GradientTransformation {
  const m = minScaleArg("scaleByParamBlockNorm", rest);
  return stateless((u, p) => jnp.multiply(u, safeNorm(p, m)), "scaleByParamBlockNorm");
}
/** updates * max(rms(param), minScale), leaf by leaf. */
export function scaleByParamBlockRms(...rest: [minScale?: Num] | [{ minScale?: Num }]): GradientTransformation {
  const m = minScaleArg("scaleByParamBlockRms", rest);
  return stateless((u, p) => jnp.multiply(u, safeRms(p, m)), "scaleByParamBlockRms");
}

export const scaleBySign = () => stateless((u) => jnp.sign(u));

/** Subtracts each leaf's mean over all axes but the first (gradient centralization); vectors pass. */
export const centralize = () => stateless((u) => (u.ndim > 1 ? jnp.subtract(u, jnp.mean(u, { axis: u.shape.slice(1).map((_, i) => i + 1), keepdims: true })) : u));

/** Divides each leaf by max(1, rms(leaf) / threshold). */
export const clipByBlockRms = (threshold: Num) => stateless((u) => jnp.divide(u, jnp.maximum(1, jnp.divide(jnp.sqrt(jnp.mean(jnp.square(u))), threshold))));

/** Replaces a step that would make a parameter negative by one that lands on zero. */
export const keepParamsNonnegative = () => stateless((u, p) => jnp.where(jnp.less(jnp.add(p, u), 0), jnp.negative(p), u), "keepParamsNonnegative");

/** Replaces NaN updates by 0 and records, per leaf, whether there were any. */
export function zeroNans(): GradientTransformation {
  return {
    init: (p) => ({ foundNan: map(() => jnp.array(false), p) }),
    update: (u) => [map((g: JaxArray) => jnp.where(jnp.isnan(g), 0, g).astype(g.dtype), u), { foundNan: map((g: JaxArray) => jnp.any(jnp.isnan(g)), u) }],
  };
}

/** Accumulates the updates over k steps and emits their sum every k-th step (zeros in between), as optax.apply_every. */
export function applyEvery(k: number | { k?: number } = 1): GradientTransformation {
  const n = typeof k === "number" ? k : k.k ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`optax.applyEvery: k must be a positive integer, got ${JSON.stringify(k)}.`);
  return {
    init: (p) => ({ count: count0(), gradAcc: zerosLikeTree(p) }),
    update(u, s) {
      const c = jnp.mod(s.count, n);
      const keep = jnp.notEqual(c, 0), emit = jnp.equal(c, n - 1);
      const acc = tree.map((g: JaxArray, ga: JaxArray) => jnp.add(jnp.multiply(keep, ga), g).astype(g.dtype), u, s.gradAcc);
      const out = tree.map((ga: JaxArray) => jnp.multiply(emit, ga).astype(ga.dtype), acc);
      return [out, { count: jnp.mod(safeIncrement(s.count), n), gradAcc: acc }];
    },
  };
}

export interface EmaOptions { debias?: boolean; accumulatorDtype?: DType | null }
/** An exponential moving average of the updates, optionally bias-corrected. */
export function ema(decay: Num, ...rest: [EmaOptions?] | [debias?: boolean, accumulatorDtype?: DType | null]): GradientTransformation {
  const o = opts<EmaOptions>("ema", rest, ["debias", "accumulatorDtype"]);
  return {
    init: (p) => ({ count: count0(), ema: castTree(zerosLikeTree(p), o.accumulatorDtype) }),
    update(u, s) {
      const e = map((g: JaxArray, t: JaxArray) => moment(g, t, decay, 1), u, s.ema);
      const count = safeIncrement(s.count);
      return [o.debias === false ? e : map((t: JaxArray) => biasCorrection(t, decay, count), e), { count, ema: castTree(e, o.accumulatorDtype) }];
    },
  };
}

/** Adds Gaussian noise of variance eta / step^gamma (noisy SGD); `key` is a PRNG key or an integer seed. */
export function addNoise(eta: Num, gamma: Num, key: JaxArray | number = 0): GradientTransformation {
  return {
    init: () => ({ count: count0(), rngKey: typeof key === "number" ? random.key(key) : key }),
    update(u, s) {
      const count = safeIncrement(s.count);
      const std = jnp.sqrt(jnp.divide(eta, jnp.power(jnp.astype(count, "float32"), gamma)));
      const ks = random.split(s.rngKey);
      const [ls, def] = tree.flatten(u) as [JaxArray[], tree.TreeDef];
      const keys = random.split(jnp.take(ks, 1, 0), ls.length);
      const out = ls.map((g, i) => jnp.add(g, jnp.multiply(std, random.normal(jnp.take(keys, i, 0), g.shape, g.dtype)).astype(g.dtype)));
      return [tree.unflatten(def, out), { count, rngKey: jnp.take(ks, 0, 0) }];
    },
  };
}

export interface FactoredRmsOptions {
  factored?: boolean; decayRate?: number; stepOffset?: number; minDimSizeToFactor?: number; epsilon?: number;
  decayRateFn?: (step: JaxArray, decayRate: number) => JaxArray;
}
/** Adafactor's second moments: row and column averages for matrices with two large dims, full otherwise. */
export function scaleByFactoredRms(...rest: [FactoredRmsOptions?] |
  [factored?: boolean, decayRate?: number, stepOffset?: number, minDimSizeToFactor?: number, epsilon?: number, decayRateFn?: FactoredRmsOptions["decayRateFn"]]): GradientTransformation {
  const o = opts<FactoredRmsOptions>("scaleByFactoredRms", rest, ["factored", "decayRate", "stepOffset", "minDimSizeToFactor", "epsilon", "decayRateFn"]);
  const { factored = true, decayRate = 0.8, stepOffset = 0, minDimSizeToFactor = 128, epsilon = 1e-30 } = o;
  const rateFn = o.decayRateFn ?? ((i: JaxArray, e: number) => jnp.subtract(1, jnp.power(jnp.astype(jnp.add(i, 1), "float32"), -e)));
  // [second-largest, largest] dims, when both are big enough to factor.
  const dims = (shape: number[]): [number, number] | null => {
    if (!factored || shape.length < 2) return null;
    const order = shape.map((_, i) => i).sort((a, b) => shape[a] - shape[b] || a - b);
    const [d1, d0] = order.slice(-2);
    return shape[d1] < minDimSizeToFactor ? null : [d1, d0];
  };
  const one = (x: JaxArray) => jnp.zeros([1], { dtype: x.dtype });
  const drop = (x: JaxArray, ax: number) => jnp.zeros(x.shape.filter((_, i) => i !== ax), { dtype: x.dtype });
  return {
    init(p) {
      const f = (x: JaxArray) => dims(x.shape);
      return {
        count: count0(),
        vRow: map((x: JaxArray) => (f(x) ? drop(x, f(x)![1]) : one(x)), p),
        vCol: map((x: JaxArray) => (f(x) ? drop(x, f(x)![0]) : one(x)), p),
        v: map((x: JaxArray) => (f(x) ? one(x) : jnp.zerosLike(x)), p),
      };
    },
    update(u, s, p) {
      if (p === undefined || p === null) throw new ValueError("optax.scaleByFactoredRms: update needs the params; call update(updates, state, params).");
      const d = rateFn(jnp.subtract(s.count, stepOffset), decayRate);
      const ema = (t: JaxArray, x: JaxArray) => jnp.astype(jnp.add(jnp.multiply(d, t), jnp.multiply(jnp.subtract(1, d), x)), t.dtype);
      const res = map((g: JaxArray, vr: JaxArray, vc: JaxArray, v: JaxArray) => {
        const g2 = jnp.add(jnp.square(g), epsilon);
        const fd = dims(g.shape);
        if (!fd) {
          const nv = ema(v, g2);
          return { u: jnp.multiply(g, jnp.rsqrt(nv)), vr, vc, v: nv };
        }
        const [d1, d0] = fd;
        const nr = ema(vr, jnp.mean(g2, { axis: d0 })), nc = ema(vc, jnp.mean(g2, { axis: d1 }));
        const rowFactor = jnp.rsqrt(jnp.divide(nr, jnp.mean(nr, { axis: d1 > d0 ? d1 - 1 : d1, keepdims: true })));
        const out = jnp.multiply(jnp.multiply(g, jnp.expandDims(rowFactor, d0)), jnp.expandDims(jnp.rsqrt(nc), d1));
        return { u: out, vr: nr, vc: nc, v };
      }, u, s.vRow, s.vCol, s.v);
      const pick = (k: string) => map((g: JaxArray, r: any) => r[k], u, res);
      return [pick("u"), { count: safeIncrement(s.count), vRow: pick("vr"), vCol: pick("vc"), v: pick("v") }];
    },
  };
}

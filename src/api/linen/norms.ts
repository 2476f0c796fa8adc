// flax.linen's RMSNorm, GroupNorm and InstanceNorm, sharing flax's statistics and normalize steps.
import { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { Initializer, ones, zeros } from "../initializers.js";
import { Module, ModuleOptions } from "./module.js";
import { fields, normAxes } from "./fields.js";

interface NormCommon extends ModuleOptions {
  epsilon?: number; dtype?: DType; paramDtype?: DType; useBias?: boolean; useScale?: boolean;
  biasInit?: Initializer; scaleInit?: Initializer; useFastVariance?: boolean;
}
type MaskArg = { mask?: ArrayLike | null };

/** Mean and variance over `axes` (kept as size-1), in float32, optionally where `mask`; flax's _compute_stats. */
function stats(x: JaxArray, axes: number[], useMean: boolean, fast: boolean, mask?: ArrayLike | null): [JaxArray, JaxArray] {
  const m = mask == null ? null : jnp.broadcastTo(jnp.astype(mask, "bool"), x.shape);
  const mean = (v: JaxArray) => (m ? jnp.divide(jnp.sum(jnp.where(m, v, 0), { axis: axes, keepdims: true }), jnp.sum(m, { axis: axes, keepdims: true }))
    : jnp.mean(v, { axis: axes, keepdims: true }));
  if (x.dtype !== "float32" && x.dtype !== "float64") x = jnp.astype(x, "float32");
  if (!useMean) { const v = mean(jnp.square(x)); return [jnp.zerosLike(v), v]; }
  const mu = mean(x);
  return [mu, fast ? jnp.maximum(0, jnp.subtract(mean(jnp.square(x)), jnp.square(mu))) : mean(jnp.square(jnp.subtract(x, mu)))];
}

/** (x - mean) * rsqrt(var + eps) * scale + bias, scale and bias over `feat` axes (flax's _normalize). */
function normalize(m: Module, x: JaxArray, mean: JaxArray, v: JaxArray, feat: number[], o: NormCommon, useBias: boolean): JaxArray {
  const fshape = x.shape.map((d, i) => (feat.includes(i) ? d : 1)), pshape = feat.map((i) => x.shape[i]);
  let mul = jnp.rsqrt(jnp.add(v, o.epsilon ?? 1e-6));
  if (o.useScale ?? true) mul = jnp.multiply(mul, jnp.reshape(m.param("scale", o.scaleInit ?? ones, pshape, o.paramDtype), fshape));
  let y = jnp.multiply(jnp.subtract(x, mean), mul);
  if (useBias) y = jnp.add(y, jnp.reshape(m.param("bias", o.biasInit ?? zeros, pshape, o.paramDtype), fshape));
  return o.dtype ? jnp.astype(y, o.dtype) : y;
}

const maskOf = (op: string, opts?: MaskArg) => {
  if (opts !== undefined && (typeof opts !== "object" || opts === null || Object.keys(opts).some((k) => k !== "mask"))) {
    throw new ValueError(`linen.${op}: call(x, { mask }) takes only a mask option, but got ${JSON.stringify(opts)}.`);
  }
  return opts?.mask;
};

export interface RMSNormOptions extends NormCommon { reductionAxes?: number | number[]; featureAxes?: number | number[] }

/** x * rsqrt(mean(x^2) + eps) * scale over `reductionAxes` (default -1); no bias, no centering. */
export class RMSNorm extends Module {
  o: RMSNormOptions;
  constructor(epsilon?: number | RMSNormOptions, ...rest: unknown[]) {
    const o = fields<RMSNormOptions>("RMSNorm", ["epsilon", "dtype", "paramDtype", "useScale", "scaleInit", "reductionAxes", "featureAxes"], [epsilon, ...rest], 0);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike, opts?: MaskArg): JaxArray {
    const a = jnp.asArray(x), o = this.o;
    const [mean, v] = stats(a, normAxes(o.reductionAxes ?? -1, a.ndim), false, o.useFastVariance ?? true, maskOf("RMSNorm", opts));
    return normalize(this, a, mean, v, normAxes(o.featureAxes ?? -1, a.ndim), o, false);
  }
}

export interface GroupNormOptions extends NormCommon { numGroups?: number | null; groupSize?: number | null; reductionAxes?: number | number[] | null }

/** Normalizes groups of channels (the last axis) over every other non-batch axis; numGroups = 32 unless groupSize is given with numGroups: null. */
export class GroupNorm extends Module {
  o: GroupNormOptions;
  constructor(numGroups?: number | null | GroupNormOptions, ...rest: unknown[]) {
    const o = fields<GroupNormOptions>("GroupNorm", ["numGroups", "groupSize", "epsilon", "dtype", "paramDtype", "useBias", "useScale", "biasInit", "scaleInit", "reductionAxes"], [numGroups, ...rest], 0);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike, opts?: MaskArg): JaxArray {
    const a = jnp.asArray(x), o = this.o, nd = a.ndim, C = a.shape[nd - 1];
    const red = normAxes(o.reductionAxes ?? [...Array.from({ length: Math.max(nd - 2, 0) }, (_, i) => i + 1), -1], nd).sort((p, q) => p - q);
    if (red[red.length - 1] !== nd - 1) throw new ValueError(`linen.GroupNorm: reductionAxes ${JSON.stringify(o.reductionAxes)} must include the last (feature) axis.`);
    const ng = o.numGroups === undefined ? (o.groupSize == null ? 32 : null) : o.numGroups;
    if ((ng == null) === (o.groupSize == null)) {
      throw new ValueError("linen.GroupNorm: give exactly one of numGroups and groupSize (to use groupSize, pass numGroups: null).");
    }
    if (o.groupSize != null && C % o.groupSize !== 0) throw new ValueError(`linen.GroupNorm: channels (${C}) not a multiple of groupSize (${o.groupSize}).`);
    const groups = ng ?? C / o.groupSize!;
    if (!(groups > 0) || C % groups !== 0) throw new ValueError(`linen.GroupNorm: numGroups (${groups}) does not divide channels (${C}).`);
    const gshape = [...a.shape.slice(0, -1), groups, C / groups];
    const mask = maskOf("GroupNorm", opts);
    const m = mask == null ? null : jnp.reshape(jnp.broadcastTo(mask, a.shape), gshape);
    let [mean, v] = stats(jnp.reshape(a, gshape), [...red.slice(0, -1), nd], true, o.useFastVariance ?? true, m);
    [mean, v] = [mean, v].map((s) => jnp.reshape(jnp.broadcastTo(s, [...s.shape.slice(0, -1), C / groups]), [...s.shape.slice(0, -2), C]));
    return normalize(this, a, mean, v, [nd - 1], o, o.useBias ?? true);
  }
}

export interface InstanceNormOptions extends NormCommon { featureAxes?: number | number[] }

/** Normalizes each example and channel over the remaining (spatial) axes. */
export class InstanceNorm extends Module {
  o: InstanceNormOptions;
  constructor(epsilon?: number | InstanceNormOptions, ...rest: unknown[]) {
    const o = fields<InstanceNormOptions>("InstanceNorm", ["epsilon", "dtype", "paramDtype", "useBias", "useScale", "biasInit", "scaleInit", "featureAxes"], [epsilon, ...rest], 0);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike, opts?: MaskArg): JaxArray {
    const a = jnp.asArray(x), o = this.o, feat = normAxes(o.featureAxes ?? -1, a.ndim);
    if (feat.includes(0)) throw new ValueError("linen.InstanceNorm: featureAxes cannot include axis 0, the batch axis.");
    const red = a.shape.map((_, i) => i).filter((i) => i > 0 && !feat.includes(i));
    const [mean, v] = stats(a, red, true, o.useFastVariance ?? true, maskOf("InstanceNorm", opts));
    return normalize(this, a, mean, v, feat, o, o.useBias ?? true);
  }
}

// hk.LayerNorm, hk.RMSNorm and hk.GroupNorm: haiku's parameter names ("scale", "offset"), shapes
// (param_axis -1 gives [C]) and formulas (rsqrt(var + eps), variance by jnp.var).
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { getParameter, HkInitializer, Module } from "./base.js";
import { channelIndex, hkArgs } from "./args.js";
import { Constant } from "./initializers.js";

/** An axis, axes, or a Python-style slice of axes ({ start, stop }, e.g. haiku's slice(1, None) is { start: 1 }). */
export type HkAxis = number | readonly number[] | { start?: number | null; stop?: number | null };

/** haiku's to_abs_axes: the slice's axes, or the given ones sorted, made non-negative. */
export function absAxes(op: string, axis: HkAxis, ndim: number): number[] {
  if (typeof axis === "number") axis = [axis];
  if (Array.isArray(axis)) {
    if (axis.some((a) => !Number.isInteger(a))) throw new ValueError(`haiku.${op}: axis should be an int, ints or a slice { start, stop }, but got [${axis}].`);
    return [...new Set(axis.map((a: number) => ((a % ndim) + ndim) % ndim))].sort((a, b) => a - b);
  }
  const { start, stop } = axis as { start?: number | null; stop?: number | null };
  const norm = (v: number | null | undefined, d: number) => (v === undefined || v === null ? d : Math.min(ndim, Math.max(0, v < 0 ? v + ndim : v)));
  const lo = norm(start, 0), hi = norm(stop, ndim);
  return Array.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
}

const paramShape = (x: JaxArray, paramAxis: number[]) =>
  paramAxis.length === 1 && paramAxis[0] === x.ndim - 1 ? [x.shape[x.ndim - 1]] : x.shape.map((d, i) => (paramAxis.includes(i) ? d : 1));

function noInitWithout(op: string, create: boolean | undefined, init: unknown, what: string) {
  if (!create && init !== undefined) throw new ValueError(`haiku.${op}: cannot set ${what}Init when create${what[0].toUpperCase()}${what.slice(1)} is false.`);
}

function callTimeParam(op: string, create: boolean, given: ArrayLike | undefined | null, what: string) {
  if (create && given !== undefined && given !== null) throw new ValueError(`haiku.${op}: cannot pass ${what} at call time when create${what[0].toUpperCase()}${what.slice(1)} is true.`);
}

export interface LayerNormOptions {
  axis: HkAxis; createScale: boolean; createOffset: boolean; eps?: number; scaleInit?: HkInitializer; offsetInit?: HkInitializer;
  useFastVariance?: boolean; name?: string; paramAxis?: HkAxis;
}
const LN = ["axis", "createScale", "createOffset", "eps", "scaleInit", "offsetInit", "useFastVariance", "name"];

export class LayerNorm extends Module {
  readonly o: LayerNormOptions;
  /** LayerNorm(axis, createScale, createOffset, eps = 1e-5, scaleInit, offsetInit, useFastVariance, name, { paramAxis }) or one options object. */
  constructor(...args: [LayerNormOptions] | [axis: HkAxis, createScale: boolean, createOffset: boolean, ...rest: unknown[]]) {
    const o = hkArgs<LayerNormOptions>("LayerNorm", args, LN, 3, ["paramAxis"]);
    super(o.name);
    noInitWithout("LayerNorm", o.createScale, o.scaleInit, "scale");
    noInitWithout("LayerNorm", o.createOffset, o.offsetInit, "offset");
    this.o = o;
  }
  call(inputs: ArrayLike, scale?: ArrayLike | null, offset?: ArrayLike | null): JaxArray {
    const x = jnp.asArray(inputs), o = this.o;
    callTimeParam("LayerNorm", o.createScale, scale, "scale");
    callTimeParam("LayerNorm", o.createOffset, offset, "offset");
    const axis = absAxes("LayerNorm", o.axis, x.ndim);
    const mean = jnp.mean(x, { axis, keepdims: true });
    const variance = o.useFastVariance ? jnp.subtract(jnp.mean(jnp.square(x), { axis, keepdims: true }), jnp.square(mean)) : jnp.var(x, { axis, keepdims: true });
    const ps = paramShape(x, absAxes("LayerNorm", o.paramAxis ?? -1, x.ndim));
    const s = o.createScale ? getParameter("scale", ps, x.dtype, o.scaleInit ?? Constant(1)) : scale ?? 1;
    const b = o.createOffset ? getParameter("offset", ps, x.dtype, o.offsetInit ?? Constant(0)) : offset ?? 0;
    const inv = jnp.multiply(s, jnp.rsqrt(jnp.add(variance, o.eps ?? 1e-5)));
    return jnp.add(jnp.multiply(inv, jnp.subtract(x, mean)), b);
  }
}

export interface RMSNormOptions { axis: HkAxis; eps?: number; scaleInit?: HkInitializer; name?: string; createScale?: boolean; paramAxis?: HkAxis }

export class RMSNorm extends Module {
  readonly o: RMSNormOptions;
  /** RMSNorm(axis, eps = 1e-5, scaleInit, name, createScale = true, { paramAxis }) or one options object. */
  constructor(...args: [RMSNormOptions] | [axis: HkAxis, ...rest: unknown[]]) {
    const o = hkArgs<RMSNormOptions>("RMSNorm", args, ["axis", "eps", "scaleInit", "name", "createScale"], 1, ["paramAxis"]);
    super(o.name);
    noInitWithout("RMSNorm", o.createScale ?? true, o.scaleInit, "scale");
    this.o = o;
  }
  call(inputs: ArrayLike): JaxArray {
    const x = jnp.asArray(inputs), o = this.o;
    const axis = absAxes("RMSNorm", o.axis, x.ndim);
    const s = o.createScale ?? true ? getParameter("scale", paramShape(x, absAxes("RMSNorm", o.paramAxis ?? -1, x.ndim)), x.dtype, o.scaleInit ?? Constant(1)) : 1;
    const ms = jnp.mean(jnp.square(x), { axis, keepdims: true });
    return jnp.multiply(jnp.multiply(x, s), jnp.rsqrt(jnp.add(ms, o.eps ?? 1e-5)));
  }
}

export interface GroupNormOptions {
  groups: number; axis?: HkAxis; createScale?: boolean; createOffset?: boolean; eps?: number; scaleInit?: HkInitializer;
  offsetInit?: HkInitializer; dataFormat?: string; name?: string;
}

export class GroupNorm extends Module {
  readonly o: GroupNormOptions;
  private rank?: number;
  /** GroupNorm(groups, axis = slice(1, None), createScale = true, createOffset = true, eps = 1e-5, scaleInit, offsetInit, dataFormat = "channels_last", name) or options. */
  constructor(...args: [GroupNormOptions] | [groups: number, ...rest: unknown[]]) {
    const o = hkArgs<GroupNormOptions>("GroupNorm", args, ["groups", "axis", "createScale", "createOffset", "eps", "scaleInit", "offsetInit", "dataFormat", "name"], 1);
    super(o.name);
    noInitWithout("GroupNorm", o.createScale ?? true, o.scaleInit, "scale");
    noInitWithout("GroupNorm", o.createOffset ?? true, o.offsetInit, "offset");
    channelIndex("GroupNorm", o.dataFormat ?? "channels_last");
    this.o = o;
  }
  call(inputs: ArrayLike, scale?: ArrayLike | null, offset?: ArrayLike | null): JaxArray {
    const x = jnp.asArray(inputs), o = this.o, g = o.groups;
    const createScale = o.createScale ?? true, createOffset = o.createOffset ?? true;
    if (this.rank !== undefined && x.ndim !== this.rank) throw new ValueError(`haiku.GroupNorm: input rank changed between calls (${this.rank} -> ${x.ndim}).`);
    this.rank = x.ndim;
    callTimeParam("GroupNorm", createScale, scale, "scale");
    callTimeParam("GroupNorm", createOffset, offset, "offset");
    const ci = channelIndex("GroupNorm", o.dataFormat ?? "channels_last");
    const c = x.shape[ci === 1 ? 1 : x.ndim - 1];
    if (c % g !== 0) throw new ValueError(`haiku.GroupNorm: channels (${c}) must be divisible by groups (${g}).`);
    // Channels split into [groups, c / groups]; the group axis is never reduced over.
    let axis = absAxes("GroupNorm", o.axis ?? { start: 1 }, x.ndim);
    let groupShape: number[];
    if (ci === -1) {
      axis = axis.map((a) => (a === x.ndim - 1 ? a + 1 : a));
      groupShape = [-1, ...x.shape.slice(1, -1), g, c / g];
    } else {
      axis = axis.map((a) => (a === 0 ? a : a + 1));
      groupShape = [-1, g, c / g, ...x.shape.slice(2)];
    }
    const ps = ci === -1 ? [c] : [c, ...Array(x.ndim - 2).fill(1)];
    const s = createScale ? getParameter("scale", ps, x.dtype, o.scaleInit ?? Constant(1)) : scale;
    const b = createOffset ? getParameter("offset", ps, x.dtype, o.offsetInit ?? Constant(0)) : offset;
    const xg = jnp.reshape(x, groupShape);
    const mean = jnp.mean(xg, { axis, keepdims: true }), variance = jnp.var(xg, { axis, keepdims: true });
    let y = jnp.reshape(jnp.multiply(jnp.subtract(xg, mean), jnp.rsqrt(jnp.add(variance, o.eps ?? 1e-5))), [-1, ...x.shape.slice(1)]);
    // lax.broadcast_to_rank: leading axes added.
    const toRank = (v: ArrayLike) => { const a = jnp.asArray(v); return jnp.reshape(a, [...Array(Math.max(0, x.ndim - a.ndim)).fill(1), ...a.shape]); };
    if (s !== undefined && s !== null) y = jnp.multiply(y, toRank(s));
    if (b !== undefined && b !== null) y = jnp.add(y, toRank(b));
    return y;
  }
}

type InstanceNormOptions = Omit<LayerNormOptions, "axis" | "paramAxis" | "useFastVariance"> & { dataFormat?: string };

/** hk.InstanceNorm: LayerNorm over the spatial axes, parameters per channel. */
export class InstanceNorm extends LayerNorm {
  /** InstanceNorm(createScale, createOffset, eps = 1e-5, scaleInit, offsetInit, dataFormat = "channels_last", name) or options. */
  constructor(...args: [InstanceNormOptions] | [createScale: boolean, createOffset: boolean, ...rest: unknown[]]) {
    const { dataFormat, ...o } = hkArgs<InstanceNormOptions>("InstanceNorm", args, ["createScale", "createOffset", "eps", "scaleInit", "offsetInit", "dataFormat", "name"], 2);
    const ci = channelIndex("InstanceNorm", dataFormat ?? "channels_last");
    super({ ...o, axis: ci === 1 ? { start: 2 } : { start: 1, stop: -1 }, paramAxis: ci });
  }
}

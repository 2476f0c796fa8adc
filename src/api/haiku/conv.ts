// hk.ConvND (Conv1D, Conv2D, Conv3D) and hk.ConvNDTranspose (Conv1DTranspose, Conv2DTranspose,
// Conv3DTranspose): w [*kernel, in / groups, out] (transposed: [*kernel, out, in]), b [out] or
// [out, 1, ...] channels-first, default w init TruncatedNormal(1 / sqrt(fan_in)).
import { ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as jnp from "../numpy/index.js";
import { convGeneralDilated, convTransposePadding, Padding } from "../conv.js";
import { getParameter, HkInitializer, Module } from "./base.js";
import { channelIndex, hkArgs, replicate } from "./args.js";
import { Constant, TruncatedNormal } from "./initializers.js";

type Ints = number | readonly number[];

export interface ConvOptions {
  outputChannels: number; kernelShape: Ints; stride?: Ints; rate?: Ints; padding?: Padding | "same" | "valid"; withBias?: boolean;
  wInit?: HkInitializer; bInit?: HkInitializer; dataFormat?: string; mask?: ArrayLike; featureGroupCount?: number; name?: string;
}
/** Conv2D's options (haiku's names). */
export type Conv2DOptions = ConvOptions;
export interface ConvTransposeOptions {
  outputChannels: number; kernelShape: Ints; stride?: Ints; outputShape?: Ints; padding?: Padding | "same" | "valid"; withBias?: boolean;
  wInit?: HkInitializer; bInit?: HkInitializer; dataFormat?: string; mask?: ArrayLike; name?: string;
}

const CONV = ["outputChannels", "kernelShape", "stride", "rate", "padding", "withBias", "wInit", "bInit", "dataFormat", "mask", "featureGroupCount", "name"];
const CONV_T = ["outputChannels", "kernelShape", "stride", "outputShape", "padding", "withBias", "wInit", "bInit", "dataFormat", "mask", "name"];
export type ConvArgs = [ConvOptions] | [outputChannels: number, kernelShape: Ints, ...rest: unknown[]];
export type ConvTransposeArgs = [ConvTransposeOptions] | [outputChannels: number, kernelShape: Ints, ...rest: unknown[]];

abstract class ConvBase extends Module {
  readonly kernelShape: number[];
  readonly stride: number[];
  readonly ci: 1 | -1;
  constructor(readonly nd: number, readonly op: string, readonly o: ConvOptions & ConvTransposeOptions) {
    super(o.name);
    if (!(nd >= 1 && nd <= 3)) throw new ValueError(`haiku.${op}: numSpatialDims must be 1, 2 or 3, but got ${nd}.`);
    this.kernelShape = replicate(op, o.kernelShape, nd, "kernelShape");
    this.stride = replicate(op, o.stride ?? 1, nd, "stride");
    this.ci = channelIndex(op, o.dataFormat ?? "channels_last");
  }
  /** Batches an unbatched input, checks the rank, runs conv(x, specs), adds the bias. */
  protected apply(inputs: ArrayLike, conv: (x: JaxArray, lhs: string, sp: string) => JaxArray): JaxArray {
    const x0 = jnp.asArray(inputs), nd = this.nd;
    if (x0.ndim !== nd + 1 && x0.ndim !== nd + 2) throw new ValueError(`haiku.${this.op}: input needs rank ${nd + 1} or ${nd + 2}, but has shape [${x0.shape}].`);
    const unbatched = x0.ndim === nd + 1;
    const x = unbatched ? jnp.expandDims(x0, 0) : x0;
    const sp = "DHW".slice(3 - nd);
    let y = conv(x, this.ci === -1 ? `N${sp}C` : `NC${sp}`, sp);
    if (this.o.withBias ?? true) {
      const n = y.shape[this.ci === -1 ? y.ndim - 1 : 1];
      y = jnp.add(y, getParameter("b", this.ci === -1 ? [n] : [n, ...Array(nd).fill(1)], x.dtype, this.o.bInit ?? Constant(0)));
    }
    return unbatched ? jnp.squeeze(y, 0) : y;
  }
  protected weight(x: JaxArray, shape: number[], fanIn: number): JaxArray {
    const m = this.o.mask;
    if (m !== undefined && jnp.asArray(m).shape.join() !== shape.join()) throw new ValueError(`haiku.${this.op}: mask needs the weights' shape [${shape}], but has [${jnp.asArray(m).shape}].`);
    const w = getParameter("w", shape, x.dtype, this.o.wInit ?? TruncatedNormal(1 / Math.sqrt(fanIn)));
    return m === undefined ? w : jnp.multiply(w, m);
  }
}

const pad = (p: ConvOptions["padding"]) => (typeof p === "string" ? (p.toUpperCase() as "SAME" | "VALID") : p ?? "SAME");

/** hk.ConvND(numSpatialDims, outputChannels, kernelShape, stride = 1, rate = 1, padding = "SAME", withBias, wInit, bInit, dataFormat = "channels_last", mask, featureGroupCount = 1, name). */
export class ConvND extends ConvBase {
  constructor(numSpatialDims: number, ...args: ConvArgs) {
    super(numSpatialDims, new.target.name, hkArgs(new.target.name, args, CONV, 2));
  }
  call(inputs: ArrayLike): JaxArray {
    return this.apply(inputs, (x, lhs, sp) => {
      const g = this.o.featureGroupCount ?? 1, cin = x.shape[this.ci === -1 ? x.ndim - 1 : 1];
      if (cin % g !== 0) throw new ValueError(`haiku.${this.op}: input channels ${cin} should be a multiple of featureGroupCount ${g}.`);
      const shape = [...this.kernelShape, cin / g, this.o.outputChannels];
      const w = this.weight(x, shape, shape.slice(0, -1).reduce((a, b) => a * b, 1));
      return convGeneralDilated(x, w, this.stride, pad(this.o.padding), { rhsDilation: replicate(this.op, this.o.rate ?? 1, this.nd, "rate"), dimensionNumbers: [lhs, `${sp}IO`, lhs], featureGroupCount: g });
    });
  }
}

/** Conv1D(outputChannels, kernelShape, stride, rate, padding, withBias, wInit, bInit, dataFormat = "NWC", mask, featureGroupCount, name). */
export class Conv1D extends ConvND {
  constructor(...args: ConvArgs) { super(1, ...(withFormat(args, "NWC") as ConvArgs)); }
}
/** Conv2D(outputChannels, kernelShape, stride, rate, padding, withBias, wInit, bInit, dataFormat = "NHWC", mask, featureGroupCount, name). */
export class Conv2D extends ConvND {
  constructor(...args: ConvArgs) { super(2, ...(withFormat(args, "NHWC") as ConvArgs)); }
}
/** Conv3D(outputChannels, kernelShape, ..., dataFormat = "NDHWC", ...). */
export class Conv3D extends ConvND {
  constructor(...args: ConvArgs) { super(3, ...(withFormat(args, "NDHWC") as ConvArgs)); }
}

// Subclasses differ from ConvND only in their default data format; the op name stays the subclass's.
function withFormat(args: unknown[], fmt: string): unknown[] {
  const last = args[args.length - 1];
  const named = typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype;
  if (args[8] !== undefined && args[8] !== null) return args;
  if (named && (last as ConvOptions).dataFormat) return args;
  return named ? [...args.slice(0, -1), { dataFormat: fmt, ...(last as object) }] : [...args, { dataFormat: fmt }];
}

/** haiku's compute_adjusted_padding: the (lo, hi) padding that gives a transposed conv the requested output size. */
function adjustedPadding(op: string, inSize: number, outSize: number, k: number, s: number, padding: string): [number, number] {
  const expect = padding === "VALID" ? Math.floor((outSize - k + s) / s) : Math.floor((outSize + s - 1) / s);
  if (inSize !== expect) throw new ValueError(`haiku.${op}: with outputShape ${outSize} the input size should be ${expect}, but it is ${inSize}.`);
  const before = padding === "VALID" ? 0 : Math.floor(Math.max(0, (inSize - 1) * s + k - outSize) / 2);
  const lo = k - 1 - before;
  return [lo, outSize + k - 1 - ((inSize - 1) * s + 1) - lo];
}

/** hk.ConvNDTranspose(numSpatialDims, outputChannels, kernelShape, stride = 1, outputShape, padding = "SAME", withBias, wInit, bInit, dataFormat, mask, name). */
export class ConvNDTranspose extends ConvBase {
  constructor(numSpatialDims: number, ...args: ConvTransposeArgs) {
    const op = new.target.name, o = hkArgs<ConvTransposeOptions>(op, args, CONV_T, 2);
    if (o.outputShape !== undefined && typeof o.padding !== "string" && o.padding !== undefined) throw new ValueError(`haiku.${op}: with outputShape, padding must be "VALID" or "SAME".`);
    super(numSpatialDims, op, o);
  }
  call(inputs: ArrayLike): JaxArray {
    return this.apply(inputs, (x, lhs, sp) => {
      const cin = x.shape[this.ci === -1 ? x.ndim - 1 : 1], k = this.kernelShape, s = this.stride;
      const w = this.weight(x, [...k, this.o.outputChannels, cin], k.reduce((a, b) => a * b, cin));
      const p = pad(this.o.padding);
      let pads: [number, number][];
      if (this.o.outputShape !== undefined) {
        const out = replicate(this.op, this.o.outputShape, this.nd, "outputShape");
        const ins = this.ci === 1 ? x.shape.slice(2) : x.shape.slice(1, -1);
        pads = ins.map((n, i) => adjustedPadding(this.op, n, out[i], k[i], s[i], p as string));
      } else pads = typeof p === "string" ? k.map((ki, i) => convTransposePadding(ki, s[i], p)) : p.map(([a, b]) => [a, b]);
      return convGeneralDilated(x, w, Array(this.nd).fill(1), pads, { lhsDilation: s, dimensionNumbers: [lhs, `${sp}OI`, lhs] });
    });
  }
}

/** Conv1DTranspose(outputChannels, kernelShape, stride, outputShape, padding, withBias, wInit, bInit, dataFormat = "NWC", mask, name). */
export class Conv1DTranspose extends ConvNDTranspose {
  constructor(...args: ConvTransposeArgs) { super(1, ...(withFormat(args, "NWC") as ConvTransposeArgs)); }
}
/** Conv2DTranspose(outputChannels, kernelShape, stride, outputShape, padding, withBias, wInit, bInit, dataFormat = "NHWC", mask, name). */
export class Conv2DTranspose extends ConvNDTranspose {
  constructor(...args: ConvTransposeArgs) { super(2, ...(withFormat(args, "NHWC") as ConvTransposeArgs)); }
}
/** Conv3DTranspose(..., dataFormat = "NDHWC", ...). */
export class Conv3DTranspose extends ConvNDTranspose {
  constructor(...args: ConvTransposeArgs) { super(3, ...(withFormat(args, "NDHWC") as ConvTransposeArgs)); }
}

export interface DepthwiseConv2DOptions extends Omit<ConvOptions, "outputChannels" | "mask" | "featureGroupCount"> { channelMultiplier: number }

/**
 * hk.DepthwiseConv2D(channelMultiplier, kernelShape, stride = 1, rate = 1, padding = "SAME", withBias,
 * wInit, bInit, dataFormat = "NHWC", name): w [*kernel, 1, C * multiplier], one group per channel.
 */
export class DepthwiseConv2D extends ConvBase {
  constructor(...args: [DepthwiseConv2DOptions] | [channelMultiplier: number, kernelShape: Ints, ...rest: unknown[]]) {
    const o = hkArgs<DepthwiseConv2DOptions>("DepthwiseConv2D", withFormat(args, "NHWC"), ["channelMultiplier", "kernelShape", "stride", "rate", "padding", "withBias", "wInit", "bInit", "dataFormat", "name"], 2);
    super(2, "DepthwiseConv2D", { ...o, outputChannels: o.channelMultiplier });
  }
  call(inputs: ArrayLike): JaxArray {
    return this.apply(inputs, (x, lhs, sp) => {
      const c = x.shape[this.ci === -1 ? x.ndim - 1 : 1], k = this.kernelShape;
      const w = this.weight(x, [...k, 1, this.o.outputChannels * c], k[0] * k[1]);
      return convGeneralDilated(x, w, this.stride, pad(this.o.padding), { rhsDilation: replicate(this.op, this.o.rate ?? 1, 2, "rate"), dimensionNumbers: [lhs, `${sp}IO`, lhs], featureGroupCount: c });
    });
  }
}

// flax.linen's DenseGeneral, Einsum and ConvTranspose: flax's field order, param names, shapes and inits.
import { DType } from "../../core/dtype.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import { dotGeneral } from "../../primitives/linalg.js";
import * as jnp from "../numpy/index.js";
import * as lax from "../lax.js";
import { Initializer, lecunNormal, zeros } from "../initializers.js";
import { Module, ModuleOptions } from "./module.js";
import { ConvPadding, convPadding, oneBatchDim, perDim } from "./layers.js";
import { convTransposePadding } from "../conv.js";
import { cast, fields, normAxes, prod } from "./fields.js";

interface Common extends ModuleOptions { precision?: unknown; useBias?: boolean; dtype?: DType; paramDtype?: DType; kernelInit?: Initializer; biasInit?: Initializer }

export interface DenseGeneralOptions extends Common { features: number | number[]; axis?: number | number[]; batchDims?: number[] }
const DG = ["features", "axis", "batchDims", "useBias", "dtype", "paramDtype", "kernelInit", "biasInit"];

/** A linear map contracting `axis` of the input into `features` (an int or a shape), batched over leading `batchDims`. */
export class DenseGeneral extends Module {
  o: DenseGeneralOptions;
  constructor(features: number | number[] | DenseGeneralOptions, ...rest: unknown[]) {
    const o = fields<DenseGeneralOptions>("DenseGeneral", DG, [features, ...rest]);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    let a = jnp.asArray(x);
    const o = this.o, nd = a.ndim, feats = typeof o.features === "number" ? [o.features] : o.features;
    const rawBd = o.batchDims ?? [];
    if (rawBd.some((d, _i, all) => d < 0 || d >= all.length) || new Set(rawBd).size !== rawBd.length) {
      throw new ValueError(`linen.DenseGeneral: batchDims [${rawBd}] must be consecutive leading dimensions starting from 0.`);
    }
    const axis = normAxes(o.axis ?? -1, nd), bd = normAxes(rawBd, nd);
    if (axis.some((ax) => ax < 0 || ax >= nd || bd.includes(ax))) throw new ValueError(`linen.DenseGeneral: axis ${JSON.stringify(o.axis)} is out of range or in batchDims for shape [${a.shape}].`);
    const nb = bd.length, na = axis.length;
    const batchShape = bd.map((i) => a.shape[i]);
    // flax initializes the kernel as a 2-d (batch * contracted, features) matrix, so fans are those of that matrix.
    const kinit = (k: JaxArray, s: readonly number[], dt?: DType) =>
      jnp.reshape((o.kernelInit ?? lecunNormal())(k, [prod(s.slice(0, nb + na)), prod(s.slice(nb + na))], dt), s);
    let kernel = this.param("kernel", kinit, [...batchShape, ...axis.map((i) => a.shape[i]), ...feats], o.paramDtype);
    let bias: JaxArray | undefined;
    if (o.useBias ?? true) {
      const binit = (k: JaxArray, s: readonly number[], dt?: DType) => jnp.reshape((o.biasInit ?? zeros)(k, [prod(s)], dt), s);
      bias = this.param("bias", binit, [...batchShape, ...feats], o.paramDtype);
    }
    [a, kernel] = cast(o.dtype, a, kernel);
    let y = dotGeneral(a, kernel, { contracting: [axis, axis.map((_, i) => nb + i)], batch: [bd, bd.map((_, i) => i)] });
    if (bias) {
      const expanded = a.shape.flatMap((d, i) => (axis.includes(i) ? [] : [bd.includes(i) ? d : 1]));
      y = jnp.add(y, jnp.reshape(cast(o.dtype, bias)[0], [...expanded, ...feats]));
    }
    return y;
  }
}

export interface EinsumOptions extends Common { shape: number[]; einsumStr?: string }

/** y = einsum(einsumStr, x, kernel) + bias; kernel has `shape`, bias the kernel's axes that survive into the output. */
export class Einsum extends Module {
  o: EinsumOptions;
  constructor(shape: number[] | EinsumOptions, ...rest: unknown[]) {
    const o = fields<EinsumOptions>("Einsum", ["shape", "einsumStr", "useBias", "dtype", "paramDtype", "kernelInit", "biasInit"], [shape, ...rest]);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike, einsumStr?: string): JaxArray {
    let a = jnp.asArray(x);
    const o = this.o;
    if (einsumStr !== undefined && o.einsumStr !== undefined) throw new ValueError("linen.Einsum: einsumStr given both as a field and to call; pass it once.");
    const eq = (einsumStr ?? o.einsumStr ?? "").replace(/\s+/g, "");
    if (!eq.includes("->")) throw new ValueError(`linen.Einsum: einsumStr ${JSON.stringify(eq)} must be explicit and include "->".`);
    const [lhs, res] = eq.split("->"), ops = lhs.split(",");
    if (ops.length !== 2) throw new ValueError(`linen.Einsum: einsumStr ${JSON.stringify(eq)} needs two operands (input, kernel).`);
    let kernel = this.param("kernel", o.kernelInit ?? lecunNormal(), o.shape, o.paramDtype);
    let bias: JaxArray | undefined, bshape: number[] = [];
    if (o.useBias ?? true) {
      // Output axes named by a kernel letter get a bias entry; "..." axes broadcast.
      const nEll = ops[0].includes("...") ? a.ndim - (ops[0].length - 3) : 0;
      const outLetters = [...res.replace("...", "\0".repeat(nEll))];
      bshape = outLetters.map((c) => (ops[1].includes(c) ? o.shape[ops[1].indexOf(c)] : 1));
      bias = this.param("bias", o.biasInit ?? zeros, outLetters.filter((c) => ops[1].includes(c)).map((c) => o.shape[ops[1].indexOf(c)]), o.paramDtype);
    }
    [a, kernel] = cast(o.dtype, a, kernel);
    const y = jnp.einsum(eq, a, kernel);
    return bias ? jnp.add(y, jnp.reshape(cast(o.dtype, bias)[0], bshape)) : y;
  }
}

export interface ConvTransposeOptions extends Common {
  features: number; kernelSize: number | number[]; strides?: number | number[] | null; padding?: ConvPadding;
  kernelDilation?: number | number[] | null; mask?: ArrayLike | null; transposeKernel?: boolean;
}

/** lax.conv_transpose over channels-last inputs: kernel (*kernelSize, in, features), or (*kernelSize, features, in) with transposeKernel. */
export class ConvTranspose extends Module {
  o: ConvTransposeOptions;
  constructor(features: number | ConvTransposeOptions, ...rest: unknown[]) {
    const o = fields<ConvTransposeOptions>("ConvTranspose", ["features", "kernelSize", "strides", "padding", "kernelDilation", "useBias", "mask", "dtype", "paramDtype", "precision", "kernelInit", "biasInit", "transposeKernel"], [features, ...rest], 2);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    const o = this.o, ks = typeof o.kernelSize === "number" ? [o.kernelSize] : o.kernelSize, nd = ks.length;
    return oneBatchDim("linen.ConvTranspose", jnp.asArray(x), nd, (inp) => {
      const strides = perDim(o.strides ?? undefined, nd, 1), dil = perDim(o.kernelDilation ?? undefined, nd, 1);
      const inF = inp.shape[inp.ndim - 1];
      const kshape = [...ks, ...(o.transposeKernel ? [o.features, inF] : [inF, o.features])];
      let kernel = this.param("kernel", o.kernelInit ?? lecunNormal(), kshape, o.paramDtype);
      kernel = masked("ConvTranspose", kernel, o.mask);
      const bias = (o.useBias ?? true) ? this.param("bias", o.biasInit ?? zeros, [o.features], o.paramDtype) : undefined;
      [inp, kernel] = cast(o.dtype, inp, kernel);
      const p = o.padding ?? "SAME";
      let pads: [number, number][];
      if (p === "SAME" || p === "VALID" || p === "CIRCULAR") {
        // lax.conv_transpose's padding of the dilated input for a forward conv with this padding (CIRCULAR runs VALID).
        pads = ks.map((k0, i) => convTransposePadding((k0 - 1) * dil[i] + 1, strides[i], p === "SAME" ? "SAME" : "VALID"));
      } else if (typeof p === "number") pads = ks.map(() => [p, p]);
      else if (Array.isArray(p) && p.length === nd) pads = p.map((e) => (typeof e === "number" ? [e, e] : [e[0], e[1]]));
      else throw new ValueError(`linen.ConvTranspose: padding ${JSON.stringify(p)} is not "SAME", "VALID", "CIRCULAR", an int, or one int or [low, high] pair per spatial dim (${nd}).`);
      if (o.transposeKernel) kernel = jnp.swapaxes(jnp.flip(kernel, ks.map((_, i) => i)), nd, nd + 1);
      const sp = "DHW".slice(3 - nd);
      let y = lax.convGeneralDilated(inp, kernel, ks.map(() => 1), pads, { lhsDilation: strides, rhsDilation: dil, dimensionNumbers: [`N${sp}C`, `${sp}IO`, `N${sp}C`] });
      if (p === "CIRCULAR") y = circularWrap(y, inp.shape.slice(1, -1).map((n, i) => n * strides[i]), !!o.transposeKernel);
      return bias ? jnp.add(y, cast(o.dtype, bias)[0]) : y;
    });
  }
}

/** The kernel times `mask` (flax's mask field), which must have the kernel's shape. */
function masked(op: string, kernel: JaxArray, mask?: ArrayLike | null): JaxArray {
  if (mask == null) return kernel;
  const m = jnp.asArray(mask);
  if (m.shape.join() !== kernel.shape.join()) throw new ValueError(`linen.${op}: mask shape [${m.shape}] must equal the kernel shape [${kernel.shape}].`);
  return jnp.multiply(kernel, m);
}

/** flax's CIRCULAR transpose conv: pad each spatial axis to whole periods, then fold the periods onto one. */
function circularWrap(y: JaxArray, periods: number[], transposed: boolean): JaxArray {
  const pads: [number, number][] = periods.map((per, i) => {
    const d = (((-(y.shape[i + 1] - per)) % (2 * per)) + 2 * per) % (2 * per);
    return transposed ? [Math.floor(d / 2), Math.floor((d + 1) / 2)] : [Math.floor((d + 1) / 2), Math.floor(d / 2)];
  });
  y = jnp.pad(y, [[0, 0], ...pads, [0, 0]]);
  periods.forEach((per, i) => {
    const s = y.shape;
    y = jnp.sum(jnp.reshape(y, [...s.slice(0, i + 1), s[i + 1] / per, per, ...s.slice(i + 2)]), { axis: i + 1 });
  });
  return y;
}

export interface ConvLocalOptions extends Common {
  features: number; kernelSize: number | number[]; strides?: number | number[] | null; padding?: ConvPadding;
  inputDilation?: number | number[] | null; kernelDilation?: number | number[] | null; featureGroupCount?: number; mask?: ArrayLike | null;
}

/** A convolution with unshared weights: kernel (*outSpatial, prod(kernelSize) * in, features), bias (*outSpatial, features). */
export class ConvLocal extends Module {
  o: ConvLocalOptions;
  constructor(features: number | ConvLocalOptions, ...rest: unknown[]) {
    const o = fields<ConvLocalOptions>("ConvLocal", ["features", "kernelSize", "strides", "padding", "inputDilation", "kernelDilation", "featureGroupCount", "useBias", "mask", "dtype", "paramDtype", "precision", "kernelInit", "biasInit"], [features, ...rest], 2);
    super(o);
    this.o = o;
  }
  call(x: ArrayLike): JaxArray {
    const o = this.o, ks = typeof o.kernelSize === "number" ? [o.kernelSize] : o.kernelSize, nd = ks.length;
    if ((o.featureGroupCount ?? 1) !== 1) throw new NotImplementedError(`linen.ConvLocal: featureGroupCount must be 1, got ${o.featureGroupCount}.`);
    return oneBatchDim("linen.ConvLocal", jnp.asArray(x), nd, (inp) => {
      const kd = perDim(o.kernelDilation ?? undefined, nd, 1), C = inp.shape[inp.ndim - 1], K = prod(ks), sp = "DHW".slice(3 - nd), l = "xyz".slice(0, nd);
      const [padded, pad] = convPadding(inp, o.padding ?? "SAME", ks, kd);
      // lax.conv_general_dilated_patches: an identity kernel gathers each window, feature c * K + (window offset).
      const eye = jnp.reshape(jnp.eye(C * K, null, { dtype: padded.dtype }), [C * K, C, ...ks]);
      let patches = lax.convGeneralDilated(padded, eye, perDim(o.strides ?? undefined, nd, 1), pad,
        { lhsDilation: perDim(o.inputDilation ?? undefined, nd, 1), rhsDilation: kd, dimensionNumbers: [`N${sp}C`, `OI${sp}`, `N${sp}C`] });
      const outSp = patches.shape.slice(1, -1), kshape = [...outSp, K * C, o.features];
      let kernel = this.param("kernel", o.kernelInit ?? lecunNormal(), kshape, o.paramDtype);
      kernel = masked("ConvLocal", kernel, o.mask);
      const bias = (o.useBias ?? true) ? this.param("bias", o.biasInit ?? zeros, [...outSp, o.features], o.paramDtype) : undefined;
      [patches, kernel] = cast(o.dtype, patches, kernel);
      const y = jnp.einsum(`n${l}i,${l}if->n${l}f`, patches, kernel);
      return bias ? jnp.add(y, cast(o.dtype, bias)[0]) : y;
    });
  }
}

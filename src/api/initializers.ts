// jax.nn.initializers: functions (key, shape, dtype) -> array.
import { DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { JaxArray } from "../core/value.js";
import * as jnp from "./numpy/index.js";
import * as random from "./random.js";

export type Initializer = (key: JaxArray, shape: readonly number[], dtype?: DType) => JaxArray;

export const zeros: Initializer = (_k, shape, dtype = "float32") => jnp.zeros(shape, { dtype });
export const ones: Initializer = (_k, shape, dtype = "float32") => jnp.ones(shape, { dtype });
export const constant = (value: number, dtype?: DType): Initializer => (_k, shape, dt = dtype ?? "float32") => jnp.full(shape, value, { dtype: dt });

type Dt = DType | undefined;
const isOpts = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** normal(stddev = 1e-2, dtype?): stddev * N(0, 1); or normal({ stddev, dtype }). */
export function normal(stddev: number | { stddev?: number; dtype?: DType } = 1e-2, dtype?: DType): Initializer {
  const o = isOpts(stddev) ? stddev : { stddev, dtype };
  const sd = o.stddev ?? 1e-2;
  return (key, shape, dt = o.dtype ?? "float32") => jnp.multiply(random.normal(key, [...shape], { dtype: dt }), sd).astype(dt);
}

/** uniform(scale = 1e-2, dtype?): U[0, scale); or uniform({ scale, dtype }). */
export function uniform(scale: number | { scale?: number; dtype?: DType } = 1e-2, dtype?: DType): Initializer {
  const o = isOpts(scale) ? scale : { scale, dtype };
  const sc = o.scale ?? 1e-2;
  return (key, shape, dt = o.dtype ?? "float32") => random.uniform(key, [...shape], { minval: 0, maxval: sc, dtype: dt });
}

interface TruncOptions { stddev?: number; dtype?: DType; lower?: number; upper?: number }
/** truncatedNormal(stddev = 1e-2, dtype?, lower = -2, upper = 2) in JAX's order, or one options object. */
export function truncatedNormal(stddev: number | TruncOptions = 1e-2, dtype?: Dt, lower?: number, upper?: number): Initializer {
  const o: TruncOptions = isOpts(stddev) ? stddev : { stddev, dtype, lower, upper };
  if (o.dtype !== undefined && typeof o.dtype !== "string") {
    throw new ValueError(`initializers.truncatedNormal: the arguments are (stddev, dtype, lower, upper) as in JAX, but dtype is ${JSON.stringify(o.dtype)}. ` +
      `Pass e.g. truncatedNormal(1, undefined, -1, 1) or truncatedNormal({ stddev: 1, lower: -1, upper: 1 }).`);
  }
  const sd = o.stddev ?? 1e-2, lo = o.lower ?? -2, hi = o.upper ?? 2;
  return (key, shape, dt = o.dtype ?? "float32") =>
    jnp.multiply(random.truncatedNormal(key, lo, hi, [...shape], { dtype: dt }), sd).astype(dt);
}

export type Axes = number | readonly number[];
const normAxis = (a: number, n: number) => (a < 0 ? a + n : a);
const axesSize = (shape: readonly number[], axes: Axes) =>
  (typeof axes === "number" ? [axes] : axes).reduce((acc, a) => acc * shape[normAxis(a, shape.length)], 1);

/** (fan_in, fan_out) as JAX computes them: in/out axis sizes times the receptive field (the axes in no group). */
export function computeFans(shape: readonly number[], inAxis: Axes = -2, outAxis: Axes = -1, batchAxis: Axes = []): [number, number] {
  if (inAxis === -2 && shape.length <= 1) {
    throw new ValueError(`initializers: can't compute input and output sizes of a ${shape.length}-d weights tensor [${shape}] with the default inAxis. ` +
      `Use a shape of at least 2 dimensions or pass inAxis (and outAxis) explicitly.`);
  }
  const inSize = axesSize(shape, inAxis), outSize = axesSize(shape, outAxis), batchSize = axesSize(shape, batchAxis);
  const receptive = shape.reduce((a, b) => a * b, 1) / inSize / outSize / batchSize;
  return [inSize * receptive, outSize * receptive];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg" | "fan_geo_avg";
export type Distribution = "truncated_normal" | "normal" | "uniform";
export interface FanOptions { inAxis?: Axes; outAxis?: Axes; batchAxis?: Axes; dtype?: DType }
type FanArgs = [FanOptions?] | [inAxis?: Axes, outAxis?: Axes, batchAxis?: Axes, dtype?: DType];

/** The trailing (inAxis, outAxis, batchAxis, dtype) of JAX's initializers, positional or as options. */
function fanOptions(op: string, rest: readonly unknown[]): FanOptions {
  if (rest.length <= 1 && (rest[0] === undefined || isOpts(rest[0]))) return (rest[0] ?? {}) as FanOptions;
  const [inAxis, outAxis, batchAxis, dtype] = rest as [Axes?, Axes?, Axes?, DType?];
  const axisLike = (v: unknown) => v === undefined || typeof v === "number" || (Array.isArray(v) && v.every((a) => typeof a === "number"));
  if (rest.length > 4 || !axisLike(inAxis) || !axisLike(outAxis) || !axisLike(batchAxis) || (dtype !== undefined && typeof dtype !== "string")) {
    throw new ValueError(`initializers.${op}: the trailing arguments are (inAxis, outAxis, batchAxis, dtype) as in JAX, or options ` +
      `{ inAxis, outAxis, batchAxis, dtype }, but got ${JSON.stringify(rest)}.`);
  }
  return { inAxis, outAxis, batchAxis, dtype };
}

const MODES = ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"];
const DISTRIBUTIONS = ["truncated_normal", "normal", "uniform"];

export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, ...rest: FanArgs): Initializer {
  const o = fanOptions("varianceScaling", rest);
  if (!MODES.includes(mode)) throw new ValueError(`varianceScaling: invalid mode ${JSON.stringify(mode)}; use one of ${MODES.join(", ")}.`);
  if (!DISTRIBUTIONS.includes(distribution)) throw new ValueError(`varianceScaling: invalid distribution ${JSON.stringify(distribution)}; use one of ${DISTRIBUTIONS.join(", ")}.`);
  return (key, shape, dtype = o.dtype ?? "float32") => {
    const [fanIn, fanOut] = computeFans(shape, o.inAxis ?? -2, o.outAxis ?? -1, o.batchAxis ?? []);
    const denom = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : mode === "fan_avg" ? (fanIn + fanOut) / 2 : Math.sqrt(fanIn * fanOut);
    const variance = scale / denom;
    if (distribution === "truncated_normal") {
      // The stddev of a unit normal truncated to [-2, 2].
      const stddev = Math.sqrt(variance) / 0.87962566103423978;
      return jnp.multiply(random.truncatedNormal(key, -2, 2, [...shape], { dtype }), stddev).astype(dtype);
    }
    if (distribution === "normal") return jnp.multiply(random.normal(key, [...shape], { dtype }), Math.sqrt(variance)).astype(dtype);
    return jnp.multiply(random.uniform(key, [...shape], { minval: -1, maxval: 1, dtype }), Math.sqrt(3 * variance)).astype(dtype);
  };
}

const preset = (name: string, scale: number, mode: FanMode, dist: Distribution) =>
  (...rest: FanArgs): Initializer => varianceScaling(scale, mode, dist, fanOptions(name, rest));
export const glorotUniform = preset("glorotUniform", 1, "fan_avg", "uniform");
export const glorotNormal = preset("glorotNormal", 1, "fan_avg", "truncated_normal");
export const lecunUniform = preset("lecunUniform", 1, "fan_in", "uniform");
export const lecunNormal = preset("lecunNormal", 1, "fan_in", "truncated_normal");
export const heUniform = preset("heUniform", 2, "fan_in", "uniform");
export const heNormal = preset("heNormal", 2, "fan_in", "truncated_normal");
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;
export { orthogonal } from "./initializers-orthogonal.js";

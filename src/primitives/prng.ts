// The primitives under jax.random: the Threefry-2x32 hash, a same-width (or paired) bitcast, an
// exactly rounded fused multiply-add, and erf_inv computed the way XLA computes it. Reproducing
// JAX's numbers bit for bit needs the last three: XLA:CPU compiles `floats * span + minval` in
// `uniform` to one FMA instruction, and `normal` is sqrt(2) * erf_inv(u) with XLA's polynomial.
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat, itemSize } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { BatchDim, HostArray, Primitive, Zero } from "../core/primitive.js";
import { fmtShape, shapesEqual } from "../core/shape.js";
import { bind, bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add, mul, square } from "./arith.js";
import { defElementwise, full, sameShapeDtype, checkKinds, zeroJvp } from "./helpers.js";
import { exp } from "./math.js";
import { batchSize, broadcastInDim, elementwiseBatch, moveAxis } from "./structural.js";

// ---------------------------------------------------------------------------------------------
// threefry2x32

/**
 * Threefry-2x32, 20 rounds (Random123): (k1, k2, x1, x2) uint32 -> (y1, y2) uint32. Operands have
 * one shape; a rank-0 operand broadcasts against the others (the usual case: a scalar key pair
 * hashing an array of counters), so keys are never materialized per element.
 */
export const threefry2x32P: Primitive<{}> = new Primitive<{}>("threefry2x32", {
  abstractEval(avals) {
    if (avals.length !== 4) throw new ShapeError(`threefry2x32 takes 4 operands (k1, k2, x1, x2), got ${avals.length}.`);
    for (const a of avals) {
      if (a.dtype !== "uint32") {
        throw new DTypeError(`threefry2x32: arguments must have uint32 type, got ${avals.map((x) => x.dtype).join(", ")}.`);
      }
    }
    const shaped = avals.filter((a) => a.ndim > 0);
    const shape = shaped.length ? shaped[0].shape : [];
    for (const a of shaped) {
      if (!shapesEqual(a.shape, shape)) {
        throw new ShapeError(`threefry2x32: operands must have one shape (rank-0 operands broadcast), got ` +
          `${avals.map((x) => fmtShape(x.shape)).join(", ")}.`);
      }
    }
    const out = new ShapedArray(shape, "uint32");
    return [out, out];
  },
  reference([k1, k2, x1, x2], [o1, o2]) {
    const n = o1.data.length;
    const s = (a: HostArray) => (a.aval.ndim === 0 ? 0 : 1);
    const sk1 = s(k1), sk2 = s(k2), sx1 = s(x1), sx2 = s(x2);
    const out = [0, 0];
    for (let i = 0; i < n; i++) {
      threefryHash(k1.data[i * sk1], k2.data[i * sk2], x1.data[i * sx1], x2.data[i * sx2], out);
      o1.data[i] = out[0];
      o2.data[i] = out[1];
    }
  },
  jvp(primals) {
    const outs = bind(threefry2x32P, primals);
    return [outs, outs.map((o) => new Zero(o.aval))];
  },
  batch: threefryBatch,
});

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];

/** One Threefry-2x32 hash of (x1, x2) under key (k1, k2); writes the two output words to `out`. */
export function threefryHash(k1: number, k2: number, x1: number, x2: number, out: number[]): void {
  const ks = [k1 >>> 0, k2 >>> 0, (k1 ^ k2 ^ 0x1bd11bda) >>> 0];
  let a = (x1 + ks[0]) >>> 0, b = (x2 + ks[1]) >>> 0;
  for (let g = 0; g < 5; g++) {
    const r = g % 2 === 0 ? 0 : 4;
    for (let j = 0; j < 4; j++) {
      a = (a + b) >>> 0;
      const rot = ROTATIONS[r + j];
      b = (((b << rot) | (b >>> (32 - rot))) ^ a) >>> 0;
    }
    a = (a + ks[(g + 1) % 3]) >>> 0;
    b = (b + ks[(g + 2) % 3] + g + 1) >>> 0;
  }
  out[0] = a;
  out[1] = b;
}

/** vmap rule: batch axes to the front; a rank-0 unbatched operand still broadcasts. */
function threefryBatch(args: JaxArray[], dims: BatchDim[]): [JaxArray[], BatchDim[]] {
  const size = batchSize(args, dims);
  // The per-example shape: that of any operand that is not per-example rank 0.
  let shape: number[] = [];
  args.forEach((a, i) => {
    const rank = a.ndim - (dims[i] === null ? 0 : 1);
    if (rank > 0) shape = a.shape.filter((_, k) => k !== dims[i]);
  });
  const full_ = [size, ...shape];
  const ops = args.map((a, i) => {
    if (dims[i] === null) return a.ndim === 0 ? a : broadcastInDim(a, full_, a.shape.map((_, k) => k + 1));
    const b = moveAxis(a, dims[i]!, 0);
    return b.ndim === 1 && shape.length > 0 ? broadcastInDim(b, full_, [0]) : b;
  });
  return [bind(threefry2x32P, ops), [0, 0]];
}

export function threefry2x32(k1: JaxArray, k2: JaxArray, x1: JaxArray, x2: JaxArray): [JaxArray, JaxArray] {
  const [y1, y2] = bind(threefry2x32P, [k1, k2, x1, x2]);
  return [y1, y2];
}

// ---------------------------------------------------------------------------------------------
// bitcast_convert_type

/**
 * Reinterprets the bytes of x as `newDtype` (lax.bitcast_convert_type). Same width: same shape.
 * 4-byte to float64 consumes a trailing axis of 2 (element 0 is the low word, little-endian as in
 * XLA); float64 to a 4-byte type adds one.
 */
export const bitcastConvertTypeP: Primitive<{ newDtype: DType }> = new Primitive<{ newDtype: DType }>("bitcast_convert_type", {
  abstractEval([x], { newDtype }) {
    const a = itemSize[x.dtype], b = itemSize[newDtype];
    if (a === 1 || b === 1) {
      throw new DTypeError(`bitcast_convert_type: bool cannot be bitcast (from ${x.dtype} to ${newDtype}); use convert_element_type.`);
    }
    if (a === b) return [new ShapedArray(x.shape, newDtype)];
    if (a < b) {
      if (x.shape[x.ndim - 1] !== b / a) {
        throw new ShapeError(`bitcast_convert_type: converting ${x.dtype} to the wider ${newDtype} needs a trailing axis of ` +
          `size ${b / a}, got shape ${fmtShape(x.shape)}.`);
      }
      return [new ShapedArray(x.shape.slice(0, -1), newDtype)];
    }
    return [new ShapedArray([...x.shape, a / b], newDtype)];
  },
  reference([x], [o]) {
    new Uint8Array(o.data.buffer, o.data.byteOffset, o.data.byteLength)
      .set(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  },
  jvp: zeroJvp(() => bitcastConvertTypeP),
  batch([x], [d], params) {
    // The trailing axis may be consumed or added; keep the batch axis in front of it.
    const xb = moveAxis(x, d!, 0);
    return [[bind1(bitcastConvertTypeP, [xb], params)], [0]];
  },
});

export const bitcastConvertType = (x: JaxArray, newDtype: DType): JaxArray =>
  x.dtype === newDtype ? x : bind1(bitcastConvertTypeP, [x], { newDtype });

// ---------------------------------------------------------------------------------------------
// exactly rounded fma

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer); // [lo, hi] on little-endian hosts
const f32 = new Float32Array(1);
const f32w = new Uint32Array(f32.buffer);

function f32bits(x: number): number { f32[0] = x; return f32w[0]; }
function f32from(bits: number): number { f32w[0] = bits; return f32[0]; }

/** float32 fma(a, b, c) with one rounding. The exact product a*b fits a double; the double sum can
 * only round differently from the exact sum when it lands exactly halfway between two float32s,
 * and then the sign of its rounding error decides. */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  const d = s - r;
  if (d === 0) return r;
  const t = r + 2 * d; // the float32 neighbour of r across s, if s is a midpoint
  if (Math.fround(t) !== t || !Number.isFinite(s)) return r;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb); // s + err == p + c exactly (TwoSum)
  return err !== 0 && (err > 0) === (d > 0) ? t : r;
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for doubles

/** float64 fma(a, b, c) with one rounding (Boldo & Melquiond's emulation via rounding to odd). */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  // Zero or non-finite terms need no correction; operands near the overflow threshold (where the
  // splitting below would overflow) do not occur in this library's uses.
  if (!Number.isFinite(p) || !Number.isFinite(c) || p === 0 || Math.abs(a) > 1e300 || Math.abs(b) > 1e300) return p + c;
  // Dekker's exact product p + q = a * b.
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  const q = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // sh + sl = c + p exactly.
  const sh = c + p;
  const z = sh - c;
  const sl = (c - (sh - z)) + (p - z);
  // v = sl + q rounded to odd, then one rounding to nearest.
  const v = sl + q;
  const w = v - sl;
  const e = (sl - (v - w)) + (q - w);
  let vo = v;
  if (e !== 0) {
    f64[0] = v;
    if ((f64w[0] & 1) === 0) vo = nextAfter64(v, e > 0);
  }
  return sh + vo;
}

function nextAfter64(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  const inc = x > 0 === up;
  if (inc) {
    f64w[0] = (f64w[0] + 1) >>> 0;
    if (f64w[0] === 0) f64w[1] += 1;
  } else {
    if (f64w[0] === 0) f64w[1] -= 1;
    f64w[0] = (f64w[0] - 1) >>> 0;
  }
  return f64[0];
}

/** fma(a, b, c) = a * b + c rounded once; operands of one shape and float dtype. */
export const fmaP: Primitive<{}> = new Primitive<{}>("fma", {
  abstractEval(avals) {
    sameShapeDtype("fma", avals);
    checkKinds("fma", "float", avals);
    return [new ShapedArray(avals[0].shape, avals[0].dtype, avals.every((a) => a.weakType))];
  },
  reference([a, b, c], [o]) {
    const f = o.aval.dtype === "float32" ? fmaF32 : fma64;
    const x = a.data, y = b.data, z = c.data, out = o.data;
    for (let i = 0; i < out.length; i++) out[i] = f(x[i], y[i], z[i]);
  },
  jvp([a, b, c], [ta, tb, tc]) {
    return [[fma(a, b, c)], [add(add(mul(ta, b), mul(a, tb)), tc)]];
  },
  batch: elementwiseBatch(() => fmaP),
});

export const fma = (a: JaxArray, b: JaxArray, c: JaxArray): JaxArray => bind1(fmaP, [a, b, c]);

// ---------------------------------------------------------------------------------------------
// erf_inv, as XLA computes it
//
// StableHLO lowers chlo.erf_inv to Giles' polynomial ("Approximating the erfinv function", GPU
// Computing Gems, 2011): single precision for float32, the double-precision variant for float64.
// Its log1p is XLA's (a Cephes rational for |x| < sqrt(2) - 1, else log(1 + x)), and float32 log
// on XLA:CPU is the Cephes polynomial XLA substitutes for llvm.log. XLA:CPU lets LLVM fuse every
// multiply-add into an FMA; the Horner steps below do the same. Every float32 operation rounds.

const fr = Math.fround;
const LOG_P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(fr);
const LOG_Q1 = fr(-2.12194440e-4), LOG_Q2 = fr(0.693359375), SQRTHF = fr(0.707106781186547524);
const MIN_NORMAL32 = f32from(0x00800000);

/** float32 log as XLA:CPU computes it (Cephes range reduction and polynomial). */
export function xlaLogF32(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  const bits = f32bits(Math.max(MIN_NORMAL32, x));
  let e = fr(1 + ((bits >>> 23) - 0x7f));
  let t = f32from((bits & 0x807fffff) | 0x3f000000);
  const small = t < SQRTHF;
  const t1 = small ? t : 0;
  t = fr(t - 1);
  if (small) e = fr(e - 1);
  t = fr(t + t1);
  const x2 = fr(t * t), x3 = fr(x2 * t);
  let y = fmaF32(t, LOG_P[0], LOG_P[1]);
  let y1 = fmaF32(t, LOG_P[3], LOG_P[4]);
  let y2 = fmaF32(t, LOG_P[6], LOG_P[7]);
  y = fmaF32(y, t, LOG_P[2]);
  y1 = fmaF32(y1, t, LOG_P[5]);
  y2 = fmaF32(y2, t, LOG_P[8]);
  y = fmaF32(y, x3, y1);
  y = fmaF32(y, x3, y2);
  y = fmaF32(y, x3, fr(LOG_Q1 * e));
  t = fr(t - fr(0.5 * x2));
  t = fr(t + y);
  return fr(t + fr(LOG_Q2 * e));
}

const LOG1P_DEN = [1, 1.5062909083469192043167e1, 8.3047565967967209469434e1, 2.2176239823732856465394e2,
  3.0909872225312059774938e2, 2.1642788614495947685003e2, 6.0118660497603843919306e1];
const LOG1P_NUM = [4.5270000862445199635215e-5, 4.9854102823193375972212e-1, 6.5787325942061044846969e0,
  2.9911919328553073277375e1, 6.0949667980987787057556e1, 5.7112963590585538103336e1, 2.0039553499201281259648e1];
const LOG1P_DEN32 = LOG1P_DEN.map(fr), LOG1P_NUM32 = LOG1P_NUM.map(fr);
const LOG1P_SMALL32 = fr(0.41421356237309504880);

/** float32 log1p as XLA computes it. */
export function xlaLog1pF32(x: number): number {
  if (!(Math.abs(x) < LOG1P_SMALL32)) return xlaLogF32(fr(x + 1));
  const x2 = fr(x * x);
  let den = 0, num = 0;
  for (let i = 0; i < 7; i++) {
    den = fmaF32(den, x, LOG1P_DEN32[i]);
    num = fmaF32(num, x, LOG1P_NUM32[i]);
  }
  const r = fr(fr(x * x2) * fr(num / den));
  return fr(x + fmaF32(-0.5, x2, r));
}

/** float64 log1p as XLA computes it (log itself is the C library's). */
export function xlaLog1pF64(x: number): number {
  if (!(Math.abs(x) < 0.41421356237309504880)) return Math.log(x + 1);
  const x2 = x * x;
  let den = 0, num = 0;
  for (let i = 0; i < 7; i++) {
    den = fma64(den, x, LOG1P_DEN[i]);
    num = fma64(num, x, LOG1P_NUM[i]);
  }
  return x + fma64(-0.5, x2, (x * x2) * (num / den));
}

const ERFINV_LT5 = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941].map(fr);
const ERFINV_GE5 = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682].map(fr);

/** float32 erfinv: Giles' single-precision polynomial, with XLA's log1p and FMAs. */
export function erfInvF32(x: number): number {
  const w0 = -xlaLog1pF32(fr(x * -x));
  const lt = w0 < 5;
  const w = lt ? fr(w0 - 2.5) : fr(fr(Math.sqrt(w0)) - 3);
  const cs = lt ? ERFINV_LT5 : ERFINV_GE5;
  let p = cs[0];
  for (let i = 1; i < 9; i++) p = fmaF32(p, w, cs[i]);
  return Math.abs(x) === 1 ? x * Infinity : fr(p * x);
}

const ERFINV64_LT625 = [-3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
  1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15,
  -4.0545662729752068639e-14, -8.1519341976054721522e-14, 2.6335093153082322977e-12, -1.2975133253453532498e-11,
  -5.4154120542946279317e-11, 1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
  4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05, 0.0001867342080340571352,
  -0.00074070253416626697512, -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356];
const ERFINV64_LT16 = [2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
  1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06, 2.9234449089955446044e-06,
  1.2475304481671778723e-05, -4.7318229009055733981e-05, 6.8284851459573175448e-05, 2.4031110387097893999e-05,
  -0.0003550375203628474796, 0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
  -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635];
const ERFINV64_GE16 = [-2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
  -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08, 2.9147953450901080826e-08,
  -6.7711997758452339498e-08, 2.2900482228026654717e-07, -9.9298272942317002539e-07, 4.5260625972231537039e-06,
  -1.9681778105531670567e-05, 7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
  1.0103004648645343977, 4.8499064014085844221];

/** float64 erfinv: Giles' double-precision polynomials (three ranges of w = -log1p(-x^2)). */
export function erfInvF64(x: number): number {
  let w = -xlaLog1pF64(x * -x);
  let cs: number[];
  if (w < 6.25) { cs = ERFINV64_LT625; w -= 3.125; }
  else if (w < 16) { cs = ERFINV64_LT16; w = Math.sqrt(w) - 3.25; }
  else { cs = ERFINV64_GE16; w = Math.sqrt(w) - 5; }
  let p = cs[0];
  for (let i = 1; i < cs.length; i++) p = fma64(p, w, cs[i]);
  return Math.abs(x) === 1 ? x * Infinity : p * x;
}

const HALF_SQRT_PI = Math.sqrt(Math.PI) / 2;

/** lax.erf_inv: the inverse error function on (-1, 1); +-inf at +-1, NaN outside. */
export const erfInvP: Primitive<{}> = defElementwise("erf_inv", (d) => (d === "float32" ? erfInvF32 : erfInvF64), {
  kinds: "float",
  jvp: ([x], [t]) => {
    const y = erfInv(x);
    return [[y], [mul(t, mul(full(y.shape, HALF_SQRT_PI, y.dtype), exp(square(y))))]];
  },
});

export const erfInv = (x: JaxArray): JaxArray => {
  if (!isFloat(x.dtype)) throw new DTypeError(`erf_inv requires a floating-point array, got ${x.dtype}.`);
  return bind1(erfInvP, [x]);
};


// jax.random: explicit PRNG keys (uint32[2]) split into new keys, each used once; bit-identical to
// JAX's default threefry2x32 implementation. Every function follows its counterpart in JAX's
// jax/_src/random/{core,threefry2x32,prng}.py step by step (the same bits, shifts, roundings and
// sort keys), built from primitives so it traces under jit, vmap and grad.
//
// Two key-derivation schemes exist, as in JAX: the "partitionable" one (JAX's default since 0.5:
// element i of a draw hashes the 64-bit counter i) and the original one (one threefry_2x32 call over
// a counter range, split in halves). setThreefryPartitionable(false) selects the original.
import { axisOptions, dtypeOptions, positionalOptions } from "./numpy/options.js";
import { DType, isFloat, isInt } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, fmtShape, normAxis, sizeOf } from "../core/shape.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import * as A from "../primitives/arith.js";
import * as M from "../primitives/math.js";
import { bitcastConvertType, erfInv, fma, threefry2x32 } from "../primitives/prng.js";
import { sort } from "../primitives/sort.js";
import * as S from "../primitives/structural.js";
import * as jnp from "./numpy/index.js";
import { bc, c, checkKey, checkShape, concreteInt, floatDtype, keyWords, Shape, shapeOf, toDtype, u32 } from "./random-util.js";

let partitionable = true;

/**
 * Chooses the key-derivation scheme: true (the default) is JAX >= 0.5's `jax_threefry_partitionable`,
 * false the original scheme. It applies when a function runs or is traced: a jit-compiled function
 * keeps the scheme it was traced with.
 */
export function setThreefryPartitionable(on: boolean): void { partitionable = !!on; }
export function threefryPartitionable(): boolean { return partitionable; }

// ---------------------------------------------------------------------------------------------
// threefry: seeding, hashing counters, splitting (jax/_src/random/threefry2x32.py)

/**
 * A PRNG key from an integer seed: [0, seed] for a 32-bit seed. JS numbers follow JAX's default
 * (x32) mode, which keeps the low 32 bits (so key(-1) is [0, 4294967295]); a bigint is a 64-bit
 * seed, split into [high, low] words as JAX does with 64-bit integers (key(-1n) is [2^32-1, 2^32-1]).
 * An integer array scalar (possibly traced) works too.
 */
export function key(seed: number | bigint | ArrayLike): JaxArray {
  if (typeof seed === "bigint") {
    const s = BigInt.asUintN(64, seed);
    return jnp.array([Number(s >> 32n), Number(s & 0xffffffffn)], { dtype: "uint32" });
  }
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new DTypeError(`key: PRNG key seed must be an integer; got ${seed}.`);
    return jnp.array([0, Number(BigInt.asUintN(32, BigInt(seed)))], { dtype: "uint32" });
  }
  const s = jnp.asArray(seed);
  if (s.ndim !== 0) {
    throw new ShapeError(`key accepts a scalar seed, but was given an array of shape ${fmtShape(s.shape)} != (). Use vmap for batching.`);
  }
  if (!isInt(s.dtype)) throw new DTypeError(`key: PRNG key seed must be an integer; got dtype ${s.dtype}.`);
  return S.concatenate([S.reshape(u32(0), [1]), S.reshape(A.convertElementType(s, "uint32"), [1])], 0);
}

/** JAX's legacy name for `key`: both return raw uint32[2] keys here. */
export const PRNGKey = key;

/** threefry_2x32(key, count): hashes a uint32 count array of any shape (halves paired up). */
function threefry2x32Counts(k: JaxArray, count: JaxArray): JaxArray {
  const [k1, k2] = keyWords(k);
  const n = count.size;
  let flat = S.reshape(count, [n]);
  const odd = n % 2;
  if (odd) flat = S.concatenate([flat, S.reshape(u32(0), [1])], 0);
  const half = flat.size / 2;
  const [y1, y2] = threefry2x32(k1, k2, S.slice(flat, [0], [half]), S.slice(flat, [half], [2 * half]));
  let out = S.concatenate([y1, y2], 0);
  if (odd) out = S.slice(out, [0], [n]);
  return S.reshape(out, count.shape);
}

/** iota_2x32_shape: the 64-bit row-major index of every element as (high, low) uint32 words.
 * The high words are all zero for any array that fits in memory, so a rank-0 zero stands in. */
function iota2x32(shape: readonly number[]): [JaxArray, JaxArray] {
  const n = sizeOf(shape);
  if (n > 2 ** 32) throw new ValueError(`random: arrays of more than 2^32 elements are not supported, got shape ${fmtShape(shape)}.`);
  return [u32(0), S.reshape(S.iota("uint32", [n], 0), shape)];
}

/** threefry2x32 of the key over the element counters of `shape` (the partitionable scheme). */
function hashCounters(k: JaxArray, shape: readonly number[]): [JaxArray, JaxArray] {
  const [k1, k2] = keyWords(k);
  const [hi, lo] = iota2x32(shape);
  return threefry2x32(k1, k2, hi, lo);
}

/** Splits a key into `num` new keys (or an array of keys of shape `num`): shape [...num, 2]. */
export function split(key: ArrayLike, num: Shape = 2): JaxArray {
  const k = checkKey("split", key);
  const shape = shapeOf("split", num);
  if (partitionable) {
    const [b1, b2] = hashCounters(k, shape);
    return jnp.stack([b1, b2], b1.ndim);
  }
  const n = sizeOf(shape);
  return S.reshape(threefry2x32Counts(k, S.iota("uint32", [2 * n], 0)), [...shape, 2]);
}

/** A new key from a key and 32-bit integer data: hashes the counter pair (0, data). */
export function foldIn(key: ArrayLike, data: number | ArrayLike): JaxArray {
  const k = checkKey("foldIn", key);
  let d: JaxArray;
  if (typeof data === "number") {
    if (!Number.isInteger(data)) throw new DTypeError(`foldIn: data must be an integer, got ${data}.`);
    d = u32(Number(BigInt.asUintN(32, BigInt(data))));
  } else {
    d = jnp.asArray(data);
    if (d.ndim !== 0) {
      throw new ShapeError(`foldIn accepts a scalar, but was given an array of shape ${fmtShape(d.shape)} != (). Use vmap for batching.`);
    }
    if (!isInt(d.dtype)) throw new DTypeError(`foldIn: data must be an integer, got dtype ${d.dtype}.`);
    d = A.convertElementType(d, "uint32");
  }
  return threefry2x32Counts(k, S.concatenate([S.reshape(u32(0), [1]), S.reshape(d, [1])], 0));
}

/** 32 random bits per element (threefry_random_bits with bit_width 32). */
function bits32(k: JaxArray, shape: readonly number[]): JaxArray {
  if (partitionable) {
    const [b1, b2] = hashCounters(k, shape);
    return A.bitwiseXor(b1, b2);
  }
  const n = sizeOf(shape);
  if (n >= 0xffffffff) throw new ValueError(`random: arrays of 2^32 - 1 or more elements are not supported, got shape ${fmtShape(shape)}.`);
  return S.reshape(threefry2x32Counts(k, S.iota("uint32", [n], 0)), shape);
}

/** 64 random bits per element as (high, low) uint32 words (bit_width 64). */
function bits64(k: JaxArray, shape: readonly number[]): [JaxArray, JaxArray] {
  if (partitionable) return hashCounters(k, shape);
  const n = sizeOf(shape);
  if (2 * n >= 0xffffffff) throw new ValueError(`random: arrays of 2^31 or more 64-bit elements are not supported, got shape ${fmtShape(shape)}.`);
  const b = threefry2x32Counts(k, S.iota("uint32", [2 * n], 0));
  return [S.reshape(S.slice(b, [0], [n]), shape), S.reshape(S.slice(b, [n], [2 * n]), shape)];
}

/** Uniform random bits: uint32 values of the given shape. */
export function bits(key: ArrayLike, shape?: Shape, options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.bits", options);
  const k = checkKey("bits", key);
  const dtype = opts.dtype ?? "uint32";
  if (dtype !== "uint32") {
    throw new DTypeError(`dtype argument to \`bits\` must be an unsigned int dtype; tinyjax has uint32 only, got ${dtype}.`);
  }
  return bits32(k, shapeOf("bits", shape));
}

/** The two keys of split(key) as separate uint32[2] arrays. */
function split2(k: JaxArray): [JaxArray, JaxArray] {
  const s = split(k);
  return [S.reshape(S.slice(s, [0, 0], [1, 2]), [2]), S.reshape(S.slice(s, [1, 0], [2, 2]), [2])];
}

// ---------------------------------------------------------------------------------------------
// continuous distributions (jax/_src/random/core.py)

export interface UniformOptions { minval?: ArrayLike; maxval?: ArrayLike; dtype?: DType }

/**
 * Uniform floats in [minval, maxval). The random bits fill the mantissa of a float in [1, 2);
 * subtracting 1 gives [0, 1), which is scaled with one rounding (XLA fuses the multiply-add) and
 * clamped below by minval.
 */
export function uniform(key: ArrayLike, shape?: Shape, ...rest: (UniformOptions | DType | ArrayLike | undefined)[]): JaxArray {
  // JAX's positional order: uniform(key, shape, dtype, minval, maxval).
  const opts = typeof rest[0] === "string" || rest.length > 1
    ? positionalOptions<UniformOptions>("random.uniform", rest, ["dtype", "minval", "maxval"])
    : dtypeOptions<UniformOptions>("random.uniform", rest[0] as UniformOptions | undefined);
  const k = checkKey("uniform", key);
  const s = shapeOf("uniform", shape);
  const dtype = floatDtype("uniform", opts.dtype);
  const mn = toDtype(opts.minval ?? 0, dtype);
  const mx = toDtype(opts.maxval ?? 1, dtype);
  let floats: JaxArray;
  if (dtype === "float32") {
    const fbits = A.bitwiseOr(A.shiftRight(bits32(k, s), bc(u32(9), s)), bc(u32(0x3f800000), s));
    floats = A.sub(bitcastConvertType(fbits, "float32"), bc(c(1, "float32"), s));
  } else {
    // (bits >> 12) | bits(1.0) on 64 bits, as (high, low) words; the low word comes first in memory.
    const [hi, lo] = bits64(k, s);
    const fhi = A.bitwiseOr(A.shiftRight(hi, bc(u32(12), s)), bc(u32(0x3ff00000), s));
    const flo = A.bitwiseOr(A.shiftRight(lo, bc(u32(12), s)), A.shiftLeft(hi, bc(u32(20), s)));
    floats = A.sub(bitcastConvertType(jnp.stack([flo, fhi], s.length), "float64"), bc(c(1, "float64"), s));
  }
  const span = bc(jnp.subtract(mx, mn), s);
  const lo = bc(mn, s);
  return A.max(lo, fma(floats, span, lo));
}

/** nextafter(-1, 0) in the dtype: the open lower end of normal's uniform draw. */
const minusOneUp = (dtype: DType) => (dtype === "float32" ? -(1 - 2 ** -24) : -(1 - 2 ** -53));

/** Standard normal samples: sqrt(2) * erf_inv(u) for u uniform in (-1, 1). */
export function normal(key: ArrayLike, shape?: Shape, options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.normal", options);
  const k = checkKey("normal", key);
  const s = shapeOf("normal", shape);
  const dtype = floatDtype("normal", opts.dtype);
  const u = uniform(k, s, { minval: minusOneUp(dtype), maxval: 1, dtype });
  return A.mul(bc(c(Math.SQRT2, dtype), s), erfInv(u));
}

/** The next float after x (elementwise) toward +inf (`up`) or -inf, as lax.nextafter. */
function nextAfter(x: JaxArray, up: boolean): JaxArray {
  if (!up) return A.neg(nextAfter(A.neg(x), true));
  const s = x.shape;
  const pos = A.gt(x, bc(c(0, x.dtype), s)), neg = A.lt(x, bc(c(0, x.dtype), s));
  let stepped: JaxArray;
  if (x.dtype === "float32") {
    const b = bitcastConvertType(x, "uint32");
    const one = bc(u32(1), s);
    stepped = bitcastConvertType(A.select(pos, A.add(b, one), A.select(neg, A.sub(b, one), one)), "float32");
  } else {
    const w = bitcastConvertType(x, "uint32"); // [..., 2]: low, high
    const lo = S.reshape(S.slice(w, [...s.map(() => 0), 0], [...s, 1]), s);
    const hi = S.reshape(S.slice(w, [...s.map(() => 0), 1], [...s, 2]), s);
    const zero = bc(u32(0), s), one = bc(u32(1), s);
    const incLo = A.add(lo, one), incHi = A.add(hi, A.select(A.eq(incLo, zero), one, zero));
    const decLo = A.sub(lo, one), decHi = A.sub(hi, A.select(A.eq(lo, zero), one, zero));
    const nlo = A.select(pos, incLo, A.select(neg, decLo, one));
    const nhi = A.select(pos, incHi, A.select(neg, decHi, zero));
    stepped = bitcastConvertType(jnp.stack([nlo, nhi], s.length), "float64");
  }
  // +inf and NaN stay where they are.
  const keep = A.bitwiseOr(A.ne(x, x), A.eq(x, bc(c(Infinity, x.dtype), s)));
  return A.select(keep, x, stepped);
}

/** Normal samples truncated to the open interval (lower, upper), by inverting the CDF. */
export function truncatedNormal(key: ArrayLike, lower: ArrayLike, upper: ArrayLike, shape?: Shape | null,
                                options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.truncatedNormal", options);
  const k = checkKey("truncatedNormal", key);
  const dtype = floatDtype("truncatedNormal", opts.dtype);
  const lo = toDtype(lower, dtype), hi = toDtype(upper, dtype);
  let s: number[];
  if (shape === undefined || shape === null) s = broadcastShapes("truncatedNormal", lo.shape, hi.shape);
  else {
    s = shapeOf("truncatedNormal", shape);
    checkShape("truncatedNormal", s, lo.shape, hi.shape);
  }
  const sqrt2 = c(Math.SQRT2, dtype);
  const a = jnp.erf(jnp.divide(lo, sqrt2));
  const b = jnp.erf(jnp.divide(hi, sqrt2));
  const u = uniform(k, s, { minval: a, maxval: b, dtype });
  const out = A.mul(bc(sqrt2, s), erfInv(u));
  // Clamp to the open interval: rounding (or drawing a itself) must not reach the bounds.
  const lowest = bc(nextAfter(A.stopGradient(lo), true), s), highest = bc(nextAfter(A.stopGradient(hi), false), s);
  return A.min(A.max(out, lowest), highest);
}

/** Exponential(1) samples: -log1p(-u). */
export function exponential(key: ArrayLike, shape?: Shape, options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.exponential", options);
  const k = checkKey("exponential", key);
  const s = shapeOf("exponential", shape);
  const u = uniform(k, s, { dtype: floatDtype("exponential", opts.dtype) });
  return A.neg(M.log1p(A.neg(u)));
}

/** Standard Gumbel samples: -log(-log(u)) for u uniform in [tiny, 1). */
export function gumbel(key: ArrayLike, shape?: Shape, options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.gumbel", options);
  const k = checkKey("gumbel", key);
  const s = shapeOf("gumbel", shape);
  const dtype = floatDtype("gumbel", opts.dtype);
  const tiny = dtype === "float32" ? 2 ** -126 : 2 ** -1022;
  const u = uniform(k, s, { minval: tiny, maxval: 1, dtype });
  return A.neg(M.log(A.neg(M.log(u))));
}

// ---------------------------------------------------------------------------------------------
// discrete distributions

/** Booleans that are true with probability p (u < p for u uniform in [0, 1)). */
export function bernoulli(key: ArrayLike, p: ArrayLike = 0.5, shape?: Shape | null): JaxArray {
  const k = checkKey("bernoulli", key);
  // A JS number has no float/int distinction (0.0 is 0): numbers and nested JS lists are probabilities.
  const pa = p instanceof JaxArray || isFloat(jnp.asArray(p).dtype) ? jnp.asArray(p) : jnp.array(p as never, "float32");
  if (!isFloat(pa.dtype)) throw new DTypeError(`bernoulli probability \`p\` must have a floating dtype, got ${pa.dtype}.`);
  let s: number[];
  if (shape === undefined || shape === null) s = [...pa.shape];
  else {
    s = shapeOf("bernoulli", shape);
    checkShape("bernoulli", s, pa.shape);
  }
  const strong = A.convertElementType(pa, pa.dtype);
  return A.lt(uniform(k, s, { dtype: pa.dtype }), bc(strong, s));
}

const INT_RANGE: Record<string, [number, number]> = { int32: [-2147483648, 2147483647], uint32: [0, 4294967295] };

/** An integer bound as an array: JS integers become int32 (uint32 above the int32 range). */
function intBound(op: string, v: ArrayLike): JaxArray {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return A.convertElementType(c(v, "float32"), "int32");
    if (v >= -2147483648 && v <= 2147483647) return c(v, "int32");
    if (v >= 0 && v <= 4294967295) return c(v, "uint32");
    throw new ValueError(`${op}: integer bound ${v} does not fit in 32 bits.`);
  }
  const a = jnp.asArray(v);
  return isInt(a.dtype) ? A.convertElementType(a, a.dtype) : A.convertElementType(a, "int32");
}

/** Converts an integer array to dtype, clipping to the range both types share (not wrapping). */
function convertAndClip(x: JaxArray, dtype: DType): JaxArray {
  const [a0, a1] = INT_RANGE[x.dtype], [b0, b1] = INT_RANGE[dtype];
  const clipped = A.min(A.max(x, bc(c(Math.max(a0, b0), x.dtype), x.shape)), bc(c(Math.min(a1, b1), x.dtype), x.shape));
  return A.convertElementType(clipped, dtype);
}

/**
 * Uniform integers in [minval, maxval). Two 32-bit draws make a 64-bit number reduced modulo the
 * span (JAX's method, including its modular arithmetic), so the bias is tiny for small spans.
 */
export function randint(key: ArrayLike, shape: Shape, minval: ArrayLike, maxval: ArrayLike,
                        options?: { dtype?: DType } | DType): JaxArray {
  const opts = dtypeOptions("random.randint", options);
  const k = checkKey("randint", key);
  const s = shapeOf("randint", shape);
  const dtype = opts.dtype ?? "int32";
  if (dtype !== "int32" && dtype !== "uint32") throw new DTypeError(`randint only accepts integer dtypes, got ${dtype}.`);
  let mn = intBound("randint", minval), mx = intBound("randint", maxval);
  checkShape("randint", s, mn.shape, mx.shape);
  // Where maxval exceeds the dtype's range the span is one larger (so the dtype's maximum is drawn).
  const limit = Math.min(INT_RANGE[dtype][1], INT_RANGE[mx.dtype][1]);
  const outOfRange = bc(A.gt(mx, bc(c(limit, mx.dtype), mx.shape)), s);
  mn = bc(convertAndClip(mn, dtype), s);
  mx = bc(convertAndClip(mx, dtype), s);
  const [k1, k2] = split2(k);
  const higher = bits32(k1, s), lower = bits32(k2, s);
  const one = bc(u32(1), s);
  let span = A.convertElementType(A.sub(mx, mn), "uint32");
  span = A.select(A.le(mx, mn), one, span);
  span = A.select(A.bitwiseAnd(outOfRange, A.gt(mx, mn)), A.add(span, one), span);
  // 2^32 mod span as (2^16 mod span)^2 mod span, in wrapping uint32 arithmetic as JAX computes it.
  let multiplier = A.rem(bc(u32(2 ** 16), s), span);
  multiplier = A.rem(A.mul(multiplier, multiplier), span);
  const offset = A.rem(A.add(A.mul(A.rem(higher, span), multiplier), A.rem(lower, span)), span);
  return A.add(mn, A.convertElementType(offset, dtype));
}

/** Shuffles x along `axis` by sorting on fresh 32-bit keys, repeated until collisions are
 * negligible (3 * log(n) / log(2^32 - 1) rounds, rounded up). */
function shuffle(k: JaxArray, x: JaxArray, axis: number): JaxArray {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(4294967295));
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = split2(k);
    k = next;
    x = sort([bits32(sub, x.shape), x], axis, 1)[1];
  }
  return x;
}

/** A random permutation of arange(n), or of x along `axis` (each slice separately when `independent`). */
export function permutation(key: ArrayLike, x: number | ArrayLike, options?: { axis?: number; independent?: boolean } | number, independent?: boolean): JaxArray {
  // JAX's positional order: permutation(key, x, axis, independent).
  const opts = independent !== undefined
    ? positionalOptions<{ axis?: number; independent?: boolean }>("random.permutation", [options, independent], ["axis", "independent"])
    : axisOptions<{ axis?: number; independent?: boolean }>("random.permutation", options, "axis, independent");
  const k = checkKey("permutation", key);
  const arr = typeof x === "number" ? null : jnp.asArray(x);
  if (arr === null || arr.ndim === 0) {
    const n = concreteInt("permutation", arr ?? (x as number));
    if (n < 0) throw new ValueError(`permutation: x must be a non-negative integer, got ${n}.`);
    return shuffle(k, jnp.arange(n), 0);
  }
  const axis = normAxis("permutation", opts.axis ?? 0, arr.ndim);
  if (opts.independent || arr.ndim === 1) return shuffle(k, arr, axis);
  const ind = shuffle(k, jnp.arange(arr.shape[axis]), 0);
  return jnp.take(arr, ind, axis);
}

/** Indices of the k largest entries along the last axis, largest first (ties: lower index first). */
function topKIndices(x: JaxArray, kk: number): JaxArray {
  const last = x.ndim - 1;
  const idx = sort([A.neg(x), S.iota("int32", x.shape, last)], last, 1)[1];
  return S.slice(idx, x.shape.map(() => 0), [...x.shape.slice(0, -1), kk]);
}

export interface ChoiceOptions { replace?: boolean; p?: ArrayLike; axis?: number }

/** Samples from arange(a) (a an integer) or from the entries of `a` along `axis`. */
export function choice(key: ArrayLike, a: number | ArrayLike, shape: Shape = [], ...rest: (ChoiceOptions | boolean | ArrayLike | number | undefined | null)[]): JaxArray {
  // JAX's positional order: choice(key, a, shape, replace, p, axis).
  const opts: ChoiceOptions = rest.length > 1 || typeof rest[0] === "boolean"
    ? positionalOptions<ChoiceOptions>("random.choice", rest.map((v) => (v === null ? undefined : v)), ["replace", "p", "axis"])
    : axisOptions<ChoiceOptions>("random.choice", (rest[0] ?? {}) as ChoiceOptions, "replace, p, axis");
  const k = checkKey("choice", key);
  const s = shapeOf("choice", shape);
  const replace = opts.replace ?? true;
  const arr = jnp.asArray(a);
  const scalarA = arr.ndim === 0;
  const axis = scalarA ? 0 : normAxis("choice", opts.axis ?? 0, arr.ndim);
  const nInputs = scalarA ? concreteInt("choice", a) : arr.shape[axis];
  const nDraws = sizeOf(s);
  const outShape = scalarA ? s : [...arr.shape.slice(0, axis), ...s, ...arr.shape.slice(axis + 1)];
  if (nDraws === 0) return jnp.zeros(outShape, { dtype: scalarA ? "int32" : arr.dtype });
  if (nInputs <= 0) throw new ValueError("choice: a must be greater than 0 unless no samples are taken.");
  if (!replace && nDraws > nInputs) {
    throw new ValueError(`choice: cannot take a larger sample (size ${nDraws}) than population (size ${nInputs}) when replace=false.`);
  }
  let ind: JaxArray;
  if (opts.p === undefined) {
    if (!replace) {
      const perm = permutation(k, scalarA ? nInputs : arr, { axis });
      const taken = S.slice(perm, perm.shape.map(() => 0), perm.shape.map((d, i) => (i === axis ? nDraws : d)));
      return jnp.reshape(taken, outShape);
    }
    ind = randint(k, s, 0, nInputs);
  } else {
    let p = jnp.asArray(opts.p);
    if (!isFloat(p.dtype)) p = A.convertElementType(p, "float32");
    if (p.ndim !== 1 || p.shape[0] !== nInputs) {
      throw new ValueError(`choice: p must be None or a 1D vector with the same size as a.shape[axis]. p has shape ` +
        `${fmtShape(p.shape)} and a.shape[axis] is ${nInputs}.`);
    }
    if (replace) {
      // Inverse-CDF sampling: searchsorted(cumsum(p), total * (1 - u)) counts the entries below.
      const cuml = jnp.cumsum(p);
      const total = S.reshape(S.slice(cuml, [nInputs - 1], [nInputs]), []);
      const r = A.mul(bc(total, s), A.sub(bc(c(1, p.dtype), s), uniform(k, s, { dtype: p.dtype })));
      const full = [...s, nInputs];
      const below = A.lt(bc(cuml, full), S.broadcastInDim(r, full, s.map((_, i) => i)));
      ind = jnp.sum(below, { axis: s.length });
    } else {
      // Gumbel top-k: the k largest of gumbel + log(p) are a sample without replacement.
      const g = A.add(gumbel(k, [nInputs], { dtype: p.dtype }), M.log(p));
      ind = S.reshape(topKIndices(g, nDraws), s);
    }
  }
  const result = scalarA ? ind : jnp.take(arr, ind, axis);
  return jnp.reshape(result, outShape);
}

export interface CategoricalOptions { axis?: number; shape?: Shape | null; replace?: boolean }

/** Samples category indices from unnormalized log-probabilities (the Gumbel-max trick). */
export function categorical(key: ArrayLike, logits: ArrayLike, ...rest: (CategoricalOptions | number | Shape | boolean | null | undefined)[]): JaxArray {
  // JAX's positional order: categorical(key, logits, axis, shape, replace).
  const opts = rest.length > 1
    ? positionalOptions<CategoricalOptions>("random.categorical", rest.map((v) => (v === null ? undefined : v)), ["axis", "shape", "replace"])
    : axisOptions<CategoricalOptions>("random.categorical", rest[0] as CategoricalOptions | number | undefined, "axis, shape, replace");
  const k = checkKey("categorical", key);
  // JS numbers and lists are log-probabilities whatever their values look like (JS has no 0.0).
  const lg = logits instanceof JaxArray ? logits : jnp.array(logits as never, "float32");
  if (!isFloat(lg.dtype)) throw new DTypeError(`categorical: logits must be floating point, got ${lg.dtype}.`);
  const axis = normAxis("categorical", opts.axis ?? -1, lg.ndim);
  const batchShape = lg.shape.filter((_, i) => i !== axis);
  let s: number[];
  if (opts.shape === undefined || opts.shape === null) s = batchShape;
  else {
    s = shapeOf("categorical", opts.shape);
    checkShape("categorical", s, batchShape);
  }
  const prefix = s.slice(0, s.length - batchShape.length);
  if (opts.replace ?? true) {
    const logitsShape = s.slice(s.length - batchShape.length);
    logitsShape.splice(axis, 0, lg.shape[axis]);
    const g = gumbel(k, [...prefix, ...logitsShape], { dtype: lg.dtype });
    const expanded = S.reshape(lg, [...prefix.map(() => 1), ...lg.shape]);
    return jnp.argmax(jnp.add(g, expanded), { axis: prefix.length + axis });
  }
  const perturbed = A.add(lg, gumbel(k, lg.shape, { dtype: lg.dtype }));
  const kk = sizeOf(prefix);
  if (kk > lg.shape[axis]) {
    throw new ValueError(`categorical: number of samples without replacement (${kk}) cannot exceed number of categories (${lg.shape[axis]}).`);
  }
  const idx = topKIndices(jnp.moveaxis(perturbed, axis, -1), kk); // batch + (k,)
  return S.reshape(S.transpose(idx, [idx.ndim - 1, ...batchShape.map((_, i) => i)]), s);
}

export * from "./random-dists.js";

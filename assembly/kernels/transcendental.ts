// float32 transcendental functions on f32x4 lanes: range reduction plus minimax polynomials fitted
// for float32 (coefficients from a weighted least-squares/Lawson fit in 40-digit arithmetic). Each is
// within 2 ulp of the correctly rounded result for every float32 input (bench/ulp-scan.mjs checks all
// 2^32; the worst case is 1 ulp), including NaN, +-inf, +-0, subnormal inputs and results, and
// overflow. No FMA is used, so results are the same on every engine.

// Every constant as a splatted f32x4, loaded from memory where used: V8 would otherwise rebuild each
// v128.const inside the loop (binaryen propagates constants into loops, V8 does not hoist them).
const TABLE = memory.data<f32>([
  -104.0, -104.0, -104.0, -104.0,
  89.0, 89.0, 89.0, 89.0,
  1.4426950408889634, 1.4426950408889634, 1.4426950408889634, 1.4426950408889634,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  0.693359375, 0.693359375, 0.693359375, 0.693359375,
  -0.00021219444005469057, -0.00021219444005469057, -0.00021219444005469057, -0.00021219444005469057,
  0.0013814599951729178, 0.0013814599951729178, 0.0013814599951729178, 0.0013814599951729178,
  0.008368715643882751, 0.008368715643882751, 0.008368715643882751, 0.008368715643882751,
  0.04166838899254799, 0.04166838899254799, 0.04166838899254799, 0.04166838899254799,
  0.1666652113199234, 0.1666652113199234, 0.1666652113199234, 0.1666652113199234,
  0.4999999403953552, 0.4999999403953552, 0.4999999403953552, 0.4999999403953552,
  1.0, 1.0, 1.0, 1.0,
  1.17549435e-38, 1.17549435e-38, 1.17549435e-38, 1.17549435e-38,
  8388608.0, 8388608.0, 8388608.0, 8388608.0,
  0.7071067811865476, 0.7071067811865476, 0.7071067811865476, 0.7071067811865476,
  -0.07634429633617401, -0.07634429633617401, -0.07634429633617401, -0.07634429633617401,
  0.12761549651622772, 0.12761549651622772, 0.12761549651622772, 0.12761549651622772,
  -0.131601944565773, -0.131601944565773, -0.131601944565773, -0.131601944565773,
  0.14201761782169342, 0.14201761782169342, 0.14201761782169342, 0.14201761782169342,
  -0.16623356938362122, -0.16623356938362122, -0.16623356938362122, -0.16623356938362122,
  0.20001226663589478, 0.20001226663589478, 0.20001226663589478, 0.20001226663589478,
  -0.250008225440979, -0.250008225440979, -0.250008225440979, -0.250008225440979,
  0.3333333134651184, 0.3333333134651184, 0.3333333134651184, 0.3333333134651184,
  0.5, 0.5, 0.5, 0.5,
  Infinity, Infinity, Infinity, Infinity,
  -Infinity, -Infinity, -Infinity, -Infinity,
  NaN, NaN, NaN, NaN,
  0.0, 0.0, 0.0, 0.0,
  -0.005704990588128567, -0.005704990588128567, -0.005704990588128567, -0.005704990588128567,
  0.02063908986747265, 0.02063908986747265, 0.02063908986747265, 0.02063908986747265,
  -0.05373971536755562, -0.05373971536755562, -0.05373971536755562, -0.05373971536755562,
  0.13331441581249237, 0.13331441581249237, 0.13331441581249237, 0.13331441581249237,
  -0.3333328068256378, -0.3333328068256378, -0.3333328068256378, -0.3333328068256378,
  10.0, 10.0, 10.0, 10.0,
  2.0, 2.0, 2.0, 2.0,
  0.625, 0.625, 0.625, 0.625,
  1.0563138630459434e-06, 1.0563138630459434e-06, 1.0563138630459434e-06, 1.0563138630459434e-06,
  -1.3898768884246238e-05, -1.3898768884246238e-05, -1.3898768884246238e-05, -1.3898768884246238e-05,
  0.00011954830551985651, 0.00011954830551985651, 0.00011954830551985651, 0.00011954830551985651,
  -0.0008542489958927035, -0.0008542489958927035, -0.0008542489958927035, -0.0008542489958927035,
  0.005223776679486036, 0.005223776679486036, 0.005223776679486036, 0.005223776679486036,
  -0.026866130530834198, -0.026866130530834198, -0.026866130530834198, -0.026866130530834198,
  0.11283791065216064, 0.11283791065216064, 0.11283791065216064, 0.11283791065216064,
  -0.37612637877464294, -0.37612637877464294, -0.37612637877464294, -0.37612637877464294,
  0.12837916612625122, 0.12837916612625122, 0.12837916612625122, 0.12837916612625122,
  4.0, 4.0, 4.0, 4.0,
  2.5, 2.5, 2.5, 2.5,
  -2.7994572519673966e-05, -2.7994572519673966e-05, -2.7994572519673966e-05, -2.7994572519673966e-05,
  -5.778074046247639e-05, -5.778074046247639e-05, -5.778074046247639e-05, -5.778074046247639e-05,
  -0.00013621055404655635, -0.00013621055404655635, -0.00013621055404655635, -0.00013621055404655635,
  0.00022366945631802082, 0.00022366945631802082, 0.00022366945631802082, 0.00022366945631802082,
  -0.0006491676904261112, -0.0006491676904261112, -0.0006491676904261112, -0.0006491676904261112,
  0.0025207072030752897, 0.0025207072030752897, 0.0025207072030752897, 0.0025207072030752897,
  -0.008000192232429981, -0.008000192232429981, -0.008000192232429981, -0.008000192232429981,
  0.024929534643888474, 0.024929534643888474, 0.024929534643888474, 0.024929534643888474,
  -0.07434938102960587, -0.07434938102960587, -0.07434938102960587, -0.07434938102960587,
  0.21080633997917175, 0.21080633997917175, 0.21080633997917175, 0.21080633997917175,
]);
const EXP_LO = 0;
const EXP_HI = 1;
const LOG2E = 2;
const MAGIC = 3;
const LN2_HI = 4;
const LN2_LO = 5;
const E4 = 6;
const E3 = 7;
const E2 = 8;
const E1 = 9;
const E0 = 10;
const ONE = 11;
const MIN_NORMAL = 12;
const TWO23 = 13;
const SQRTH = 14;
const L7 = 15;
const L6 = 16;
const L5 = 17;
const L4 = 18;
const L3 = 19;
const L2 = 20;
const L1 = 21;
const L0 = 22;
const HALF = 23;
const INF = 24;
const NINF = 25;
const QNAN = 26;
const ZERO = 27;
const T4 = 28;
const T3 = 29;
const T2 = 30;
const T1 = 31;
const T0 = 32;
const TEN = 33;
const TWO = 34;
const T_SPLIT = 35;
const P8 = 36;
const P7 = 37;
const P6 = 38;
const P5 = 39;
const P4 = 40;
const P3 = 41;
const P2 = 42;
const P1 = 43;
const P0 = 44;
const FOUR = 45;
const R_CENTER = 46;
const Q9 = 47;
const Q8 = 48;
const Q7 = 49;
const Q6 = 50;
const Q5 = 51;
const Q4 = 52;
const Q3 = 53;
const Q2 = 54;
const Q1 = 55;
const Q0 = 56;
/** The splatted constant number i. */
@inline function K(i: i32): v128 { return v128.load(TABLE + (<usize>i << 4)); }

/** Horner step: acc * x + K(c). */
/** acc * x + K(c): a Horner step, fused in the relaxed-SIMD build (one rounding; still <= 2 ulp). */
@inline function mad(acc: v128, x: v128, c: i32): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(acc, x, K(c));
  return f32x4.add(f32x4.mul(acc, x), K(c));
}

/** acc * x + c for a c computed in the loop (fused like mad in the relaxed-SIMD build). */
@inline function madV(acc: v128, x: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(acc, x, c);
  return f32x4.add(f32x4.mul(acc, x), c);
}

/** |x| with the sign bit of `s`. */
@inline function withSignOf(ax: v128, s: v128): v128 {
  return v128.or(ax, v128.and(s, i32x4.splat(i32.MIN_VALUE)));
}

/** 2^n for integer lanes n in [-126, 127]. */
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

// ---------------------------------------------------------------- exp

/**
 * e^r = 1 + r + r^2 P(r) for the reduced argument, P of degree 4 evaluated in Estrin's order
 * (a + r^2 (b + r^2 E4), a and b linear): the exp kernels are bound by this chain's latency, which
 * is 5 dependent steps instead of Horner's 8.
 */
@inline function expPoly(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const a = mad(K(E1), r, E0);
  const b = mad(K(E3), r, E2);
  const p = madV(r2, madV(r2, K(E4), b), a);
  return f32x4.add(madV(r2, p, r), K(ONE));
}

/**
 * exp(x). x = n ln2 + r with |r| <= ln2/2 (Cody-Waite, two-part ln2; n rounded by adding 1.5 * 2^23,
 * whose low mantissa bits then hold n as an integer), e^r by expPoly, then
 * scaled by 2^n as two factors 2^(n>>1) 2^(n - n>>1) so subnormal results round once and n = 128
 * still reaches FLT_MAX. x is clamped to [-104, 89] first (NaN passes through the clamp).
 */
@inline export function expV(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, K(EXP_LO)), K(EXP_HI));
  const nm = f32x4.add(f32x4.mul(x, K(LOG2E)), K(MAGIC));
  const n = f32x4.sub(nm, K(MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, K(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, K(LN2_LO)));
  const p = expPoly(r);
  const ni = i32x4.sub(nm, K(MAGIC));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  return f32x4.mul(f32x4.mul(p, pow2i(n1)), pow2i(n2));
}

/**
 * exp(x) for x in [-87, 0] (results in [2^-126, 1]) or NaN, identical to expV there and faster, as
 * softmax's exp(x - max) needs: no clamp and one scale factor. Other x give garbage.
 */
@inline export function expUnitV(x: v128): v128 {
  const nm = f32x4.add(f32x4.mul(x, K(LOG2E)), K(MAGIC));
  const n = f32x4.sub(nm, K(MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, K(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, K(LN2_LO)));
  return f32x4.mul(expPoly(r), pow2i(i32x4.sub(nm, K(MAGIC))));
}

// ---------------------------------------------------------------- log

/**
 * log(x). x = 2^e m with m in [sqrt(1/2), sqrt(2)) (subnormals are scaled by 2^23 first), f = m - 1
 * exactly, log(1 + f) = f - f^2/2 + f^3 P(f) with a degree-7 P, plus e ln2 in two parts.
 * x < 0 and NaN give NaN, +-0 gives -inf, +inf gives +inf.
 */
@inline export function logV(x: v128): v128 {
  const tiny = f32x4.lt(x, K(MIN_NORMAL));
  const bits = v128.bitselect(f32x4.mul(x, K(TWO23)), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  // m in [0.5, 1); below sqrt(1/2): e -= 1 and f = 2m - 1, else f = m - 1 (both exact).
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), K(HALF));
  const small = f32x4.lt(m, K(SQRTH));
  e = i32x4.add(e, small); // the mask is -1 in true lanes
  m = f32x4.add(m, v128.and(small, m));
  const f = f32x4.sub(m, K(ONE));
  const ef = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let p = mad(K(L7), f, L6);
  p = mad(p, f, L5);
  p = mad(p, f, L4);
  p = mad(p, f, L3);
  p = mad(p, f, L2);
  p = mad(p, f, L1);
  p = mad(p, f, L0);
  let y = f32x4.mul(f32x4.mul(f, z), p);
  y = f32x4.add(y, f32x4.mul(ef, K(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, K(HALF)));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(ef, K(LN2_HI)));
  // Special values.
  r = v128.bitselect(K(INF), r, f32x4.eq(x, K(INF)));
  r = v128.bitselect(K(NINF), r, f32x4.eq(x, K(ZERO)));
  return v128.bitselect(r, K(QNAN), f32x4.ge(x, K(ZERO)));
}

// ---------------------------------------------------------------- tanh

/**
 * tanh(x) = sign(x) * t(|x|): for |x| < 0.625, t = a + a^3 P(a^2) (degree 4); above,
 * t = 1 - 2 / (exp(2a) + 1), with a clamped to 10 (t rounds to 1 from 9.01 on).
 */
@inline export function tanhV(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(a, a);
  let p = mad(K(T4), z, T3);
  p = mad(p, z, T2);
  p = mad(p, z, T1);
  p = mad(p, z, T0);
  const lo = f32x4.add(a, f32x4.mul(f32x4.mul(a, z), p));
  const ac = f32x4.pmin(a, K(TEN));
  const e = expV(f32x4.add(ac, ac));
  const hi = f32x4.sub(K(ONE), f32x4.div(K(TWO), f32x4.add(e, K(ONE))));
  return withSignOf(v128.bitselect(lo, hi, f32x4.lt(a, K(T_SPLIT))), x);
}

// ---------------------------------------------------------------- logistic

/**
 * logistic(x) = 1 / (1 + e^-x): with e = exp(-|x|) (never overflows), 1/(1+e) for x >= 0 and
 * e/(1+e) below; the quotient is formed in float64 so only exp's error and one rounding remain.
 */
@inline export function logisticV(x: v128): v128 {
  const e = expV(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(e, K(ONE), f32x4.lt(x, K(ZERO)));
  const one = f64x2.promote_low_f32x4(K(ONE));
  const elo = f64x2.promote_low_f32x4(e), ehi = f64x2.promote_low_f32x4(i64x2.shuffle(e, e, 1, 1));
  const nlo = f64x2.promote_low_f32x4(num), nhi = f64x2.promote_low_f32x4(i64x2.shuffle(num, num, 1, 1));
  const rlo = f32x4.demote_f64x2_zero(f64x2.div(nlo, f64x2.add(elo, one)));
  const rhi = f32x4.demote_f64x2_zero(f64x2.div(nhi, f64x2.add(ehi, one)));
  return i64x2.shuffle(rlo, rhi, 0, 2);
}

// ---------------------------------------------------------------- erf

/**
 * erf(x) = sign(x) * g(|x|): below 1, a + a Q(a^2) (degree 8; Q = erf(a)/a - 1 keeps the leading
 * 2/sqrt(pi) from rounding); above, 1 - exp(-a^2) R(a - 2.5) with R a degree-9 fit of erfcx on [1, 4]
 * (a clamped to 4, where erf rounds to 1).
 */
@inline export function erfV(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(a, a);
  let p = mad(K(P8), z, P7);
  p = mad(p, z, P6);
  p = mad(p, z, P5);
  p = mad(p, z, P4);
  p = mad(p, z, P3);
  p = mad(p, z, P2);
  p = mad(p, z, P1);
  p = mad(p, z, P0);
  const lo = f32x4.add(a, f32x4.mul(a, p));
  const ac = f32x4.pmin(a, K(FOUR));
  const u = f32x4.sub(ac, K(R_CENTER));
  let q = mad(K(Q9), u, Q8);
  q = mad(q, u, Q7);
  q = mad(q, u, Q6);
  q = mad(q, u, Q5);
  q = mad(q, u, Q4);
  q = mad(q, u, Q3);
  q = mad(q, u, Q2);
  q = mad(q, u, Q1);
  q = mad(q, u, Q0);
  const hi = f32x4.sub(K(ONE), f32x4.mul(expV(f32x4.neg(f32x4.mul(ac, ac))), q));
  return withSignOf(v128.bitselect(lo, hi, f32x4.lt(a, K(ONE))), x);
}

// float32 transcendental functions in WGSL. WGSL's built-ins are too loose to match numpy to 1e-6
// (sin/cos only promise 2^-11 absolute error on [-pi, pi], atan 4096 ulp, exp 3 + 2|x| ulp, and
// SwiftShader's sin(1e30) returns 1), so each function is range reduction plus a polynomial, using
// only +, -, *, / (correctly rounded, except / at 2.5 ulp), bit manipulation and the built-in
// sqrt/inverseSqrt (2.5/2 ulp). exp, log, tanh, erf and logistic use the coefficients of the Wasm
// kernels (assembly/kernels/transcendental.ts); the trigonometric, inverse and hyperbolic ones are
// Cephes' single-precision polynomials. sin/cos/tan reduce every argument beyond pi/4 exactly, by
// Payne-Hanek in 32-bit integer arithmetic (Cody-Waite would lose ~50 ulp near multiples of pi/2).
// pow (lib-exact.ts) carries log2 and the product in double-f32, with its error-free steps in
// integer arithmetic because WGSL allows reassociation. Measured against correctly rounded results
// on SwiftShader and on Mesa's lavapipe (whose compiler does reassociate): at most 4 ulp over each
// function's domain, subnormal results aside (the GPU may flush them to zero).

/** Bits of 2/pi after the binary point, 32 per word, with one leading zero word (Payne-Hanek). */
export function twoOverPiWords(count: number): number[] {
  // pi by Machin's formula in fixed point with 320 fractional bits, then 2/pi = 2^(321+320)/(pi*2^320).
  const P = 320n;
  const one = 1n << P;
  const atanInv = (x: bigint): bigint => {
    let sum = 0n, term = one / x, k = 0n;
    const x2 = x * x;
    while (term !== 0n) {
      sum += k % 2n === 0n ? term / (2n * k + 1n) : -(term / (2n * k + 1n));
      term /= x2;
      k++;
    }
    return sum;
  };
  const pi = 4n * (4n * atanInv(5n) - atanInv(239n));
  const twoOverPi = (2n * one * one) / pi; // 2/pi with P fractional bits
  const words = [0];
  for (let i = 1; i < count; i++) words.push(Number((twoOverPi >> (P - 32n * BigInt(i))) & 0xffffffffn));
  return words;
}

const TOP = twoOverPiWords(10).map((w) => `0x${w.toString(16)}u`).join(", ");

export const MATH: Record<string, string> = {
  // e^r - 1 - r = r^2 P(r) for |r| <= ln2/2 (the Wasm kernels' degree-4 P).
  f_expm1_core: `fn f_expm1_core(r: f32) -> f32 {
  var p = 0.0013814599951729178 * r + 0.008368715643882751;
  p = p * r + 0.04166838899254799;
  p = p * r + 0.1666652113199234;
  p = p * r + 0.4999999403953552;
  return (r * r) * p + r;
}`,
  // 2^n * p for integer n in [-150, 128], as two factors so subnormal results round once.
  f_scale: `fn f_scale(p: f32, n0: i32) -> f32 {
  let n = clamp(n0, -160, 130);
  let n1 = n >> 1;
  return p * f_pow2i(n1) * f_pow2i(n - n1);
}`,
  f_exp: `fn f_exp(x0: f32) -> f32 {
  if (f_isnan(x0)) { return x0; }
  let x = clamp(x0, -104.0, 89.0);
  let n = f_round(x * 1.4426950408889634);
  var r = x - n * 0.693359375;
  r = r - n * -0.00021219444005469057;
  return f_scale(f_expm1_core(r) + 1.0, i32(n));
}`,
  f_exp2: `fn f_exp2(x0: f32) -> f32 {
  if (f_isnan(x0)) { return x0; }
  let x = clamp(x0, -152.0, 129.0);
  let n = f_round(x);
  return f_scale(f_expm1_core((x - n) * 0.6931471805599453) + 1.0, i32(n));
}`,
  f_expm1: `fn f_expm1(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (f_abs(x) < 0.34657359) { return f_expm1_core(x); }
  if (x < -18.0) { return -1.0; }
  return f_exp(x) - 1.0;
}`,
  // log(1 + f) - f = -f^2/2 + f^3 P(f) for f in [sqrt(1/2) - 1, sqrt(2) - 1].
  f_log1p_tail: `fn f_log1p_tail(f: f32) -> f32 {
  let z = f * f;
  var p = -0.07634429633617401 * f + 0.12761549651622772;
  p = p * f + -0.131601944565773;
  p = p * f + 0.14201761782169342;
  p = p * f + -0.16623356938362122;
  p = p * f + 0.20001226663589478;
  p = p * f + -0.250008225440979;
  p = p * f + 0.3333333134651184;
  return f * z * p - z * 0.5;
}`,
  // Splits x > 0 (finite, subnormals included) into m in [sqrt(1/2), sqrt(2)) and e: x = m 2^e.
  f_frexp_log: `fn f_frexp_log(x: f32) -> vec2<f32> {
  var b = bitcast<u32>(x);
  var e = i32(b >> 23u) - 127;
  if ((b >> 23u) == 0u) {
    let lz = i32(countLeadingZeros(b)) - 8;
    b = (b << u32(lz)) & 0x007fffffu;
    e = -126 - lz;
  }
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) { m = m * 0.5; e = e + 1; }
  return vec2<f32>(m, f32(e));
}`,
  f_log: `fn f_log(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (f_iszero(x)) { return -f_inf(); }
  if (f_signbit(x)) { return f_nan(); }
  if (f_isinf(x)) { return x; }
  let me = f_frexp_log(x);
  let f = me.x - 1.0;
  let e = me.y;
  let r = f + (f_log1p_tail(f) + e * -0.00021219444005469057);
  return r + e * 0.693359375;
}`,
  f_log1p: `fn f_log1p(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x > -0.29289321881 && x < 0.41421356237) { return x + f_log1p_tail(x); }
  if (x == -1.0) { return -f_inf(); }
  if (x < -1.0) { return f_nan(); }
  return f_log(1.0 + x);
}`,
  // sqrt and rsqrt scale subnormal inputs on the bits (the GPU may flush them to zero).
  f_sqrt: `fn f_sqrt(x: f32) -> f32 {
  if (f_isnan(x) || f_iszero(x) || (f_isinf(x) && !f_signbit(x))) { return x; }
  if (f_signbit(x)) { return f_nan(); }
  let b = bitcast<u32>(x);
  if ((b & 0x7f800000u) == 0u) { return sqrt(2.0 * f32(b)) * f_pow2i(-75); }
  return sqrt(x);
}`,
  f_rsqrt: `fn f_rsqrt(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (f_iszero(x)) { return f_copysign(f_inf(), x); }
  if (f_signbit(x)) { return f_nan(); }
  if (f_isinf(x)) { return 0.0; }
  let b = bitcast<u32>(x);
  if ((b & 0x7f800000u) == 0u) { return inverseSqrt(2.0 * f32(b)) * f_pow2i(75); }
  return inverseSqrt(x);
}`,
  f_cbrt: `fn f_cbrt(x: f32) -> f32 {
  if (!f_finite(x) || f_iszero(x)) { return x; }
  let a = f_abs(x);
  var y = bitcast<f32>(bitcast<u32>(a) / 3u + 0x2a508c2du);
  y = (2.0 * y + a / (y * y)) * 0.3333333333333333;
  y = (2.0 * y + a / (y * y)) * 0.3333333333333333;
  y = (2.0 * y + a / (y * y)) * 0.3333333333333333;
  y = y - (y - a / (y * y)) * 0.3333333333333333;
  return f_copysign(y, x);
}`,
  // -- trigonometry: x = k pi/2 + r, |r| <= pi/4, quadrant k & 3.
  w_mul: `fn w_mul(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}`,
  TWO_OVER_PI: `const TWO_OVER_PI = array<u32, 10>(${TOP});`,
  // Payne-Hanek: x * 2/pi mod 4 from a 96-bit window of 2/pi's bits times the
  // 24-bit mantissa; returns (r, k) with r = (fraction) * pi/2 in [-pi/4, pi/4].
  f_reduce_big: `fn f_reduce_big(x: f32) -> vec2<f32> {
  let b = bitcast<u32>(x) & 0x7fffffffu;
  let m = (b & 0x007fffffu) | 0x00800000u;
  let s = i32(b >> 23u) - 150;
  let q = u32(s - 1 + 31);
  let wi = q >> 5u; let sh = q & 31u;
  var w: array<u32, 3>;
  for (var k = 0u; k < 3u; k = k + 1u) {
    let hi = TWO_OVER_PI[wi + k]; let lo = TWO_OVER_PI[wi + k + 1u];
    w[k] = select((hi << sh) | (lo >> (32u - sh)), hi, sh == 0u);
  }
  let p2 = w_mul(m, w[2]); let p1 = w_mul(m, w[1]); let p0 = w_mul(m, w[0]);
  let word0 = p2.x;
  let word1 = p2.y + p1.x;
  let c1 = select(0u, 1u, word1 < p2.y);
  let t2 = p1.y + p0.x;
  let c2a = select(0u, 1u, t2 < p1.y);
  let word2 = t2 + c1;
  let c2 = c2a + select(0u, 1u, word2 < t2);
  var k = (word2 >> 30u) + ((p0.y + c2) << 2u);
  var hi = (word2 << 2u) | (word1 >> 30u);
  var lo = (word1 << 2u) | (word0 >> 30u);
  var neg = false;
  if ((hi & 0x80000000u) != 0u) {
    k = k + 1u; neg = true;
    hi = ~hi; lo = ~lo; lo = lo + 1u; if (lo == 0u) { hi = hi + 1u; }
  }
  var lz = countLeadingZeros(hi);
  if (lz == 32u) { hi = lo; lo = 0u; lz = 32u + countLeadingZeros(hi); }
  let l = lz & 31u;
  let top = select((hi << l) | (lo >> (32u - l)), hi, l == 0u);
  let low = lo << l;
  let scale = f_pow2i(-i32(lz) - 24);
  let fa = f32(top >> 8u) * scale;
  let fb = f32(((top & 0xffu) << 16u) | (low >> 16u)) * scale * 5.9604644775390625e-8;
  var r = fa * 1.5707963705062866 + (fa * -4.371139000186243e-8 + fb * 1.5707963705062866);
  if (neg) { r = -r; }
  if ((bitcast<u32>(x) & 0x80000000u) != 0u) { r = -r; k = 0u - k; }
  return vec2<f32>(r, f32(k & 3u));
}`,
  f_reduce: `fn f_reduce(x: f32) -> vec2<f32> {
  if (f_abs(x) <= 0.7853981633974483) { return vec2<f32>(x, 0.0); }
  return f_reduce_big(x);
}`,
  f_sin_poly: `fn f_sin_poly(r: f32) -> f32 {
  let z = r * r;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
}`,
  f_cos_poly: `fn f_cos_poly(r: f32) -> f32 {
  let z = r * r;
  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
}`,
  f_sin: `fn f_sin(x: f32) -> f32 {
  if (!f_finite(x)) { return f_nan(); }
  if (f_abs(x) < 1e-4) { return x; }
  let rk = f_reduce(x);
  let q = u32(rk.y);
  let v = select(f_sin_poly(rk.x), f_cos_poly(rk.x), (q & 1u) != 0u);
  return select(v, -v, (q & 2u) != 0u);
}`,
  f_cos: `fn f_cos(x: f32) -> f32 {
  if (!f_finite(x)) { return f_nan(); }
  let rk = f_reduce(x);
  let q = u32(rk.y);
  let v = select(f_cos_poly(rk.x), f_sin_poly(rk.x), (q & 1u) != 0u);
  return select(v, -v, ((q + 1u) & 2u) != 0u);
}`,
  f_tan: `fn f_tan(x: f32) -> f32 {
  if (!f_finite(x)) { return f_nan(); }
  if (f_abs(x) < 1e-4) { return x; }
  let rk = f_reduce(x);
  let r = rk.x;
  let z = r * r;
  var y = ((((9.38540185543e-3 * z + 3.11992232697e-3) * z + 2.44301354525e-2) * z + 5.34112807005e-2) * z
    + 1.33387994085e-1) * z + 3.33331568548e-1;
  y = y * z * r + r;
  if ((u32(rk.y) & 1u) != 0u) { y = -1.0 / y; }
  return y;
}`,
  f_asin_core: `fn f_asin_core(a: f32) -> f32 {
  var x = a; var z = a * a; var flag = false;
  if (a > 0.5) { z = 0.5 * (1.0 - a); x = sqrt(z); flag = true; }
  var r = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z
    + 1.6666752422e-1) * z * x + x;
  if (flag) { r = 1.5707963267948966 - (r + r); }
  return r;
}`,
  f_asin: `fn f_asin(x: f32) -> f32 {
  let a = f_abs(x);
  if (f_isnan(x) || a > 1.0) { return f_nan(); }
  if (a < 1e-4) { return x; }
  return f_copysign(f_asin_core(a), x);
}`,
  f_acos: `fn f_acos(x: f32) -> f32 {
  if (f_isnan(x) || f_abs(x) > 1.0) { return f_nan(); }
  if (x < -0.5) { return 3.14159265358979 - 2.0 * f_asin_core(sqrt(0.5 * (1.0 + x))); }
  if (x > 0.5) { return 2.0 * f_asin_core(sqrt(0.5 * (1.0 - x))); }
  return 1.5707963267948966 - f_copysign(f_asin_core(f_abs(x)), x);
}`,
  f_atan_pos: `fn f_atan_pos(a: f32) -> f32 {
  var y = 0.0; var x = a;
  if (a > 2.414213562373095) { y = 1.5707963267948966; x = -1.0 / a; }
  else if (a > 0.4142135623730950) { y = 0.7853981633974483; x = (a - 1.0) / (a + 1.0); }
  let z = x * x;
  return y + ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * x + x);
}`,
  f_atan: `fn f_atan(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (f_isinf(x)) { return f_copysign(1.5707963267948966, x); }
  if (f_abs(x) < 1e-4) { return x; }
  return f_copysign(f_atan_pos(f_abs(x)), x);
}`,
  // atan2(y, x) with C99's answers for zeros and infinities.
  f_atan2: `fn f_atan2(y: f32, x: f32) -> f32 {
  if (f_isnan(y) || f_isnan(x)) { return f_nan(); }
  let xneg = f_signbit(x);
  if (f_iszero(y)) { return select(y, f_copysign(3.14159265358979, y), xneg); }
  if (f_iszero(x)) { return f_copysign(1.5707963267948966, y); }
  if (f_isinf(x)) {
    if (f_isinf(y)) { return f_copysign(select(0.7853981633974483, 2.356194490192345, xneg), y); }
    return select(f_copysign(0.0, y), f_copysign(3.14159265358979, y), xneg);
  }
  if (f_isinf(y)) { return f_copysign(1.5707963267948966, y); }
  let q = f_div(f_abs(y), f_abs(x));
  var z: f32;
  if (f_isinf(q)) { z = 1.5707963267948966; } else { z = f_atan_pos(q); }
  if (xneg) { z = (3.1415927410125732 - z) + -8.742278e-8; }
  return f_copysign(z, y);
}`,
  f_sinh: `fn f_sinh(x: f32) -> f32 {
  if (!f_finite(x)) { return x; }
  let a = f_abs(x);
  if (a > 88.0) { let e = f_exp(0.5 * a); return f_copysign((0.5 * e) * e, x); }
  if (a > 1.0) { let e = f_exp(a); return f_copysign(0.5 * e - 0.5 / e, x); }
  let z = x * x;
  return ((2.03721912945e-4 * z + 8.33028376239e-3) * z + 1.66667160211e-1) * z * x + x;
}`,
  f_cosh: `fn f_cosh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = f_abs(x);
  if (a > 88.0) { let e = f_exp(0.5 * a); return (0.5 * e) * e; }
  let e = f_exp(a);
  return 0.5 * e + 0.5 / e;
}`,
  f_tanh: `fn f_tanh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = f_abs(x);
  if (a < 0.625) {
    let z = a * a;
    var p = -0.005704990588128567 * z + 0.02063908986747265;
    p = p * z + -0.05373971536755562;
    p = p * z + 0.13331441581249237;
    p = p * z + -0.3333328068256378;
    return f_copysign(a + a * z * p, x);
  }
  let e = f_exp(2.0 * min(a, 10.0));
  return f_copysign(1.0 - 2.0 / (e + 1.0), x);
}`,
  f_asinh: `fn f_asinh(x: f32) -> f32 {
  if (!f_finite(x)) { return x; }
  let a = f_abs(x);
  var z: f32;
  if (a > 1500.0) { z = f_log(a) + 0.6931471805599453; }
  else if (a < 0.5) {
    let s = a * a;
    z = (((2.0122003309e-2 * s - 4.2699340972e-2) * s + 7.4847586088e-2) * s - 1.6666288134e-1) * s * a + a;
  } else { z = f_log(a + sqrt(a * a + 1.0)); }
  return f_copysign(z, x);
}`,
  f_acosh: `fn f_acosh(x: f32) -> f32 {
  if (f_isnan(x) || x < 1.0) { return f_nan(); }
  if (f_isinf(x)) { return x; }
  if (x > 1500.0) { return f_log(x) + 0.6931471805599453; }
  let z = x - 1.0;
  if (z < 0.5) {
    return ((((1.7596881071e-3 * z - 7.5272886713e-3) * z + 2.6454905019e-2) * z - 1.1784741703e-1) * z
      + 1.4142135263) * sqrt(z);
  }
  return f_log(x + sqrt(z * (x + 1.0)));
}`,
  f_atanh: `fn f_atanh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = f_abs(x);
  if (a > 1.0) { return f_nan(); }
  if (a == 1.0) { return f_copysign(f_inf(), x); }
  if (a < 1e-4) { return x; }
  if (a < 0.5) {
    let z = x * x;
    return ((((1.81740078349e-1 * z + 8.24370301058e-2) * z + 1.46691431730e-1) * z + 1.99782164500e-1) * z
      + 3.33337300303e-1) * z * x + x;
  }
  return f_copysign(0.5 * f_log1p(2.0 * a / (1.0 - a)), x);
}`,
  f_erf: `fn f_erf(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = f_abs(x);
  if (a < 1.0) {
    let z = a * a;
    var p = 1.0563138630459434e-06 * z + -1.3898768884246238e-05;
    p = p * z + 0.00011954830551985651;
    p = p * z + -0.0008542489958927035;
    p = p * z + 0.005223776679486036;
    p = p * z + -0.026866130530834198;
    p = p * z + 0.11283791065216064;
    p = p * z + -0.37612637877464294;
    p = p * z + 0.12837916612625122;
    return f_copysign(a + a * p, x);
  }
  let ac = min(a, 4.0);
  let u = ac - 2.5;
  var q = -2.7994572519673966e-05 * u + -5.778074046247639e-05;
  q = q * u + -0.00013621055404655635;
  q = q * u + 0.00022366945631802082;
  q = q * u + -0.0006491676904261112;
  q = q * u + 0.0025207072030752897;
  q = q * u + -0.008000192232429981;
  q = q * u + 0.024929534643888474;
  q = q * u + -0.07434938102960587;
  q = q * u + 0.21080633997917175;
  return f_copysign(1.0 - f_exp(-(ac * ac)) * q, x);
}`,
  f_logistic: `fn f_logistic(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let e = f_exp(-f_abs(x));
  return select(1.0, e, f_signbit(x)) / (1.0 + e);
}`,
  // Float remainder with C's fmod semantics, exact (integer long division of the mantissas).
  f_fmod: `fn f_fmod(x: f32, y: f32) -> f32 {
  let ux = bitcast<u32>(x); let uy = bitcast<u32>(y);
  let sx = ux & 0x80000000u;
  let ax = ux & 0x7fffffffu; let ay = uy & 0x7fffffffu;
  if (ay == 0u || ax >= 0x7f800000u || ay > 0x7f800000u) { return f_nan(); }
  if (ax < ay) { return x; }
  var ex = i32(ax >> 23u); var ey = i32(ay >> 23u);
  var mx: u32; var my: u32;
  if (ex == 0) { let lz = i32(countLeadingZeros(ax)) - 8; mx = ax << u32(lz); ex = 1 - lz; } else { mx = (ax & 0x007fffffu) | 0x00800000u; }
  if (ey == 0) { let lz = i32(countLeadingZeros(ay)) - 8; my = ay << u32(lz); ey = 1 - lz; } else { my = (ay & 0x007fffffu) | 0x00800000u; }
  loop {
    if (ex <= ey) { break; }
    if (mx >= my) { mx = mx - my; }
    if (mx == 0u) { return bitcast<f32>(sx); }
    mx = mx << 1u;
    ex = ex - 1;
  }
  if (mx >= my) { mx = mx - my; }
  if (mx == 0u) { return bitcast<f32>(sx); }
  let lz = i32(countLeadingZeros(mx)) - 8;
  mx = mx << u32(lz);
  ex = ex - lz;
  if (ex > 0) { return bitcast<f32>(sx | (u32(ex) << 23u) | (mx & 0x007fffffu)); }
  return bitcast<f32>(sx | (mx >> u32(1 - ex)));
}`,
};

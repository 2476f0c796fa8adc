// Exactly rounded float32 arithmetic in WGSL integer code, for results that must match the Wasm
// backend bit for bit (the PRNG's fma and erf_inv). WGSL's + - * are correctly rounded but may be
// contracted into FMAs by the driver and may flush subnormals, and / and sqrt are only accurate to
// 2.5 ulp, and WGSL also allows reassociation (so error-free transformations like two-sum may be
// simplified away) and leaves the rounding direction open; none of that is allowed here. x_fma is
// a software fused multiply-add on 64-bit integer pairs (vec2<u32>: lo, hi), and x_mul, x_add,
// x_div and x_sqrt are built on it; pow uses them for its error-free steps.

export const EXACT: Record<string, string> = {
  w_shl: `fn w_shl(a: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return a; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(0u, a.x << (s - 32u)); }
  return vec2<u32>(a.x << s, (a.y << s) | (a.x >> (32u - s)));
}`,
  // Right shift that ORs every bit shifted out into bit 0 (the sticky bit).
  w_shr_sticky: `fn w_shr_sticky(a: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return a; }
  if (s >= 64u) { return vec2<u32>(select(0u, 1u, a.x != 0u || a.y != 0u), 0u); }
  var r: vec2<u32>; var lost: u32;
  if (s >= 32u) {
    let t = s - 32u;
    lost = a.x | select(a.y & ((1u << t) - 1u), 0u, t == 0u);
    r = vec2<u32>(a.y >> t, 0u);
  } else {
    lost = a.x & ((1u << s) - 1u);
    r = vec2<u32>((a.x >> s) | (a.y << (32u - s)), a.y >> s);
  }
  r.x = r.x | select(0u, 1u, lost != 0u);
  return r;
}`,
  w_add: `fn w_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}`,
  w_sub: `fn w_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}`,
  w_lt: `fn w_lt(a: vec2<u32>, b: vec2<u32>) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }`,
  w_clz: `fn w_clz(a: vec2<u32>) -> u32 { return select(32u + countLeadingZeros(a.x), countLeadingZeros(a.y), a.y != 0u); }`,
  // (mantissa, exponent) with value = m * 2^e for a finite float (subnormals included).
  x_decode: `fn x_decode(u: u32) -> vec2<i32> {
  let f = (u >> 23u) & 0xffu;
  if (f == 0u) { return vec2<i32>(i32(u & 0x007fffffu), -149); }
  return vec2<i32>(i32((u & 0x007fffffu) | 0x00800000u), i32(f) - 150);
}`,
  // fma(a, b, c) = a * b + c with one rounding to nearest even, IEEE special cases included.
  x_fma: `fn x_fma(a: f32, b: f32, c: f32) -> f32 {
  let ua = bitcast<u32>(a); let ub = bitcast<u32>(b); let uc = bitcast<u32>(c);
  if (f_isnan(a) || f_isnan(b) || f_isnan(c)) { return f_nan(); }
  let sp = (ua ^ ub) & 0x80000000u;
  let sc = uc & 0x80000000u;
  if (f_isinf(a) || f_isinf(b)) {
    if (f_iszero(a) || f_iszero(b)) { return f_nan(); }
    if (f_isinf(c) && sc != sp) { return f_nan(); }
    return bitcast<f32>(0x7f800000u | Z | sp);
  }
  if (f_isinf(c)) { return c; }
  let da = x_decode(ua); let db = x_decode(ub); let dc = x_decode(uc);
  let mp = w_mul(u32(da.x), u32(db.x));
  if (mp.x == 0u && mp.y == 0u) {
    if (dc.x == 0) { return bitcast<f32>(sp & sc); }
    return c;
  }
  let shp = w_clz(mp) - 1u;
  var big = w_shl(mp, shp);
  var eb = da.y + db.y - i32(shp);
  var sign = sp;
  if (dc.x != 0) {
    let mc = vec2<u32>(u32(dc.x), 0u);
    let shc = w_clz(mc) - 1u;
    var small = w_shl(mc, shc);
    let ec = dc.y - i32(shc);
    var ssmall = sc;
    if (ec > eb) { let t = big; big = small; small = t; ssmall = sp; sign = sc; let e = eb; eb = ec; small = w_shr_sticky(small, u32(min(ec - e, 64))); }
    else { small = w_shr_sticky(small, u32(min(eb - ec, 64))); }
    if (sign == ssmall) { big = w_add(big, small); }
    else if (w_lt(big, small)) { big = w_sub(small, big); sign = ssmall; }
    else { big = w_sub(big, small); }
    if (big.x == 0u && big.y == 0u) { return 0.0; }
  }
  return x_round(big, eb, sign);
}`,
  w_shr: `fn w_shr(a: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return a; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(a.y >> (s - 32u), 0u); }
  return vec2<u32>((a.x >> s) | (a.y << (32u - s)), a.y >> s);
}`,
  // The float nearest (ties to even) to big * 2^e, with `sign`; big != 0. Subnormal results round
  // at 2^-149; too large ones are infinite.
  x_round: `fn x_round(big: vec2<u32>, eb: i32, sign: u32) -> f32 {
  let lz = i32(w_clz(big));
  let sh = max(40 - lz, -149 - eb);
  var m: u32; var e = eb + sh;
  if (sh <= 0) {
    m = big.x << u32(-sh);
  } else if (sh >= 64) {
    m = select(0u, 1u, sh == 64 && (big.y > 0x80000000u || (big.y == 0x80000000u && big.x != 0u)));
  } else {
    let kept = w_shr(big, u32(sh));
    m = kept.x;
    let rem = w_sub(big, w_shl(kept, u32(sh)));
    let half = w_shl(vec2<u32>(1u, 0u), u32(sh - 1));
    if (w_lt(half, rem) || (rem.x == half.x && rem.y == half.y && (m & 1u) != 0u)) { m = m + 1u; }
  }
  if (m == 0x01000000u) { m = 0x00800000u; e = e + 1; }
  if (m == 0u) { return bitcast<f32>(sign); }
  if (m < 0x00800000u) { return bitcast<f32>(sign | m); }
  let biased = e + 150;
  if (biased >= 255) { return bitcast<f32>(sign | 0x7f800000u | Z); }
  return bitcast<f32>(sign | (u32(biased) << 23u) | (m & 0x007fffffu));
}`,
  // a * b exactly rounded for finite, nonzero a and b (the slow path of f_mul).
  x_mul_finite: `fn x_mul_finite(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a); let ub = bitcast<u32>(b);
  let da = x_decode(ua); let db = x_decode(ub);
  return x_round(w_mul(u32(da.x), u32(db.x)), da.y + db.y, (ua ^ ub) & 0x80000000u);
}`,
  x_mul: `fn x_mul(a: f32, b: f32) -> f32 { return x_fma(a, b, bitcast<f32>(0x80000000u | Z)); }`,
  x_add: `fn x_add(a: f32, b: f32) -> f32 { return x_fma(a, 1.0, b); }`,
  x_sub: `fn x_sub(a: f32, b: f32) -> f32 { return x_fma(a, 1.0, f_neg(b)); }`,
  // The float k ulps away from x (same sign side; x finite and nonzero).
  x_step: `fn x_step(x: f32, k: i32) -> f32 { return bitcast<f32>(u32(i32(bitcast<u32>(x)) + k)); }`,
  // Correctly rounded a / b: the hardware quotient (within 2.5 ulp) corrected to the candidate
  // whose exact remainder a - q b (representable for faithful q) is smallest.
  x_div: `fn x_div(a: f32, b: f32) -> f32 {
  let q0 = f_div(a, b);
  if (!f_finite(q0) || f_iszero(q0) || !f_finite(a) || (bitcast<u32>(q0) & 0x7f800000u) == 0u) { return q0; }
  var best = q0; var br = f_abs(x_fma(f_neg(q0), b, a));
  for (var k = -3; k <= 3; k = k + 1) {
    if (k == 0) { continue; }
    let q = x_step(q0, k);
    let r = f_abs(x_fma(f_neg(q), b, a));
    if (f_key(r) < f_key(br)) { best = q; br = r; }
  }
  return best;
}`,
  x_sqrt: `fn x_sqrt(x: f32) -> f32 {
  let s0 = f_sqrt(x);
  if (!f_finite(s0) || f_iszero(s0) || (bitcast<u32>(s0) & 0x7f800000u) == 0u) { return s0; }
  var best = s0; var br = f_abs(x_fma(f_neg(s0), s0, x));
  for (var k = -3; k <= 3; k = k + 1) {
    if (k == 0) { continue; }
    let s = x_step(s0, k);
    let r = f_abs(x_fma(f_neg(s), s, x));
    if (f_key(r) < f_key(br)) { best = s; br = r; }
  }
  return best;
}`,
  // float32 log as XLA:CPU computes it (src/primitives/prng.ts xlaLogF32), every step exact.
  x_xla_log: `fn x_xla_log(x: f32) -> f32 {
  if (f_isnan(x) || (f_signbit(x) && !f_iszero(x))) { return f_nan(); }
  if (f_iszero(x)) { return -f_inf(); }
  if (f_isinf(x)) { return x; }
  let bits = max(bitcast<u32>(x), 0x00800000u);
  var e = f32(i32(bits >> 23u) - 126);
  var t = bitcast<f32>((bits & 0x807fffffu) | 0x3f000000u);
  let small = f_lt(t, 0.7071067690849304);
  let t1 = select(0.0, t, small);
  t = x_sub(t, 1.0);
  if (small) { e = x_sub(e, 1.0); }
  t = x_add(t, t1);
  let x2 = x_mul(t, t);
  let x3 = x_mul(x2, t);
  var y = x_fma(t, 7.0376836292e-2, -1.1514610310e-1);
  var y1 = x_fma(t, -1.2420140846e-1, 1.4249322787e-1);
  var y2 = x_fma(t, 2.0000714765e-1, -2.4999993993e-1);
  y = x_fma(y, t, 1.1676998740e-1);
  y1 = x_fma(y1, t, -1.6668057665e-1);
  y2 = x_fma(y2, t, 3.3333331174e-1);
  y = x_fma(y, x3, y1);
  y = x_fma(y, x3, y2);
  y = x_fma(y, x3, x_mul(-2.12194440e-4, e));
  t = x_sub(t, x_mul(0.5, x2));
  t = x_add(t, y);
  return x_add(t, x_mul(0.693359375, e));
}`,
  x_xla_log1p: `fn x_xla_log1p(x: f32) -> f32 {
  if (!f_lt(f_abs(x), 0.41421356237309504880)) { return x_xla_log(x_add(x, 1.0)); }
  let x2 = x_mul(x, x);
  let dn = array<f32, 7>(1.0, 1.5062909083469192043167e1, 8.3047565967967209469434e1, 2.2176239823732856465394e2,
    3.0909872225312059774938e2, 2.1642788614495947685003e2, 6.0118660497603843919306e1);
  let nm = array<f32, 7>(4.5270000862445199635215e-5, 4.9854102823193375972212e-1, 6.5787325942061044846969e0,
    2.9911919328553073277375e1, 6.0949667980987787057556e1, 5.7112963590585538103336e1, 2.0039553499201281259648e1);
  var den = 0.0; var num = 0.0;
  for (var i = 0u; i < 7u; i = i + 1u) { den = x_fma(den, x, dn[i]); num = x_fma(num, x, nm[i]); }
  let r = x_mul(x_mul(x, x2), x_div(num, den));
  return x_add(x, x_fma(-0.5, x2, r));
}`,
  // erf_inv as XLA computes it (Giles' single-precision polynomial), bit for bit.
  x_erfinv: `fn x_erfinv(x: f32) -> f32 {
  let w0 = f_neg(x_xla_log1p(x_mul(x, f_neg(x))));
  let lt = f_lt(w0, 5.0);
  var w: f32;
  if (lt) { w = x_sub(w0, 2.5); } else { w = x_sub(x_sqrt(w0), 3.0); }
  let a = array<f32, 9>(2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
    -0.00125372503, -0.00417768164, 0.246640727, 1.50140941);
  let c = array<f32, 9>(-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
    -0.0076224613, 0.00943887047, 1.00167406, 2.83297682);
  var p = select(c[0], a[0], lt);
  for (var i = 1u; i < 9u; i = i + 1u) { p = x_fma(p, w, select(c[i], a[i], lt)); }
  if (f_abs(x) == 1.0 && !f_isnan(x)) { return f_copysign(f_inf(), x); }
  return x_mul(p, x);
}`,
  // C99 pow: exp2(b * log2|a|) with log2 and the product carried in double-f32.
  f_pow: `fn f_pow(a: f32, b: f32) -> f32 {
  if (f_iszero(b) || bitcast<u32>(a) == 0x3f800000u) { return 1.0; }
  if (f_isnan(a) || f_isnan(b)) { return f_nan(); }
  let aa = f_abs(a);
  let bint = bitcast<u32>(f_trunc(b)) == bitcast<u32>(b);
  let bodd = bint && f_abs(b) < 16777216.0 && (i32(b) & 1) != 0;
  let bneg = f_signbit(b);
  if (f_isinf(b)) {
    if (bitcast<u32>(aa) == 0x3f800000u) { return 1.0; }
    return select(0.0, f_inf(), (aa > 1.0) != bneg);
  }
  if (f_iszero(a)) {
    if (bneg) { return select(f_inf(), f_copysign(f_inf(), a), bodd); }
    return select(0.0, a, bodd);
  }
  if (f_isinf(a)) {
    if (bneg) { return select(0.0, f_copysign(0.0, a), bodd); }
    return select(f_inf(), a, bodd);
  }
  if (f_signbit(a) && !bint) { return f_nan(); }
  // log2|a| and b * log2|a| in double-f32. WGSL allows reassociation (which can cancel the error
  // terms of a two-sum to zero), so every error-free step is exact integer arithmetic (x_*).
  let me = f_frexp_log(aa);
  let f = me.x - 1.0;
  let ffh = x_mul(f, f);
  let ffl = x_fma(f, f, f_neg(ffh));
  let h = 0.5 * ffh;
  let sh = x_sub(f, h);
  let sl = x_sub(x_sub(f, sh), h);
  var p = -0.07634429633617401 * f + 0.12761549651622772;
  p = p * f + -0.131601944565773;
  p = p * f + 0.14201761782169342;
  p = p * f + -0.16623356938362122;
  p = p * f + 0.20001226663589478;
  p = p * f + -0.250008225440979;
  p = p * f + 0.3333333134651184;
  let lo = sl - 0.5 * ffl + f * ffh * p;
  let l2h = x_mul(sh, 1.4426950216293335);
  let l2l = x_fma(sh, 1.4426950216293335, f_neg(l2h)) + sh * 1.925963033500011e-8 + lo * 1.4426950216293335;
  var gh = l2h; var gl = l2l;
  if (me.y != 0.0) { gh = x_add(me.y, l2h); gl = x_sub(l2h, x_sub(gh, me.y)) + l2l; }
  let thi = x_mul(b, gh);
  let tlo = x_fma(b, gh, f_neg(thi)) + b * gl;
  var r: f32;
  if (thi > 129.0) { r = f_inf(); }
  else if (thi < -152.0) { r = 0.0; }
  else {
    let n = f_round(thi + tlo);
    let fr = (thi - n) + tlo;
    r = f_scale(f_expm1_core(fr * 0.6931471805599453) + 1.0, i32(n));
  }
  if (f_signbit(a) && bodd) { r = f_neg(r); }
  return r;
}`,
};

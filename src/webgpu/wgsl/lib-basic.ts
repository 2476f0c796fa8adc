// WGSL helpers every family uses: IEEE classification, ordering and rounding done on the bits, and
// the integer semantics of XLA. WGSL lets an implementation assume no NaN or infinity in float
// arithmetic and flush subnormals (SwiftShader does both: `x != x` is false for NaN, min(NaN, 1) is
// 1, 1e-40 + 1e-40 is 0), so anything that must see a NaN, an infinity, a signed zero or a
// subnormal looks at the u32 bits instead of comparing floats.
//
// `Z` is a private u32 that every kernel sets to 0 at run time; OR-ing it into a NaN or infinity
// bit pattern keeps the value out of WGSL's constant evaluation, where NaN and inf are errors.

export const BASIC: Record<string, string> = {
  f_nan: `fn f_nan() -> f32 { return bitcast<f32>(0x7fc00000u | Z); }`,
  f_inf: `fn f_inf() -> f32 { return bitcast<f32>(0x7f800000u | Z); }`,
  f_isnan: `fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
  f_isinf: `fn f_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`,
  f_finite: `fn f_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }`,
  f_iszero: `fn f_iszero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }`,
  f_signbit: `fn f_signbit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }`,
  f_neg: `fn f_neg(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }`,
  f_abs: `fn f_abs(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }`,
  f_copysign: `fn f_copysign(a: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(a) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}`,
  f_pow2i: `fn f_pow2i(n: i32) -> f32 { return bitcast<f32>(u32(n + 127) << 23u); }`,
  // A key whose unsigned order is the float order: -0 == +0, every NaN above +inf.
  f_key: `fn f_key(x: f32) -> u32 {
  var b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return 0xffc00000u; }
  if (b == 0x80000000u) { b = 0u; }
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}`,
  f_eq: `fn f_eq(a: f32, b: f32) -> bool { return !f_isnan(a) && !f_isnan(b) && f_key(a) == f_key(b); }`,
  f_ne: `fn f_ne(a: f32, b: f32) -> bool { return !f_eq(a, b); }`,
  f_lt: `fn f_lt(a: f32, b: f32) -> bool { return !f_isnan(a) && !f_isnan(b) && f_key(a) < f_key(b); }`,
  f_le: `fn f_le(a: f32, b: f32) -> bool { return !f_isnan(a) && !f_isnan(b) && f_key(a) <= f_key(b); }`,
  f_gt: `fn f_gt(a: f32, b: f32) -> bool { return f_lt(b, a); }`,
  f_ge: `fn f_ge(a: f32, b: f32) -> bool { return f_le(b, a); }`,
  // max/min propagate NaN; on ties the sign bits decide (max(-0, +0) = +0, min = -0).
  f_max: `fn f_max(a: f32, b: f32) -> f32 {
  if (f_isnan(a) || f_isnan(b)) { return f_nan(); }
  let ka = f_key(a); let kb = f_key(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, ka > kb);
}`,
  f_min: `fn f_min(a: f32, b: f32) -> f32 {
  if (f_isnan(a) || f_isnan(b)) { return f_nan(); }
  let ka = f_key(a); let kb = f_key(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, ka < kb);
}`,
  f_sign: `fn f_sign(x: f32) -> f32 {
  if (f_isnan(x) || f_iszero(x)) { return x; }
  return f_copysign(1.0, x);
}`,
  // Rounding on the bits: exact for every input, subnormals included.
  f_trunc: `fn f_trunc(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e >= 23) { return x; }
  if (e < 0) { return bitcast<f32>(b & 0x80000000u); }
  return bitcast<f32>(b & ~(0x007fffffu >> u32(e)));
}`,
  f_floor: `fn f_floor(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e >= 23) { return x; }
  let neg = (b & 0x80000000u) != 0u;
  if (e < 0) {
    if ((b & 0x7fffffffu) == 0u || !neg) { return bitcast<f32>(b & 0x80000000u); }
    return -1.0;
  }
  let mask = 0x007fffffu >> u32(e);
  if ((b & mask) == 0u) { return x; }
  var r = b & ~mask;
  if (neg) { r = r + (0x00800000u >> u32(e)); }
  return bitcast<f32>(r);
}`,
  f_ceil: `fn f_ceil(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e >= 23) { return x; }
  let neg = (b & 0x80000000u) != 0u;
  if (e < 0) {
    if ((b & 0x7fffffffu) == 0u || neg) { return bitcast<f32>(b & 0x80000000u); }
    return 1.0;
  }
  let mask = 0x007fffffu >> u32(e);
  if ((b & mask) == 0u) { return x; }
  var r = b & ~mask;
  if (!neg) { r = r + (0x00800000u >> u32(e)); }
  return bitcast<f32>(r);
}`,
  // Round half to even.
  f_round: `fn f_round(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e >= 23) { return x; }
  let s = b & 0x80000000u;
  if (e < -1) { return bitcast<f32>(s); }
  if (e == -1) { return bitcast<f32>(select(s | 0x3f800000u, s, (b & 0x7fffffffu) == 0x3f000000u)); }
  let mask = 0x007fffffu >> u32(e);
  let half = 0x00400000u >> u32(e);
  let unit = 0x00800000u >> u32(e);
  let f = b & mask;
  var r = b & ~mask;
  if (f > half || (f == half && (r & unit) != 0u)) { r = r + unit; }
  return bitcast<f32>(r);
}`,
  // Float to integer conversions: toward zero, saturating, NaN to 0 (XLA's rule).
  f_to_i32: `fn f_to_i32(x: f32) -> i32 {
  if (f_isnan(x)) { return 0; }
  if (f_ge(x, 2147483648.0)) { return 2147483647; }
  if (f_le(x, -2147483648.0)) { return -2147483647 - 1; }
  return i32(f_trunc(x));
}`,
  f_to_u32: `fn f_to_u32(x: f32) -> u32 {
  if (f_isnan(x) || f_le(x, 0.0)) { return 0u; }
  if (f_ge(x, 4294967296.0)) { return 4294967295u; }
  return u32(f_trunc(x));
}`,
  f_to_bool: `fn f_to_bool(x: f32) -> u32 { return select(1u, 0u, (bitcast<u32>(x) & 0x7fffffffu) == 0u); }`,
  // Integer division and remainder with XLA's results where C leaves them undefined. The signed
  // remainder is a - (a / b) * b, not WGSL's %: naga lowers that to SPIR-V OpSRem, whose result
  // Vulkan leaves undefined for negative operands, and NVIDIA's driver returns garbage there
  // (gfx-rs/wgpu#8191; seen on an H200 under Deno). OpSDiv has no such hole.
  i_div: `fn i_div(a: i32, b: i32) -> i32 {
  if (b == 0) { return -1; }
  if (b == -1) { return 0 - a; }
  return a / b;
}`,
  i_rem: `fn i_rem(a: i32, b: i32) -> i32 {
  if (b == 0) { return a; }
  if (b == -1) { return 0; }
  return a - (a / b) * b;
}`,
  u_div: `fn u_div(a: u32, b: u32) -> u32 { if (b == 0u) { return 0xffffffffu; } return a / b; }`,
  u_rem: `fn u_rem(a: u32, b: u32) -> u32 { if (b == 0u) { return a; } return a % b; }`,
  i_pow: `fn i_pow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(1, -1, (b & 1) != 0), a == -1), 1, a == 1); }
  var r = 1; var base = a; var e = u32(b);
  loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}`,
  u_pow: `fn u_pow(a: u32, b: u32) -> u32 {
  var r = 1u; var base = a; var e = b;
  loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}`,
  f_powi: `fn f_powi(x: f32, n: i32) -> f32 {
  var r = 1.0; var base = x; var e = u32(abs(n));
  loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * base; } e = e >> 1u; if (e != 0u) { base = base * base; } }
  if (n < 0) { return f_div(1.0, r); }
  return r;
}`,
  i_shl: `fn i_shl(a: i32, b: i32) -> i32 { return select(a << (u32(b) & 31u), 0, u32(b) >= 32u); }`,
  i_shr: `fn i_shr(a: i32, b: i32) -> i32 { return select(a >> (u32(b) & 31u), select(0, -1, a < 0), u32(b) >= 32u); }`,
  u_shl: `fn u_shl(a: u32, b: u32) -> u32 { return select(a << (b & 31u), 0u, b >= 32u); }`,
  u_shr: `fn u_shr(a: u32, b: u32) -> u32 { return select(a >> (b & 31u), 0u, b >= 32u); }`,
  // Float division with IEEE's answers for zero and infinite divisors (WGSL leaves x / 0
  // unspecified), and subnormal operands scaled to normal ones on the bits first.
  f_div: `fn f_div(a: f32, b: f32) -> f32 {
  if (f_isnan(a) || f_isnan(b)) { return f_nan(); }
  let sgn = (bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u;
  if (f_iszero(b)) {
    if (f_iszero(a)) { return f_nan(); }
    return bitcast<f32>(0x7f800000u | Z | sgn);
  }
  if (f_isinf(b)) {
    if (f_isinf(a)) { return f_nan(); }
    return bitcast<f32>(sgn);
  }
  let ua = bitcast<u32>(a) & 0x7fffffffu; let ub = bitcast<u32>(b) & 0x7fffffffu;
  if (ua == 0u) { return bitcast<f32>(sgn); }
  if ( ((ua >> 23u) == 0u || (ub >> 23u) == 0u) && ua < 0x7f800000u) {
    let na = f_normalize(ua); let nb = f_normalize(ub);
    return bitcast<f32>(bitcast<u32>(f_scale(bitcast<f32>(na.x) / bitcast<f32>(nb.x), i32(na.y) - i32(nb.y))) | sgn);
  }
  // NVIDIA divides as a * (1 / b), and 1 / b flushes to zero once |b| >= 2^126 (3e38 / 3e38 gave 0,
  // inf / 3e38 NaN on an H200): scaling both by 1/4 is exact here and keeps 1 / b normal.
  if (ub >= 0x7e800000u) { return (a * 0.25) / (b * 0.25); }
  return a / b;
}`,
  // |x| bits as (bits of a float in [1, 2), exponent) for finite nonzero x, subnormals included.
  f_normalize: `fn f_normalize(u: u32) -> vec2<u32> {
  var e = i32(u >> 23u) - 127;
  var mnt = u & 0x007fffffu;
  if ((u >> 23u) == 0u) { let lz = i32(countLeadingZeros(mnt)) - 8; mnt = (mnt << u32(lz)) & 0x007fffffu; e = -126 - lz; }
  return vec2<u32>(mnt | 0x3f800000u, bitcast<u32>(e));
}`,
  // + and * with IEEE subnormals: when the hardware result is zero or subnormal (it may have
  // flushed) the exact result is recomputed in integers; a NaN product of non-NaN operands
  // (infinity times a flushed subnormal) likewise.
  f_add: `fn f_add(a: f32, b: f32) -> f32 {
  let r = a + b;
  if ((bitcast<u32>(r) & 0x7f800000u) != 0u) { return r; }
  let ua = bitcast<u32>(a); let ub = bitcast<u32>(b);
  if (((ua | ub) & 0x7fffffffu) == 0u || (ua & 0x7f800000u) > 0x03800000u || (ub & 0x7f800000u) > 0x03800000u) { return r; }
  let s = f_units(ua) + f_units(ub);
  if (s == 0) { return r; }
  return bitcast<f32>(select(u32(s), u32(-s) | 0x80000000u, s < 0));
}`,
  f_sub: `fn f_sub(a: f32, b: f32) -> f32 { return f_add(a, f_neg(b)); }`,
  // A float below 2^-120 as a signed integer count of 2^-149.
  f_units: `fn f_units(u: u32) -> i32 {
  let e = (u >> 23u) & 0xffu;
  var v = i32(u & 0x007fffffu);
  if (e != 0u) { v = (v | 0x00800000) << (e - 1u); }
  return select(v, -v, (u & 0x80000000u) != 0u);
}`,
  f_mul: `fn f_mul(a: f32, b: f32) -> f32 {
  let r = a * b;
  if ((bitcast<u32>(r) & 0x7f800000u) != 0u && !f_isnan(r)) { return r; }
  if (f_isnan(a) || f_isnan(b) || f_iszero(a) || f_iszero(b)) { return r; }
  if (f_isinf(a) || f_isinf(b)) { return bitcast<f32>(0x7f800000u | Z | ((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u)); }
  return x_mul_finite(a, b);
}`,
};

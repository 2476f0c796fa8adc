// The float kernels behind random.normal and random.uniform: erf_inv computed exactly as XLA
// computes it, and a fused multiply-add with one rounding. Wasm has no deterministic FMA
// instruction, so fma is emulated: for float32 the product is exact in f64 and only a sum landing
// exactly halfway between two float32s needs correcting; for float64 it is Boldo & Melquiond's
// emulation through rounding to odd. These mirror src/primitives/prng.ts operation for operation
// (that file is the spec; the tests compare the two). Contract: `n` contiguous elements, outputs
// may alias inputs exactly, no alignment requirement.

// ---------------------------------------------------------------- fma

@inline function fmaf(a: f32, b: f32, c: f32): f32 {
  const p = <f64>a * <f64>b;
  const s = p + <f64>c;
  const r = <f32>s;
  const d = s - <f64>r;
  if (d == 0) return r;
  const t = <f64>r + 2 * d; // the float32 neighbour of r across s, if s is a midpoint
  if (<f64><f32>t != t || !isFinite<f64>(s)) return r;
  const bb = s - p;
  const err = (p - (s - bb)) + (<f64>c - bb);
  return err != 0 && (err > 0) == (d > 0) ? <f32>t : r;
}

@inline function nextToward(x: f64, up: bool): f64 {
  if (x == 0) return up ? 5e-324 : -5e-324;
  const b = reinterpret<u64>(x);
  return reinterpret<f64>((x > 0) == up ? b + 1 : b - 1);
}

@inline function fmad(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  if (!isFinite<f64>(p) || !isFinite<f64>(c) || p == 0 || abs<f64>(a) > 1e300 || abs<f64>(b) > 1e300) return p + c;
  let t = 134217729.0 * a;
  const ah = t - (t - a), al = a - ah;
  t = 134217729.0 * b;
  const bh = t - (t - b), bl = b - bh;
  const q = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  const sh = c + p;
  const z = sh - c;
  const sl = (c - (sh - z)) + (p - z);
  const v = sl + q;
  const w = v - sl;
  const e = (sl - (v - w)) + (q - w);
  let vo = v;
  if (e != 0 && (reinterpret<u64>(v) & 1) == 0) vo = nextToward(v, e > 0);
  return sh + vo;
}

/** out[i] = fma(a[i*sa], b[i*sb], c[i*sc]) in float32 (strides 0 or 1). */
export function fma_f32(a: usize, sa: i32, b: usize, sb: i32, c: usize, sc: i32, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<f32>(out + (<usize>i << 2),
      fmaf(load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2)), load<f32>(c + (<usize>(i * sc) << 2))));
  }
}

/** out[i] = fma(a[i*sa], b[i*sb], c[i*sc]) in float64 (strides 0 or 1). */
export function fma_f64(a: usize, sa: i32, b: usize, sb: i32, c: usize, sc: i32, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<f64>(out + (<usize>i << 3),
      fmad(load<f64>(a + (<usize>(i * sa) << 3)), load<f64>(b + (<usize>(i * sb) << 3)), load<f64>(c + (<usize>(i * sc) << 3))));
  }
}

// ---------------------------------------------------------------- float32 log and log1p (XLA:CPU)

@inline function logf(x: f32): f32 {
  if (!(x >= 0)) return NaN;
  if (x == 0) return -Infinity;
  if (x == Infinity) return x;
  const bits = reinterpret<u32>(max<f32>(reinterpret<f32>(0x00800000), x));
  let e = <f32>1 + <f32>(<i32>(bits >>> 23) - 0x7f);
  let t = reinterpret<f32>((bits & 0x807fffff) | 0x3f000000);
  const small = t < <f32>0.707106781186547524;
  const t1: f32 = small ? t : 0;
  t = t - 1;
  if (small) e = e - 1;
  t = t + t1;
  const x2 = t * t, x3 = x2 * t;
  let y = fmaf(t, <f32>7.0376836292e-2, <f32>-1.1514610310e-1);
  let y1 = fmaf(t, <f32>-1.2420140846e-1, <f32>1.4249322787e-1);
  let y2 = fmaf(t, <f32>2.0000714765e-1, <f32>-2.4999993993e-1);
  y = fmaf(y, t, <f32>1.1676998740e-1);
  y1 = fmaf(y1, t, <f32>-1.6668057665e-1);
  y2 = fmaf(y2, t, <f32>3.3333331174e-1);
  y = fmaf(y, x3, y1);
  y = fmaf(y, x3, y2);
  y = fmaf(y, x3, <f32>-2.12194440e-4 * e);
  t = t - <f32>0.5 * x2;
  t = t + y;
  return t + <f32>0.693359375 * e;
}

@inline function log1pf(x: f32): f32 {
  if (!(abs<f32>(x) < <f32>0.41421356237309504880)) return logf(x + 1);
  const x2 = x * x;
  let den: f32 = 0, num: f32 = 0;
  den = fmaf(den, x, <f32>1.);
  num = fmaf(num, x, <f32>4.5270000862445199635215e-5);
  den = fmaf(den, x, <f32>1.5062909083469192043167e1);
  num = fmaf(num, x, <f32>4.9854102823193375972212e-1);
  den = fmaf(den, x, <f32>8.3047565967967209469434e1);
  num = fmaf(num, x, <f32>6.5787325942061044846969e0);
  den = fmaf(den, x, <f32>2.2176239823732856465394e2);
  num = fmaf(num, x, <f32>2.9911919328553073277375e1);
  den = fmaf(den, x, <f32>3.0909872225312059774938e2);
  num = fmaf(num, x, <f32>6.0949667980987787057556e1);
  den = fmaf(den, x, <f32>2.1642788614495947685003e2);
  num = fmaf(num, x, <f32>5.7112963590585538103336e1);
  den = fmaf(den, x, <f32>6.0118660497603843919306e1);
  num = fmaf(num, x, <f32>2.0039553499201281259648e1);
  const r = (x * x2) * (num / den);
  return x + fmaf(-0.5, x2, r);
}

// ---------------------------------------------------------------- erf_inv

/** out[i] = erfinv(x[i]) for float32: Giles' single-precision polynomial as StableHLO lowers it. */
export function erf_inv_f32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    const w0 = -log1pf(v * -v);
    let p: f32;
    if (w0 < 5) {
      const w = w0 - <f32>2.5;
      p = <f32>2.81022636e-08;
      p = fmaf(p, w, <f32>3.43273939e-07);
      p = fmaf(p, w, <f32>-3.5233877e-06);
      p = fmaf(p, w, <f32>-4.39150654e-06);
      p = fmaf(p, w, <f32>0.00021858087);
      p = fmaf(p, w, <f32>-0.00125372503);
      p = fmaf(p, w, <f32>-0.00417768164);
      p = fmaf(p, w, <f32>0.246640727);
      p = fmaf(p, w, <f32>1.50140941);
    } else {
      const w = sqrt<f32>(w0) - <f32>3;
      p = <f32>-0.000200214257;
      p = fmaf(p, w, <f32>0.000100950558);
      p = fmaf(p, w, <f32>0.00134934322);
      p = fmaf(p, w, <f32>-0.00367342844);
      p = fmaf(p, w, <f32>0.00573950773);
      p = fmaf(p, w, <f32>-0.0076224613);
      p = fmaf(p, w, <f32>0.00943887047);
      p = fmaf(p, w, <f32>1.00167406);
      p = fmaf(p, w, <f32>2.83297682);
    }
    store<f32>(out + (<usize>i << 2), abs<f32>(v) == 1 ? v * Infinity : p * v);
  }
}

// Elementwise kernels over contiguous buffers. Contract: pointers are byte addresses of `n`
// elements; `out` may alias an input exactly (same address) but must not partially overlap.
// SIMD covers the body four f32 (two f64, four i32) lanes at a time; a scalar loop takes the tail.
import * as O from "./opcodes";
import { erf64 } from "./special";
import { expV, logV, tanhV, erfV, logisticV } from "./transcendental";
import { scratch } from "./scratch";

@inline function ptr(p: usize, i: i32, shift: i32): usize { return p + (<usize>i << shift); }

// ---------------------------------------------------------------- float unary

@inline function unaryScalar<T>(op: i32, x: T): T {
  if (sizeof<T>() == 4) return <T>unaryF32(op, <f32>x);
  return <T>unaryF64(op, <f64>x);
}

function unaryF32(op: i32, x: f32): f32 {
  switch (op) {
    case O.NEG: return -x;
    case O.ABS: return abs<f32>(x);
    case O.SIGN: return x > 0 ? 1 : x < 0 ? -1 : x;
    case O.FLOOR: return floor<f32>(x);
    case O.CEIL: return ceil<f32>(x);
    case O.ROUND: return nearest<f32>(x);
    case O.TRUNC: return trunc<f32>(x);
    case O.SQRT: return sqrt<f32>(x);
    case O.RSQRT: return <f32>(1.0 / Math.sqrt(<f64>x));
    case O.EXP: return Mathf.exp(x);
    case O.EXP2: return Mathf.exp2(x);
    case O.EXPM1: return Mathf.expm1(x);
    case O.LOG: return Mathf.log(x);
    case O.LOG1P: return Mathf.log1p(x);
    case O.SIN: return Mathf.sin(x);
    case O.COS: return Mathf.cos(x);
    case O.TAN: return Mathf.tan(x);
    case O.ASIN: return Mathf.asin(x);
    case O.ACOS: return Mathf.acos(x);
    case O.ATAN: return Mathf.atan(x);
    case O.SINH: return Mathf.sinh(x);
    case O.COSH: return Mathf.cosh(x);
    case O.TANH: return Mathf.tanh(x);
    case O.ASINH: return Mathf.asinh(x);
    case O.ACOSH: return Mathf.acosh(x);
    case O.ATANH: return Mathf.atanh(x);
    case O.ERF: return <f32>erf64(<f64>x);
    case O.LOGISTIC: return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
    case O.SQUARE: return x * x;
    case O.CBRT: return Mathf.cbrt(x);
    default: return NaN;
  }
}

function unaryF64(op: i32, x: f64): f64 {
  switch (op) {
    case O.NEG: return -x;
    case O.ABS: return abs<f64>(x);
    case O.SIGN: return x > 0 ? 1 : x < 0 ? -1 : x;
    case O.FLOOR: return floor<f64>(x);
    case O.CEIL: return ceil<f64>(x);
    case O.ROUND: return nearest<f64>(x);
    case O.TRUNC: return trunc<f64>(x);
    case O.SQRT: return sqrt<f64>(x);
    case O.RSQRT: return 1.0 / sqrt<f64>(x);
    case O.EXP: return Math.exp(x);
    case O.EXP2: return Math.exp2(x);
    case O.EXPM1: return Math.expm1(x);
    case O.LOG: return Math.log(x);
    case O.LOG1P: return Math.log1p(x);
    case O.SIN: return Math.sin(x);
    case O.COS: return Math.cos(x);
    case O.TAN: return Math.tan(x);
    case O.ASIN: return Math.asin(x);
    case O.ACOS: return Math.acos(x);
    case O.ATAN: return Math.atan(x);
    case O.SINH: return Math.sinh(x);
    case O.COSH: return Math.cosh(x);
    case O.TANH: return Math.tanh(x);
    case O.ASINH: return Math.asinh(x);
    case O.ACOSH: return Math.acosh(x);
    case O.ATANH: return Math.atanh(x);
    case O.ERF: return erf64(x);
    case O.LOGISTIC: return 1.0 / (1.0 + Math.exp(-x));
    case O.SQUARE: return x * x;
    case O.CBRT: return Math.cbrt(x);
    default: return NaN;
  }
}

/** out[i] = op(x[i]) for float32. */
export function unary_f32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    switch (op) {
      case O.NEG: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.neg(v128.load(ptr(x, i, 2)))); break;
      case O.ABS: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.abs(v128.load(ptr(x, i, 2)))); break;
      case O.FLOOR: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.floor(v128.load(ptr(x, i, 2)))); break;
      case O.CEIL: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.ceil(v128.load(ptr(x, i, 2)))); break;
      case O.ROUND: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.nearest(v128.load(ptr(x, i, 2)))); break;
      case O.TRUNC: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.trunc(v128.load(ptr(x, i, 2)))); break;
      case O.SQRT: for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), f32x4.sqrt(v128.load(ptr(x, i, 2)))); break;
      case O.SQUARE:
        for (; i + 4 <= n; i += 4) {
          const v = v128.load(ptr(x, i, 2));
          v128.store(ptr(out, i, 2), f32x4.mul(v, v));
        }
        break;
      // Polynomial transcendentals: the tail goes through the same vector code (identical results
      // wherever an element sits).
      case O.EXP: i = transcendentalLoop(O.EXP, x, out, n); break;
      case O.LOG: i = transcendentalLoop(O.LOG, x, out, n); break;
      case O.TANH: i = transcendentalLoop(O.TANH, x, out, n); break;
      case O.ERF: i = transcendentalLoop(O.ERF, x, out, n); break;
      case O.LOGISTIC: i = transcendentalLoop(O.LOGISTIC, x, out, n); break;
      default: break;
    }
  }
  for (; i < n; i++) store<f32>(ptr(out, i, 2), unaryScalar<f32>(op, load<f32>(ptr(x, i, 2))));
}

@inline function transcendentalV(op: i32, v: v128): v128 {
  switch (op) {
    case O.EXP: return expV(v);
    case O.LOG: return logV(v);
    case O.TANH: return tanhV(v);
    case O.ERF: return erfV(v);
    default: return logisticV(v);
  }
}

/**
 * out = op(x) for a polynomial transcendental (a constant after inlining), two vectors per step
 * (independent chains keep both FP ports busy). The last n % 8 elements go through the same code
 * on a zero-padded copy in scratch memory: identical results wherever an element sits, and one
 * inlined copy of the polynomial pair instead of a second loop for the tail. Returns n.
 */
@inline function transcendentalLoop(op: i32, x: usize, out: usize, n: i32): i32 {
  const tail = scratch();
  for (let i = 0; i < n; i += 8) {
    const k = n - i;
    let src = ptr(x, i, 2), dst = ptr(out, i, 2);
    if (k < 8) {
      v128.store(tail, f32x4.splat(0));
      v128.store(tail, f32x4.splat(0), 16);
      memory.copy(tail, src, <usize>k << 2);
      src = tail;
      dst = tail;
    }
    const a = transcendentalV(op, v128.load(src));
    const b = transcendentalV(op, v128.load(src, 16));
    v128.store(dst, a);
    v128.store(dst, b, 16);
    if (k < 8) memory.copy(ptr(out, i, 2), tail, <usize>k << 2);
  }
  return n;
}

/** out[i] = op(x[i]) for float64. */
export function unary_f64(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    switch (op) {
      case O.NEG: for (; i + 2 <= n; i += 2) v128.store(ptr(out, i, 3), f64x2.neg(v128.load(ptr(x, i, 3)))); break;
      case O.ABS: for (; i + 2 <= n; i += 2) v128.store(ptr(out, i, 3), f64x2.abs(v128.load(ptr(x, i, 3)))); break;
      case O.SQRT: for (; i + 2 <= n; i += 2) v128.store(ptr(out, i, 3), f64x2.sqrt(v128.load(ptr(x, i, 3)))); break;
      default: break;
    }
  }
  for (; i < n; i++) store<f64>(ptr(out, i, 3), unaryScalar<f64>(op, load<f64>(ptr(x, i, 3))));
}

/** out[i] = op(x[i]) for int32/uint32 (NEG, ABS, SIGN, SQUARE, NOT); bool NOT is done as XOR 1. */
export function unary_i32(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<i32>(ptr(x, i, 2));
    let r: i32 = 0;
    switch (op) {
      case O.NEG: r = -v; break;
      case O.ABS: r = v < 0 ? -v : v; break;
      case O.SIGN: r = v > 0 ? 1 : v < 0 ? -1 : 0; break;
      case O.SQUARE: r = v * v; break;
      case O.NOT: r = ~v; break;
      default: r = v;
    }
    store<i32>(ptr(out, i, 2), r);
  }
}

// ---------------------------------------------------------------- float binary

@inline function binaryScalarF<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case O.ADD: return a + b;
    case O.SUB: return a - b;
    case O.MUL: return a * b;
    case O.DIV: return a / b;
    case O.REM: return a % b;
    case O.POW:
      // C99: 1^y = 1 and (-1)^(+-inf) = 1, even where y is NaN.
      if (a == 1 || (a == -1 && abs<T>(b) == <T>Infinity)) return <T>1;
      return sizeof<T>() == 4 ? <T>Mathf.pow(<f32>a, <f32>b) : <T>Math.pow(<f64>a, <f64>b);
    case O.MAX: return max<T>(a, b);
    case O.MIN: return min<T>(a, b);
    case O.ATAN2: return sizeof<T>() == 4 ? <T>Mathf.atan2(<f32>a, <f32>b) : <T>Math.atan2(<f64>a, <f64>b);
    default: return <T>NaN;
  }
}

@inline function opF32x4(op: i32, va: v128, vb: v128): v128 {
  switch (op) {
    case O.ADD: return f32x4.add(va, vb);
    case O.SUB: return f32x4.sub(va, vb);
    case O.MUL: return f32x4.mul(va, vb);
    case O.DIV: return f32x4.div(va, vb);
    case O.MAX: return f32x4.max(va, vb);
    default: return f32x4.min(va, vb);
  }
}

/**
 * The SIMD body of binary_f32 for one op (a constant after inlining, so each case gets its own
 * loop): both operands streamed, or one of them a broadcast scalar. Returns the elements done.
 */
@inline function binaryLoopF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): i32 {
  let i = 0;
  if (sa && sb) {
    for (; i + 8 <= n; i += 8) {
      const pa = ptr(a, i, 2), pb = ptr(b, i, 2), po = ptr(out, i, 2);
      const r0 = opF32x4(op, v128.load(pa), v128.load(pb));
      const r1 = opF32x4(op, v128.load(pa, 16), v128.load(pb, 16));
      v128.store(po, r0);
      v128.store(po, r1, 16);
    }
    for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), opF32x4(op, v128.load(ptr(a, i, 2)), v128.load(ptr(b, i, 2))));
  } else if (sb) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), opF32x4(op, va, v128.load(ptr(b, i, 2))));
  } else if (sa) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) v128.store(ptr(out, i, 2), opF32x4(op, v128.load(ptr(a, i, 2)), vb));
  }
  return i;
}

/**
 * out[i] = op(a[i * sa], b[i * sb]) for float32, where sa, sb are 0 (a broadcast scalar) or 1.
 */
export function binary_f32(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    switch (op) {
      case O.ADD: i = binaryLoopF32(O.ADD, a, sa, b, sb, out, n); break;
      case O.SUB: i = binaryLoopF32(O.SUB, a, sa, b, sb, out, n); break;
      case O.MUL: i = binaryLoopF32(O.MUL, a, sa, b, sb, out, n); break;
      case O.DIV: i = binaryLoopF32(O.DIV, a, sa, b, sb, out, n); break;
      case O.MAX: i = binaryLoopF32(O.MAX, a, sa, b, sb, out, n); break;
      case O.MIN: i = binaryLoopF32(O.MIN, a, sa, b, sb, out, n); break;
      default: break;
    }
  }
  for (; i < n; i++) {
    store<f32>(ptr(out, i, 2), binaryScalarF<f32>(op, load<f32>(ptr(a, i * sa, 2)), load<f32>(ptr(b, i * sb, 2))));
  }
}

/** Same as binary_f32 for float64. */
export function binary_f64(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (op <= O.DIV || op == O.MAX || op == O.MIN) {
      const sva = f64x2.splat(load<f64>(a));
      const svb = f64x2.splat(load<f64>(b));
      for (; i + 2 <= n; i += 2) {
        const va = sa ? v128.load(ptr(a, i, 3)) : sva;
        const vb = sb ? v128.load(ptr(b, i, 3)) : svb;
        let r: v128;
        switch (op) {
          case O.ADD: r = f64x2.add(va, vb); break;
          case O.SUB: r = f64x2.sub(va, vb); break;
          case O.MUL: r = f64x2.mul(va, vb); break;
          case O.DIV: r = f64x2.div(va, vb); break;
          case O.MAX: r = f64x2.max(va, vb); break;
          default: r = f64x2.min(va, vb);
        }
        v128.store(ptr(out, i, 3), r);
      }
    }
  }
  for (; i < n; i++) {
    store<f64>(ptr(out, i, 3), binaryScalarF<f64>(op, load<f64>(ptr(a, i * sa, 3)), load<f64>(ptr(b, i * sb, 3))));
  }
}

// ---------------------------------------------------------------- integer binary

// XLA's integer semantics, which JAX inherits: x / 0 == -1 (all bits set), x % 0 == x,
// INT_MIN / -1 == INT_MIN and INT_MIN % -1 == 0; shifts by >= 32 give 0 (or the sign for >>).
@inline function binaryScalarI(op: i32, a: i32, b: i32, unsigned: bool): i32 {
  switch (op) {
    case O.ADD: return a + b;
    case O.SUB: return a - b;
    case O.MUL: return a * b;
    case O.DIV:
      if (b == 0) return -1;
      if (unsigned) return <i32>(<u32>a / <u32>b);
      if (a == i32.MIN_VALUE && b == -1) return a;
      return a / b;
    case O.REM:
      if (b == 0) return a;
      if (unsigned) return <i32>(<u32>a % <u32>b);
      if (b == -1) return 0;
      return a % b;
    case O.POW: return ipow(a, b, unsigned);
    case O.MAX: return unsigned ? <i32>max<u32>(<u32>a, <u32>b) : max<i32>(a, b);
    case O.MIN: return unsigned ? <i32>min<u32>(<u32>a, <u32>b) : min<i32>(a, b);
    case O.AND: return a & b;
    case O.OR: return a | b;
    case O.XOR: return a ^ b;
    case O.SHL: return <u32>b >= 32 ? 0 : a << b;
    case O.SHR:
      if (unsigned) return <u32>b >= 32 ? 0 : <i32>(<u32>a >>> <u32>b);
      return <u32>b >= 32 ? (a < 0 ? -1 : 0) : a >> b;
    default: return 0;
  }
}

function ipow(a: i32, b: i32, unsigned: bool): i32 {
  if (!unsigned && b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
  let result: i32 = 1;
  let base = a;
  let e = <u32>b;
  while (e) {
    if (e & 1) result *= base;
    base *= base;
    e >>= 1;
  }
  return result;
}

/** out[i] = op(a[i * sa], b[i * sb]) for int32 (unsigned = 0) or uint32 (unsigned = 1). */
export function binary_i32(op: i32, unsigned: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (op == O.ADD || op == O.SUB || op == O.MUL || op == O.AND || op == O.OR || op == O.XOR) {
      const sva = i32x4.splat(load<i32>(a));
      const svb = i32x4.splat(load<i32>(b));
      for (; i + 4 <= n; i += 4) {
        const va = sa ? v128.load(ptr(a, i, 2)) : sva;
        const vb = sb ? v128.load(ptr(b, i, 2)) : svb;
        let r: v128;
        switch (op) {
          case O.ADD: r = i32x4.add(va, vb); break;
          case O.SUB: r = i32x4.sub(va, vb); break;
          case O.MUL: r = i32x4.mul(va, vb); break;
          case O.AND: r = v128.and(va, vb); break;
          case O.OR: r = v128.or(va, vb); break;
          default: r = v128.xor(va, vb);
        }
        v128.store(ptr(out, i, 2), r);
      }
    }
  }
  const u = unsigned != 0;
  for (; i < n; i++) {
    store<i32>(ptr(out, i, 2), binaryScalarI(op, load<i32>(ptr(a, i * sa, 2)), load<i32>(ptr(b, i * sb, 2)), u));
  }
}

// ---------------------------------------------------------------- comparisons

@inline function cmp<T>(op: i32, a: T, b: T): u8 {
  switch (op) {
    case O.EQ: return <u8>(a == b);
    case O.NE: return <u8>(a != b);
    case O.LT: return <u8>(a < b);
    case O.LE: return <u8>(a <= b);
    case O.GT: return <u8>(a > b);
    default: return <u8>(a >= b);
  }
}

/** out[i] = a[i*sa] <op> b[i*sb] as a bool byte; `ty` is a dtype code (T_F32, ...). */
export function compare(op: i32, ty: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  switch (ty) {
    case O.T_F32: for (let i = 0; i < n; i++) store<u8>(out + i, cmp<f32>(op, load<f32>(ptr(a, i * sa, 2)), load<f32>(ptr(b, i * sb, 2)))); break;
    case O.T_F64: for (let i = 0; i < n; i++) store<u8>(out + i, cmp<f64>(op, load<f64>(ptr(a, i * sa, 3)), load<f64>(ptr(b, i * sb, 3)))); break;
    case O.T_I32: for (let i = 0; i < n; i++) store<u8>(out + i, cmp<i32>(op, load<i32>(ptr(a, i * sa, 2)), load<i32>(ptr(b, i * sb, 2)))); break;
    case O.T_U32: for (let i = 0; i < n; i++) store<u8>(out + i, cmp<u32>(op, load<u32>(ptr(a, i * sa, 2)), load<u32>(ptr(b, i * sb, 2)))); break;
    default: for (let i = 0; i < n; i++) store<u8>(out + i, cmp<u8>(op, load<u8>(a + i * sa), load<u8>(b + i * sb)));
  }
}

/** out[i] = pred[i*sp] ? t[i*st] : f[i*sf] for elements of `esize` bytes (1, 4 or 8). */
export function select(pred: usize, sp: i32, f: usize, sf: i32, t: usize, st: i32, out: usize, n: i32, esize: i32): void {
  if (esize == 4) {
    for (let i = 0; i < n; i++) store<u32>(ptr(out, i, 2), load<u8>(pred + i * sp) ? load<u32>(ptr(t, i * st, 2)) : load<u32>(ptr(f, i * sf, 2)));
  } else if (esize == 8) {
    for (let i = 0; i < n; i++) store<u64>(ptr(out, i, 3), load<u8>(pred + i * sp) ? load<u64>(ptr(t, i * st, 3)) : load<u64>(ptr(f, i * sf, 3)));
  } else {
    for (let i = 0; i < n; i++) store<u8>(out + i, load<u8>(pred + i * sp) ? load<u8>(t + i * st) : load<u8>(f + i * sf));
  }
}

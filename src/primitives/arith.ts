// Arithmetic, comparison, logical and selection primitives (lax's elementwise core).
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { fmtShape, shapesEqual } from "../core/shape.js";
import { BatchDim, Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { LaxOperand, apply1, apply2, checkKinds, checkOneLinear, defElementwise, ElementFn, expandScalar, full, sameShapeDtype, unbroadcastScalar, zeroJvp, zerosLike } from "./helpers.js";
import { batchAtFront, batchSize, broadcastInDim, elementwiseBatch, moveAxis } from "./layout.js";

const INT_MIN = -2147483648;
const isUnsigned = (d: DType) => d === "uint32";

// Integer semantics of XLA (inherited by JAX): x / 0 = -1, x % 0 = x, INT_MIN / -1 = INT_MIN.
function idiv(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === INT_MIN && b === -1) return a;
  return Math.trunc(a / b);
}
function irem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return a % b;
}
export function ipow(a: number, b: number, unsigned: boolean): number {
  if (!unsigned && b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1, base = a, e = b >>> 0;
  while (e) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return unsigned ? r >>> 0 : r;
}

/** A cotangent for operand x, summed to a scalar when x was a broadcast scalar. */
const ub = (ct: JaxArray, x: JaxArray | UndefPrimal): JaxArray => unbroadcastScalar(ct, x.aval);

const byKind = (float: (...x: number[]) => number, int: (...x: number[]) => number, uint = int): ElementFn =>
  (d) => (isFloat(d) ? float : d === "uint32" ? uint : int);
const same = (f: (...x: number[]) => number): ElementFn => () => f;

// ---- linear and bilinear arithmetic

export const addP = defElementwise("add", same((a, b) => a + b), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => [[add(x, y)], [add(tx, ty)]],
  transpose: ([ct]: JaxArray[], [x, y]) => [ub(ct, x), ub(ct, y)],
});
export const subP = defElementwise("sub", same((a, b) => a - b), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => [[sub(x, y)], [sub(tx, ty)]],
  transpose: ([ct]: JaxArray[], [x, y]) => [ub(ct, x), ub(neg(ct), y)],
});
export const mulP = defElementwise("mul", byKind((a, b) => a * b, Math.imul, (a, b) => Math.imul(a, b) >>> 0), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => [[mul(x, y)], [add(mul(tx, y), mul(x, ty))]],
  transpose: ([ct]: JaxArray[], [x, y]) => {
    checkOneLinear("mul", x, y);
    return [x instanceof UndefPrimal ? ub(mul(ct, y as JaxArray), x) : null, y instanceof UndefPrimal ? ub(mul(x as JaxArray, ct), y) : null];
  },
});
export const divP = defElementwise("div", byKind((a, b) => a / b, idiv, (a, b) => (b === 0 ? 0xffffffff : Math.trunc(a / b))), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => {
    const out = div(x, y);
    return [[out], [sub(div(tx, y), mul(ty, div(out, y)))]];
  },
  transpose: ([ct], [x, y]) => {
    if (!(x instanceof UndefPrimal) || y instanceof UndefPrimal) {
      throw new DTypeError("div: only the numerator of a division is linear; transposing in the denominator is a bug.");
    }
    return [ub(div(ct as JaxArray, y), x), null];
  },
});
export const negP = defElementwise("neg", byKind((a) => -a, (a) => -a | 0, (a) => -a >>> 0), {
  kinds: "numeric",
  jvp: ([x], [t]) => [[neg(x)], [neg(t)]],
  transpose: ([ct]: JaxArray[]) => [neg(ct)],
});
export const remP = defElementwise("rem", byKind((a, b) => a % b, irem, (a, b) => (b === 0 ? a : a % b)), {
  kinds: "numeric",
  jvp: ([x, y], [tx, ty]) => [[rem(x, y)], [sub(tx, mul(ty, round(div(sub(x, rem(x, y)), y))))]],
});

// ---- piecewise linear

const maxFn = byKind((a, b) => (a !== a || b !== b ? NaN : a > b || (a === b && Object.is(b, -0)) ? a : b), Math.max);
const minFn = byKind((a, b) => (a !== a || b !== b ? NaN : a < b || (a === b && Object.is(a, -0)) ? a : b), Math.min);
export const maxP = defElementwise("max", maxFn, {
  kinds: "any",
  jvp: ([x, y], [tx, ty]) => [[max(x, y)], [minmaxTangent(x, y, tx, ty, gt)]],
});
export const minP = defElementwise("min", minFn, {
  kinds: "any",
  jvp: ([x, y], [tx, ty]) => [[min(x, y)], [minmaxTangent(x, y, tx, ty, lt)]],
});

// JAX's convention: where x == y the gradient is split evenly between the two operands.
function minmaxTangent(x: JaxArray, y: JaxArray, tx: JaxArray, ty: JaxArray, pick: (a: JaxArray, b: JaxArray) => JaxArray): JaxArray {
  const avg = mul(add(tx, ty), full(x.shape, 0.5, x.dtype));
  return select(eq(x, y), avg, select(pick(x, y), tx, ty));
}

/**
 * clamp(lo, x, hi) = min(max(x, lo), hi), XLA's operand order; lo and hi are scalars or x-shaped.
 * NaN propagates from any operand, as XLA's float max/min do.
 */
export const clampP: Primitive<{}> = new Primitive<{}>("clamp", {
  abstractEval([lo, x, hi]) {
    for (const [b, name] of [[lo, "min"], [hi, "max"]] as const) {
      if (b.ndim !== 0 && !shapesEqual(b.shape, x.shape)) {
        throw new ShapeError(`clamp requires ${name}.shape == operand.shape or ${name}.shape == (), got ${name}.shape=${fmtShape(b.shape)}, ` +
          `operand.shape=${fmtShape(x.shape)}. Pass a scalar bound, or broadcast it first (lax.broadcastInDim).`);
      }
    }
    sameShapeDtype("clamp", [lo, x, hi].map((a) => new ShapedArray([], a.dtype)));
    return [new ShapedArray(x.shape, x.dtype, lo.weakType && x.weakType && hi.weakType)];
  },
  reference([lo, x, hi], [o]) {
    const d = x.aval.dtype, mx = maxFn(d), mn = minFn(d);
    const sl = lo.data.length === 1 ? 0 : 1, sh = hi.data.length === 1 ? 0 : 1;
    for (let i = 0; i < o.data.length; i++) o.data[i] = mn(mx(x.data[i], lo.data[i * sl]), hi.data[i * sh]);
  },
  // JAX's rule: x's tangent passes strictly inside (lo, hi); at a bound, the bound's own tangent
  // passes only where it is the value taken (lo where lo > x and lo < hi; hi where hi < x).
  jvp([lo, x, hi], [tlo, tx, thi]) {
    const out = clamp(lo, x, hi);
    if (!isFloat(x.dtype)) return [[out], [new Zero(out.aval)]];
    const s = x.shape, l = expandScalar(lo, s), h = expandScalar(hi, s), z = zerosLike(out);
    const t = add(add(select(bitwiseAnd(gt(l, x), lt(l, h)), expandScalar(tlo, s), z),
      select(bitwiseAnd(gt(x, l), lt(x, h)), tx, z)), select(lt(h, x), expandScalar(thi, s), z));
    return [[out], [t]];
  },
  batch(args, dims) {
    const size = batchSize(args, dims);
    const xb = batchAtFront(args[1], dims[1], size);
    // A bound stays a scalar when it is one for every example; else it takes x's batched shape.
    const bound = (b: JaxArray, d: BatchDim) => {
      if (d === null && b.ndim === 0) return b;
      const bb = batchAtFront(b, d, size);
      return bb.ndim < xb.ndim ? broadcastInDim(bb, xb.shape, [0]) : bb;
    };
    return [[bind1(clampP, [bound(args[0], dims[0]), xb, bound(args[2], dims[2])])], [0]];
  },
});

export const absP = defElementwise("abs", byKind(Math.abs, (a) => Math.abs(a) | 0, (a) => a), {
  kinds: "numeric",
  // JAX's rule: the derivative at 0 is 1 (select(x >= 0, t, -t)), not sign(0) = 0.
  jvp: ([x], [t]) => [[abs(x)], [select(ge(x, zerosLike(x)), t, neg(t))]],
});
export const signP = defElementwise("sign", byKind((a) => (a > 0 ? 1 : a < 0 ? -1 : a), Math.sign, (a) => (a > 0 ? 1 : 0)), {
  kinds: "numeric",
  jvp: ([x]) => [[sign(x)], [new Zero(x.aval.strong())]],
});
const roundHalfEven = (a: number) => {
  const r = Math.round(a);
  return Math.abs(a % 1) === 0.5 && r % 2 !== 0 ? r - 1 : Object.is(a, -0) || (a < 0 && r === 0) ? -0 : r;
};
export const floorP = defElementwise("floor", same(Math.floor), { kinds: "float", jvp: zeroJvp(() => floorP) });
export const ceilP = defElementwise("ceil", same(Math.ceil), { kinds: "float", jvp: zeroJvp(() => ceilP) });
export const roundP = defElementwise("round", same(roundHalfEven), { kinds: "float", jvp: zeroJvp(() => roundP) });
export const squareP = defElementwise("square", byKind((a) => a * a, (a) => Math.imul(a, a), (a) => Math.imul(a, a) >>> 0), {
  kinds: "numeric",
  jvp: ([x], [t]) => [[square(x)], [mul(t, mul(x, full(x.shape, 2, x.dtype)))]],
});
export const powIntP: Primitive<{ y: number }> = new Primitive<{ y: number }>("integer_pow", {
  abstractEval([x], { y }) {
    checkKinds("integer_pow", "numeric", [x]);
    if (!Number.isInteger(y)) throw new DTypeError(`integer_pow: exponent must be an integer, got ${y}.`);
    if (y < 0 && !isFloat(x.dtype)) {
      throw new DTypeError(`integer_pow: integers cannot be raised to negative powers, got ${x.dtype}[${x.shape}] ** ${y}. ` +
        `Convert to float first, e.g. x.astype("float32").`);
    }
    return [x];
  },
  reference([x], [o], { y }) {
    const f = isFloat(x.aval.dtype) ? (a: number) => a ** y : (a: number) => ipow(a, y, isUnsigned(x.aval.dtype));
    for (let i = 0; i < o.data.length; i++) o.data[i] = f(x.data[i]);
  },
  jvp([x], [t], { y }) {
    const out = integerPow(x, y);
    if (y === 0) return [[out], [new Zero(x.aval)]];
    const d = mul(full(x.shape, y, x.dtype), y === 1 ? full(x.shape, 1, x.dtype) : integerPow(x, y - 1));
    return [[out], [mul(t, d)]];
  },
  batch: elementwiseBatch(() => powIntP),
});

// ---- comparisons (bool output, zero derivative)

export const eqP = defElementwise("eq", same((a, b) => +(a === b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => eqP) });
export const neP = defElementwise("ne", same((a, b) => +(a !== b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => neP) });
export const ltP = defElementwise("lt", same((a, b) => +(a < b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => ltP) });
export const leP = defElementwise("le", same((a, b) => +(a <= b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => leP) });
export const gtP = defElementwise("gt", same((a, b) => +(a > b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => gtP) });
export const geP = defElementwise("ge", same((a, b) => +(a >= b)), { kinds: "any", outDtype: "bool", jvp: zeroJvp(() => geP) });

// ---- logical / bitwise (bool or integer)

export const andP = defElementwise("and", same((a, b) => a & b), { kinds: "intOrBool", jvp: zeroJvp(() => andP) });
export const orP = defElementwise("or", same((a, b) => a | b), { kinds: "intOrBool", jvp: zeroJvp(() => orP) });
export const xorP = defElementwise("xor", same((a, b) => a ^ b), { kinds: "intOrBool", jvp: zeroJvp(() => xorP) });
export const notP = defElementwise("not", (d) => (d === "bool" ? (a) => (a ? 0 : 1) : (a) => ~a), { kinds: "intOrBool", jvp: zeroJvp(() => notP) });
export const shiftLeftP = defElementwise("shift_left", same((a, b) => (b >>> 0 >= 32 ? 0 : a << b)), { kinds: "int", jvp: zeroJvp(() => shiftLeftP) });
export const shiftRightP = defElementwise("shift_right",
  (d) => (d === "uint32" ? (a, b) => (b >>> 0 >= 32 ? 0 : a >>> b) : (a, b) => (b >>> 0 >= 32 ? (a < 0 ? -1 : 0) : a >> b)),
  { kinds: "int", jvp: zeroJvp(() => shiftRightP) });

// ---- selection and conversion

/** select_n(pred, onFalse, onTrue) with a bool predicate of the same shape (or a scalar). */
export const selectNP: Primitive<{}> = new Primitive<{}>("select_n", {
  abstractEval([p, f, t]) {
    sameShapeDtype("select_n", [f, t]);
    if (p.dtype !== "bool") throw new DTypeError(`select_n: the predicate must be bool, got ${p.dtype}.`);
    if (p.shape.length !== 0) sameShapeDtype("select_n", [new ShapedArray(p.shape, f.dtype), f]);
    return [new ShapedArray(f.shape, f.dtype, f.weakType && t.weakType)];
  },
  reference([p, f, t], [o]) {
    const sp = p.data.length === 1 && o.data.length !== 1 ? 0 : 1;
    for (let i = 0; i < o.data.length; i++) o.data[i] = p.data[i * sp] ? t.data[i] : f.data[i];
  },
  jvp([p, f, t], [, tf, tt]) {
    return [[select(p, t, f)], [select(p, tt, tf)]];
  },
  transpose([ct]: JaxArray[], [p, f, t]) {
    const z = zerosLike(ct);
    return [null, f instanceof UndefPrimal ? select(p as JaxArray, z, ct) : null, t instanceof UndefPrimal ? select(p as JaxArray, ct, z) : null];
  },
  batch([p, f, t], [dp, df, dt], params) {
    if (p.ndim - (dp === null ? 0 : 1) > 0) return elementwiseBatch(() => selectNP)([p, f, t], [dp, df, dt], params);
    // A scalar predicate: keep it scalar when unbatched, else broadcast it to the cases' shape.
    const size = batchSize([p, f, t], [dp, df, dt]);
    const ff = batchAtFront(f, df, size), tt = batchAtFront(t, dt, size);
    const pp = dp === null ? p : broadcastInDim(moveAxis(p, dp, 0), ff.shape, [0]);
    return [[bind1(selectNP, [pp, ff, tt], params)], [0]];
  },
});

const convertTo = (from: DType, to: DType) => {
  if (to === "bool") return (a: number) => (a !== 0 ? 1 : 0);
  // Between integer types the bits are reinterpreted (wrapping), as XLA does.
  if (!isFloat(from)) return to === "uint32" ? (a: number) => a >>> 0 : to === "int32" ? (a: number) => a | 0 : (a: number) => a;
  if (to === "int32") return (a: number) => (a !== a ? 0 : a >= 2147483647 ? 2147483647 : a <= INT_MIN ? INT_MIN : Math.trunc(a));
  if (to === "uint32") return (a: number) => (a !== a || a <= 0 ? 0 : a >= 4294967295 ? 4294967295 : Math.trunc(a));
  return (a: number) => a;
};

/** Changes dtype; float to int truncates toward zero and saturates, NaN becomes 0 (XLA's rule). */
export const convertP: Primitive<{ newDtype: DType; weakType?: boolean }> = new Primitive<{ newDtype: DType; weakType?: boolean }>("convert_element_type", {
  abstractEval([x], { newDtype, weakType }) {
    return [new ShapedArray(x.shape, newDtype, weakType ?? false)];
  },
  reference([x], [o], { newDtype }) {
    const f = convertTo(x.aval.dtype, newDtype);
    for (let i = 0; i < o.data.length; i++) o.data[i] = f(x.data[i]);
  },
  jvp([x], [t], params) {
    const out = bind1(convertP, [x], params);
    if (!isFloat(x.dtype) || !isFloat(params.newDtype)) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(convertP, [t], params)]];
  },
  transpose([ct]: JaxArray[], [x]) {
    const a = (x as UndefPrimal).aval;
    return [bind1(convertP, [ct], { newDtype: a.dtype, weakType: a.weakType })];
  },
  printParams: ({ newDtype }) => ({ new_dtype: newDtype }),
  batch: elementwiseBatch(() => convertP),
});

/** Identity whose derivative is zero (lax.stop_gradient). */
export const stopGradientP: Primitive<{}> = new Primitive<{}>("stop_gradient", {
  abstractEval: ([x]) => [x],
  reference: ([x], [o]) => { o.data.set(x.data as any); },
  jvp: ([x]) => [[stopGradient(x)], [new Zero(x.aval)]],
  batch: elementwiseBatch(() => stopGradientP),
});

// ---- lax-style wrappers: operands of equal shape and dtype

export const add = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(addP, x, y);
export const sub = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(subP, x, y);
export const mul = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(mulP, x, y);
export const div = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(divP, x, y);
export const rem = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(remP, x, y);
export const max = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(maxP, x, y);
export const min = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(minP, x, y);
export const neg = (x: LaxOperand): JaxArray => apply1(negP, x);
export const abs = (x: LaxOperand): JaxArray => apply1(absP, x);
export const sign = (x: LaxOperand): JaxArray => apply1(signP, x);
export const floor = (x: LaxOperand): JaxArray => apply1(floorP, x);
export const ceil = (x: LaxOperand): JaxArray => apply1(ceilP, x);
export const round = (x: LaxOperand): JaxArray => apply1(roundP, x);
export const square = (x: LaxOperand): JaxArray => apply1(squareP, x);
export const integerPow = (x: JaxArray, y: number): JaxArray => apply1(powIntP, x, { y });
export const eq = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(eqP, x, y);
export const ne = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(neP, x, y);
export const lt = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(ltP, x, y);
export const le = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(leP, x, y);
export const gt = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(gtP, x, y);
export const ge = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(geP, x, y);
export const bitwiseAnd = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(andP, x, y);
export const bitwiseOr = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(orP, x, y);
export const bitwiseXor = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(xorP, x, y);
export const bitwiseNot = (x: LaxOperand): JaxArray => apply1(notP, x);
export const shiftLeft = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(shiftLeftP, x, y);
export const shiftRight = (x: LaxOperand, y: LaxOperand): JaxArray => apply2(shiftRightP, x, y);
/** lax.select(pred, onTrue, onFalse). */
export const select = (p: JaxArray, onTrue: JaxArray, onFalse: JaxArray): JaxArray => bind1(selectNP, [p, onFalse, onTrue]);
export const convertElementType = (x: JaxArray, newDtype: DType, weakType = false): JaxArray =>
  x.dtype === newDtype && x.weakType === weakType ? x : bind1(convertP, [x], { newDtype, weakType });
/** lax.clamp(min, x, max); JS-number bounds take x's dtype, as JAX's weakly typed scalars do. */
export const clamp = (lo: JaxArray | number, x: JaxArray, hi: JaxArray | number): JaxArray => {
  const asBound = (b: JaxArray | number) => (typeof b === "number" ? full([], b, x.dtype, true) : b);
  return bind1(clampP, [asBound(lo), x, asBound(hi)]);
};
export const stopGradient = (x: LaxOperand): JaxArray => apply1(stopGradientP, x);

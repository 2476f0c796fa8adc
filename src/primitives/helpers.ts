import { fromHost } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat, TypedArray, typedArrayFor } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { HostArray, Primitive, PrimitiveRules, UndefPrimal, Zero } from "../core/primitive.js";
import { fmtShape, shapesEqual } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { getBackend } from "../backend/registry.js";
import { broadcastInDimP, elementwiseBatch, reduceSumP } from "./layout.js";

/** A constant array filled with `value` (a concrete array: a constant to any trace). */
export function full(shape: readonly number[], value: number, dtype: DType, weakType = false): JaxArray {
  const C = typedArrayFor(dtype);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new C(n) as TypedArray;
  if (value !== 0) data.fill(value as never);
  return fromHost(getBackend(), data, new ShapedArray(shape, dtype, weakType));
}

export function zerosLike(x: { aval: ShapedArray }): JaxArray {
  return full(x.aval.shape, 0, x.aval.dtype, x.aval.weakType);
}

export function instantiate(t: JaxArray | Zero): JaxArray {
  return t instanceof Zero ? zerosLike(t) : t;
}

/** The dtype kinds an elementwise primitive accepts. */
export type Kinds = "float" | "int" | "numeric" | "any" | "intOrBool";

const kindOk: Record<Kinds, (d: DType) => boolean> = {
  float: isFloat,
  int: (d) => d === "int32" || d === "uint32",
  numeric: (d) => d !== "bool",
  any: () => true,
  intOrBool: (d) => !isFloat(d),
};
const kindText: Record<Kinds, string> = {
  float: "floating-point", int: "integer", numeric: "numeric (not bool)", any: "any", intOrBool: "integer or boolean",
};

export function checkKinds(op: string, kinds: Kinds, avals: ShapedArray[]): void {
  for (const a of avals) {
    if (!kindOk[kinds](a.dtype)) {
      throw new DTypeError(
        `${op} does not accept dtype ${a.dtype}: it takes ${kindText[kinds]} arrays. ` +
          (kinds === "float" ? `Convert first, e.g. x.astype("float32").` : `Convert with astype() first.`),
      );
    }
  }
}

/**
 * Elementwise shape rule: operands of one dtype and one shape, except that rank-0 operands
 * (scalars) broadcast, as in JAX's jaxprs (`mul a 2.0:f32[]`). The jnp layer broadcasts the rest.
 */
export function sameShapeDtype(op: string, avals: ShapedArray[]): void {
  const shaped = avals.filter((x) => x.ndim > 0);
  const [a] = shaped;
  for (const b of shaped.slice(1)) {
    if (!shapesEqual(a.shape, b.shape)) {
      throw new ShapeError(`${op} requires operands of the same shape, got ${avals.map((x) => fmtShape(x.shape)).join(" and ")}. ` +
        `jnp functions broadcast for you; with lax, broadcast first (lax.broadcastInDim).`);
    }
  }
  sameDtype(op, avals);
}

export function sameDtype(op: string, avals: ShapedArray[]): void {
  if (avals.some((b) => b.dtype !== avals[0].dtype)) {
    throw new DTypeError(`${op} requires operands of the same dtype, got ${avals.map((x) => x.dtype).join(" and ")}. ` +
      `jnp functions promote for you; with lax, convert first (lax.convertElementType).`);
  }
}

/** The result shape of an elementwise op: that of its non-scalar operands. */
export function elementwiseShape(avals: readonly { shape: readonly number[]; ndim: number }[]): readonly number[] {
  return avals.find((x) => x.ndim > 0)?.shape ?? [];
}

/** x broadcast to `shape` when it is a scalar standing in for a full operand. */
export function expandScalar(x: JaxArray, shape: readonly number[]): JaxArray {
  return x.ndim === 0 && shape.length > 0 ? bind1(broadcastInDimP, [x], { shape: [...shape], broadcastDimensions: [] }) : x;
}

/** A cotangent summed down to a scalar operand's shape (the transpose of scalar broadcasting). */
export function unbroadcastScalar(ct: JaxArray, aval: ShapedArray): JaxArray {
  return aval.ndim === 0 && ct.ndim > 0 ? bind1(reduceSumP, [ct], { axes: ct.shape.map((_, i) => i) }) : ct;
}

export interface ElementwiseSpec {
  kinds: Kinds;
  /** Output dtype, when it is not the input's (comparisons: bool). */
  outDtype?: DType;
  jvp?: PrimitiveRules<{}>["jvp"];
  transpose?: PrimitiveRules<{}>["transpose"];
}

/** Per-element reference function for a dtype (integer semantics differ from float ones). */
export type ElementFn = (dtype: DType) => (...xs: number[]) => number;

/** An elementwise primitive over any number of same-shaped operands, with a per-element reference. */
export function defElementwise(name: string, impl: ElementFn, spec: ElementwiseSpec): Primitive<{}> {
  const p: Primitive<{}> = new Primitive<{}>(name, {
    abstractEval(avals) {
      sameShapeDtype(name, avals);
      checkKinds(name, spec.kinds, avals);
      const weak = avals.every((a) => a.weakType);
      return [new ShapedArray(elementwiseShape(avals), spec.outDtype ?? avals[0].dtype, weak)];
    },
    reference(ins: HostArray[], [out]: HostArray[]) {
      const f = impl(ins[ins.length - 1].aval.dtype);
      const o = out.data, n = o.length;
      // A scalar operand is read with stride 0.
      const st = ins.map((x) => (x.data.length === 1 ? 0 : 1));
      if (ins.length === 1) {
        const x = ins[0].data;
        for (let i = 0; i < n; i++) o[i] = f(x[i]);
      } else if (ins.length === 2) {
        const a = ins[0].data, b = ins[1].data, sa = st[0], sb = st[1];
        for (let i = 0; i < n; i++) o[i] = f(a[i * sa], b[i * sb]);
      } else {
        const ds = ins.map((x) => x.data);
        for (let i = 0; i < n; i++) o[i] = f(...ds.map((d, k) => d[i * st[k]]));
      }
    },
    // Rules see full-shaped operands: a scalar operand is broadcast first.
    jvp: spec.jvp && ((primals, tangents, params) => {
      const shape = elementwiseShape(primals);
      return spec.jvp!(primals.map((x) => expandScalar(x, shape)), tangents.map((t) => expandScalar(t, shape)), params);
    }),
    transpose: spec.transpose,
    batch: elementwiseBatch(() => p),
  });
  return p;
}

/** The JVP of a primitive with no derivative (integer/bool results): its output and a zero tangent. */
export function zeroJvp(prim: () => Primitive) {
  return (xs: JaxArray[], _t: JaxArray[], params: any): [JaxArray[], Zero[]] => {
    const out = bind1(prim(), xs, params);
    return [[out], [new Zero(out.aval)]];
  };
}

/**
 * A JS number or boolean operand of a lax wrapper as a weakly typed scalar (lax.add(x, 1) in JAX):
 * it takes the other operand's dtype, or int32/float32/bool when there is none.
 */
export type LaxOperand = JaxArray | number | boolean;
function laxOperand(v: LaxOperand, like: LaxOperand | undefined): JaxArray {
  if (v instanceof JaxArray) return v;
  if (typeof v !== "number" && typeof v !== "boolean") {
    throw new DTypeError(`lax operations take arrays or JS numbers, got ${v === null ? "null" : Array.isArray(v) ? "a JS array (wrap it with jnp.array)" : typeof v}.`);
  }
  const dtype = like instanceof JaxArray ? like.dtype : typeof v === "boolean" ? "bool" : Number.isInteger(v) ? "int32" : "float32";
  return full([], +v, dtype, true);
}
export function apply1(p: Primitive, x: LaxOperand, params: object = {}): JaxArray {
  return bind1(p, [laxOperand(x, undefined)], params);
}
export function apply2(p: Primitive, x: LaxOperand, y: LaxOperand, params: object = {}): JaxArray {
  return bind1(p, [laxOperand(x, y), laxOperand(y, x)], params);
}

/**
 * A bilinear primitive (mul, dot_general, conv) transposes in one operand given the other: both
 * unknown means the function being transposed is not linear in its tangents.
 */
export function checkOneLinear(op: string, a: unknown, b: unknown): void {
  if (a instanceof UndefPrimal && b instanceof UndefPrimal) {
    throw new ValueError(`${op}: reverse mode met a product of two values that both depend on the tangents, so the ` +
      "differentiated program is not linear in them. A customJvp rule must return tangents linear in the tangent inputs " +
      "(e.g. t * cos(x), not t * t).");
  }
}

import { fromHost } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { DType, isFloat, TypedArray, typedArrayFor } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { HostArray, Primitive, PrimitiveRules, Zero } from "../core/primitive.js";
import { fmtShape, shapesEqual } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { getBackend } from "../backend/registry.js";
import { elementwiseBatch } from "./layout.js";

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

/** Elementwise shape rule: operands of one shape and dtype (the jnp layer broadcasts and promotes). */
export function sameShapeDtype(op: string, avals: ShapedArray[]): void {
  const [a] = avals;
  for (const b of avals.slice(1)) {
    if (!shapesEqual(a.shape, b.shape)) {
      throw new ShapeError(`${op} requires operands of the same shape, got ${avals.map((x) => fmtShape(x.shape)).join(" and ")}. ` +
        `jnp functions broadcast for you; with lax, broadcast first (lax.broadcastInDim).`);
    }
    if (a.dtype !== b.dtype) {
      throw new DTypeError(`${op} requires operands of the same dtype, got ${avals.map((x) => x.dtype).join(" and ")}. ` +
        `jnp functions promote for you; with lax, convert first (lax.convertElementType).`);
    }
  }
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
      return [new ShapedArray(avals[0].shape, spec.outDtype ?? avals[0].dtype, weak)];
    },
    reference(ins: HostArray[], [out]: HostArray[]) {
      const f = impl(ins[ins.length - 1].aval.dtype);
      const o = out.data, n = o.length;
      if (ins.length === 1) {
        const x = ins[0].data;
        for (let i = 0; i < n; i++) o[i] = f(x[i]);
      } else if (ins.length === 2) {
        const a = ins[0].data, b = ins[1].data;
        for (let i = 0; i < n; i++) o[i] = f(a[i], b[i]);
      } else {
        const ds = ins.map((x) => x.data);
        for (let i = 0; i < n; i++) o[i] = f(...ds.map((d) => d[i]));
      }
    },
    jvp: spec.jvp,
    transpose: spec.transpose,
    batch: elementwiseBatch(() => p),
  });
  return p;
}

export function apply1(p: Primitive, x: JaxArray, params: object = {}): JaxArray {
  return bind1(p, [x], params);
}
export function apply2(p: Primitive, x: JaxArray, y: JaxArray, params: object = {}): JaxArray {
  return bind1(p, [x, y], params);
}

import { DTypeError } from "./errors.js";

/** Element types an array may hold. float64 exists on Wasm; float16 on backends that have it. */
export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export const itemSize: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint32: 4, bool: 1 };

const ctors = {
  float32: Float32Array, float64: Float64Array, int32: Int32Array, uint32: Uint32Array, bool: Uint8Array,
} as const;

export function typedArrayFor(dtype: DType): { new (n: number): TypedArray; new (b: ArrayBuffer, off: number, n: number): TypedArray } {
  return ctors[dtype] as any;
}

export function isFloat(d: DType): boolean { return d === "float32" || d === "float64"; }
export function isInt(d: DType): boolean { return d === "int32" || d === "uint32"; }

export function checkDType(d: unknown, op: string): DType {
  if (typeof d === "string" && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(d)}. Use one of ${DTYPES.join(", ")}.`);
}

export function dtypeOfTypedArray(a: TypedArray | ArrayLike<number>): DType | undefined {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Uint8Array) return "bool";
  return undefined;
}

/** Short names used in jaxpr printing, as JAX prints them. */
export const shortName: Record<DType, string> = { float32: "f32", float64: "f64", int32: "i32", uint32: "u32", bool: "bool" };

// JAX's type lattice restricted to our dtypes (x32 mode): bool < uint32, int32 < float32 < float64.
// uint32 with int32 promotes to int64 in JAX, which x32 mode truncates to int32.
const rank: Record<DType, number> = { bool: 0, uint32: 1, int32: 1, float32: 2, float64: 3 };

/**
 * Result dtype of combining two operands, JAX style: a weakly-typed operand (a JS number) takes the
 * other's dtype unless its kind (int or float) is higher.
 */
export function promoteTypes(a: DType, aWeak: boolean, b: DType, bWeak: boolean): DType {
  if (a === b) return a;
  if (aWeak && !bWeak) return weakJoin(b, a);
  if (bWeak && !aWeak) return weakJoin(a, b);
  if (rank[a] === rank[b]) return "int32"; // int32 with uint32
  return rank[a] > rank[b] ? a : b;
}

function weakJoin(strong: DType, weak: DType): DType {
  // The weak operand only contributes its kind: an int scalar never widens a float array,
  // a float scalar turns an int/bool array into float32 (JAX's default float in x32 mode).
  if (rank[weak] <= rank[strong]) return strong;
  if (isFloat(weak)) return "float32";
  return weak;
}

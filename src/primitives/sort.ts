// lax.sort: operands of one shape permuted together along `dimension` by the lexicographic order
// of the first `numKeys` of them. The sort is stable. Floats follow JAX's comparator: -0 equals 0
// and NaN sorts after +inf (numpy's order).
import { ShapedArray } from "../core/aval.js";
import { DType } from "../core/dtype.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { BatchDim, HostArray, Primitive } from "../core/primitive.js";
import { fmtShape, normAxis, shapesEqual, sizeOf, stridesOf } from "../core/shape.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { add, mul } from "./arith.js";
import { full } from "./helpers.js";
import { gather } from "./indexing.js";
import { batchAtFront, batchSize, iota, reshape } from "./structural.js";

export interface SortParams { dimension: number; numKeys: number }

export const sortP: Primitive<SortParams> = new Primitive<SortParams>("sort", {
  abstractEval(avals, { dimension, numKeys }) {
    if (avals.length === 0) throw new ValueError("sort: needs at least one operand.");
    const shape = avals[0].shape;
    if (!avals.every((a) => shapesEqual(a.shape, shape))) {
      throw new ShapeError(`sort: operands must have one shape, got ${avals.map((a) => fmtShape(a.shape)).join(", ")}.`);
    }
    normAxis("sort", dimension, shape.length, 0);
    if (!(numKeys >= 1 && numKeys <= avals.length)) {
      throw new ValueError(`sort: numKeys must be between 1 and the number of operands (${avals.length}), got ${numKeys}.`);
    }
    return avals.map((a) => new ShapedArray(a.shape, a.dtype, a.weakType));
  },
  reference(ins, outs, { dimension, numKeys }) {
    const shape = ins[0].aval.shape;
    const n = shape[dimension], inner = stridesOf(shape)[dimension], outer = sizeOf(shape) / Math.max(1, n * inner);
    if (n === 0 || inner === 0) return;
    const order = laneSorter(ins.slice(0, numKeys), n);
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < inner; j++) {
        const base = a * n * inner + j;
        const perm = order(base, inner);
        for (let o = 0; o < ins.length; o++) {
          const src = ins[o].data, dst = outs[o].data;
          for (let k = 0; k < n; k++) dst[base + k * inner] = src[base + perm[k] * inner];
        }
      }
    }
  },
  jvp(primals, tangents, params) {
    // Sort an iota along with the operands to learn the permutation, then gather the tangents by it.
    const shape = primals[0].shape, d = params.dimension;
    const sorted = bind(sortP, [...primals, iota("int32", shape, d)], params);
    const perm = sorted.pop()!;
    const st = stridesOf(shape);
    let lin = mul(perm, full(shape, st[d], "int32"));
    for (let k = 0; k < shape.length; k++) {
      if (k !== d && shape[k] > 1) lin = add(lin, mul(iota("int32", shape, k), full(shape, st[k], "int32")));
    }
    const outT = tangents.map((t) => gather(reshape(t, [t.size]), lin, 0, "clip"));
    return [sorted, outT];
  },
  batch(args, dims, { dimension, numKeys }) {
    const size = batchSize(args, dims);
    const ops = args.map((a, i) => batchAtFront(a, dims[i], size));
    return [bind(sortP, ops, { dimension: dimension + 1, numKeys }), ops.map((): BatchDim => 0)];
  },
  printParams: (p) => ({ ...p, isStable: true }),
});

/** Sorts `operands` along `dimension` (negative counts from the end) by the first `numKeys`. */
export function sort(operands: JaxArray[], dimension = -1, numKeys = 1): JaxArray[] {
  const nd = operands[0]?.ndim ?? 0;
  const d = dimension < 0 ? dimension + nd : dimension;
  return bind(sortP, operands, { dimension: d, numKeys });
}

/** lax.sort_key_val: `values` reordered as `keys` sort (stably) along `dimension`. */
export function sortKeyVal(keys: JaxArray, values: JaxArray, dimension = -1): [JaxArray, JaxArray] {
  const [k, v] = sort([keys, values], dimension, 1);
  return [k, v];
}

// ---- the reference sort

const PACK = 2 ** 21; // lanes shorter than this sort as one Float64Array of key * PACK + index
const f32 = new Float32Array(1);
const f32w = new Uint32Array(f32.buffer);

/** A 32-bit key as an unsigned integer in the same order (floats: -0 == 0, NaN last). */
function orderedKey(dtype: DType): ((v: number) => number) | null {
  switch (dtype) {
    case "uint32": case "bool": return (v) => v;
    case "int32": return (v) => v + 2147483648;
    case "float32": return (v) => {
      if (v !== v) return 0xffc00000; // above +inf's 0xff800000
      f32[0] = v === 0 ? 0 : v;
      const b = f32w[0];
      return b >= 0x80000000 ? (~b >>> 0) : (b | 0x80000000) >>> 0;
    };
    default: return null;
  }
}

function compareNumbers(a: number, b: number): number {
  const an = a !== a, bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Returns order(base, stride): the stable sorting permutation of one lane of the keys. */
function laneSorter(keys: HostArray[], n: number): (base: number, stride: number) => ArrayLike<number> {
  const key1 = keys.length === 1 ? orderedKey(keys[0].aval.dtype) : null;
  if (key1 && n < PACK) {
    const packed = new Float64Array(n), perm = new Int32Array(n), data = keys[0].data;
    return (base, stride) => {
      for (let k = 0; k < n; k++) packed[k] = key1(data[base + k * stride]) * PACK + k;
      packed.sort();
      for (let k = 0; k < n; k++) perm[k] = packed[k] % PACK;
      return perm;
    };
  }
  const idx = new Array<number>(n);
  return (base, stride) => {
    for (let k = 0; k < n; k++) idx[k] = k;
    idx.sort((i, j) => {
      for (const key of keys) {
        const c = compareNumbers(key.data[base + i * stride], key.data[base + j * stride]);
        if (c !== 0) return c;
      }
      return i - j;
    });
    return idx;
  };
}


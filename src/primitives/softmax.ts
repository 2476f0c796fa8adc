// softmax, log_softmax and logsumexp as one primitive. Traces that stage a program (makeJaxpr, jit,
// linearize) see the JAX composite (max, stop_gradient, sub, exp, sum, div/log), inlined. Eager
// float32 arrays on the Wasm backend run one fused kernel per call instead of five passes; other
// dtypes and backends evaluate the composite. The JVP is JAX's softmax custom_jvp rule (and its
// log/logsumexp analogues) around the primitive itself, so eager grad and vmap also get the kernel.
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { tidy } from "../core/memory.js";
import { HostArray, Primitive } from "../core/primitive.js";
import { shapesEqual } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { abs, add, div, lt, mul, select, stopGradient, sub } from "./arith.js";
import { full } from "./helpers.js";
import { broadcastInDim, checkAxes, forEachIndex, moveAxis, reduceSum, reshape } from "./layout.js";
import { exp, log } from "./math.js";
import { reduceMax } from "./reduce.js";

export type SoftmaxOp = "softmax" | "log_softmax" | "logsumexp";
/** `axes` sorted and unique; `keepdims` (logsumexp only) keeps them as axes of length 1. */
export interface SoftmaxParams { op: SoftmaxOp; axes: number[]; keepdims: boolean }

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function dropAxes(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

// ---- the composite, equation for equation what jax.nn / jax.numpy trace

/** `r` reduced over `axes` of x, with those axes kept as length 1 (jnp's keepdims=True). */
function keepdims(r: JaxArray, x: JaxArray, axes: readonly number[]): JaxArray {
  return reshape(r, keptShape(x.shape, axes));
}

/** numpy broadcasting of `k` (a keepdims result or a scalar) to `shape`. */
function bcast(k: JaxArray, shape: readonly number[]): JaxArray {
  const off = shape.length - k.ndim;
  return shapesEqual(k.shape, shape) ? k : broadcastInDim(k, shape, k.shape.map((_, i) => i + off));
}

const maxOver = (x: JaxArray, axes: number[]) => keepdims(axes.length ? reduceMax(x, axes) : x, x, axes);
const sumOver = (x: JaxArray, axes: number[]) => keepdims(axes.length ? reduceSum(x, axes) : x, x, axes);

function composite(x: JaxArray, params: SoftmaxParams): JaxArray {
  // Staging traces run this without the shape rule, so bad input is rejected here too.
  softmaxP.rules.abstractEval([x.aval], params);
  const { op, axes } = params;
  const m = stopGradient(maxOver(x, axes));
  if (op === "softmax") {
    const e = exp(sub(x, bcast(m, x.shape)));
    return div(e, bcast(sumOver(e, axes), x.shape));
  }
  if (op === "log_softmax") {
    const shifted = sub(x, bcast(m, x.shape));
    return sub(shifted, bcast(log(sumOver(exp(shifted), axes)), x.shape));
  }
  // A max of -inf or inf (all -inf, or an inf) must not produce inf - inf.
  const finite = lt(abs(m), bcast(full([], Infinity, m.dtype), m.shape));
  const safe = select(finite, m, bcast(full([], 0, m.dtype), m.shape));
  const s = sumOver(exp(sub(x, bcast(safe, x.shape))), axes);
  const out = add(log(s), safe);
  return params.keepdims ? out : reshape(out, dropAxes(x.shape, axes));
}

// ---- the reference: float64 arithmetic over any axes

function softmaxRef([x]: HostArray[], [o]: HostArray[], { op, axes }: SoftmaxParams): void {
  const shape = x.aval.shape;
  const keep = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const groups = keep.reduce((n, k) => n * shape[k], 1);
  const group = new Int32Array(x.aval.size);
  forEachIndex(shape, (i, idx) => {
    let j = 0;
    for (const k of keep) j = j * shape[k] + idx[k];
    group[i] = j;
  });
  const m = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < group.length; i++) {
    const v = x.data[i] as number, g = group[i];
    m[g] = v !== v || m[g] !== m[g] ? NaN : Math.max(m[g], v);
  }
  const c = op === "logsumexp" ? m.map((v) => (Math.abs(v) < Infinity ? v : 0)) : m;
  const s = new Float64Array(groups);
  for (let i = 0; i < group.length; i++) s[group[i]] += Math.exp((x.data[i] as number) - c[group[i]]);
  if (op === "logsumexp") {
    for (let g = 0; g < groups; g++) o.data[g] = Math.log(s[g]) + c[g];
    return;
  }
  for (let i = 0; i < group.length; i++) {
    const g = group[i], d = (x.data[i] as number) - c[g];
    o.data[i] = op === "softmax" ? Math.exp(d) / s[g] : d - Math.log(s[g]);
  }
}

// ---- the primitive

/** JAX's softmax JVP, y * (t - sum(y t)); log_softmax and logsumexp differentiate through softmax. */
function softmaxJvp([x]: JaxArray[], [t]: JaxArray[], params: SoftmaxParams): [JaxArray[], JaxArray[]] {
  const { op, axes } = params;
  const y = bind1(softmaxP, [x], params);
  if (op === "softmax") return [[y], [mul(y, sub(t, bcast(sumOver(mul(y, t), axes), x.shape)))]];
  if (op === "log_softmax") return [[y], [sub(t, bcast(sumOver(mul(exp(y), t), axes), x.shape))]];
  const p = exp(sub(x, bcast(keepdims(y, x, axes), x.shape)));
  const ty = sumOver(mul(p, t), axes);
  return [[y], [params.keepdims ? ty : reshape(ty, y.shape)]];
}

export const softmaxP: Primitive<SoftmaxParams> = new Primitive<SoftmaxParams>("softmax", {
  abstractEval([x], { op, axes, keepdims }) {
    if (!isFloat(x.dtype)) {
      throw new DTypeError(`${op}: takes a floating-point array, got ${x.str()}. ` +
        `Convert it first, e.g. jnp.astype(x, "float32").`);
    }
    checkAxes(op, axes, x.ndim);
    if (op !== "logsumexp") return [x];
    return [new ShapedArray(keepdims ? keptShape(x.shape, axes) : dropAxes(x.shape, axes), x.dtype, x.weakType)];
  },
  reference: softmaxRef,
  jvp: softmaxJvp,
  batch([x], [d], params) {
    const xb = moveAxis(x, d!, 0);
    return [[bind1(softmaxP, [xb], { ...params, axes: params.axes.map((a) => a + 1) })], [0]];
  },
  inline: ([x], params) => [composite(x, params)],
  impl([x], params) {
    const [aval] = softmaxP.rules.abstractEval([x.aval], params);
    // The fused kernel exists for float32 on Wasm; elsewhere the composite runs its own kernels
    // (WebGPU, float64), with its temporaries freed here rather than left to the enclosing scope.
    if (x instanceof ConcreteArray && !x.isDisposed && x.dtype === "float32" && x.backend.name === "wasm") {
      const buf = x.buffer(params.op);
      const [out] = buf.backend.execute(softmaxP, params, [{ buf, aval: x.aval }], [aval]);
      return [new ConcreteArray(out, aval)];
    }
    return [tidy(() => composite(x, params))];
  },
});

export const softmax = (x: JaxArray, op: SoftmaxOp, axes: readonly number[], keepdims = false): JaxArray =>
  bind1(softmaxP, [x], { op, axes: [...axes], keepdims });

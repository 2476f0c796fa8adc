// Array methods that mirror jnp functions, installed on the shared base class of concrete arrays
// and tracers (as JAX's array_methods does), so `x.add(y)` works under every transformation.
import { DType } from "../core/dtype.js";
import { ArrayLike, JaxArray } from "../core/value.js";
import { Tracer } from "../core/trace.js";
import { scoped } from "../core/memory.js";
import * as jnp from "./numpy/index.js";
import { AtRef, getItem, Index } from "./numpy/indexing.js";
import type { ReduceOptions, VarOptions, ArgOptions } from "./numpy/reductions.js";
import type { AxisValue } from "./numpy/options.js";

declare module "../core/value.js" {
  interface JaxArray {
    add(y: ArrayLike): JaxArray;
    sub(y: ArrayLike): JaxArray;
    mul(y: ArrayLike): JaxArray;
    div(y: ArrayLike): JaxArray;
    pow(y: ArrayLike): JaxArray;
    mod(y: ArrayLike): JaxArray;
    floorDiv(y: ArrayLike): JaxArray;
    matmul(y: ArrayLike): JaxArray;
    dot(y: ArrayLike): JaxArray;
    maximum(y: ArrayLike): JaxArray;
    minimum(y: ArrayLike): JaxArray;
    eq(y: ArrayLike): JaxArray;
    ne(y: ArrayLike): JaxArray;
    lt(y: ArrayLike): JaxArray;
    le(y: ArrayLike): JaxArray;
    gt(y: ArrayLike): JaxArray;
    ge(y: ArrayLike): JaxArray;
    neg(): JaxArray;
    abs(): JaxArray;
    exp(): JaxArray;
    log(): JaxArray;
    sqrt(): JaxArray;
    square(): JaxArray;
    tanh(): JaxArray;
    sin(): JaxArray;
    cos(): JaxArray;
    sum(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    prod(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    mean(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    max(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    min(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    var(opts?: VarOptions | AxisValue, ...more: unknown[]): JaxArray;
    std(opts?: VarOptions | AxisValue, ...more: unknown[]): JaxArray;
    all(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    any(opts?: ReduceOptions | AxisValue, ...more: unknown[]): JaxArray;
    argmax(opts?: ArgOptions | number | null, ...more: unknown[]): JaxArray;
    argmin(opts?: ArgOptions | number | null, ...more: unknown[]): JaxArray;
    cumsum(opts?: { axis?: number | null } | number | null, ...more: unknown[]): JaxArray;
    cumprod(opts?: { axis?: number | null } | number | null, ...more: unknown[]): JaxArray;
    round(decimals?: number): JaxArray;
    sort(opts?: { axis?: number | null; descending?: boolean; stable?: boolean } | number | null): JaxArray;
    argsort(opts?: { axis?: number | null; descending?: boolean; stable?: boolean } | number | null): JaxArray;
    repeat(repeats: number | readonly number[] | JaxArray, axis?: number | null): JaxArray;
    diagonal(offset?: number, axis1?: number, axis2?: number): JaxArray;
    /** x.reshape([2, 3]) or numpy's x.reshape(2, 3). */
    reshape(shape: number | readonly number[], ...more: number[]): JaxArray;
    /** x.transpose([1, 0]) or numpy's x.transpose(1, 0). */
    transpose(axes?: readonly number[] | number | null, ...more: number[]): JaxArray;
    readonly T: JaxArray;
    ravel(order?: "C" | "F"): JaxArray;
    flatten(order?: "C" | "F"): JaxArray;
    squeeze(axis?: number | readonly number[]): JaxArray;
    expandDims(axis: number | readonly number[]): JaxArray;
    swapaxes(a: number, b: number): JaxArray;
    astype(dtype: DType): JaxArray;
    clip(min?: ArrayLike | null, max?: ArrayLike | null): JaxArray;
    take(indices: ArrayLike, axis?: number | null): JaxArray;
    get(...idx: Index[]): JaxArray;
    at(...idx: Index[]): AtRef;
    argpartition(kth: number, axis?: number): JaxArray;
    choose(choices: readonly ArrayLike[], mode?: "raise" | "wrap" | "clip"): JaxArray;
    compress(condition: ArrayLike, axis?: number | null): JaxArray;
    conj(): JaxArray;
    conjugate(): JaxArray;
    copy(): JaxArray;
    nonzero(opts?: { size?: number; fillValue?: number }): JaxArray[];
    searchsorted(v: ArrayLike, side?: "left" | "right", sorter?: ArrayLike): JaxArray;
    /** Properties JAX's arrays have: the real and imaginary parts (real dtypes only), the matrix transpose, byte sizes. */
    readonly real: JaxArray;
    readonly imag: JaxArray;
    readonly mT: JaxArray;
    readonly itemsize: number;
    readonly nbytes: number;
    [Symbol.iterator](): Iterator<JaxArray>;
  }
}

/** Installs the jnp-mirroring methods on JaxArray.prototype; called once by the package entry. */
export function installArrayMethods(): void {
  const p = JaxArray.prototype as any;
  const at = AtRef.prototype as any;
  for (const k of ["get", "set", "add", "multiply", "mul", "divide", "power", "min", "max"]) at[k] = scoped(at[k]);
  // Methods free their temporaries as the jnp functions do (scoped, core/memory.ts).
  const bin = (f: (a: ArrayLike, b: ArrayLike) => JaxArray) => scoped(function (this: JaxArray, y: ArrayLike) { return f(this, y); });
  // Trailing arguments pass through, so x.sum(1, null, null, true) means what jnp.sum's positional order says.
  const un = (f: (a: ArrayLike, ...o: any[]) => JaxArray) => scoped(function (this: JaxArray, ...o: any[]) { return f(this, ...o); });
  Object.assign(p, {
    add: bin(jnp.add), sub: bin(jnp.subtract), mul: bin(jnp.multiply), div: bin(jnp.divide), pow: bin(jnp.power),
    mod: bin(jnp.mod), floorDiv: bin(jnp.floorDivide), matmul: bin(jnp.matmul), dot: bin(jnp.dot),
    maximum: bin(jnp.maximum), minimum: bin(jnp.minimum), eq: bin(jnp.equal), ne: bin(jnp.notEqual),
    lt: bin(jnp.less), le: bin(jnp.lessEqual), gt: bin(jnp.greater), ge: bin(jnp.greaterEqual),
    neg: un(jnp.negative), abs: un(jnp.abs), exp: un(jnp.exp), log: un(jnp.log), sqrt: un(jnp.sqrt),
    square: un(jnp.square), tanh: un(jnp.tanh), sin: un(jnp.sin), cos: un(jnp.cos),
    sum: un(jnp.sum), prod: un(jnp.prod), mean: un(jnp.mean), max: un(jnp.max), min: un(jnp.min), var: un(jnp.var),
    std: un(jnp.std), all: un(jnp.all), any: un(jnp.any), argmax: un(jnp.argmax), argmin: un(jnp.argmin),
    cumsum: un(jnp.cumsum), cumprod: un(jnp.cumprod), ravel: un(jnp.ravel), flatten: un(jnp.ravel),
    round: un(jnp.round), sort: un(jnp.sort), argsort: un(jnp.argsort), repeat: un(jnp.repeat),
    diagonal: un(jnp.diagonal), argpartition: un(jnp.argpartition), choose: un(jnp.choose), conj: un(jnp.conj),
    conjugate: un(jnp.conj), copy: un(jnp.copy), nonzero: un(jnp.nonzero as any), searchsorted: un(jnp.searchsorted),
    compress(this: JaxArray, condition: ArrayLike, axis?: number | null) { return jnp.compress(condition, this, axis); },
    reshape(this: JaxArray, s: number | readonly number[], ...more: number[]) { return jnp.reshape(this, more.length ? [s as number, ...more] : s); },
    transpose(this: JaxArray, axes?: readonly number[] | number | null, ...more: number[]) {
      return jnp.transpose(this, typeof axes === "number" ? [axes, ...more] : axes);
    },
    squeeze(this: JaxArray, axis?: number | readonly number[]) { return jnp.squeeze(this, axis); },
    expandDims(this: JaxArray, axis: number | readonly number[]) { return jnp.expandDims(this, axis); },
    swapaxes(this: JaxArray, a: number, b: number) { return jnp.swapaxes(this, a, b); },
    astype(this: JaxArray, d: DType) { return jnp.astype(this, d); },
    clip(this: JaxArray, lo?: ArrayLike | null, hi?: ArrayLike | null) { return jnp.clip(this, lo, hi); },
    take(this: JaxArray, idx: ArrayLike, axis?: number | null) { return jnp.take(this, idx, axis); },
    get: scoped(function (this: JaxArray, ...idx: Index[]) { return getItem(this, idx); }),
    at(this: JaxArray, ...idx: Index[]) { return new AtRef(this, idx); },
    *[Symbol.iterator](this: JaxArray) {
      if (this.ndim === 0) throw new TypeError("iteration over a 0-d array");
      for (let i = 0; i < this.shape[0]; i++) yield getItem(this, [i]);
    },
  });
  const getters: Record<string, (this: JaxArray) => unknown> = {
    T() { return jnp.transpose(this); },
    mT() { return jnp.matrixTranspose(this); },
    real() { return jnp.real(this); },
    imag() { return jnp.imag(this); },
    itemsize() { return this.dtype === "bool" ? 1 : this.dtype === "float64" ? 8 : 4; },
    nbytes() { return this.size * (this.dtype === "bool" ? 1 : this.dtype === "float64" ? 8 : 4); },
  };
  for (const [k, get] of Object.entries(getters)) Object.defineProperty(p, k, { get, configurable: true });
  // Using a tracer as a JS number or boolean is a concretization error, with JAX's advice.
  const tp = Tracer.prototype as any;
  tp[Symbol.toPrimitive] = function (this: Tracer, hint: string) {
    if (hint === "string") return this.toString();
    return this.concretizationError("converting to a JS number or boolean (e.g. `if (x > 0)`, `+x`)");
  };
}

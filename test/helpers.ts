// Shared test utilities: deterministic random inputs and closeness checks.
import { jnp, random, Array as JArray } from "../src/index.js";

/** A small deterministic generator (LCG) so failures reproduce. */
export function rng(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function randArray(shape: number[], lo = -1, hi = 1, dtype: "float32" | "float64" = "float64", seed = 1): JArray {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const C = dtype === "float64" ? Float64Array : Float32Array;
  const d = new C(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * r();
  return jnp.array(d, { shape, dtype });
}

export function toNumbers(x: JArray): number[] {
  return Array.from(x.dataSync() as ArrayLike<number>);
}

export function maxRelErr(got: number[], want: number[]): number {
  let e = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (!(d <= e)) e = Number.isNaN(d) ? Infinity : d;
  }
  return e;
}

/** Runs f under one of random's key-derivation schemes, restoring the previous one. */
export function withScheme<T>(partitionable: boolean, f: () => T): T {
  const prev = random.threefryPartitionable();
  random.setThreefryPartitionable(partitionable);
  try {
    return f();
  } finally {
    random.setThreefryPartitionable(prev);
  }
}

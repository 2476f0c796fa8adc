// Data-parallel training with pmap: the batch is sharded over devices, each computes gradients on
// its shard, lax.pmean averages them, and every device applies the same update, so the replicated
// parameters stay identical. Checks against single-device training on the full batch. With the
// Wasm threads build (Node, Deno, Bun, cross-origin-isolated browser workers) each device's shard
// runs as its own program on its own thread, 4 devices over fewer threads taking turns.
import { jnp, lax, pmap, jit, grad, random, config, optax, tree, tidy, Array } from "../src/index.js";

type Params = { w: Array; b: Array };
const loss = (p: Params, x: Array, y: Array) => jnp.mean(jnp.square(jnp.subtract(jnp.add(jnp.matmul(x, p.w), p.b), y)));

export function main(opts: { devices?: number; steps?: number; log?: boolean } = {}): { maxParamDiff: number; replicaSpread: number; loss: number } {
  const nDev = opts.devices ?? 4, steps = opts.steps ?? 50, log = opts.log ?? true;
  config.update("cpuDeviceCount", nDev);
  const [k1, k2, k3] = random.split(random.key(0), 3);
  const x = random.normal(k1, [64, 8]);
  const y = jnp.add(jnp.matmul(x, random.normal(k2, [8, 1])), 0.5);
  const init: Params = { w: jnp.multiply(random.normal(k3, [8, 1]), 0.1), b: jnp.zeros([1]) };
  const opt = optax.sgd(0.05, { momentum: 0.9 });

  // Replicate params/state onto every device: a leading axis of nDev copies.
  const replicate = (t: unknown) => tree.map((a: Array) => jnp.broadcastTo(a, [nDev, ...a.shape]), t);
  const shard = (a: Array) => jnp.reshape(a, [nDev, a.shape[0] / nDev, ...a.shape.slice(1)]);

  const pstep = pmap((p: Params, s: unknown, xs: Array, ys: Array) => {
    const g = lax.pmean(grad(loss)(p, xs, ys), "devices");
    const [u, s2] = opt.update(g, s, p);
    return [optax.applyUpdates(p, u), s2, lax.pmean(loss(p, xs, ys), "devices")];
  }, { axisName: "devices" });
  const step = jit((p: Params, s: unknown) => {
    const [u, s2] = opt.update(grad(loss)(p, x, y), s, p);
    return [optax.applyUpdates(p, u), s2];
  });

  let pp = replicate(init) as Params, ps = replicate(opt.init(init));
  let sp: Params = init, ss = opt.init(init);
  let l = 0;
  const xs = shard(x), ys = shard(y);
  for (let i = 0; i < steps; i++) {
    [pp, ps, l] = tidy(() => {
      const [p2, s2, lv] = pstep(pp, ps, xs, ys) as [Params, unknown, Array];
      return [p2, s2, lv.get(0).item() as number];
    }) as [Params, unknown, number];
    [sp, ss] = step(sp, ss) as [Params, unknown];
    if (log && i % 10 === 0) console.log(`pmap step ${i}: loss ${l.toFixed(5)} on ${nDev} devices`);
  }
  const diff = (a: Array, b: Array) => jnp.max(jnp.abs(jnp.subtract(a, b))).item() as number;
  const maxParamDiff = Math.max(diff(pp.w.get(0), sp.w), diff(pp.b.get(0), sp.b));
  const replicaSpread = Math.max(diff(jnp.max(pp.w, { axis: 0 }), jnp.min(pp.w, { axis: 0 })), diff(jnp.max(pp.b, { axis: 0 }), jnp.min(pp.b, { axis: 0 })));
  if (log) console.log(`max |pmap params - single-device params| = ${maxParamDiff.toExponential(2)}; replicas differ by ${replicaSpread}`);
  return { maxParamDiff, replicaSpread, loss: l };
}

if (import.meta.url === `file://${process.argv[1]}`) main();

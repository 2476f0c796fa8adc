// Linear regression as JAX's tutorials teach it: noisy points on a line made with random.split,
// a two-parameter model, MSE, jit(valueAndGrad(loss)), plain SGD with tree.map, then optax.adam.
import { jnp, random, jit, valueAndGrad, tree, optax, tidy, Array } from "../src/index.js";

type Params = { w: Array; b: Array };

export function main(opts: { steps?: number; log?: boolean } = {}): { sgdLoss: number; adamLoss: number; params: Params } {
  const steps = opts.steps ?? 100, log = opts.log ?? true;
  const t0 = performance.now();
  const [kx, kn] = random.split(random.key(0));
  const xs = random.normal(kx, [101]);
  const noise = random.normal(kn, [101]);
  const ys = jnp.add(jnp.multiply(xs, 3), jnp.add(-1, jnp.multiply(noise, 0.1)));

  const model = (p: Params, x: Array) => jnp.add(jnp.multiply(p.w, x), p.b);
  const loss = (p: Params, x: Array, y: Array) => jnp.mean(jnp.square(jnp.subtract(model(p, x), y)));
  const lossAndGrad = jit(valueAndGrad(loss));

  let params: Params = { w: jnp.zeros([]), b: jnp.zeros([]) };
  let l = 0;
  for (let step = 0; step < steps; step++) {
    params = tidy(() => {
      const [value, grads] = lossAndGrad(params, xs, ys);
      l = value.item() as number;
      if (log && step % 20 === 0) console.log(`sgd  step ${step}: loss ${l.toFixed(5)} (${(performance.now() - t0).toFixed(0)} ms)`);
      return tree.map((p: Array, g: Array) => jnp.subtract(p, jnp.multiply(0.1, g)), params, grads);
    });
  }
  const sgdLoss = l;

  const opt = optax.adam(0.1);
  let p2: Params = { w: jnp.zeros([]), b: jnp.zeros([]) };
  let state = opt.init(p2);
  for (let step = 0; step < steps; step++) {
    [p2, state] = tidy(() => {
      const [value, grads] = lossAndGrad(p2, xs, ys);
      l = value.item() as number;
      if (log && step % 20 === 0) console.log(`adam step ${step}: loss ${l.toFixed(5)} (${(performance.now() - t0).toFixed(0)} ms)`);
      const [updates, s] = opt.update(grads, state, p2);
      return [optax.applyUpdates(p2, updates), s];
    });
  }
  if (log) console.log(`fit: w=${(params.w.item() as number).toFixed(3)} b=${(params.b.item() as number).toFixed(3)} (true 3, -1)`);
  return { sgdLoss, adamLoss: l, params };
}

if (import.meta.url === `file://${process.argv[1]}`) main();

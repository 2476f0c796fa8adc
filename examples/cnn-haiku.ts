// A small CNN (Conv -> relu -> avgPool -> Dense) written with haiku, trained on MNIST digits with
// optax.adam in a jitted step; reports test accuracy.
import { jnp, haiku as hk, linen, optax, random, jit, valueAndGrad, tidy, Array } from "../src/index.js";
import { loadDigits, shuffled } from "./data/digits.js";

function net(x: Array): Array {
  let h = new hk.Conv2D({ outputChannels: 16, kernelShape: 3, padding: "SAME" }).call(x);
  h = linen.relu(h);
  h = linen.avgPool(h, [2, 2], { strides: [2, 2] });
  h = new hk.Conv2D({ outputChannels: 16, kernelShape: 3, padding: "SAME" }).call(h);
  h = linen.relu(h);
  h = linen.avgPool(h, [2, 2], { strides: [2, 2] });
  return new hk.Linear(10).call(jnp.reshape(h, [h.shape[0], -1]));
}

export function main(opts: { steps?: number; batch?: number; log?: boolean } = {}): { accuracy: number; loss: number } {
  const steps = opts.steps ?? 500, batchSize = opts.batch ?? 64, log = opts.log ?? true;
  const t0 = performance.now();
  const data = loadDigits();
  const model = hk.withoutApplyRng(hk.transform(net));
  let params = model.init(random.key(42), data.xTrain.get("0:1"));
  const opt = optax.adam(3e-3);
  let optState = opt.init(params);
  const step = jit((p: typeof params, s: unknown, x: Array, y: Array) => {
    const loss = (q: typeof params) => jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(model.apply(q, x), y));
    const [l, g] = valueAndGrad(loss)(p);
    const [u, s2] = opt.update(g, s, p);
    return [optax.applyUpdates(p, u), s2, l];
  });
  const n = data.yTrain.shape[0];
  let order = shuffled(n, 7), loss = 0;
  for (let i = 0, at = 0; i < steps; i++, at += batchSize) {
    if (at + batchSize > n) { order = shuffled(n, i); at = 0; }
    const idx = jnp.array(order.subarray(at, at + batchSize));
    [params, optState, loss] = tidy(() => {
      const [p, s, l] = step(params, optState, data.xTrain.get(idx), data.yTrain.get(idx)) as [typeof params, unknown, Array];
      return [p, s, l.item() as number];
    }) as [typeof params, unknown, number];
    idx.dispose();
    if (log && i % 50 === 0) console.log(`cnn step ${i}: loss ${loss.toFixed(4)} (${(performance.now() - t0).toFixed(0)} ms)`);
  }
  const accuracy = tidy(() => {
    let correct = 0;
    const m = data.yTest.shape[0];
    for (let at = 0; at < m; at += 500) {
      const logits = model.apply(params, data.xTest.get(`${at}:${at + 500}`));
      correct += jnp.sum(jnp.equal(jnp.argmax(logits, { axis: -1 }), data.yTest.get(`${at}:${at + 500}`))).item() as number;
    }
    return correct / m;
  });
  if (log) console.log(`cnn test accuracy: ${(accuracy * 100).toFixed(1)}% (${(performance.now() - t0).toFixed(0)} ms)`);
  return { accuracy, loss };
}

if (import.meta.url === `file://${process.argv[1]}`) main();

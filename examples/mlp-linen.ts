// An MLP digit classifier with linen modules and a TrainState, trained with a jitted step.
import { jnp, linen as nn, optax, random, jit, valueAndGrad, tidy, Array } from "../src/index.js";
import { loadDigits, shuffled } from "./data/digits.js";

class MLP extends nn.Module {
  call(x: Array): Array {
    let h = jnp.reshape(x, [x.shape[0], -1]);
    h = nn.relu(new nn.Dense({ features: 128 }).call(h));
    return new nn.Dense({ features: 10 }).call(h);
  }
}

export function main(opts: { steps?: number; batch?: number; log?: boolean } = {}): { accuracy: number; loss: number } {
  const steps = opts.steps ?? 600, batchSize = opts.batch ?? 128, log = opts.log ?? true;
  const t0 = performance.now();
  const data = loadDigits();
  const model = new MLP();
  const params = model.init(random.key(0), data.xTrain.get("0:1")).params;
  let state = nn.TrainState.create({ applyFn: model.apply, params, tx: optax.adam(1e-3) });

  const trainStep = jit((s: nn.TrainState, x: Array, y: Array) => {
    const lossFn = (p: unknown) => jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(s.applyFn({ params: p }, x), y));
    const [loss, grads] = valueAndGrad(lossFn)(s.params);
    return [s.applyGradients({ grads }), loss];
  });
  const n = data.yTrain.shape[0];
  let loss = 0;
  let order = shuffled(n, 1);
  for (let step = 0, at = 0; step < steps; step++, at += batchSize) {
    if (at + batchSize > n) { order = shuffled(n, step + 2); at = 0; }
    const idx = jnp.array(order.subarray(at, at + batchSize));
    [state, loss] = tidy(() => {
      const [s, l] = trainStep(state, data.xTrain.get(idx), data.yTrain.get(idx)) as [nn.TrainState, Array];
      return [s, l.item() as number];
    }) as [nn.TrainState, number];
    idx.dispose();
    if (log && step % 100 === 0) console.log(`mlp step ${step}: loss ${loss.toFixed(4)} (${(performance.now() - t0).toFixed(0)} ms)`);
  }
  const accuracy = tidy(() => {
    const logits = model.apply({ params: state.params }, data.xTest) as Array;
    return jnp.mean(jnp.equal(jnp.argmax(logits, { axis: -1 }), data.yTest).astype("float32")).item() as number;
  });
  if (log) console.log(`mlp test accuracy: ${(accuracy * 100).toFixed(1)}% (${(performance.now() - t0).toFixed(0)} ms)`);
  return { accuracy, loss };
}

if (import.meta.url === `file://${process.argv[1]}`) main();

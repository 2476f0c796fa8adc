// One model with BatchNorm state, written twice: haiku's transformWithState and linen's mutable
// batch_stats. Both train on MNIST digits; the running statistics move as they train.
import { jnp, haiku as hk, linen, optax, random, jit, valueAndGrad, tidy, Array } from "../src/index.js";
import { loadDigits, shuffled } from "./data/digits.js";

export function haikuMain(opts: { steps?: number; log?: boolean } = {}): { firstLoss: number; lastLoss: number; accuracy: number } {
  const steps = opts.steps ?? 200, log = opts.log ?? true;
  const data = loadDigits({ perClassTrain: 300, perClassTest: 100 });
  const fn = (x: Array, training: boolean) => {
    let h = new hk.Linear(64).call(jnp.reshape(x, [x.shape[0], -1]));
    h = new hk.BatchNorm({ createScale: true, createOffset: true, decayRate: 0.9 }).call(h, training);
    return new hk.Linear(10).call(linen.relu(h));
  };
  const model = hk.transformWithState(fn);
  let [params, state] = model.init(random.key(0), data.xTrain.get("0:8"), true);
  const opt = optax.adam(1e-2);
  let optState = opt.init(params);
  const step = jit((p: any, s: any, o: any, x: Array, y: Array) => {
    const lossFn = (q: any) => {
      const [logits, s2] = model.apply(q, s, null, x, true);
      return [jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(logits, y)), s2];
    };
    const [[l, s2], g] = valueAndGrad(lossFn, { hasAux: true })(p);
    const [u, o2] = opt.update(g, o, p);
    return [optax.applyUpdates(p, u), s2, o2, l];
  });
  const n = data.yTrain.shape[0];
  let firstLoss = NaN, lastLoss = NaN;
  const order = shuffled(n, 3);
  for (let i = 0; i < steps; i++) {
    const at = (i * 64) % (n - 64);
    const idx = jnp.array(order.subarray(at, at + 64));
    [params, state, optState, lastLoss] = tidy(() => {
      const [p, s, o, l] = step(params, state, optState, data.xTrain.get(idx), data.yTrain.get(idx)) as any[];
      return [p, s, o, l.item()];
    }) as any[];
    if (i === 0) firstLoss = lastLoss;
    if (log && i % 50 === 0) console.log(`haiku batchnorm step ${i}: loss ${lastLoss.toFixed(4)}`);
  }
  const [logits] = model.apply(params, state, null, data.xTest, false);
  const accuracy = jnp.mean(jnp.equal(jnp.argmax(logits, { axis: -1 }), data.yTest).astype("float32")).item() as number;
  if (log) console.log(`haiku batchnorm test accuracy ${(accuracy * 100).toFixed(1)}%`);
  return { firstLoss, lastLoss, accuracy };
}

class Net extends linen.Module {
  call(x: Array, train: boolean): Array {
    let h = new linen.Dense({ features: 64 }).call(jnp.reshape(x, [x.shape[0], -1]));
    h = new linen.BatchNorm({ momentum: 0.9 }).call(h, { useRunningAverage: !train });
    return new linen.Dense({ features: 10 }).call(linen.relu(h));
  }
}

export function linenMain(opts: { steps?: number; log?: boolean } = {}): { firstLoss: number; lastLoss: number; accuracy: number } {
  const steps = opts.steps ?? 200, log = opts.log ?? true;
  const data = loadDigits({ perClassTrain: 300, perClassTest: 100 });
  const model = new Net();
  const variables = model.init(random.key(0), data.xTrain.get("0:8"), false);
  let state = linen.TrainState.create({ applyFn: model.apply, params: variables.params, tx: optax.adam(1e-2) });
  let batchStats = variables.batch_stats;
  const step = jit((s: linen.TrainState, stats: any, x: Array, y: Array) => {
    const lossFn = (p: any) => {
      const [logits, updated] = s.applyFn({ params: p, batch_stats: stats }, x, true, { mutable: ["batch_stats"] });
      return [jnp.mean(optax.softmaxCrossEntropyWithIntegerLabels(logits, y)), updated.batch_stats];
    };
    const [[l, newStats], g] = valueAndGrad(lossFn, { hasAux: true })(s.params);
    return [s.applyGradients({ grads: g }), newStats, l];
  });
  const n = data.yTrain.shape[0];
  let firstLoss = NaN, lastLoss = NaN;
  const order = shuffled(n, 5);
  for (let i = 0; i < steps; i++) {
    const at = (i * 64) % (n - 64);
    const idx = jnp.array(order.subarray(at, at + 64));
    [state, batchStats, lastLoss] = tidy(() => {
      const [s, b, l] = step(state, batchStats, data.xTrain.get(idx), data.yTrain.get(idx)) as any[];
      return [s, b, l.item()];
    }) as any[];
    if (i === 0) firstLoss = lastLoss;
    if (log && i % 50 === 0) console.log(`linen batchnorm step ${i}: loss ${lastLoss.toFixed(4)}`);
  }
  const logits = model.apply({ params: state.params, batch_stats: batchStats }, data.xTest, false) as Array;
  const accuracy = jnp.mean(jnp.equal(jnp.argmax(logits, { axis: -1 }), data.yTest).astype("float32")).item() as number;
  if (log) console.log(`linen batchnorm test accuracy ${(accuracy * 100).toFixed(1)}%`);
  return { firstLoss, lastLoss, accuracy };
}

if (import.meta.url === `file://${process.argv[1]}`) { haikuMain(); linenMain(); }

import { test } from "uvu";
import * as assert from "uvu/assert";
import { main as linreg } from "../examples/linear-regression.js";
import { main as mlp } from "../examples/mlp-linen.js";
import { haikuMain, linenMain } from "../examples/batchnorm.js";

test("linear regression (JAX tutorial): SGD and Adam recover the line", () => {
  const r = linreg({ log: false });
  assert.ok(r.sgdLoss < 0.02, `sgd loss ${r.sgdLoss}`);
  assert.ok(r.adamLoss < 0.05, `adam loss ${r.adamLoss}`);
  assert.ok(Math.abs((r.params.w.item() as number) - 3) < 0.05 && Math.abs((r.params.b.item() as number) + 1) < 0.05);
});

test("linen MLP with TrainState classifies MNIST digits", () => {
  const r = mlp({ log: false });
  assert.ok(r.accuracy > 0.9, `accuracy ${r.accuracy}`);
});

test("BatchNorm state through haiku.transformWithState and linen mutable", () => {
  for (const run of [haikuMain, linenMain]) {
    const r = run({ steps: 150, log: false });
    assert.ok(r.lastLoss < r.firstLoss / 4, `loss ${r.firstLoss} -> ${r.lastLoss}`);
    assert.ok(r.accuracy > 0.85, `accuracy ${r.accuracy}`);
  }
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { main as cnn } from "../examples/cnn-haiku.js";

test("haiku CNN (Conv -> relu -> avgPool -> Dense) passes 95% on MNIST digits", () => {
  const r = cnn({ log: false });
  assert.ok(r.accuracy >= 0.95, `test accuracy ${r.accuracy}`);
});

test.run();

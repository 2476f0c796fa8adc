import { test } from "uvu";
import * as assert from "uvu/assert";
import "../src/index.js";
import { allPrimitives } from "../src/primitives/index.js";

// Primitives with no derivative by design: integer/bool outputs and index computations get zero
// tangents through their rule, so none belong here; these lack a JVP for a stated reason.
const noJvp = new Set(["iota", "cummax", "cummin", "reduce_and", "reduce_or"]);
const linear = new Set(["add", "sub", "neg", "mul", "div", "select_n", "convert_element_type", "broadcast_in_dim", "reduce_sum",
  "reshape", "transpose", "rev", "slice", "pad", "concatenate", "cumsum", "gather", "scatter", "dot_general", "conv_general_dilated"]);

test("every primitive has a shape rule, a reference implementation and a batching rule", () => {
  const prims = allPrimitives();
  assert.ok(prims.length > 60, `only ${prims.length} primitives found`);
  const missingBatch = prims.filter((p) => !p.rules.batch && p.name !== "iota").map((p) => p.name);
  assert.equal(missingBatch, [], `missing batching rules: ${missingBatch}`);
  for (const p of prims) {
    assert.type(p.rules.abstractEval, "function", p.name);
    assert.type(p.rules.reference, "function", p.name);
  }
});

test("every differentiable primitive has a JVP, every linear one a transpose", () => {
  const prims = allPrimitives();
  const missingJvp = prims.filter((p) => !p.rules.jvp && !noJvp.has(p.name)).map((p) => p.name);
  assert.equal(missingJvp, [], `missing JVP rules: ${missingJvp}`);
  const missingT = prims.filter((p) => linear.has(p.name) && !p.rules.transpose).map((p) => p.name);
  assert.equal(missingT, [], `missing transpose rules: ${missingT}`);
});

test.run();

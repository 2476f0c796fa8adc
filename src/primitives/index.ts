// Every primitive, for the generic suites that check each one has its rules.
import { Primitive } from "../core/primitive.js";
import * as arith from "./arith.js";
import * as indexing from "./indexing.js";
import * as layout from "./layout.js";
import * as linalg from "./linalg.js";
import * as math from "./math.js";
import * as reduce from "./reduce.js";
import * as structural from "./structural.js";
import * as prng from "./prng.js";
import * as sort from "./sort.js";
import * as decomp from "./linalg-decomp.js";
import * as factor from "./linalg-factor.js";
import * as softmax from "./softmax.js";
import * as conv from "./conv.js";

export function allPrimitives(): Primitive[] {
  const seen = new Set<Primitive>();
  for (const mod of [arith, indexing, layout, linalg, math, reduce, structural, prng, sort, decomp, factor, softmax, conv]) {
    for (const v of Object.values(mod)) if (v instanceof Primitive) seen.add(v);
  }
  return [...seen];
}

// jax.tree's reduce, all, transpose, broadcast and key paths (jax.tree_util's DictKey/SequenceKey).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tree, jnp, ValueError } from "../src/index.js";

test("reduce and reduceAssociative follow functools.reduce / _parallel_reduce", () => {
  assert.is(tree.reduce((a: number, b: number) => a + b, [1, [2, 3], [4, 5, 6]]), 21); // JAX's doctest
  assert.is(tree.reduce((a: number, b: number) => a + b, { x: 1, y: [2] }, 10), 13);
  assert.is(tree.reduce((a: string, b: string) => a + b, { b: "2", a: "1", c: ["3", "4"] }), "1234"); // sorted keys
  assert.throws(() => tree.reduce((a: number, b: number) => a + b, []), (e: Error) => e instanceof TypeError);
  assert.is(tree.reduce((a: number, b: number) => a + b, [], 0), 0);
  assert.is(tree.reduce((a: number, b: any) => a + (Array.isArray(b) ? 100 : b), [1, [2, 3], 4], 0, { isLeaf: (x: unknown) => Array.isArray(x) && x.length === 2 }), 105);
  assert.is(tree.reduceAssociative((a: number, b: number) => a + b, [1, [2, 3], [4, 5, 6]]), 21);
  assert.is(tree.reduceAssociative((a: string, b: string) => `(${a}${b})`, ["a", "b", "c"]), "(a(bc))"); // halves: [a] | [b, c]
  assert.throws(() => tree.reduceAssociative((a: number, b: number) => a + b, []), (e: Error) => e instanceof TypeError);
  assert.is(tree.reduceAssociative((a: number, b: number) => a + b, [], { identity: 0 }), 0);
});

test("all", () => {
  assert.is(tree.all([true, { a: 1 }]), true);
  assert.is(tree.all([true, { a: 0 }]), false);
  assert.is(tree.all([]), true);
  assert.is(tree.all([jnp.array(true), jnp.array(false, { dtype: "bool" })]), false);
});

test("transpose swaps outer and inner structures", () => {
  const t = [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }];
  const out = tree.transpose(tree.structure([0, 0, 0]), tree.structure({ a: 0, b: 0 }), t);
  assert.equal(out, { a: [1, 3, 5], b: [2, 4, 6] });
  assert.equal(tree.transpose(tree.structure([0, 0, 0]), null, t), out); // inner inferred
  assert.throws(() => tree.transpose(tree.structure([0, 0]), tree.structure({ a: 0, b: 0 }), [{ a: 1, b: 2 }, { a: 1 }]), (e: Error) => e instanceof ValueError);
});

test("broadcast a prefix tree over a full tree", () => {
  assert.equal(tree.broadcast([1, 2], [[0, 0, 0], { x: 0, y: [0, 0] }]), [[1, 1, 1], { x: 2, y: [2, 2] }]);
  assert.equal(tree.broadcast(7, { a: [0, 0] }), { a: [7, 7] });
  assert.throws(() => tree.broadcast([1, 2, 3], [[0], [0]]), (e: Error) => e instanceof ValueError);
});

test("key paths: flattenWithPath, leavesWithPath, mapWithPath, keystr (JAX's docstring example)", () => {
  const params = { foo: { bar: { baz: 1, bat: [2, 3] } } };
  const lp = tree.leavesWithPath(params);
  assert.equal(lp.map(([p]) => tree.keystr(p)), ["['foo']['bar']['bat'][0]", "['foo']['bar']['bat'][1]", "['foo']['bar']['baz']"]);
  assert.equal(lp.map(([p]) => tree.keystr(p, { simple: true, separator: "/" })), ["foo/bar/bat/0", "foo/bar/bat/1", "foo/bar/baz"]);
  assert.equal(lp.map(([, l]) => l), [2, 3, 1]);
  const [pl, def] = tree.flattenWithPath([1, { k: 2 }]);
  assert.ok(pl[0][0][0] instanceof tree.SequenceKey && (pl[0][0][0] as any).idx === 0);
  assert.ok(pl[1][0][1] instanceof tree.DictKey && (pl[1][0][1] as any).key === "k");
  assert.equal(tree.unflatten(def, pl.map(([, l]) => l)), [1, { k: 2 }]);
  const m = tree.mapWithPath((p: any[], x: number, y: number) => `${tree.keystr(p)}=${x + y}`, { a: [1, 2], b: 3 }, { a: [10, 20], b: 30 });
  assert.equal(m, { a: ["['a'][0]=11", "['a'][1]=22"], b: "['b']=33" });
  assert.is(String(new tree.DictKey("it's")), `["it's"]`);
  class Pair { constructor(public x: unknown, public y: unknown) {} }
  tree.registerNode(Pair, (p) => [[p.x, p.y], null], (_a, [x, y]) => new Pair(x, y));
  assert.equal(tree.leavesWithPath([new Pair(1, 2)]).map(([p]) => tree.keystr(p)), ["[0][<flat index 0>]", "[0][<flat index 1>]"]);
});

test.run();

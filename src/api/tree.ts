// jax.tree: pytree utilities.
import { ValueError } from "../core/errors.js";
import { isPlainObject } from "../core/transform-args.js";
import { flatten as flat, flattenUpTo, registerNode as register, TreeDef, treeDefEqual, treeDefString, unflatten as unflat } from "../core/pytree.js";

export type { TreeDef };

type IsLeaf = (x: unknown) => boolean;
type IsLeafArg = IsLeaf | { isLeaf?: IsLeaf } | null | undefined;

/** `{ isLeaf }`: the keyword-argument form (JAX's is_leaf=...). */
const isLeafOptions = (v: unknown): v is { isLeaf?: IsLeaf } =>
  isPlainObject(v) && Object.keys(v).length === 1 && "isLeaf" in v && (typeof (v as any).isLeaf === "function" || (v as any).isLeaf === undefined);

function isLeafArg(op: string, v: IsLeafArg): IsLeaf | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "function") return v;
  if (isLeafOptions(v)) return v.isLeaf;
  throw new ValueError(`tree.${op}: the argument after the tree is isLeaf (a function) or { isLeaf }, but got ${typeof v}.`);
}

/** [leaves, treedef] of a pytree. */
export function flatten(tree: unknown, isLeaf?: IsLeafArg): [unknown[], TreeDef] {
  return flat(tree, isLeafArg("flatten", isLeaf));
}
export function unflatten(treedef: TreeDef, leaves: readonly unknown[]): any {
  return unflat(treedef, leaves);
}
export function leaves(tree: unknown, isLeaf?: IsLeafArg): any[] {
  return flat(tree, isLeafArg("leaves", isLeaf))[0];
}
export function structure(tree: unknown, isLeaf?: IsLeafArg): TreeDef {
  return flat(tree, isLeafArg("structure", isLeaf))[1];
}

/**
 * Applies f leaf-wise to one or more trees. As in jax.tree.map, the first tree's structure must be
 * a prefix of each other tree's: where the first has a leaf, f gets the others' whole subtrees.
 * A last argument `{ isLeaf }` is JAX's is_leaf keyword: nodes it accepts count as leaves.
 */
export function map(f: (...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const isLeaf = rest.length && isLeafOptions(rest[rest.length - 1]) ? (rest.pop() as { isLeaf?: IsLeaf }).isLeaf : undefined;
  const [ls, def] = flat(tree, isLeaf);
  const others = rest.map((t) => flattenUpTo(def, t, "tree.map"));
  return unflat(def, ls.map((l, i) => f(l, ...others.map((o) => o[i]))));
}

export const registerNode = register;
export const toString = treeDefString;
export const allLeaves = leaves;

// ---------------------------------------------------------------------------------------------
// reductions, transpose, broadcast and key paths

/** functools.reduce(fn, leaves[, initializer]); an empty tree without initializer is a TypeError as in Python. */
export function reduce<T>(fn: (acc: T, leaf: any) => T, tree: unknown, ...rest: unknown[]): T {
  const isLeaf = rest.length && isLeafOptions(rest[rest.length - 1]) ? (rest.pop() as { isLeaf?: IsLeaf }).isLeaf : undefined;
  const ls = flat(tree, isLeaf ?? (rest.length > 1 ? isLeafArg("reduce", rest[1] as IsLeafArg) : undefined))[0];
  if (rest.length === 0 || rest[0] === undefined) {
    if (!ls.length) throw new TypeError("tree.reduce: reduce() of an empty tree with no initial value; pass an initializer.");
    return ls.slice(1).reduce((a, l) => fn(a as T, l), ls[0]) as T;
  }
  return ls.reduce((a, l) => fn(a as T, l), rest[0] as T) as T;
}

/** Reduces with an associative operation in a balanced tree (halves, as JAX's _parallel_reduce). */
export function reduceAssociative<T>(op: (a: T, b: T) => T, tree: unknown, options: { identity?: T; isLeaf?: IsLeaf } = {}): T {
  const go = (xs: any[]): T => {
    if (!xs.length) {
      if (!("identity" in options)) throw new TypeError("tree.reduceAssociative: must specify identity for parallel reduction of an empty tree.");
      return options.identity as T;
    }
    if (xs.length === 1) return xs[0];
    const h = xs.length >> 1;
    return op(go(xs.slice(0, h)), go(xs.slice(h)));
  };
  return go(flat(tree, options.isLeaf)[0]);
}

/** True when every leaf is truthy (Python's all(); an Array leaf counts by its single value). */
export function all(tree: unknown, options?: { isLeaf?: IsLeaf }): boolean {
  return flat(tree, options?.isLeaf)[0].every((l: any) => (l instanceof Object && typeof l.item === "function" ? !!l.item() : !!l));
}

/** Turns a tree with outer structure of inner structures into an inner tree of outer trees. */
export function transpose(outerTreedef: TreeDef, innerTreedef: TreeDef | null | undefined, tree: unknown): any {
  const subtrees = flattenUpTo(outerTreedef, tree, "tree.transpose");
  const inner = innerTreedef ?? (subtrees.length ? flat(subtrees[0])[1] : null);
  if (!inner) throw new ValueError("tree.transpose: innerTreedef is required when the outer tree has no leaves.");
  const rows = subtrees.map((s) => {
    const [ls, d] = flat(s);
    if (!treeDefEqual(d, inner)) throw new ValueError(`tree.transpose: mismatch: expected inner structure ${treeDefString(inner)} but got ${treeDefString(d)}.`);
    return ls;
  });
  return unflat(inner, Array.from({ length: inner.numLeaves }, (_, j) => unflat(outerTreedef, rows.map((r) => r[j]))));
}

/** A tree of full_tree's structure holding, at each leaf, the prefix tree's leaf above it. */
export function broadcast(prefixTree: unknown, fullTree: unknown, isLeaf?: IsLeafArg): any {
  const [pls, pdef] = flat(prefixTree, isLeafArg("broadcast", isLeaf));
  const subs = flattenUpTo(pdef, fullTree, "tree.broadcast");
  return unflat(flat(fullTree)[1], subs.flatMap((s, i) => Array(flat(s)[0].length).fill(pls[i])));
}

// Key paths as in jax.tree_util: an array index is a SequenceKey, an object key a DictKey (objects
// flatten in sorted key order, like Python dicts), a registered class's children FlattenedIndexKeys.
// str() is JAX's: "[0]", "['a']" (the key as Python's repr writes a str), "[<flat index 0>]".
const pyRepr = (k: string) => (k.includes("'") && !k.includes('"') ? `"${k}"` : `'${k.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`);
export class SequenceKey { constructor(readonly idx: number) {} toString() { return `[${this.idx}]`; } }
export class DictKey { constructor(readonly key: string) {} toString() { return `[${pyRepr(this.key)}]`; } }
export class FlattenedIndexKey { constructor(readonly key: number) {} toString() { return `[<flat index ${this.key}>]`; } }
export type KeyEntry = SequenceKey | DictKey | FlattenedIndexKey;
export type KeyPath = KeyEntry[];

/** The key path of every leaf of a treedef, in leaf order. */
function paths(def: TreeDef): KeyPath[] {
  const out: KeyPath[] = [];
  const go = (d: TreeDef, p: KeyPath): void => {
    if (d.kind === "leaf") { out.push(p); return; }
    d.children.forEach((c, i) => go(c, [...p, d.kind === "array" ? new SequenceKey(i) : d.kind === "object" ? new DictKey((d.meta as string[])[i]) : new FlattenedIndexKey(i)]));
  };
  go(def, []);
  return out;
}

/** [[path, leaf], ...] and the treedef. */
export function flattenWithPath(tree: unknown, isLeaf?: IsLeafArg): [[KeyPath, any][], TreeDef] {
  const [ls, def] = flat(tree, isLeafArg("flattenWithPath", isLeaf));
  const ps = paths(def);
  return [ls.map((l, i) => [ps[i], l]), def];
}
export function leavesWithPath(tree: unknown, isLeaf?: IsLeafArg): [KeyPath, any][] {
  return flattenWithPath(tree, isLeaf)[0];
}

/** map with each leaf's key path as f's first argument (prefix rules as tree.map). */
export function mapWithPath(f: (path: KeyPath, ...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const isLeaf = rest.length && isLeafOptions(rest[rest.length - 1]) ? (rest.pop() as { isLeaf?: IsLeaf }).isLeaf : undefined;
  const [ls, def] = flat(tree, isLeaf);
  const ps = paths(def);
  const others = rest.map((t) => flattenUpTo(def, t, "tree.mapWithPath"));
  return unflat(def, ls.map((l, i) => f(ps[i], l, ...others.map((o) => o[i]))));
}

/** The path as a string: JAX's str of each entry, or with `simple` just the keys, joined by `separator`. */
export function keystr(keys: readonly unknown[], options: { simple?: boolean; separator?: string } = {}): string {
  const s = (k: any) => (options.simple && k && typeof k === "object" ? String(k.idx ?? k.key ?? k) : String(k));
  return keys.map(s).join(options.separator ?? "");
}

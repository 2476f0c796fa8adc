// jax.tree: pytree utilities.
import { ValueError } from "../core/errors.js";
import { isPlainObject } from "../core/transform-args.js";
import { flatten as flat, flattenUpTo, registerNode as register, TreeDef, treeDefString, unflatten as unflat } from "../core/pytree.js";

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

// jax.tree: pytree utilities.
import { flatten as flat, flattenUpTo, registerNode as register, TreeDef, treeDefString, unflatten as unflat } from "../core/pytree.js";

export type { TreeDef };

/** [leaves, treedef] of a pytree. */
export function flatten(tree: unknown, isLeaf?: (x: unknown) => boolean): [unknown[], TreeDef] {
  return flat(tree, isLeaf);
}
export function unflatten(treedef: TreeDef, leaves: readonly unknown[]): any {
  return unflat(treedef, leaves);
}
export function leaves(tree: unknown, isLeaf?: (x: unknown) => boolean): any[] {
  return flat(tree, isLeaf)[0];
}
export function structure(tree: unknown, isLeaf?: (x: unknown) => boolean): TreeDef {
  return flat(tree, isLeaf)[1];
}

/**
 * Applies f leaf-wise to one or more trees. As in jax.tree.map, the first tree's structure must be
 * a prefix of each other tree's: where the first has a leaf, f gets the others' whole subtrees.
 */
export function map(f: (...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const [ls, def] = flat(tree);
  const others = rest.map((t) => flattenUpTo(def, t, "tree.map"));
  return unflat(def, ls.map((l, i) => f(l, ...others.map((o) => o[i]))));
}

export const registerNode = register;
export const toString = treeDefString;
export const allLeaves = leaves;

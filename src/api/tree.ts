// jax.tree: pytree utilities.
import { ValueError } from "../core/errors.js";
import { flatten as flat, registerNode as register, TreeDef, treeDefEqual, treeDefString, unflatten as unflat } from "../core/pytree.js";

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

/** Applies f leaf-wise to one or more trees of the same structure. */
export function map(f: (...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): any {
  const [ls, def] = flat(tree);
  const others = rest.map((t, i) => {
    const [l, d] = flat(t);
    if (!treeDefEqual(d, def)) {
      throw new ValueError(`tree.map: tree ${i + 1} has structure ${treeDefString(d)} but the first tree has ${treeDefString(def)}.`);
    }
    return l;
  });
  return unflat(def, ls.map((l, i) => f(l, ...others.map((o) => o[i]))));
}

export const registerNode = register;
export const toString = treeDefString;
export const allLeaves = leaves;

import { ValueError } from "./errors.js";
import { JaxArray } from "./value.js";

/**
 * Pytrees: nested JS arrays and plain objects (keys in sorted order, as JAX sorts dict keys),
 * null/undefined as empty nodes, custom registered classes, and everything else as a leaf.
 */
export interface TreeDef {
  readonly kind: "leaf" | "array" | "object" | "none" | "custom";
  readonly children: TreeDef[];
  /** Object keys, the custom node's aux data, or the null/undefined marker. */
  readonly meta?: unknown;
  readonly nodeType?: CustomNode;
  readonly numLeaves: number;
}

interface CustomNode {
  cls: Function;
  flatten(x: any): [unknown[], unknown];
  unflatten(aux: any, children: unknown[]): unknown;
}

const customNodes = new Map<Function, CustomNode>();

export function registerNode<T>(cls: new (...a: any[]) => T, flatten: (x: T) => [unknown[], unknown], unflatten: (aux: any, children: any[]) => T): void {
  customNodes.set(cls, { cls, flatten: flatten as any, unflatten });
}

const LEAF: TreeDef = { kind: "leaf", children: [], numLeaves: 1 };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

export function flatten(tree: unknown, isLeaf?: (x: unknown) => boolean): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const def = build(tree, leaves, isLeaf);
  return [leaves, def];
}

function build(x: unknown, leaves: unknown[], isLeaf?: (x: unknown) => boolean): TreeDef {
  if (isLeaf?.(x) || x instanceof JaxArray) {
    leaves.push(x);
    return LEAF;
  }
  if (x === null || x === undefined) return { kind: "none", children: [], meta: x, numLeaves: 0 };
  if (Array.isArray(x)) {
    const children = x.map((c) => build(c, leaves, isLeaf));
    return { kind: "array", children, numLeaves: sum(children) };
  }
  const custom = typeof x === "object" ? customNodes.get((x as object).constructor) : undefined;
  if (custom) {
    const [kids, aux] = custom.flatten(x);
    const children = kids.map((c) => build(c, leaves, isLeaf));
    return { kind: "custom", children, meta: aux, nodeType: custom, numLeaves: sum(children) };
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    const children = keys.map((k) => build(x[k], leaves, isLeaf));
    return { kind: "object", children, meta: keys, numLeaves: sum(children) };
  }
  leaves.push(x);
  return LEAF;
}

function sum(defs: TreeDef[]): number {
  let n = 0;
  for (const d of defs) n += d.numLeaves;
  return n;
}

export function unflatten(def: TreeDef, leaves: readonly unknown[]): any {
  if (leaves.length !== def.numLeaves) {
    throw new ValueError(`tree.unflatten: the tree structure has ${def.numLeaves} leaves but ${leaves.length} were given.`);
  }
  let i = 0;
  const go = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf": return leaves[i++];
      case "none": return d.meta;
      case "array": return d.children.map(go);
      case "object": {
        const o: Record<string, unknown> = {};
        (d.meta as string[]).forEach((k, j) => { o[k] = go(d.children[j]); });
        return o;
      }
      case "custom": return d.nodeType!.unflatten(d.meta, d.children.map(go));
    }
  };
  return go(def);
}

export function treeDefEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind || a.children.length !== b.children.length || a.nodeType !== b.nodeType) return false;
  if (a.kind === "object" && (a.meta as string[]).join("\u0000") !== (b.meta as string[]).join("\u0000")) return false;
  if (a.kind === "custom" && JSON.stringify(a.meta) !== JSON.stringify(b.meta)) return false;
  if (a.kind === "none" && a.meta !== b.meta) return false;
  return a.children.every((c, i) => treeDefEqual(c, b.children[i]));
}

/** A printable form, e.g. `PyTreeDef({a: *, b: [*, *]})`, used in error messages and cache keys. */
export function treeDefString(d: TreeDef): string {
  const go = (d: TreeDef): string => {
    switch (d.kind) {
      case "leaf": return "*";
      case "none": return String(d.meta);
      case "array": return `[${d.children.map(go).join(", ")}]`;
      case "object": return `{${(d.meta as string[]).map((k, i) => `${k}: ${go(d.children[i])}`).join(", ")}}`;
      case "custom": return `${d.nodeType!.cls.name}[${JSON.stringify(d.meta)}](${d.children.map(go).join(", ")})`;
    }
  };
  return `PyTreeDef(${go(d)})`;
}

/**
 * The subtrees of `tree` at the leaf positions of `def` (JAX's flatten_up_to): `tree` must have
 * `def`'s nodes, and may continue below `def`'s leaves. Throws a ValueError naming where not.
 */
export function flattenUpTo(def: TreeDef, tree: unknown, op = "tree.map"): unknown[] {
  const out: unknown[] = [];
  const fail = (path: string, why: string): never => {
    throw new ValueError(`${op}: the tree does not have the first tree's structure ${treeDefString(def)} as a prefix: at ${path || "the root"}, ${why}.`);
  };
  const go = (d: TreeDef, x: unknown, path: string): void => {
    switch (d.kind) {
      case "leaf": out.push(x); return;
      case "none":
        if (x !== d.meta) fail(path, `expected ${String(d.meta)} but got ${describe(x)}`);
        return;
      case "array":
        if (!Array.isArray(x) || x.length !== d.children.length) fail(path, `expected an array of ${d.children.length} but got ${describe(x)}`);
        d.children.forEach((c, i) => go(c, (x as unknown[])[i], `${path}[${i}]`));
        return;
      case "object": {
        const keys = d.meta as string[];
        if (!isPlainObject(x) || Object.keys(x).sort().join("\u0000") !== keys.join("\u0000")) {
          fail(path, `expected an object with keys [${keys.join(", ")}] but got ${describe(x)}`);
        }
        keys.forEach((k, i) => go(d.children[i], (x as Record<string, unknown>)[k], `${path}.${k}`));
        return;
      }
      case "custom": {
        if (x === null || typeof x !== "object" || customNodes.get((x as object).constructor) !== d.nodeType) fail(path, `expected a ${d.nodeType!.cls.name} but got ${describe(x)}`);
        const [kids, aux] = d.nodeType!.flatten(x);
        if (JSON.stringify(aux) !== JSON.stringify(d.meta) || kids.length !== d.children.length) fail(path, `the ${d.nodeType!.cls.name} nodes differ`);
        d.children.forEach((c, i) => go(c, kids[i], `${path}[${i}]`));
        return;
      }
    }
  };
  go(def, tree, "");
  return out;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (x instanceof JaxArray) return "an Array (a leaf)";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isPlainObject(x)) return `an object with keys [${Object.keys(x).sort().join(", ")}]`;
  return typeof x === "object" ? `a ${(x as object).constructor?.name ?? "object"}` : `the leaf ${String(x)}`;
}

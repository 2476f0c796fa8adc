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

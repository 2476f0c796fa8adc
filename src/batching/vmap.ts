// vmap: a trace whose tracers carry a value and the position of its batch axis (or null when the
// value is the same for every example). Each primitive's batching rule says how to apply it.
import { isPlainObject, positionalOptions } from "../core/transform-args.js";
import { ShapedArray } from "../core/aval.js";
import { NotImplementedError, ShapeError, ValueError } from "../core/errors.js";
import { BatchDim, Primitive } from "../core/primitive.js";
import { flatten, TreeDef, unflatten } from "../core/pytree.js";
import { fmtShape } from "../core/shape.js";
import { bind, currentTrace, Trace, Tracer, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { asArray } from "../api/numpy/creation.js";
import { batchAtFront, moveAxis } from "../primitives/layout.js";

export class BatchTracer extends Tracer {
  constructor(trace: BatchTrace, readonly val: JaxArray, readonly bdim: BatchDim) { super(trace); }
  get aval(): ShapedArray {
    const a = this.val.aval;
    if (this.bdim === null) return a;
    return new ShapedArray(a.shape.filter((_, i) => i !== this.bdim), a.dtype, a.weakType);
  }
}

export class BatchTrace extends Trace {
  constructor(parent: Trace, description: string, readonly axisSize: number, readonly axisName: string | null = null) {
    super(parent, description);
  }

  unpack(x: JaxArray): [JaxArray, BatchDim] {
    if (this.owns(x)) return [(x as BatchTracer).val, (x as BatchTracer).bdim];
    return [x, null];
  }

  process(prim: Primitive, args: JaxArray[], params: any): JaxArray[] {
    const vals: JaxArray[] = [], dims: BatchDim[] = [];
    for (const a of args) {
      const [v, d] = this.unpack(a);
      vals.push(v);
      dims.push(d);
    }
    if (prim.rules.collective && this.axisName !== null && params.axisName === this.axisName) {
      // A collective over this vmap/pmap's named axis: it acts across the batch.
      const [outs, outDims] = withTrace(this.parent!, () => prim.rules.collective!(vals, dims, params, this.axisSize));
      return outs.map((o, i) => new BatchTracer(this, o, outDims[i]));
    }
    if (dims.every((d) => d === null)) return withTrace(this.parent!, () => bind(prim, vals, params));
    const rule = prim.rules.batch;
    if (!rule) {
      if (prim.rules.inline) return withTrace(this, () => prim.rules.inline!(args, params));
      throw new NotImplementedError(`Batching rule for '${prim.name}' not implemented (vmap). Apply the function in a loop, or file an issue.`);
    }
    const [outs, outDims] = withTrace(this.parent!, () => rule(vals, dims, params));
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]));
  }
}

export type AxisSpec = number | null | undefined | AxisTree;
interface AxisTree { [k: string]: AxisSpec }

export interface VmapOptions {
  /** Axis of each argument to map over (a number, null for not mapped, or a pytree prefix of the args). */
  inAxes?: unknown;
  /** Where the mapped axis goes in each output (a number, null, or a pytree prefix of the output). */
  outAxes?: unknown;
  /** Batch size when no argument is mapped. */
  axisSize?: number;
  /** Name of the mapped axis, for collectives inside (lax.psum(x, name), ...). */
  axisName?: string;
}

/** Broadcasts a pytree prefix of axis specs onto the leaves of `tree`. */
export function axesForLeaves(spec: unknown, tree: unknown, what: string): (number | null)[] {
  const out: (number | null)[] = [];
  const go = (s: unknown, t: unknown) => {
    if (s === null || s === undefined || typeof s === "number") {
      const [leaves] = flatten(t);
      for (let i = 0; i < leaves.length; i++) out.push(s === undefined ? null : (s as number | null));
      return;
    }
    if (Array.isArray(s)) {
      if (!Array.isArray(t) || t.length !== s.length) {
        throw new ValueError(`vmap ${what} specification must be a tree prefix of the corresponding value; got a list of length ${s.length} for ${Array.isArray(t) ? `a list of length ${t.length}` : typeof t}.`);
      }
      s.forEach((si, i) => go(si, t[i]));
      return;
    }
    if (typeof s === "object") {
      // A dict prefix names exactly the value's keys, as JAX's tree-prefix rule requires.
      const keys = isPlainObject(t) ? Object.keys(t).sort() : null;
      const skeys = Object.keys(s as object).sort();
      if (!keys || keys.join("\0") !== skeys.join("\0")) {
        throw new ValueError(`vmap ${what} specification must be a tree prefix of the corresponding value; got a dict with keys ` +
          `[${skeys.join(", ")}] for ${keys ? `a dict with keys [${keys.join(", ")}]` : Array.isArray(t) ? "a list" : typeof t}. ` +
          `Give every key an axis (null for unmapped).`);
      }
      for (const k of keys) go((s as any)[k], (t as any)[k]);
      return;
    }
    throw new ValueError(`vmap ${what}: invalid axis specification ${String(s)}.`);
  };
  go(spec, tree);
  return out;
}

/** Each leaf's key path as JAX's keystr writes it ([0]['w']). */
function leafPaths(def: TreeDef): string[] {
  const out: string[] = [];
  const go = (d: TreeDef, p: string) => {
    if (d.kind === "leaf") out.push(p);
    else if (d.kind === "object") d.children.forEach((c, i) => go(c, `${p}['${(d.meta as string[])[i]}']`));
    else d.children.forEach((c, i) => go(c, `${p}[${i}]`));
  };
  go(def, "");
  return out;
}

/** JAX's report of mismatched mapped sizes: the most common size first, one example each. */
function inconsistentSizes(sizes: { size: number; axis: number; i: number }[], arrays: JaxArray[], paths: string[], given?: number): string {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s.size, (counts.get(s.size) ?? 0) + 1);
  const order = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const lines = given === undefined ? [] : [`  * the \`axisSize\` argument was ${given};`];
  order.forEach(([sz, ct], k) => {
    const ex = sizes.find((s) => s.size === sz)!;
    const where = `axis ${ex.axis} of args${paths[ex.i]} of type ${arrays[ex.i].aval.dtype}[${arrays[ex.i].shape.join(",")}]`;
    lines.push(ct === 1 ? `  * one axis had size ${sz}: ${where};`
      : `  * ${k === 0 ? "most" : "some"} axes (${ct} of them) had size ${sz}, e.g. ${where};`);
  });
  return `vmap got inconsistent sizes for array axes to be mapped:\n${lines.join("\n").slice(0, -1)}`;
}

/** vmap(f, { inAxes, outAxes }) maps f over an axis of its arguments by batching rules, not a loop. */
export function vmap<F extends (...args: any[]) => any>(f: F, ...options: [VmapOptions?] | [inAxes?: unknown, outAxes?: unknown]): (...args: Parameters<F>) => ReturnType<F> {
  // JAX's in_axes may itself be an object (a pytree prefix of dict arguments): only an object of
  // option names is taken as the options.
  const opts = positionalOptions<VmapOptions>("vmap", options, ["inAxes", "outAxes"],
    (v) => isPlainObject(v) && Object.keys(v).every((k) => ["inAxes", "outAxes", "axisName", "axisSize"].includes(k)));
  const name = f.name || "<anonymous>";
  return ((...args: unknown[]) => {
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
    const spec = typeof inAxes === "number" || inAxes === null ? args.map(() => inAxes) : inAxes;
    if (Array.isArray(spec) && spec.length !== args.length) {
      throw new ValueError(`vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=${spec.length}, len(args)=${args.length}.`);
    }
    const [leaves, def] = flatten(args);
    const arrays = leaves.map((l) => asArray(l as any));
    const axes = axesForLeaves(spec, args, "in_axes");
    const sizes: { size: number; axis: number; i: number }[] = [];
    const norm = arrays.map((a, i) => {
      const ax = axes[i];
      if (ax === null) return null;
      if (ax < -a.ndim || ax >= a.ndim) {
        throw new ShapeError(`vmap was requested to map its argument along axis ${ax}, which implies that its rank should be at least ${ax < 0 ? -ax : ax + 1}, but is only ${a.ndim} (its shape is ${fmtShape(a.shape)}).`);
      }
      const d = ax < 0 ? ax + a.ndim : ax;
      sizes.push({ size: a.shape[d], axis: d, i });
      return d;
    });
    const distinct = new Set(sizes.map((s) => s.size));
    const given = opts.axisSize;
    if (distinct.size > 1 || (given !== undefined && sizes.length && !distinct.has(given))) {
      throw new ShapeError(inconsistentSizes(sizes, arrays, leafPaths(def), given));
    }
    const size = sizes.length ? sizes[0].size : given;
    if (size === undefined) {
      throw new ValueError(`vmap wrapped function must be passed at least one argument containing an array or axisSize ` +
        `must be specified, got ${args.length ? `only unmapped arguments (in_axes all None)` : "no arguments"}.`);
    }
    const trace = new BatchTrace(currentTrace(), `vmap of ${name}`, size, opts.axisName ?? null);
    let out: unknown;
    try {
      const ins = arrays.map((a, i) => (norm[i] === null ? a : new BatchTracer(trace, a, norm[i])));
      out = withTrace(trace, () => f(...unflatten(def, ins)));
    } finally {
      trace.live = false;
    }
    const [outLeaves, outDef] = flatten(out);
    const outAxesSpec = opts.outAxes === undefined ? 0 : opts.outAxes;
    const oAxes = axesForLeaves(outAxesSpec, out, "out_axes");
    const results = outLeaves.map((o, i) => {
      const [v, d] = trace.unpack(asArray(o as any));
      const want = oAxes[i];
      if (want === null) {
        if (d !== null) {
          throw new ValueError(`at vmap out_axes${leafPaths(outDef)[i]}, got axis spec None but output was batched on axis ${d} ` +
            `(vmap has mapped output but out_axes is None): return a value that does not depend on the mapped axis, or give an out axis.`);
        }
        return v;
      }
      const nd = v.ndim + (d === null ? 1 : 0);
      if (want < -nd || want >= nd) throw new ShapeError(`vmap out_axes ${want} is out of bounds for an output of rank ${nd - 1} (plus the mapped axis).`);
      const w = want < 0 ? want + nd : want;
      return moveAxis(batchAtFront(v, d, size), 0, w);
    });
    return unflatten(outDef as TreeDef, results);
  }) as any;
}

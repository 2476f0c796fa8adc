// lax.cond and lax.switch: a primitive holding one jaxpr per branch. A concrete index runs one
// branch; a traced one (under jit) stays a `cond` whose derivative and batching are new conds.
// As in JAX, the index is in range by construction: switch clamps it with a `clamp` equation and
// cond converts a 0/1 predicate before binding, so no rule below clamps again.
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { Primitive, UndefPrimal, Zero } from "../core/primitive.js";
import { isFloat } from "../core/dtype.js";
import { flatten, treeDefEqual, treeDefString, unflatten } from "../core/pytree.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { ClosedJaxpr, evalJaxpr } from "../jaxpr/jaxpr.js";
import { Body, traceBody } from "../jaxpr/make.js";
import { array, asArray } from "../api/numpy/creation.js";
import { jvp, vjp } from "../autodiff/api.js";
import { vmap } from "../batching/vmap.js";
import * as A from "../primitives/arith.js";
import { zerosLike } from "../primitives/helpers.js";
import { broadcastInDim, moveAxis } from "../primitives/layout.js";

/** Branch b reads args [...consts of b, ...operands]; all branches' consts are passed, concatenated. */
export interface CondParams { branches: ClosedJaxpr[]; constCounts: number[] }

function branchArgs(p: CondParams, b: number, rest: JaxArray[]): JaxArray[] {
  const start = p.constCounts.slice(0, b).reduce((a, c) => a + c, 0);
  const nAll = p.constCounts.reduce((a, c) => a + c, 0);
  return [...rest.slice(start, start + p.constCounts[b]), ...rest.slice(nAll)];
}

/** The value of x if it is known now (a concrete array, possibly inside JVP tracers' primals). */
export function concreteValue(x: JaxArray): ConcreteArray | null {
  let v: any = x;
  while (v && !(v instanceof ConcreteArray)) v = v.primal;
  return v ?? null;
}

/** A concrete index the host cannot read now (it lives on a GPU, which only reads asynchronously). */
function unreadable(c: ConcreteArray): boolean {
  const b = c.buffer("cond");
  return b.backend.canReadSync ? !b.backend.canReadSync(b) : false;
}

/**
 * Per-branch results picked by the index: a scalar index picks whole results, an index with a
 * leading batch axis picks per example (results batched at axis 0).
 */
function selectByIndex(index: JaxArray, outs: JaxArray[][], device?: string): JaxArray[] {
  return outs[0].map((_, k) => {
    let acc = outs[0][k];
    for (let b = 1; b < outs.length; b++) {
      const o = outs[b][k];
      const hit = A.eq(index, array(b, { dtype: index.dtype, device }));
      acc = A.select(index.ndim ? broadcastInDim(hit, o.shape, [0]) : hit, o, acc);
    }
    return acc;
  });
}

/**
 * Every branch, then a select by the index, all on the index's device. The branches are pure,
 * so this gives the chosen branch's values without reading the index back.
 */
function selectBranches(p: CondParams, index: JaxArray, device: string, rest: JaxArray[]): JaxArray[] {
  return selectByIndex(index, p.branches.map((br, b) => evalJaxpr(br.jaxpr, [], branchArgs(p, b, rest))), device);
}

/** The branch a concrete index names, when the host can read it now. */
function knownBranch(index: JaxArray): number | null {
  const c = concreteValue(index);
  return c && !unreadable(c) ? Number(c.item()) : null;
}

function runBranch(p: CondParams, index: JaxArray, rest: JaxArray[]): JaxArray[] | null {
  const c = concreteValue(index);
  if (!c) return null;
  if (unreadable(c)) return selectBranches(p, index, c.device, rest);
  const b = Number(c.item());
  return evalJaxpr(p.branches[b].jaxpr, [], branchArgs(p, b, rest));
}

/** Binds a cond over traced bodies, passing their constants ahead of the operands. */
function bindBodies(index: JaxArray, bodies: Body[], operands: JaxArray[]): JaxArray[] {
  const params: CondParams = { branches: bodies.map((b) => b.jaxpr), constCounts: bodies.map((b) => b.consts.length) };
  return bind(condP, [index, ...bodies.flatMap((b) => b.consts), ...operands], params);
}

const jaxprFn = (j: ClosedJaxpr) => (...xs: JaxArray[]) => evalJaxpr(j.jaxpr, [], xs);

export const condP: Primitive<CondParams> = new Primitive<CondParams>("cond", {
  abstractEval: (_avals, p) => p.branches[0].outAvals,
  reference() { throw new ValueError("cond runs its branches' programs."); },
  staged: true,
  inline([index, ...rest], p) {
    const r = runBranch(p, index, rest);
    if (r) return r;
    return bind(condP, [index, ...rest], p);
  },
  jvp([index, ...rest], [, ...tans], p) {
    const known = concreteValue(index);
    if (known && unreadable(known)) {
      const sel = (...xs: JaxArray[]) => selectBranches(p, known, known.device, xs);
      return jvp(sel, rest, tans) as [JaxArray[], JaxArray[]];
    }
    const b = knownBranch(index);
    if (b !== null) {
      // A known index: differentiate the one branch that runs.
      const [o, t] = jvp(jaxprFn(p.branches[b]), branchArgs(p, b, rest), branchArgs(p, b, tans)) as [JaxArray[], JaxArray[]];
      return [o, t];
    }
    // A traced index: one cond for the primal outputs, one (linear in the tangents) for the tangents.
    const outs = bind(condP, [index, ...rest], p);
    const avals = rest.map((x) => x.aval);
    const tBranches = p.branches.map((_, b) => traceBody((...xs: JaxArray[]) => {
      const prim = xs.slice(0, rest.length), tan = xs.slice(rest.length);
      return jvp(jaxprFn(p.branches[b]), branchArgs(p, b, prim), branchArgs(p, b, tan))[1];
    }, [...avals, ...avals], "cond jvp"));
    return [outs, bindBodies(index, tBranches, [...rest, ...tans])];
  },
  transpose(cts, [index, ...rest], p) {
    // Branches are linear in the UndefPrimal inputs: transpose each with vjp, in a new cond.
    const lin = rest.map((x) => x instanceof UndefPrimal);
    const known = rest.filter((x) => !(x instanceof UndefPrimal)) as JaxArray[];
    const linAvals = rest.filter((x) => x instanceof UndefPrimal).map((x) => (x as UndefPrimal).aval);
    const ctVals = cts.map((c) => (c instanceof Zero ? zerosLike(c) : c));
    const merge = (k: JaxArray[], l: JaxArray[]) => { let i = 0, j = 0; return lin.map((isL) => (isL ? l[j++] : k[i++])); };
    const tBranches = p.branches.map((br, b) => traceBody((...xs: JaxArray[]) => {
      const k = xs.slice(0, known.length), c = xs.slice(known.length);
      const f = (...l: JaxArray[]) => evalJaxpr(br.jaxpr, [], branchArgs(p, b, merge(k, l)));
      const zeros = linAvals.map((a) => zerosLike({ aval: a }));
      return vjp(f, ...zeros)[1](c);
    }, [...known.map((x) => x.aval), ...ctVals.map((c) => c.aval)], "cond transpose"));
    const res = bindBodies(index as JaxArray, tBranches, [...known, ...ctVals]);
    let j = 0;
    return [null, ...lin.map((isL) => (isL ? res[j++] : null))];
  },
  batch([index, ...rest], [di, ...dims], p) {
    const size = [index, ...rest].map((x, i) => ([di, ...dims][i] === null ? -1 : x.shape[[di, ...dims][i]!])).find((s) => s >= 0)!;
    const batched = p.branches.map((br, b) => traceBody((...xs: JaxArray[]) =>
      vmap((...a: JaxArray[]) => evalJaxpr(br.jaxpr, [], branchArgs(p, b, a)), { inAxes: dims, axisSize: size })(...xs),
    rest.map((x) => x.aval), "cond batch"));
    if (di === null) return [bindBodies(index, batched, rest), batched[0].jaxpr.outAvals.map(() => 0)];
    // A batched index: run every branch and select per example.
    const results = batched.map((br) => evalJaxpr(br.jaxpr.jaxpr, [], [...br.consts, ...rest]));
    const outs = selectByIndex(moveAxis(index, di, 0), results, concreteValue(index)?.device);
    return [outs, outs.map(() => 0)];
  },
  printParams: (p) => ({ branches: p.branches }),
});

/**
 * lax.switch(index, branches, ...operands): runs branches[clamp(0, index, n - 1)](...operands).
 * As in JAX the clamp is its own equation ahead of the cond, so vmap, grad and jit of the cond
 * all see an index in range: below 0 runs branch 0, past the end the last branch.
 */
export function switch_(index: unknown, branches: ((...ops: any[]) => any)[], ...operands: unknown[]): any {
  if (!branches.length) throw new ValueError("switch: needs at least one branch.");
  let idx = asArray(index as any);
  if (idx.ndim !== 0) throw new ShapeError(`switch: the index must be a scalar, got shape [${idx.shape}].`);
  if (isFloat(idx.dtype)) throw new DTypeError(`switch: the index must be an integer, got ${idx.dtype}. Convert it with astype("int32").`);
  if (branches.length === 1) return branches[0](...operands);
  idx = A.convertElementType(idx, "int32");
  const device = concreteValue(idx)?.device;
  idx = A.clamp(array(0, { dtype: "int32", device }), idx, array(branches.length - 1, { dtype: "int32", device }));
  return bindBranches(idx, branches, operands);
}

/** Traces the branches on the operands' avals, checks they agree, and binds the cond. */
function bindBranches(idx: JaxArray, branches: ((...ops: any[]) => any)[], operands: unknown[]): any {
  const [leaves] = flatten(operands);
  const avals = leaves.map((l) => asArray(l as any).aval);
  const opsTree = unflatten(flatten(operands)[1], avals.map((a) => new ShapedArray(a.shape, a.dtype, a.weakType)));
  const bodies = branches.map((f, b) => traceBody(f, opsTree as unknown[], `branch ${b} of cond`));
  const b0 = bodies[0];
  bodies.forEach((bd, b) => {
    const same = treeDefEqual(bd.outDef, b0.outDef) && bd.jaxpr.outAvals.every((a, i) => a.equals(b0.jaxpr.outAvals[i]));
    if (!same) {
      throw new ValueError(`cond: branches must return the same tree structure, shapes and dtypes; branch 0 returns ${treeDefString(b0.outDef)} ` +
        `${b0.jaxpr.outAvals.map((a) => a.str()).join(", ")} but branch ${b} returns ${treeDefString(bd.outDef)} ${bd.jaxpr.outAvals.map((a) => a.str()).join(", ")}.`);
    }
  });
  const consts = bodies.flatMap((bd) => bd.consts);
  const params: CondParams = { branches: bodies.map((bd) => bd.jaxpr), constCounts: bodies.map((bd) => bd.consts.length) };
  const outs = bind(condP, [idx, ...consts, ...leaves.map((l) => asArray(l as any))], params);
  return unflatten(b0.outDef, outs);
}

/** lax.cond(pred, trueFun, falseFun, ...operands). */
export function cond(pred: unknown, trueFun: (...ops: any[]) => any, falseFun: (...ops: any[]) => any, ...operands: unknown[]): any {
  const p = asArray(pred as any);
  if (p.ndim !== 0) throw new ShapeError(`cond: the predicate must be a scalar, got shape [${p.shape}]. Use jnp.where for elementwise choices.`);
  const idx = A.convertElementType(p.dtype === "bool" ? p : A.ne(p, A.convertElementType(asArray(0), p.dtype)), "int32");
  return bindBranches(idx, [falseFun, trueFun], operands);
}
